"""Bad input to `studio serve`: each answered clearly, nothing written half-way, nothing served outside renders."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from studio.files import sha256_of
from studio.review import ReviewDB
from tests.web.conftest import PASSWORDS, Site
from tests.web.web_helpers import csrf_of, login, page_csrf, raw_get

Q = "/c/tash-komur-2026/2026Q1"
KEY = "report-qr-social/ky/facebook-link.png"
OTHER = "report-qr-social/ru/story.png"


def reviews(site: Site, path: str) -> list:
    return site.db.history("tash-komur-2026", "2026Q1", path)


def test_a_visitor_not_logged_in_gets_only_the_login_page(site: Site) -> None:
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    for path in (
        "/",
        Q,
        f"{Q}/r/{KEY}",
        f"{Q}/file/{KEY}",
        f"{Q}/thumb/{KEY}",
        f"{Q}/pack/facebook.zip",
        f"{Q}/events",
    ):
        reply = client.get(path)
        assert reply.status_code == 303 and reply.headers["location"] == "/login", path
        assert not reply.content
    assert client.post(f"{Q}/review/{KEY}", data={"decision": "approved"}).status_code == 401
    login_page = client.get("/login")
    assert login_page.status_code == 200 and 'type="password"' in login_page.text
    assert "default-src 'self'" in login_page.headers["content-security-policy"]


def test_session_cookie_is_httponly_and_samesite(site: Site) -> None:
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    reply = client.post("/login", data={"csrf": token, "name": "chynara", "password": PASSWORDS["chynara"]})
    cookie = reply.headers["set-cookie"]
    assert "taza_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_wrong_password_gives_no_hint_and_repeated_failures_are_slowed(site: Site) -> None:
    client = httpx.Client(base_url=site.url, follow_redirects=False, timeout=60)
    token = csrf_of(client.get("/login").text)

    def attempt(name: str, password: str) -> tuple[httpx.Response, float]:
        start = time.monotonic()
        reply = client.post("/login", data={"csrf": token, "name": name, "password": password})
        return reply, time.monotonic() - start

    wrong_password, _ = attempt("bakyt", "not-the-password")
    wrong_name, _ = attempt("nobody-here", PASSWORDS["bakyt"])
    assert wrong_password.status_code == wrong_name.status_code == 401
    assert "taza_session" not in wrong_password.headers.get("set-cookie", "")

    def message(reply: httpx.Response) -> str:
        return reply.text.split('role="alert">')[1].split("<")[0]

    assert message(wrong_password) == message(wrong_name) == "Аты же сырсөзү туура эмес."
    _, third = attempt("bakyt", "still-wrong")
    _, fourth = attempt("bakyt", "still-wrong")  # 4 failures from this address: the 5th waits 2 s
    _, fifth = attempt("bakyt", "still-wrong")
    assert third < 1.0 and fourth >= 0.9 and fifth >= 1.9
    # The right password still works (after the wait) and clears the count.
    ok, waited = attempt("bakyt", PASSWORDS["bakyt"])
    assert ok.status_code == 303 and waited >= 3.9
    _, after = attempt("bakyt", "wrong-again")
    assert after < 1.0


def test_missing_or_wrong_csrf_token_is_refused_and_nothing_recorded(site: Site) -> None:
    lead = login(site.url, "aida", PASSWORDS["aida"])
    sha = sha256_of(site.quarter_dir / OTHER)
    for data in ({"decision": "approved", "sha256": sha}, {"decision": "approved", "sha256": sha, "csrf": "forged"}):
        reply = lead.post(f"{Q}/review/{OTHER}", data=data)
        assert reply.status_code == 403
        assert "Форманын мөөнөтү өттү" in reply.text
    assert lead.post(f"{Q}/render", data={"csrf": "forged"}).status_code == 403
    assert lead.post("/logout", data={}).status_code == 403
    anonymous = httpx.Client(base_url=site.url)
    assert anonymous.post("/login", data={"name": "aida", "password": PASSWORDS["aida"]}).status_code == 403
    assert reviews(site, OTHER) == []


@pytest.mark.parametrize("name", ["chynara", "bakyt"])
def test_a_viewer_or_editor_cannot_approve(site: Site, name: str) -> None:
    client = login(site.url, name, PASSWORDS[name])
    token = page_csrf(client, f"{Q}/r/{OTHER}")
    assert 'value="approved"' not in client.get(f"{Q}/r/{OTHER}").text  # no approve button either
    sha = sha256_of(site.quarter_dir / OTHER)
    for decision in ("approved", "changes"):
        reply = client.post(
            f"{Q}/review/{OTHER}", data={"csrf": token, "decision": decision, "sha256": sha, "comment": "x"}
        )
        assert reply.status_code == 403
    assert reviews(site, OTHER) == []


def test_a_viewer_cannot_start_a_render(site: Site) -> None:
    client = login(site.url, "chynara", PASSWORDS["chynara"])
    token = page_csrf(client, Q)
    assert client.post(f"{Q}/render", data={"csrf": token}).status_code == 403
    assert "Даярдоону баштоо" not in client.get(Q).text


@pytest.mark.parametrize(
    "path",
    [
        f"{Q}/file/../../../.studio.sqlite",
        f"{Q}/file/%2e%2e/%2e%2e/%2e%2e/.studio.sqlite",
        f"{Q}/file/report-qr-social/../manifest.json",
        f"{Q}/file//etc/passwd",
        f"{Q}/file/%2Fetc%2Fpasswd",
        f"{Q}/file/manifest.json",
        f"{Q}/file/.render.lock",
        f"{Q}/thumb/../../../.studio.sqlite",
        f"{Q}/r/../../../etc/passwd",
        f"{Q}/r//etc/passwd",
        "/c/tash-komur-2026/..%2F..%2F/file/x",
        "/c/../2026Q1/file/report-qr-social/ky/facebook-link.png",
        "/c/tash-komur-2026/2099Q1/file/report-qr-social/ky/facebook-link.png",
        "/static/../../studio/review/db.py",
        "/static/%2e%2e/%2e%2e/studio/review/db.py",
    ],
)
def test_dot_dot_or_absolute_paths_are_404(site: Site, path: str) -> None:
    client = login(site.url, "aida", PASSWORDS["aida"])
    cookie = f"taza_session={client.cookies['taza_session']}"
    status, body = raw_get(site.url, path, cookie)
    assert status == 404, (path, status)
    assert b"SQLite" not in body and b"root:" not in body and b"renders" not in body and b"import" not in body


def test_a_file_changed_on_disk_since_approval_is_shown_changed_and_not_locked(site: Site) -> None:
    path = "men-para-berbeym-poster/ru/a4.pdf"
    lead = login(site.url, "aida", PASSWORDS["aida"])
    token = page_csrf(lead, f"{Q}/r/{path}")
    sha = sha256_of(site.quarter_dir / path)
    reply = lead.post(f"{Q}/review/{path}", data={"csrf": token, "decision": "approved", "sha256": sha})
    assert reply.status_code == 303
    assert 'data-status="approved"' in lead.get(f"{Q}?status=approved").text
    pdf = site.quarter_dir / path
    original = pdf.read_bytes()
    try:
        pdf.write_bytes(original + b"\n% edited by hand\n")
        page = lead.get(f"{Q}/r/{path}").text
        assert "Өзгөртүлгөн — бекитүү жокко чыкты" in page
        assert f"/r/{path}" in lead.get(f"{Q}?status=changed").text
        from studio.batch.approved import locked_files

        approved = site.db.approved("tash-komur-2026", "2026Q1")
        assert path in approved and path not in locked_files(approved, site.quarter_dir)
        # Approving the changed bytes needs a fresh look: the page's old sha256 is refused.
        stale = lead.post(f"{Q}/review/{path}", data={"csrf": token, "decision": "approved", "sha256": sha})
        assert stale.status_code == 409
    finally:
        pdf.write_bytes(original)


def test_two_leads_approving_at_once_make_one_approval(site: Site) -> None:
    path = "report-qr-social/ru/facebook-link.png"
    clients = [login(site.url, name, PASSWORDS[name]) for name in ("aida", "dana")]
    tokens = [page_csrf(c, f"{Q}/r/{path}") for c in clients]
    sha = sha256_of(site.quarter_dir / path)
    barrier = threading.Barrier(2)
    replies: list[int] = []
    locations: list[str] = []

    def approve(i: int) -> None:
        barrier.wait()
        reply = clients[i].post(f"{Q}/review/{path}", data={"csrf": tokens[i], "decision": "approved", "sha256": sha})
        replies.append(reply.status_code)
        locations.append(reply.headers.get("location", ""))

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert replies == [303, 303]
    history = reviews(site, path)
    assert len(history) == 1 and history[0].decision == "approved" and history[0].sha256 == sha
    # The second lead is told who approved it first.
    told = [loc for loc in locations if "?m=" in loc]
    assert len(told) == 1
    note = clients[0].get(told[0]).text
    assert "Буга чейин бекитилген:" in note and history[0].user in note
    with sqlite3.connect(site.db.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_locked_database_gives_a_clear_page_and_writes_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    path = "report-qr-social/ky/story.png"
    lead = login(site.url, "aida", PASSWORDS["aida"])
    token = page_csrf(lead, f"{Q}/r/{path}")
    sha = sha256_of(site.quarter_dir / path)
    monkeypatch.setattr(ReviewDB, "busy_timeout_s", 0.3)
    holder = sqlite3.connect(site.db.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        reply = lead.post(f"{Q}/review/{path}", data={"csrf": token, "decision": "approved", "sha256": sha})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reply.status_code == 503
    assert "Карап чыгуу базасы азыр жеткиликсиз. Эч нерсе өзгөртүлгөн жок." in reply.text
    assert "busy" in reply.text
    assert reviews(site, path) == []


def test_a_damaged_database_gives_a_clear_page(rendered: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    from tests.web.conftest import serve

    campaign, out = rendered
    copy = tmp_path / "renders"
    shutil.copytree(out, copy)
    client_cookie = None
    for url in serve([campaign], copy):
        client = login(url, "aida", PASSWORDS["aida"])
        client_cookie = client.cookies["taza_session"]
        db = copy / ".studio.sqlite"
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        db.write_bytes(b"this is not a database" * 200)
        reply = client.get("/")
        assert reply.status_code == 503
        assert "Карап чыгуу базасы азыр жеткиликсиз" in reply.text and "damaged" in reply.text
        # The log-in page still answers, and a log-in attempt says the same clear thing.
        page = httpx.get(f"{url}/login")
        assert page.status_code == 200
        token = csrf_of(page.text)
        attempt = httpx.post(
            f"{url}/login", data={"csrf": token, "name": "aida", "password": "x" * 9}, cookies=page.cookies
        )
        assert attempt.status_code == 503
    assert client_cookie
    assert (copy / ".studio.sqlite").read_bytes().startswith(b"this is not a database")  # nothing written over it


def test_language_switch_redirects_only_within_the_site(site: Site) -> None:
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    assert client.get("/lang", params={"to": "ru", "next": "https://evil.example/"}).headers["location"] == "/"
    assert client.get("/lang", params={"to": "ru", "next": "//evil.example/"}).headers["location"] == "/"
    reply = client.get("/lang", params={"to": "ru", "next": "/login"})
    assert reply.headers["location"] == "/login"
    assert "Вход в систему" in client.get("/login").text


def test_a_request_for_changes_without_a_comment_is_refused_clearly(site: Site) -> None:
    path = "report-qr-social/ru/story.png"
    lead = login(site.url, "aida", PASSWORDS["aida"])
    token = page_csrf(lead, f"{Q}/r/{path}")
    sha = sha256_of(site.quarter_dir / path)
    reply = lead.post(f"{Q}/review/{path}", data={"csrf": token, "decision": "changes", "sha256": sha, "comment": " "})
    assert reply.status_code == 400
    assert "Сурам кабыл алынган жок." in reply.text and "comment: say what should change" in reply.text
    odd = lead.post(f"{Q}/review/{path}", data={"csrf": token, "decision": "maybe", "sha256": sha})
    assert odd.status_code == 400 and "unknown value" in odd.text
    assert reviews(site, path) == []


def test_a_manifest_entry_pointing_outside_the_quarter_is_ignored(site: Site) -> None:
    import json

    manifest_path = site.quarter_dir / "manifest.json"
    original = manifest_path.read_bytes()
    data = json.loads(original)
    forged = dict(data["renders"][0], path="../../.studio.sqlite", deliverable="forged", language="ky")
    data["renders"].append(forged)
    manifest_path.write_text(json.dumps(data), encoding="utf-8")
    try:
        lead = login(site.url, "aida", PASSWORDS["aida"])
        page = lead.get(Q).text
        assert "forged" not in page
        cookie = f"taza_session={lead.cookies['taza_session']}"
        assert raw_get(site.url, f"{Q}/file/../../.studio.sqlite", cookie)[0] == 404
        assert raw_get(site.url, f"{Q}/r/../../.studio.sqlite", cookie)[0] == 404
    finally:
        manifest_path.write_bytes(original)
