"""Editing a video's script in the browser (Chromium via Playwright): timed as typed, saved line for line,
problems at their line, revisions restored, and scenes listened to as real, decodable audio."""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.review import ReviewDB
from tests.conftest import make_project, make_tiny_video_campaign
from tests.web.conftest import PASSWORDS, serve
from tests.web.test_web_editor import until
from tests.web.web_helpers import data_attr, sign_in

SCRIPT = "/edit/tash-komur-2026/tiny-video/script"
#: Two scenes, so one line can change while the rest stays.
KY = (
    "title: Кыска\n"
    "scenes:\n"
    "  - title: Пара — кылмыш\n"
    "    narration: Мен пара бербейм.\n"
    "  - title: Кабарлаңыз\n"
    "    narration: QR-кодду сканерлеңиз.\n"
)


@pytest.fixture(scope="module")
def video_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("script-editor")
    project = make_project(root / "project")
    path = make_tiny_video_campaign(project)
    (project / "templates" / "scripts" / "tiny.ky.j2").write_text(KY, encoding="utf-8")
    out = root / "renders"
    ReviewDB(out).add_user("bakyt", "editor", PASSWORDS["bakyt"])
    for url in serve([path], out):
        yield url, project


def open_script(browser: Any, url: str, tmp: Path) -> Any:
    page = browser.new_context(viewport={"width": 1500, "height": 1100}).new_page()
    sign_in(page, url, "bakyt", PASSWORDS["bakyt"])
    page.goto(url + SCRIPT)
    return page


def durations(page: Any, lang: str) -> list[float]:
    cells = page.locator(f".script-col[data-lang={lang}] .script-table tbody td.dur").all_inner_texts()
    return [float(c.split()[0]) for c in cells]


def checked(page: Any, lang: str) -> int:
    return int(page.evaluate(f"Number(document.querySelector('.script-col[data-lang={lang}]').dataset.checked || 0)"))


def decode(data: bytes, tmp: Path) -> np.ndarray:
    """The real ffmpeg decodes the bytes to 16 kHz mono PCM (it fails on anything that is not audio)."""
    import imageio_ffmpeg

    source = tmp / "listen.bin"
    source.write_bytes(data)
    pcm = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(source),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768


def test_edit_a_script_line_save_and_restore(video_site: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    url, project = video_site
    file = project / "templates" / "scripts" / "tiny.ky.j2"
    original = file.read_text(encoding="utf-8")
    page = open_script(browser, url, tmp_path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Both languages side by side, each with its scenes timed from real speech.
    assert page.locator(".script-col").count() == 2
    assert page.input_value("textarea[name='script.ky']") == original
    before = durations(page, "ky")
    assert len(before) == 4 and all(d > 0.3 for d in before)  # disclosure, two scenes, the QR end card
    assert page.locator(".script-col[data-lang=ky] .gutter span").count() == original.count("\n") + 1

    # Edit one line: the scene's measured duration grows as the new words are spoken.
    longer = original.replace(
        "narration: Мен пара бербейм.",
        "narration: Мен пара бербейм, анткени бул мыйзамсыз жана уят иш, аны ар дайым кабарлайм.",
    )
    page.fill("textarea[name='script.ky']", longer)
    until(page, "Number(document.querySelector('.script-col[data-lang=ky]').dataset.checked || 0) >= 1", 60)
    after = durations(page, "ky")
    assert after[1] > before[1] + 1.0 and abs(after[2] - before[2]) < 0.2, (before, after)
    page.screenshot(path=str(tmp_path / "script-ky.png"), full_page=True)

    page.click("#save-script")
    until(page, "document.querySelector('#script-status').classList.contains('ok')")
    assert page.inner_text("#script-status") == "Сценарий сакталды."
    saved = file.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines()) if line[:1] in "+-"]
    assert changed == ["-     narration: Мен пара бербейм.", "+ " + longer.splitlines()[3]], changed
    assert saved == longer

    # A broken line: the error is at that line, in Kyrgyz; a save writes nothing.
    broken = longer.replace("  - title: Кабарлаңыз\n    narration:", "  - title: Кабарлаңыз\n    narate:")
    seen = checked(page, "ky")
    page.fill("textarea[name='script.ky']", broken)
    until(page, f"Number(document.querySelector('.script-col[data-lang=ky]').dataset.checked || 0) > {seen}", 60)
    problem = page.inner_text(".script-col[data-lang=ky] .script-problem")
    assert problem == "5-сап: белгисиз талаа «narate».", problem
    assert page.inner_text(".script-col[data-lang=ky] .gutter .bad") == "5"
    assert "scene 2" in page.inner_text(".script-col[data-lang=ky] .detail")
    page.screenshot(path=str(tmp_path / "script-error-ky.png"), full_page=True)
    page.click("#save-script")
    until(page, "document.querySelector('#script-status').classList.contains('bad')")
    assert file.read_text(encoding="utf-8") == saved

    # Markup typed into a script is shown as text, never run.
    seen = checked(page, "ky")
    page.fill("textarea[name='script.ky']", saved.replace("Пара — кылмыш", "<img src=x onerror=alert(1)><b>Пара</b>"))
    until(page, f"Number(document.querySelector('.script-col[data-lang=ky]').dataset.checked || 0) > {seen}", 60)
    assert "<b>Пара</b>" in page.inner_text(".script-col[data-lang=ky] .script-table tbody")
    assert page.locator(".script-table img").count() == 0 and not dialogs

    # Someone edits the file meanwhile: a save from the open page is a conflict, and both texts survive.
    file.write_text(saved + "# changed by hand\n", encoding="utf-8")
    page.click("#save-script")
    until(page, "document.querySelector('#script-status').classList.contains('conflict')")
    assert "башка бирөө өзгөрттү" in page.inner_text("#script-status")
    assert file.read_text(encoding="utf-8") == saved + "# changed by hand\n"
    assert "<b>Пара</b>" in page.input_value("textarea[name='script.ky']")  # the person's edit is still there
    file.write_text(saved, encoding="utf-8")

    # The revisions of the script: restore the one from before the save.
    page.click(".script-col[data-lang=ky] a[href*='revisions']")
    page.wait_for_url("**/revisions?file=scripts/tiny.ky.j2")
    items = page.locator(".revisions li")
    assert items.count() == 2
    items.nth(1).locator("a").click()
    assert "Мен пара бербейм." in page.inner_text("#diff")
    page.locator(".revisions li").nth(1).locator("button").click()
    page.wait_for_url("**/revisions?file=scripts/tiny.ky.j2")
    assert file.read_text(encoding="utf-8") == original
    assert not dialogs


def test_listen_to_a_scene_and_the_narration(video_site: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    url, _ = video_site
    page = open_script(browser, url, tmp_path)
    player = ".script-col[data-lang=ru] audio.listen-audio"
    page.click(".script-col[data-lang=ru] button.listen[data-scene='1']")
    until(page, f"document.querySelector('{player}').src.endsWith('.ogg')", 60)
    until(page, f"document.querySelector('{player}').readyState >= 1", 20)
    assert page.evaluate(f"document.querySelector('{player}').duration") > 0.5  # Chromium decoded it
    reply = page.request.get(str(page.evaluate(f"document.querySelector('{player}').src")))
    assert reply.status == 200 and reply.headers["content-type"] == "audio/ogg"
    scene = decode(reply.body(), tmp_path)
    assert 0.8 < len(scene) / 16000 < 8 and float(np.sqrt(np.mean(scene**2))) > 0.01  # speech, not silence

    # The whole narration, as the video plan places it: the disclosure, both scenes, the end card.
    page.click(".script-col[data-lang=ru] button.listen-all")
    until(page, f"document.querySelector('{player}').dataset.scene === 'all'", 90)
    whole = decode(page.request.get(str(page.evaluate(f"document.querySelector('{player}').src"))).body(), tmp_path)
    assert len(whole) > 2 * len(scene)
    total = float(page.inner_text(".script-col[data-lang=ru] .total").split()[0])
    assert abs(len(whole) / 16000 - total) < 0.5, (len(whole) / 16000, total)


def test_a_broken_script_is_refused_by_the_server_too(video_site: tuple[str, Path]) -> None:
    from tests.web.web_helpers import login

    url, project = video_site
    file = project / "templates" / "scripts" / "tiny.ru.j2"
    before = file.read_text(encoding="utf-8")
    client = login(url, "bakyt", PASSWORDS["bakyt"])
    html = client.get(SCRIPT).text
    csrf, base = data_attr(html, "csrf"), data_attr(html, "base", after='data-lang="ru" ')
    headers = {"x-csrf-token": csrf}
    bad = before + "  - title: {{ nowhere }}\n    narration: x\n"
    reply = client.post(f"{SCRIPT}/save", json={"texts": {"ru": bad}, "bases": {"ru": base}}, headers=headers)
    assert reply.status_code == 422
    problem = reply.json()["problems"][0]
    assert problem["line"] == before.count("\n") + 1 and "nowhere" in problem["message"]
    huge = {"texts": {"ru": "title: x\n" + "#" * 3_000_000}, "bases": {"ru": base}}
    assert client.post(f"{SCRIPT}/save", json=huge, headers=headers).status_code == 422
    stale = client.post(f"{SCRIPT}/save", json={"texts": {"ru": before}, "bases": {"ru": "0" * 64}}, headers=headers)
    assert stale.status_code == 409 and stale.json()["conflict"]
    assert client.post(f"{SCRIPT}/save", json={"texts": {"ru": bad}, "bases": {"ru": base}}).status_code == 403
    assert file.read_text(encoding="utf-8") == before


def test_an_audio_spot_is_heard_as_its_programme(tmp_path: Path, browser: Any) -> None:
    """A radio spot's script page: scenes timed by its programme; "listen to all" plays the 15-second spot."""
    from tests.audio.test_audio_render import audio_campaign

    project = make_project(tmp_path / "project")
    path = audio_campaign(project)
    out = tmp_path / "renders"
    ReviewDB(out).add_user("bakyt", "editor", PASSWORDS["bakyt"])
    for url in serve([path], out):
        page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
        sign_in(page, url, "bakyt", PASSWORDS["bakyt"])
        page.goto(url + "/edit/tash-komur-2026/tiny-audio")
        page.click("a[href$='/tiny-audio/script']")
        assert page.input_value("#script-format") == "radio-spot-15"
        assert len(durations(page, "ky")) >= 2  # the disclosure and the scenes
        # Timed as the render fits the slot: after the 0.3 s lead-in, the parts fill the 15 seconds.
        assert abs(float(page.inner_text(".script-col[data-lang=ky] .total").split()[0]) + 0.3 - 15) < 0.11
        player = ".script-col[data-lang=ky] audio.listen-audio"
        page.click(".script-col[data-lang=ky] button.listen-all")
        until(page, f"document.querySelector('{player}').dataset.scene === 'all'", 120)
        until(page, f"document.querySelector('{player}').readyState >= 1", 20)
        assert abs(page.evaluate(f"document.querySelector('{player}').duration") - 15) < 0.2
        spot = decode(page.request.get(str(page.evaluate(f"document.querySelector('{player}').src"))).body(), tmp_path)
        assert abs(len(spot) / 16000 - 15) < 0.1 and float(np.sqrt(np.mean(spot**2))) > 0.01
        page.screenshot(path=str(tmp_path / "audio-script.png"), full_page=True)
