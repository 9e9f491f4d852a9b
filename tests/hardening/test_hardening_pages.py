"""The review pages keep their style in a real browser, name the quarter once, explain failures in
Kyrgyz and Russian, and say when the reporting channels are still placeholders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.batch.manifest import Manifest
from studio.campaign import load_campaign
from studio.quarters import Quarter
from studio.report import build_gallery, build_quarterly_report
from studio.report.writers import build_report_html, build_report_markdown
from tests.conftest import SAMPLE
from tests.report.test_report_gallery_browser import DevTools, _browser

MANIFEST = Manifest(campaign="tash-komur-2026", quarter="2026Q1")
FAILURES = [
    {
        "deliverable": "report-qr-social",
        "language": "ru",
        "format": "story",
        "error": 'deliverable "report-qr-social" (ru, story): headline "X" does not fit its box',
        "error_kind": "LayoutError",
    },
    {
        "deliverable": "what-is-a-bribe-video",
        "language": "ky",
        "format": "youtube",
        "error": "renders/x/story.mp4: cannot write (No space left on device)",
        "error_kind": "RenderError",
    },
]


def _style(page: str) -> str:
    match = re.search(r"<style>(.*?)</style>", page, re.S)
    assert match
    return match.group(1)


def test_gallery_style_is_not_broken_by_an_escaped_font_name() -> None:
    page = build_gallery(MANIFEST, [], "Таза шаар")
    style = _style(page)
    assert '"Noto Sans"' in style and "&#34;" not in style and "&quot;" not in style


def test_report_style_is_not_broken_by_an_escaped_font_name() -> None:
    campaign = load_campaign(SAMPLE)
    report = build_quarterly_report(campaign, Quarter.parse("2026Q1"), {}, dt.date(2026, 3, 1))
    style = _style(build_report_html(report, "ky"))
    assert '"Noto Sans"' in style and "&#34;" not in style


def test_gallery_title_names_the_quarter_once() -> None:
    page = build_gallery(MANIFEST, [], "Таза шаар")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title.count("2026Q1") == 1
    # A caller that already put the quarter in the title does not get it twice.
    page = build_gallery(MANIFEST, [], "Таза шаар · 2026Q1")
    assert re.search(r"<title>(.*?)</title>", page).group(1).count("2026Q1") == 1


def test_failure_reasons_are_in_the_pages_languages() -> None:
    page = build_gallery(MANIFEST, FAILURES, "Таза шаар")
    failures = page[page.index('id="failures"') :]
    assert "Макет түзүлгөн жок" in failures and "Макет не собран" in failures
    assert "Дискте орун калган жок" in failures and "На диске нет места" in failures
    # The developer's English stays available, folded away under "technical details".
    visible = re.sub(r"<details.*?</details>", "", failures, flags=re.S)
    assert "does not fit" not in visible and "No space left" not in visible
    assert "does not fit its box" in failures and "Техникалык маалымат" in failures


def test_placeholder_reporting_channels_are_announced_on_both_pages() -> None:
    campaign = load_campaign(SAMPLE)
    assert campaign.reporting.placeholder
    page = build_gallery(MANIFEST, [], "Таза шаар", placeholder_url=campaign.reporting.url)
    assert 'class="notice warn"' in page and "азырынча үлгү гана" in page and "пока только образцы" in page
    assert campaign.reporting.url in page
    report = build_quarterly_report(campaign, Quarter.parse("2026Q1"), {}, dt.date(2026, 3, 1))
    assert "азырынча үлгү гана" in build_report_markdown(report, "ky")
    assert "пока только образцы" in build_report_html(report, "ru")
    real = campaign.model_copy(update={"reporting": campaign.reporting.model_copy(update={"placeholder": False})})
    real._root = campaign.root
    report = build_quarterly_report(real, Quarter.parse("2026Q1"), {}, dt.date(2026, 3, 1))
    assert "образцы" not in build_report_html(report, "ru")
    assert 'class="notice' not in build_gallery(MANIFEST, [], "Таза шаар")


# --- in Chromium -----------------------------------------------------------------------------------------

FONT_PROBE = """
(() => {
  const body = getComputedStyle(document.body);
  const h2 = document.querySelector('h2');
  return {family: body.fontFamily, size: body.fontSize, h2Border: h2 ? getComputedStyle(h2).borderBottomStyle : null};
})()
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    exe = _browser()
    if exe is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("chromium-style")
    devtools = DevTools(exe, folder / "profile", folder / "chromium.log")
    try:
        yield devtools
    finally:
        devtools.close()


def _fonts(browser: DevTools, url: str) -> tuple[dict[str, Any], list[str]]:
    """The body's computed style, and the fonts Chromium actually drew the first heading's text with."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "DOM", "CSS"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for(lambda e: e.get("sessionId") == session and e.get("method") == "Page.loadEventFired")
        style = browser.send("Runtime.evaluate", {"expression": FONT_PROBE, "returnByValue": True}, session=session)
        root = browser.send("DOM.getDocument", session=session)["root"]["nodeId"]
        node = browser.send("DOM.querySelector", {"nodeId": root, "selector": "h1"}, session=session)["nodeId"]
        used = browser.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
    finally:
        browser.send("Target.closeTarget", {"targetId": target})
    return style["result"]["value"], [f["familyName"] for f in used]


@pytest.mark.slow
@pytest.mark.parametrize("page_name", ["gallery", "report"])
def test_review_pages_are_styled_in_chromium_not_in_times(browser: DevTools, tmp_path: Path, page_name: str) -> None:
    if page_name == "gallery":
        page = build_gallery(MANIFEST, FAILURES, "Таза Таш-Көмүр")
    else:
        report = build_quarterly_report(load_campaign(SAMPLE), Quarter.parse("2026Q1"), {}, dt.date(2026, 3, 1))
        page = build_report_html(report, "ky")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    style, used = _fonts(browser, path.as_uri())
    assert style["family"].startswith('"Noto Sans"'), style
    assert style["size"] == "15px" and style["h2Border"] == "solid", style
    assert used and not any("Times" in name or "Serif" in name or "Tinos" in name for name in used), used
