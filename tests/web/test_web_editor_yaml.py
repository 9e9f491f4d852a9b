"""Saving from the editor into the sample campaign file: only the edited values change, comments stay."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from studio.campaign import load_campaign
from studio.errors import StudioError
from studio.web.editor import ConflictError, Edit, save, sha_of_text


def test_edits_touch_only_their_lines_in_the_commented_sample(project: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    before = path.read_text(encoding="utf-8")
    edit = Edit(
        text={"ru": {"headline": "Вымогают взятку? Сообщите!", "body": "Отсканируйте QR-код — это анонимно."}},
        background={"gradient": ["primary", "dark"], "angle_deg": 120},
        voices={"narrator": {"engine": "espeak", "variant": "m1", "rate_wpm": 160, "pitch": 48}},
    )
    old, new = save(path, "report-qr-social", edit, sha_of_text(before))
    assert old == before and path.read_text(encoding="utf-8") == new
    changed = [line for line in difflib.ndiff(before.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "-   narrator: {engine: espeak, variant: m1, rate_wpm: 150, pitch: 48}",
        "+   narrator: {engine: espeak, variant: m1, rate_wpm: 160, pitch: 48}",
        "-     background: {color: dark}",
        "+     background: {gradient: [primary, dark], angle_deg: 120}",
        "-         headline: У вас вымогают взятку? Сообщите за минуту",
        "+         headline: Вымогают взятку? Сообщите!",
        "-         body: Отсканируйте QR-код — обращение останется конфиденциальным.",
        "+         body: Отсканируйте QR-код — это анонимно.",
    ], changed
    assert sum(line.lstrip().startswith("#") for line in new.splitlines()) == sum(
        line.lstrip().startswith("#") for line in before.splitlines()
    )
    campaign = load_campaign(path)
    assert campaign.deliverable("report-qr-social").text["ru"].headline == "Вымогают взятку? Сообщите!"
    assert campaign.voices["narrator"].rate_wpm == 160


def test_a_stale_or_invalid_save_writes_nothing(project: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    before = path.read_text(encoding="utf-8")
    with pytest.raises(ConflictError, match="changed on disk since the editor opened it"):
        save(path, "report-qr-social", Edit(text={"ky": {"headline": "x"}}), sha_of_text(before + "# edited\n"))
    with pytest.raises(StudioError, match=r"tash-komur-2026\.yaml:\d+: voices\.narrator\.rate_wpm"):
        save(path, "report-qr-social", Edit(voices={"narrator": {"rate_wpm": 9000}}), sha_of_text(before))
    with pytest.raises(StudioError, match='unknown design|design "no-such"'):
        save(path, "report-qr-social", Edit(design="no-such"), sha_of_text(before))
    assert path.read_text(encoding="utf-8") == before
    assert not list(path.parent.glob(".*"))  # no trial copy left behind
