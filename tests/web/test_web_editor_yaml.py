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
    narrator = load_campaign(path).voices["narrator"]
    edit = Edit(
        text={"ru": {"headline": "Вымогают взятку? Сообщите!", "body": "Отсканируйте QR-код — это анонимно."}},
        background={"gradient": ["primary", "dark"], "angle_deg": 120},
        # What the form sends: every field of the voice, one of them changed.
        voices={"narrator": {**narrator.model_dump(), "pitch": narrator.pitch + 10}},
    )
    voice_line = next(line for line in before.splitlines() if line.startswith("  narrator:"))
    old, new = save(path, "report-qr-social", edit, sha_of_text(before))
    assert old == before and path.read_text(encoding="utf-8") == new
    changed = [line for line in difflib.ndiff(before.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert changed == [
        f"- {voice_line}",
        f"+ {voice_line.replace('}}', f'}}, pitch: {narrator.pitch + 10}}}')}",
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
    assert campaign.voices["narrator"].pitch == narrator.pitch + 10


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


@pytest.mark.parametrize("design", ["event", "stat", "photo-hero", "typographic"])
def test_a_new_deliverable_starts_from_the_campaigns_example_of_its_design(project: Path, design: str) -> None:
    from studio.web.editor import NewDeliverable, add_deliverable

    path = project / "campaigns" / "tash-komur-2026.yaml"
    before = path.read_text(encoding="utf-8")
    new = NewDeliverable(f"new-{design}", "social", design, ["instagram-post"], {"ky": "Жаңы", "ru": "Новый"})
    old, text = add_deliverable(path, new, sha_of_text(before))
    assert old == before and text.startswith(before.rstrip("\n"))  # appended; nothing above it changed
    added = load_campaign(path).deliverable(f"new-{design}")
    assert added.design == design and added.formats == ("instagram-post",)
    assert (added.text["ky"].headline, added.text["ru"].headline) == ("Жаңы", "Новый")


def test_a_video_saved_with_its_voices_untouched_changes_only_the_headline(project: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    before = path.read_text(encoding="utf-8")
    campaign = load_campaign(path)
    voices = {
        name: {**spec.model_dump(), "voice": {lang: spec.voice.get(lang, "") for lang in campaign.languages}}
        for name, spec in campaign.voices.items()
    }  # exactly what the editor's form sends for each speaker
    edit = Edit(text={"ky": {"headline": "Пара деген эмне? Билип алыңыз"}}, voices=voices)
    _, new = save(path, "what-is-a-bribe-video", edit, sha_of_text(before))
    changed = [line for line in difflib.ndiff(before.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2 and "Пара деген эмне? Билип алыңыз" in changed[1], changed
