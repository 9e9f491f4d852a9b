"""Script templates (sandboxed Jinja2 → scenes) and the timeline built from measured speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.campaign import load_campaign
from studio.errors import SpecError
from studio.fonts import PillowMeasure
from studio.video.script import load_script, parse_script, render_template
from studio.video.timeline import CaptionStyle, Pacing, SpokenLine, build_timeline, to_srt, to_webvtt
from tests.conftest import REPO, SAMPLE

BOLD = REPO / "assets" / "fonts" / "NotoSans-Bold.ttf"
STYLE = CaptionStyle(BOLD, 40, 1000)
CONTEXT = {"lang": "ky", "hashtags": ["#ТазаКыргызстан"], "reporting": {"phone": "+996 000 00 00 00"}}


def template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.ky.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_undefined_variable_names_it_and_the_line(tmp_path: Path) -> None:
    path = template(tmp_path, "title: x\nscenes:\n  - narration: >\n      Чалыңыз {{ reporting.fax }}.\n")
    with pytest.raises(SpecError, match=r"t.ky.j2:4: undefined variable: .*'fax'"):
        render_template(path, CONTEXT, "t.ky.j2")


def test_template_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = template(tmp_path, "title: x\nscenes:\n  - narration: {{ hashtags[0] ) }}\n")
    with pytest.raises(SpecError, match=r"t.ky.j2:3: template syntax error"):
        render_template(path, CONTEXT, "t.ky.j2")


def test_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    path = template(tmp_path, "title: {{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(SpecError, match=r"t.ky.j2:1: not allowed in a script template"):
        render_template(path, CONTEXT, "t.ky.j2")


def test_empty_scene_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="x.j2: scene 2: empty scene: it has no narration"):
        parse_script("title: t\nscenes:\n  - narration: Бир.\n  - title: Эки\n", "x", "ky", tmp_path, "x.j2")


def test_missing_image_is_an_error(tmp_path: Path) -> None:
    text = "title: t\nscenes:\n  - narration: Бир.\n    image: assets/nope.png\n"
    with pytest.raises(SpecError, match='scene 1: image "assets/nope.png" not found'):
        parse_script(text, "x", "ky", tmp_path, "x.j2")


@pytest.mark.parametrize("name", ["what-is-a-bribe", "how-to-report", "conflict-of-interest", "fake-call"])
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_shipped_scripts_render_with_the_sample_campaign(name: str, lang: str) -> None:
    from studio.video.explainer import script_context

    campaign = load_campaign(SAMPLE)
    deliverable = next(d for d in campaign.deliverables if d.script == name)
    script = load_script(campaign.root, name, lang, script_context(campaign, deliverable, lang, "2026Q1"), name)
    assert len(script.scenes) >= 4
    assert all(u.text for scene in script.scenes for u in scene.utterances)
    said = " ".join(u.text for scene in script.scenes for u in scene.utterances)
    assert "+996" in said or "QR" in said or name == "conflict-of-interest"


def test_bribe_script_is_a_dialogue_of_two_voices() -> None:
    from studio.video.explainer import script_context

    campaign = load_campaign(SAMPLE)
    deliverable = campaign.deliverable("what-is-a-bribe-video")
    for lang in ("ky", "ru"):
        script = load_script(
            campaign.root, "what-is-a-bribe", lang, script_context(campaign, deliverable, lang, "2026Q1"), "x"
        )
        speakers = {speaker for scene in script.scenes for speaker in scene.speakers}
        assert {"official", "citizen"} <= speakers
        assert "dialogue" in script.kinds
    official, citizen = campaign.voices["official"], campaign.voices["citizen"]
    assert (official.variant, official.pitch) != (citizen.variant, citizen.pitch)


def test_timeline_follows_the_measured_audio() -> None:
    intro = [SpokenLine("Бул видео жасалма интеллект менен түзүлгөн.", 2.31)]
    scenes = [[SpokenLine("Пара — бул мыйзамсыз төлөм.", 1.84), SpokenLine("Мен пара бербейм.", 1.12)]]
    pacing = Pacing()
    timeline = build_timeline(intro, scenes, 30, pacing, STYLE, PillowMeasure(), "test")
    intro_seg, scene, end = timeline.segments
    assert intro_seg.duration_s == pytest.approx(max(pacing.intro_s, 0.4 + 2.31 + 0.6), abs=1 / 30)
    assert scene.start_s == intro_seg.end_s
    assert scene.speech_starts_s == pytest.approx((scene.start_s + 0.4, scene.start_s + 0.4 + 1.84 + 0.35))
    assert end.duration_s == pacing.end_s
    # Every boundary falls on a whole frame.
    for segment in timeline.segments:
        assert segment.duration_s * 30 == pytest.approx(round(segment.duration_s * 30))
    starts = [c.start_s for c in timeline.captions]
    assert starts == pytest.approx([intro_seg.speech_starts_s[0], *scene.speech_starts_s])


def test_caption_that_needs_three_lines_is_an_error() -> None:
    long = "Бул абдан узун сүйлөм, аны эки сапка батыруу мүмкүн эмес, анткени анда өтө көп сөз бар жана ал токтобойт."
    with pytest.raises(SpecError, match=r"test, scene 1: the sentence .* needs more than 2 caption lines"):
        build_timeline(
            [], [[SpokenLine(long, 6.0)]], 30, Pacing(), CaptionStyle(BOLD, 40, 500), PillowMeasure(), "test"
        )


def test_caption_too_fast_to_read_is_an_error() -> None:
    with pytest.raises(SpecError, match=r"would have to be read at \d+ characters a second"):
        build_timeline(
            [],
            [[SpokenLine("Мамлекеттик кызмат — сиздин укугуңуз.", 0.5)]],
            30,
            Pacing(pause_s=0.0),
            STYLE,
            PillowMeasure(),
            "test",
        )


def test_srt_and_webvtt_sidecars() -> None:
    timeline = build_timeline(
        [], [[SpokenLine("Бир.", 1.0), SpokenLine("Эки.", 1.0)]], 30, Pacing(), STYLE, PillowMeasure(), "test"
    )
    srt, vtt = to_srt(timeline.captions), to_webvtt(timeline.captions)
    assert srt.startswith("1\n00:00:03,400 --> 00:00:04,750\nБир.\n\n2\n00:00:04,750 --> ")
    assert vtt.startswith("WEBVTT\n\n00:00:03.400 --> 00:00:04.750\nБир.")
