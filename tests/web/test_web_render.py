"""Renders from the browser share the CLI's quarter lock: a render already running is shown, never doubled."""

from __future__ import annotations

import json
import time

import httpx

from studio.batch.lock import quarter_lock
from tests.web.conftest import PASSWORDS, Site
from tests.web.web_helpers import login, page_csrf

Q = "/c/tash-komur-2026/2026Q1"


def test_a_render_running_from_the_cli_is_shown_and_not_duplicated(site: Site) -> None:
    editor = login(site.url, "bakyt", PASSWORDS["bakyt"])
    token = page_csrf(editor, Q)
    manifest = (site.quarter_dir / "manifest.json").read_bytes()
    with quarter_lock(site.quarter_dir):  # what `studio render` holds while it runs
        page = editor.get(Q).text
        assert "Бул чейрек азыр башка жерден даярдалып жатат" in page and "pid " in page
        assert "disabled>Даярдоону баштоо" in page.replace('type="submit" ', "").replace("\n", "")
        reply = editor.post(f"{Q}/render", data={"csrf": token})
        assert reply.status_code == 409 and "another studio render is writing here" in reply.text
        with editor.stream("GET", f"{Q}/events") as events:
            line = next(line for line in events.iter_lines() if line.startswith("data: "))
        state = json.loads(line.removeprefix("data: "))
        assert state["running"] is True and state["elsewhere"].startswith("pid ")
    assert (site.quarter_dir / "manifest.json").read_bytes() == manifest  # nothing was rendered twice
    # Free again: the events say so and the editor may start a render (everything is up to date: all skipped).
    with editor.stream("GET", f"{Q}/events") as events:
        line = next(line for line in events.iter_lines() if line.startswith("data: "))
    assert json.loads(line.removeprefix("data: "))["running"] is False
    assert editor.post(f"{Q}/render", data={"csrf": token}).status_code == 303
    done = ""
    for _ in range(300):
        done = editor.get(Q).text
        if 'class="ok">Даярдоо бүттү' in done:
            break
        time.sleep(0.1)
    assert 'class="ok">Даярдоо бүттү: 0 / 6, өзгөргөн жок 6<' in done


def test_an_unknown_deliverable_is_refused(site: Site) -> None:
    lead = login(site.url, "aida", PASSWORDS["aida"])
    token = page_csrf(lead, Q)
    reply = lead.post(f"{Q}/render", data={"csrf": token, "deliverable": "no-such-thing"})
    assert reply.status_code == 409 and "&#34;no-such-thing&#34; is not due in this quarter" in reply.text
    assert httpx.get(f"{site.url}{Q}/events").headers["location"] == "/login"  # not for visitors
