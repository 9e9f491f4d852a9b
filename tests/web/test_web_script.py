"""A video deliverable's script in the editor: its scenes with the durations measured from real speech."""

from __future__ import annotations

import re
from pathlib import Path

from studio.review import ReviewDB
from tests.conftest import make_project, make_tiny_video_campaign
from tests.web.conftest import PASSWORDS, serve
from tests.web.web_helpers import login


def test_script_scenes_and_measured_durations(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    path = make_tiny_video_campaign(project)
    out = tmp_path / "renders"
    ReviewDB(out).add_user("bakyt", "editor", PASSWORDS["bakyt"])
    for url in serve([path], out):
        client = login(url, "bakyt", PASSWORDS["bakyt"])
        editor = client.get("/edit/tash-komur-2026/tiny-video").text
        assert "/edit/tash-komur-2026/tiny-video/script?language=ru" in editor
        page = client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "ky", "format": "story"})
        assert page.status_code == 200
        html = page.text
        assert "Башталыш (ЖИ эскертүүсү)" in html and "Көрүнүш 1" in html and "Аяктоо (QR-код)" in html
        assert "Мен пара бербейм." in html and "Бул видео жасалма интеллект менен түзүлгөн." in html
        durations = [float(x) for x in re.findall(r'class="dur">([\d.]+) сек', html)]
        assert len(durations) == 3 and all(d > 0.5 for d in durations)
        total = float(re.search(r'id="total">([\d.]+)', html).group(1))  # type: ignore[union-attr]
        assert abs(total - sum(durations)) < 0.15
        # Spoken once, then from the speech cache beside the renders.
        assert any((out / ".cache" / "speech").rglob("*.wav"))
        russian = client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "ru"}).text
        assert "Я не даю взяток." in russian
        assert client.get("/edit/tash-komur-2026/tiny-video/script", params={"language": "xx"}).status_code == 404
