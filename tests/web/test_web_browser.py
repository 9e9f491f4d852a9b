"""`studio serve` end to end in the system's Chromium (Playwright): log in, review, approve, re-render, packs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from studio.files import sha256_of
from tests.web.conftest import PASSWORDS, Site

Q = "/c/tash-komur-2026/2026Q1"
KEY = "report-qr-social/ky/facebook-link.png"
REVISION = "report-qr-social/ky/facebook-link.r2.png"


def log_in(page, site: Site, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(site.url + "/")


def no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_review_approve_rerender_and_publish_pack(site: Site, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, site, "aida")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    card = page.locator("a.quarter", has_text="2026Q1")
    assert "4" in card.inner_text()  # planned and produced

    card.click()
    page.wait_for_url(site.url + Q)
    assert page.locator(".tile").count() == 6
    page.select_option("select[name=language]", "ru")
    page.click(".filters button")
    assert page.locator(".tile").count() == 3
    page.goto(site.url + Q)
    page.screenshot(path=str(tmp_path / "quarter.png"), full_page=True)
    # Thumbnails decode.
    widths = page.eval_on_selector_all(".thumb img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : -1)")
    assert widths and all(w > 0 for w in widths), widths

    page.click(f'a.tile[href$="/r/{KEY}"]')
    image = page.locator("#media")
    image.wait_for()
    assert page.evaluate("document.querySelector('#media').naturalWidth") == 1200
    page.click("figure.zoom")
    assert "zoomed" in page.get_attribute("figure.zoom", "class")
    assert "https://tash-komur.example/report?src=qr" in page.inner_text("body")
    approved_bytes = (site.quarter_dir / KEY).read_bytes()
    page.fill("textarea[name=comment]", "Жарайт, жарыялайбыз")
    page.click("button[value=approved]")
    page.wait_for_load_state()
    assert page.inner_text("#status") == "Бекитилди"
    assert "Жарайт, жарыялайбыз" in page.inner_text("#review")
    # `studio verify` from the page: the QR code decodes to the manifest's URL.
    page.click("#checks button[type=submit]")
    page.wait_for_selector("#checks li[data-check=qr]")
    assert "өттү" in page.inner_text("#checks li[data-check=qr]")
    page.screenshot(path=str(tmp_path / "render.png"), full_page=True)

    # The same page in Russian.
    page.click("a[hreflang=ru]")
    page.wait_for_load_state()
    assert page.inner_text("#status") == "Утверждено"

    # The campaign's Kyrgyz headline changes; the lead re-renders the deliverable from the browser.
    data = yaml.safe_load(site.campaign.read_text(encoding="utf-8"))
    target = next(d for d in data["deliverables"] if d["id"] == "report-qr-social")
    target["text"]["ky"]["headline"] = "Пара сурашты беле? Дароо кабарлаңыз"
    site.campaign.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page.goto(site.url + Q)
    page.select_option("select[name=deliverable]", "report-qr-social")
    page.click("#render button[type=submit]")
    # Live progress over server-sent events, then the page reloads with the result.
    page.wait_for_selector("#render p.ok", timeout=60_000)
    assert "Подготовка завершена" in page.inner_text("#render")
    assert not (site.quarter_dir / ".staging").exists()

    assert (site.quarter_dir / KEY).read_bytes() == approved_bytes  # the approved file is untouched
    assert (site.quarter_dir / REVISION).is_file()
    assert sha256_of(site.quarter_dir / REVISION) != sha256_of(site.quarter_dir / KEY)
    revision_tile = page.locator(f'a.tile[href$="/r/{REVISION}"]')
    assert "На согласовании" in revision_tile.inner_text()
    old_tile = page.locator(f'a.tile[href$="/r/{KEY}"]')
    assert "Утверждено" in old_tile.inner_text() and "Есть новая версия" in old_tile.inner_text()
    page.screenshot(path=str(tmp_path / "quarter-after.png"), full_page=True)

    # The publish pack for Facebook holds the approved file and its words, not the pending revision.
    with page.expect_download() as download:
        page.click("a[href$='/pack/facebook.zip']")
    zip_path = tmp_path / "facebook.zip"
    download.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        assert "report-qr-social/ky/facebook-link.png" in names
        assert zf.read("report-qr-social/ky/facebook-link.png") == approved_bytes
        assert not any(".r2." in n for n in names)
        post = zf.read("report-qr-social/ky/facebook-link.post.txt").decode("utf-8")
        alt = zf.read("report-qr-social/ky/facebook-link.alt.txt").decode("utf-8")
        tags = zf.read("report-qr-social/ky/facebook-link.hashtags.txt").decode("utf-8")
        assert "#ТазаКыргызстан" in post and "https://tash-komur.example/report\n" in post
        assert "placeholder" in zf.read("README.txt").decode("utf-8")  # the sample's channels are placeholders
        assert "QR-код" in alt and tags.strip().startswith("#")
        assert "README.txt" in names
    assert not errors, errors


def test_print_pages_and_phone_layout(site: Site, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    log_in(page, site, "chynara")
    assert no_horizontal_scroll(page)
    page.goto(site.url + Q)
    assert no_horizontal_scroll(page)
    assert page.locator("#render form").count() == 0  # a viewer cannot start renders
    page.goto(f"{site.url}{Q}/r/men-para-berbeym-poster/ky/a4.pdf")
    page.wait_for_function("[...document.querySelectorAll('img.page')].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("img.page").count() == 1
    assert page.locator("button[value=approved]").count() == 0  # a viewer cannot approve
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(tmp_path / "phone-render.png"), full_page=True)


@pytest.mark.slow
def test_a_video_plays_with_its_caption_track(browser, tmp_path: Path, keys_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from studio.review import ReviewDB
    from tests.conftest import make_project, make_tiny_video_campaign
    from tests.web.conftest import render_quarter, serve

    project = make_project(tmp_path / "project")
    # One video, one language, one format: the shortest render that still has speech and captions.
    path = make_tiny_video_campaign(
        project, lambda d: d["deliverables"][0].update(formats=["youtube"], languages=["ky"])
    )
    out = tmp_path / "renders"
    render_quarter(path, out, tmp_path / "speech", keys_dir)
    ReviewDB(out).add_user("aida", "lead", PASSWORDS["aida"])
    for url in serve([path], out):
        site = Site(url, out, path, out / "tash-komur-2026" / "2026Q1", ReviewDB(out))
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, site, "aida")
        page.goto(f"{url}{Q}")
        tiles = page.locator("a.tile[href$='/youtube.mp4']")
        assert tiles.count() == 1
        tiles.first.click()
        page.wait_for_selector("video#media")
        state = page.evaluate(
            """async () => {
              const v = document.querySelector('video#media');
              v.muted = true;
              await v.play();
              const t0 = performance.now();
              while (v.currentTime < 0.5 && performance.now() - t0 < 10000) await new Promise(r => setTimeout(r, 50));
              const track = v.textTracks[0];
              const noCues = () => !track.cues || !track.cues.length;
              while (noCues() && performance.now() - t0 < 10000) await new Promise(r => setTimeout(r, 50));
              return {time: v.currentTime, error: v.error && v.error.code, width: v.videoWidth, mode: track.mode,
                      language: track.language, cues: track.cues ? track.cues.length : 0,
                      first: track.cues && track.cues.length ? track.cues[0].text : null};
            }"""
        )
        assert state["error"] is None and state["time"] >= 0.5 and state["width"] == 1920
        assert state["mode"] == "showing" and state["cues"] >= 1
        assert state["language"] == "ky"
        vtt = (site.quarter_dir / "tiny-video" / "ky" / "youtube.vtt").read_text(encoding="utf-8")
        assert state["first"] and state["first"] in vtt
        page.screenshot(path=str(tmp_path / "video.png"))


def test_a_render_that_ends_before_the_page_listens_still_shows_that_it_ended(site: Site, browser) -> None:  # type: ignore[no-untyped-def]
    """The page is served while a render runs (here: a `studio render` elsewhere holds the quarter);
    the render ends before the page's progress stream answers. The page must not spin for ever: it
    reloads and shows the quarter as it now is."""
    from contextlib import ExitStack

    from studio.batch.lock import quarter_lock

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, site, "aida")
    with ExitStack() as held:
        held.enter_context(quarter_lock(site.quarter_dir))

        def render_ends_first(route) -> None:  # type: ignore[no-untyped-def]
            held.close()  # the render elsewhere ends just before the stream's first answer
            route.continue_()

        page.route("**/events", render_ends_first)
        served = page.goto(site.url + Q)
        assert served is not None
        assert re.search(r'<div class="progress"\s*>', served.text())  # served as running, progress shown
        page.locator("#render .progress").wait_for(state="hidden", timeout=15_000)
    assert page.locator("#render .progress").is_hidden()
    context.close()
