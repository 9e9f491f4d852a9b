"""Time to a full design gallery ("New deliverable"), in Chromium, as a person sees it.

    python bench/gallery.py [--runs 1]

Starts `studio serve` on a copy of the sample campaign with an empty renders folder, logs in with the
system's Chromium (Playwright), opens the gallery, scrolls it to the end and waits until every picture
has loaded (or shown that it cannot be pictured). Prints that time for a first visit (nothing drawn
yet) and a visit to a restarted server (the pictures in its cache on disk).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from serving import PASSWORD, USER, copy_project, serving

CHROMIUM = "/usr/bin/chromium"
ALL_LOADED = "[...document.querySelectorAll('.sample img')].every(i => i.complete)"


def visit(browser: object, campaign: Path, out: Path) -> tuple[float, int, int]:
    """One server, one visit: seconds to a full gallery, pictures shown, pictures asked for."""
    with serving(campaign, out) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
        page.goto(url + "/login")
        page.fill("input[name=name]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(url + "/")
        start = time.perf_counter()
        page.goto(url + "/edit/tash-komur-2026/new")
        # Scroll as a person would, a screen at a time, until every picture is in.
        while not page.evaluate(ALL_LOADED):
            page.mouse.wheel(0, 900)
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        shown = page.evaluate("[...document.querySelectorAll('.sample img')].filter(i => i.naturalWidth > 0).length")
        total = page.locator(".sample img").count()
        page.context.close()
        return elapsed, shown, total


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for run in range(args.runs):
            campaign, out = copy_project(Path(tmp) / f"run{run}")
            for label in ("first visit", "restarted server"):
                seconds, shown, total = visit(browser, campaign, out)
                print(f"{label}: {seconds:.1f} s to a full gallery ({shown} of {total} pictures)")
        browser.close()


if __name__ == "__main__":
    main()
