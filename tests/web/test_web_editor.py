"""Editing a deliverable in the browser (Chromium via Playwright): live preview, field errors, save, restore."""

from __future__ import annotations

import difflib
import time
from pathlib import Path
from typing import Any

import httpx

from tests.web.conftest import PASSWORDS, Site
from tests.web.web_helpers import data_attr, login, sign_in

EDIT = "/edit/tash-komur-2026/report-qr-social"


def until(page: Any, js: str, timeout: float = 15.0) -> Any:
    """Poll ``js`` in the page (page.evaluate is not subject to the page's CSP, unlike wait_for_function)."""
    end = time.monotonic() + timeout
    while not (value := page.evaluate(js)):
        assert time.monotonic() < end, f"timed out waiting for: {js}"
        time.sleep(0.03)
    return value


def log_in(page: Any, site: Site, name: str) -> None:
    sign_in(page, site.url, name, PASSWORDS[name])


PREVIEWED = "Number(document.querySelector('#editor').dataset.previewed || 0)"
PROBLEM = "document.querySelector(\".problem[data-for='text.ky.headline']\").textContent"


def story_src(page: Any) -> str:
    return str(page.get_attribute(".previews figure[data-format=story] img", "src"))


def test_edit_preview_save_and_restore(site: Site, browser: Any, tmp_path: Path) -> None:
    original = site.campaign.read_text(encoding="utf-8")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, site, "bakyt")
    page.goto(site.url + EDIT)
    first = until(page, PREVIEWED)
    assert page.locator(".previews figure").count() == 2  # story and facebook-link, the selected formats
    before = story_src(page)
    assert before.startswith("data:image/jpeg;base64,")

    # Typing a headline changes the preview.
    page.fill("textarea[name='text.ky.headline']", "Пара сурашса — дароо кабарлаңыз!")
    second = until(page, f"{PREVIEWED} > {first} && {PREVIEWED}")
    assert story_src(page) != before and page.evaluate(PROBLEM) == ""

    # A headline that cannot fit: the error appears at the field, in the reader's language, and clears.
    page.fill("textarea[name='text.ky.headline']", "Пара " * 200)
    until(page, f"{PREVIEWED} > {second} && {PROBLEM}.length > 0")
    assert page.evaluate(PROBLEM) == "Текст кутучага батпай жатат: кыскартыңыз."
    assert "invalid" in str(page.get_attribute("textarea[name='text.ky.headline']", "class"))
    page.fill("textarea[name='text.ky.headline']", "Пара сурашса — дароо <b>кабарлаңыз</b>! <script>alert(1)</script>")
    until(page, f"{PROBLEM} === '' && !document.querySelector('.previews figure.failed')")
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)

    # Save: only the edited line of the YAML changes; the markup is kept as text, never run.
    page.click("#save")
    until(page, "document.querySelector('#save-status').textContent === 'Сакталды.'")
    saved = site.campaign.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2, changed
    assert changed[1][2:].strip().startswith("headline:") and "<script>alert(1)</script>" in changed[1]
    assert not dialogs
    page.goto(site.url + "/")  # the home page lists the new headline, escaped
    assert "&lt;script&gt;" in page.content() and not dialogs

    # Someone else edits the file: a save from the open editor is a clear conflict, not a lost edit.
    page.goto(site.url + EDIT)
    until(page, PREVIEWED)
    site.campaign.write_text(saved + "# a note added by hand\n", encoding="utf-8")
    page.fill("textarea[name='text.ru.headline']", "Вымогают взятку? Сообщите!")
    page.click("#save")
    until(page, "document.querySelector('#save-status').classList.contains('conflict')")
    assert "башка бирөө өзгөрттү" in page.inner_text("#save-status")
    assert site.campaign.read_text(encoding="utf-8") == saved + "# a note added by hand\n"

    # Every save is a revision: compare one and restore the file as it first was.
    page.goto(f"{site.url}/edit/tash-komur-2026/revisions")
    items = page.locator(".revisions li")
    assert items.count() == 2  # the file before the save, and the saved text
    oldest = items.nth(1)
    oldest.locator("a").click()
    assert "<script>alert(1)</script>" in page.inner_text("#diff")
    page.locator(".revisions li").nth(1).locator("button").click()
    page.wait_for_url(f"{site.url}/edit/tash-komur-2026/revisions")
    assert site.campaign.read_text(encoding="utf-8") == original
    assert not dialogs


def test_an_invalid_edit_is_not_saved_and_names_the_field(site: Site) -> None:
    client = login(site.url, "aida", PASSWORDS["aida"])
    page = client.get(EDIT).text
    csrf, base = data_attr(page, "csrf"), data_attr(page, "base")
    before = site.campaign.read_text(encoding="utf-8")
    headers = {"x-csrf-token": csrf}
    bad = {"hashtags": ["no-hash sign"], "text": {"ky": {"headline": "Жакшы"}}}
    reply = client.post(f"{EDIT}/save", json={"edit": bad, "base": base}, headers=headers)
    assert reply.status_code == 422 and reply.json()["problems"][0]["field"] == "hashtags"
    long = {"text": {"ky": {"headline": "А" * 10_000}}}
    reply = client.post(f"{EDIT}/save", json={"edit": long, "base": base}, headers=headers)
    assert reply.status_code == 422 and reply.json()["problems"][0]["field"] == "text.ky.headline"
    assert "10000" in reply.json()["problems"][0]["message"]
    preview = client.post(f"{EDIT}/preview", json={"edit": long, "format": "story", "language": "ky"}, headers=headers)
    assert preview.json()["image"] is None and preview.json()["problems"][0]["field"] == "text.ky.headline"
    unknown = client.post(f"{EDIT}/save", json={"edit": {"design": "no-such-design"}, "base": base}, headers=headers)
    assert unknown.status_code == 422 and "no-such-design" in unknown.json()["problems"][0]["detail"]
    assert client.post(f"{EDIT}/save", json={"edit": {}, "base": base}).status_code == 403  # no CSRF header
    assert site.campaign.read_text(encoding="utf-8") == before


def test_a_viewer_cannot_edit(site: Site) -> None:
    viewer = login(site.url, "chynara", PASSWORDS["chynara"])
    assert viewer.get(EDIT).status_code == 403
    assert viewer.post(f"{EDIT}/save", json={}, headers={"x-csrf-token": "x"}).status_code == 403
    assert httpx.get(site.url + EDIT).status_code == 303


def test_a_new_deliverable_from_the_design_gallery(site: Site, browser: Any, tmp_path: Path) -> None:
    from studio.campaign import load_campaign

    original = site.campaign.read_text(encoding="utf-8")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, site, "aida")
    page.goto(f"{site.url}/edit/tash-komur-2026/new")
    from studio.web.editor import served_formats, still_designs

    root = site.campaign.parent.parent
    designs = still_designs(root)
    assert "hashtag-poster" in designs and "explainer-scene" not in designs
    expected = sum(len(f) for d in designs for f in served_formats(root, d).values())
    assert page.locator(".sample img").count() == expected
    # The campaign has hashtag-poster deliverables: that design is pictured in each of its ten formats.
    poster = "img[src*='/gallery/hashtag-poster/']"
    assert page.locator(poster).count() == 10
    for i in range(10):
        page.locator(poster).nth(i).scroll_into_view_if_needed()
    until(page, f'[...document.querySelectorAll("{poster}")].every(i => i.complete && i.naturalWidth > 0)', 60)
    page.screenshot(path=str(tmp_path / "gallery.png"), full_page=True)

    # An id that exists already: refused with the reason, nothing written.
    page.fill("input[name=id]", "report-qr-social")
    page.fill("input[name='headline.ky']", "Жаңы постер")
    page.fill("input[name='headline.ru']", "Новый плакат")
    page.check("input[name=formats][value=a4][data-kind='hashtag-poster|banner']")
    page.click("button[type=submit]")
    assert "already exists" in page.inner_text(".alert")
    assert site.campaign.read_text(encoding="utf-8") == original

    page.fill("input[name=id]", "new-poster")
    page.fill("input[name='headline.ky']", "Жаңы постер")
    page.fill("input[name='headline.ru']", "Новый плакат")
    page.check("input[name=formats][value=a4][data-kind='hashtag-poster|banner']")
    page.check("input[name=formats][value=a3][data-kind='hashtag-poster|banner']")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/edit/tash-komur-2026/new-poster")
    until(page, PREVIEWED)
    assert page.locator(".previews figure img").count() == 2
    saved = site.campaign.read_text(encoding="utf-8")
    assert saved.startswith(original.rstrip("\n"))  # appended: nothing before it changed
    campaign = load_campaign(site.campaign)
    added = campaign.deliverable("new-poster")
    assert added.kind == "banner" and added.formats == ("a4", "a3") and added.text["ru"].headline == "Новый плакат"
    site.campaign.write_text(original, encoding="utf-8")


def test_background_edit_changes_only_its_line(site: Site) -> None:
    client = login(site.url, "bakyt", PASSWORDS["bakyt"])
    page = client.get(EDIT).text
    assert 'name="bg_kind" value="color" checked' in page
    csrf, base = data_attr(page, "csrf"), data_attr(page, "base")
    before = site.campaign.read_text(encoding="utf-8")
    edit = {"background": {"gradient": ["primary", "dark"], "angle_deg": "120"}}
    shown = client.post(
        f"{EDIT}/preview", json={"edit": edit, "format": "story", "language": "ru"}, headers={"x-csrf-token": csrf}
    ).json()
    assert shown["image"] and not shown["problems"]
    reply = client.post(f"{EDIT}/save", json={"edit": edit, "base": base}, headers={"x-csrf-token": csrf})
    assert reply.json()["saved"] is True
    after = site.campaign.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    # The colour line out, the gradient in (in the block style this file is written in); nothing else.
    assert changed == [
        "-     color: dark",
        "+     gradient:",
        "+     - primary",
        "+     - dark",
        "+     angle_deg: 120",
    ], changed
    site.campaign.write_text(before, encoding="utf-8")


def test_an_image_background_from_the_projects_assets(site: Site, browser: Any, tmp_path: Path) -> None:
    """Pick a photo as the background: the preview changes; an image too small for a format is refused at the
    field, in the reader's language; a save writes that one line."""
    original = site.campaign.read_text(encoding="utf-8")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(page, site, "bakyt")
    page.goto(site.url + "/lang?to=ru&next=" + EDIT)
    first = until(page, PREVIEWED)
    before = story_src(page)
    options = page.locator("select[name=bg_image] option").all_inner_texts()
    assert "assets/photos/town-square.jpg" in options and "assets/pictures/service-counter.png" in options
    assert not [o for o in options if "characters/" in o or "icons/" in o or "-front" in o]

    page.check("input[name=bg_kind][value=image]")
    page.select_option("select[name=bg_image]", "assets/photos/town-square.jpg")
    second = until(page, f"{PREVIEWED} > {first} && !document.querySelector('.previews figure.busy') && {PREVIEWED}")
    assert story_src(page) != before
    assert page.inner_text(".problem[data-for=background]") == ""
    page.screenshot(path=str(tmp_path / "editor-image-ru.png"), full_page=True)
    photo = story_src(page)

    # 1200×750 px cannot cover a 1080×1920 story without blurring: refused at the background field.
    page.select_option("select[name=bg_image]", "assets/pictures/service-counter.png")
    until(page, f"{PREVIEWED} > {second} && document.querySelector('.problem[data-for=background]').textContent")
    problem = page.inner_text(".problem[data-for=background]")
    assert problem.startswith("Изображение слишком мало для этого формата:") and "story ≥ " in problem, problem
    assert page.locator(".previews figure.failed").count() >= 1

    page.select_option("select[name=bg_image]", "assets/photos/town-square.jpg")
    until(page, f"document.querySelector('.problem[data-for=background]').textContent === '' && {PREVIEWED}")
    assert story_src(page) == photo
    page.click("#save")
    until(page, "document.querySelector('#save-status').classList.contains('ok')")
    saved = site.campaign.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines()) if line[:1] in "+-"]
    assert changed == ["-     color: dark", "+     image: assets/photos/town-square.jpg"], changed
    site.campaign.write_text(original, encoding="utf-8")


def test_a_missing_or_small_background_image_is_named_at_its_field(site: Site) -> None:
    client = login(site.url, "bakyt", PASSWORDS["bakyt"])
    page = client.get(EDIT).text
    csrf, base = data_attr(page, "csrf"), data_attr(page, "base")
    before = site.campaign.read_text(encoding="utf-8")
    headers = {"x-csrf-token": csrf}
    for image, words in (
        ("assets/photos/no-such.jpg", "Мындай сүрөт жок: assets/photos/no-such.jpg."),
        ("assets/pictures/service-counter.png", "Сүрөт бул формат үчүн өтө кичине: "),
    ):
        edit = {"background": {"image": image}}
        shown = client.post(
            f"{EDIT}/preview", json={"edit": edit, "format": "facebook-link", "language": "ky"}, headers=headers
        )
        assert shown.json()["image"] is None
        problem = shown.json()["problems"][0]
        assert problem["field"] == "background" and problem["message"].startswith(words), problem
        saved = client.post(f"{EDIT}/save", json={"edit": edit, "base": base}, headers=headers)
        assert saved.status_code == 422 and saved.json()["problems"][0]["field"] == "background"
        assert "background.image" in saved.json()["problems"][0]["detail"]
    assert site.campaign.read_text(encoding="utf-8") == before
