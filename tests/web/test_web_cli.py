"""`studio users` and `studio serve` from the command line."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from studio.review import ReviewDB
from tests.cli_helpers import run_studio
from tests.conftest import SAMPLE
from tests.web.conftest import free_port


def users(capsys, monkeypatch, out: Path, *args: str, password: str | None = None):  # type: ignore[no-untyped-def]
    if password is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return run_studio(capsys, monkeypatch, "users", *args, "--out", str(out))


def test_users_add_passwd_remove(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "renders"
    added = users(
        capsys, monkeypatch, out, "add", "aida", "--role", "lead", "--password-stdin", password="first-pass-1"
    )
    assert added.code == 0 and "user aida added as lead" in added.out
    db = ReviewDB(out)
    assert db.login("aida", "first-pass-1", ("t",)) is not None
    assert users(capsys, monkeypatch, out, "passwd", "aida", "--password-stdin", password="second-pass-2").code == 0
    assert db.login("aida", "first-pass-1", ("t",)) is None and db.login("aida", "second-pass-2", ("t",))
    listed = users(capsys, monkeypatch, out, "list")
    assert listed.out.split() == ["aida", "lead"]
    assert users(capsys, monkeypatch, out, "remove", "aida").code == 0
    assert db.users() == []


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("add", "aida", "--role", "boss", "--password-stdin"), "long-enough-1", '--role: unknown role "boss"'),
        (("add", "aida", "--role", "lead", "--password-stdin"), "short", "password: at least 8 characters"),
        (("add", "../aida", "--role", "lead", "--password-stdin"), "long-enough-1", 'user name "../aida"'),
        (("passwd", "nobody", "--password-stdin"), "long-enough-1", 'no user "nobody"'),
        (("remove", "nobody"), None, 'no user "nobody"'),
    ],
)
def test_bad_user_commands_say_why(capsys, monkeypatch, tmp_path: Path, args, password, message) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "renders"
    ReviewDB(out).add_user("someone", "viewer", "viewer-pass-1")
    result = users(capsys, monkeypatch, out, *args, password=password)
    assert result.code == 1 and message in result.err and len(result.err.strip().splitlines()) == 1


def test_serve_listens_on_127_0_0_1_by_default(tmp_path: Path) -> None:
    port = free_port()
    studio = Path(sys.executable).with_name("studio")
    process = subprocess.Popen(
        [str(studio), "serve", str(SAMPLE), "--port", str(port), "--out", str(tmp_path / "renders")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, (
                    process.stderr.read() if process.stderr else ""
                )
                time.sleep(0.2)
        assert reply.status_code == 303 and reply.headers["location"] == "/login"
        # The kernel's table of listening sockets: this port is bound to 127.0.0.1 (0100007F) only.
        rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        local = {row[1] for row in rows if row[3] == "0A" and int(row[1].split(":")[1], 16) == port}
        assert local == {f"0100007F:{port:04X}"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    assert f"http://127.0.0.1:{port}/" in stdout
    assert "nobody can log in yet" in stderr
