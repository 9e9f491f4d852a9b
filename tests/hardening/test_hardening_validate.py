"""What `studio validate` now catches before a render does: a voice without the script's language, a damaged
logo, text colours that cannot reach contrast, a logo that vanishes on its background, speakers that sound alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from studio.campaign import load_campaign
from studio.campaign.preflight import colour_under, measured_pitch_hz, preflight
from studio.layout.engine import PlaceImage
from studio.plan import Job
from studio.stills.render import layout_job
from tests.cli_helpers import run_studio
from tests.conftest import SAMPLE


@pytest.fixture
def validate(capsys, monkeypatch, project: Path) -> Callable[[Path], Any]:
    def run(path: Path) -> Any:
        monkeypatch.chdir(project)
        return run_studio(capsys, monkeypatch, "validate", str(path.relative_to(project)))

    return run


def _error(result: Any) -> str:
    assert result.code == 1, (result.out, result.err)
    [line] = [x for x in result.err.splitlines() if x.startswith("error:")]
    assert "Traceback" not in result.err
    return line


def test_sample_campaign_passes_every_validate_check() -> None:
    checked = preflight(load_campaign(SAMPLE))
    assert checked.problems == []


def test_kyrgyz_line_for_a_voice_that_cannot_speak_kyrgyz_is_caught_at_validate(write_campaign, validate) -> None:
    def gtts_official(d: dict) -> None:
        d["voices"]["official"] = {"engine": "gtts"}
        d["voice_fallback"] = False

    line = _error(validate(write_campaign(gtts_official)))
    assert "voices.official.engine" in line and "what-is-a-bribe.ky.j2" in line
    assert 'speaker "official" has a gtts voice, which cannot speak Kyrgyz, and voice_fallback is off' in line


def test_kyrgyz_line_for_gtts_with_fallback_is_a_note_not_an_error(write_campaign, validate) -> None:
    def gtts_official(d: dict) -> None:
        d["voices"]["official"] = {"engine": "gtts"}
        d["voice_fallback"] = True

    result = validate(write_campaign(gtts_official))
    assert result.code == 0, result.err
    assert "gtts has no Kyrgyz" in result.err and "will speak with espeak" in result.err


def test_truncated_logo_is_caught_at_validate(project: Path, write_campaign, validate) -> None:
    logo = project / "assets" / "logo" / "taza-tash-komur.png"
    data = logo.read_bytes()
    logo.write_bytes(data[: len(data) * 2 // 3])  # a download cut short: the header still opens
    with Image.open(logo) as im:
        assert im.size[0] > 0
    line = _error(validate(write_campaign()))
    assert "brand.logo" in line and "is damaged or cut short" in line


def test_text_colours_that_cannot_reach_contrast_are_caught_at_validate(write_campaign, validate) -> None:
    def greys(d: dict) -> None:
        d["brand"]["colors"] = {"primary": "#777777", "dark": "#6E6E6E", "accent": "#808080", "light": "#858585"}

    line = _error(validate(write_campaign(greys)))
    assert "deliverables[" in line and "contrast" in line


def test_logo_that_disappears_on_the_brand_background_is_caught_at_validate(
    project: Path, write_campaign, validate
) -> None:
    campaign = load_campaign(SAMPLE)
    d = campaign.deliverables[3]
    layout = layout_job(campaign, Job(d.due_quarters[0], d.id, "ky", d.formats[0], d.kind))
    logo_item = next(i for i in layout.items if isinstance(i, PlaceImage) and i.path == campaign.brand.logo)
    n = layout.items.index(logo_item)
    # The colour the logo sits on, read from the layout as the renderer will paint it.
    under = colour_under(layout.items[:n], logo_item.box)
    assert under is not None
    # A logo drawn in (almost) that very colour: invisible there.
    ghost = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    ghost.paste((*under, 255), (10, 10, 390, 110))
    ghost.save(project / "assets" / "logo" / "ghost.png")
    path = write_campaign(lambda data: data["brand"].update(logo="assets/logo/ghost.png"))
    line = _error(validate(path))
    assert "brand.logo" in line and "ghost.png disappears on" in line and "0% of it stands out" in line


def test_speakers_that_sound_alike_are_caught_at_validate(write_campaign, validate) -> None:
    def same_voice(d: dict) -> None:
        # Different variant and pitch numbers, one audible voice: the review's 90 Hz narrator and official.
        d["voices"]["narrator"] = {"engine": "espeak", "variant": "m1", "rate_wpm": 150, "pitch": 48}
        d["voices"]["official"] = {"engine": "espeak", "variant": "m3", "rate_wpm": 150, "pitch": 30}

    line = _error(validate(write_campaign(same_voice)))
    assert "voices.official" in line and 'speakers "narrator"' in line and '"official"' in line
    assert "would sound like one person" in line and "Hz" in line


def test_sample_speakers_are_measurably_apart() -> None:
    voices = load_campaign(SAMPLE).voices
    for lang in ("ky", "ru"):
        pitches = {name: measured_pitch_hz(v, lang) for name, v in voices.items()}
        assert all(pitches.values()), pitches
        ordered = sorted(pitches.values())
        assert all(b / a >= 1.12 for a, b in zip(ordered, ordered[1:], strict=False)), pitches


def test_script_with_lookalike_letters_is_corrected_and_noted_at_validate(
    project: Path, write_campaign, validate
) -> None:
    script = project / "templates" / "scripts" / "what-is-a-bribe.ky.j2"
    script.write_text(script.read_text(encoding="utf-8").replace("ң", "ҥ", 1), encoding="utf-8")
    result = validate(write_campaign())
    assert result.code == 0, result.err
    assert "what-is-a-bribe.ky.j2: look-alike letters corrected" in result.err


def test_a_template_error_is_caught_at_validate(project: Path, write_campaign, validate) -> None:
    script = project / "templates" / "scripts" / "what-is-a-bribe.ru.j2"
    script.write_text("{{ no_such_thing }}\n", encoding="utf-8")
    line = _error(validate(write_campaign()))
    assert "what-is-a-bribe.ru.j2:1: undefined variable" in line
