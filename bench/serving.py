"""A real `studio serve` for the benchmarks that go through the web app: a copy of the sample
project with a bench user, and a uvicorn server on a free port of 127.0.0.1 in a thread."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.review import ReviewDB  # noqa: E402
from studio.web.app import create_app  # noqa: E402

USER, PASSWORD = "bench", "bench-password"


def copy_project(root: Path) -> tuple[Path, Path]:
    """The sample project (assets, templates, the campaign and its data) copied to ``root``, with an
    empty renders folder that has the bench user: the campaign file and that folder."""
    for name in ("assets", "templates", "campaigns"):
        shutil.copytree(ROOT / name, root / name)
    out = root / "renders"
    ReviewDB(out).add_user(USER, "editor", PASSWORD)
    return root / "campaigns" / "tash-komur-2026.yaml", out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(campaign: Path, out: Path) -> Iterator[str]:
    """The server's base URL while it runs; stopped on leaving."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app([campaign], out), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
