"""A video deliverable's script in the editor: its scenes with the durations measured from real speech."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studio.review import ReviewDB
from tests.conftest import make_project, make_tiny_video_campaign
from tests.web.conftest import PASSWORDS, serve
from tests.web.web_helpers import csrf_of, login, raw_get


def test_script_scenes_and_measured_durations(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    path = make_tiny_video_campaign(project)
    out = tmp_path / "renders"
    ReviewDB(out).add_user("bakyt", "editor", PASSWORDS["bakyt"])
    for url in serve([path], out):
        client = login(url, "bakyt", PASSWORDS["bakyt"])
        editor = client.get("/edit/tash-komur-2026/tiny-video").text
        assert "/edit/tash-komur-2026/tiny-video/script" in editor
        page = client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "ky", "format": "story"})
        assert page.status_code == 200
        html = page.text
        assert "Башталыш (ЖИ эскертүүсү)" in html and "Көрүнүш 1" in html and "Аяктоо (QR-код)" in html
        assert "Мен пара бербейм." in html and "Бул видео жасалма интеллект менен түзүлгөн." in html
        # Kyrgyz and Russian side by side, each timed: the disclosure, the scene and the end card.
        ky, ru = html.split('data-lang="ru" data-base=')
        durations = [float(x) for x in re.findall(r'class="dur">([\d.]+) сек', ky)]
        assert len(durations) == 3 and all(d > 0.5 for d in durations)
        total = float(re.search(r'class="total">([\d.]+)', ky).group(1))  # type: ignore[union-attr]
        assert abs(total - sum(durations)) < 0.15
        assert "Я не даю взяток." in ru and len(re.findall(r'class="dur">', ru)) == 3
        # Spoken once, then from the speech cache beside the renders.
        assert any((out / ".cache" / "speech").rglob("*.wav"))
        russian = client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "ru"}).text
        assert "Я не даю взяток." in russian
        assert client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "xx"}).status_code == 404


@pytest.mark.slow
def test_a_playable_draft_on_demand(tmp_path: Path, keys_dir: Path) -> None:
    project = make_project(tmp_path / "project")
    path = make_tiny_video_campaign(project)
    out = tmp_path / "renders"
    ReviewDB(out).add_user("bakyt", "editor", PASSWORDS["bakyt"])
    for url in serve([path], out, keys_dir):
        client = login(url, "bakyt", PASSWORDS["bakyt"])
        script = "/edit/tash-komur-2026/tiny-video/script"
        page = client.get(script, params={"language": "ky", "format": "square"}).text
        assert "draft-video" not in page
        reply = client.post(
            "/edit/tash-komur-2026/tiny-video/draft",
            data={"csrf": csrf_of(page), "language": "ky", "format": "square"},
            timeout=300,
        )
        assert reply.status_code == 303
        page = client.get(reply.headers["location"]).text
        assert 'id="draft-video"' in page and "problem" not in reply.headers["location"]
        video = client.get("/edit/tash-komur-2026/tiny-video/draft/ky/square.draft.mp4")
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
        probe = tmp_path / "draft.mp4"
        probe.write_bytes(video.content)
        from studio.encode.probe import probe_mp4

        facts = probe_mp4(probe)
        assert facts.video is not None and facts.video.width <= 640 and facts.duration_s > 3
        vtt = client.get("/edit/tash-komur-2026/tiny-video/draft/ky/square.draft.vtt").text
        # The WebVTT carries each word's time (<00:00:05.167>) before it; the words read as written.
        assert vtt.startswith("WEBVTT") and "Мен пара бербейм." in re.sub(r"<[^>]+>", "", vtt)
        cookie = f"taza_session={client.cookies['taza_session']}"
        base = "/edit/tash-komur-2026/tiny-video/draft"
        for bad in ("ky/square.mp4", "%2E%2E/ky/square.draft.mp4", "..%2F..%2Ftiny-video/square.draft.mp4", "ky/.."):
            assert raw_get(url, f"{base}/{bad}", cookie)[0] == 404, bad
