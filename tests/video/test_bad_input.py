"""Bad scripts, campaigns and designs for explainers: one clear line naming file, scene and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studio.campaign import load_campaign
from studio.errors import SpecError
from studio.video.explainer import VideoOptions, plan_video
from tests.video.conftest import scenes_job
from tests.video.scenes import ALL_KINDS_KY, make_scenes_project

TEMPLATE = "templates/scripts/scenes.ky.j2"


def plan_with(tmp_path: Path, speech: Path, ky: str, fmt: str = "story", change: Any = None) -> None:
    path = make_scenes_project(tmp_path / "p", ky=ky, change=change)
    plan_video(load_campaign(path), scenes_job("ky", fmt), VideoOptions(speech))


def no_characters(data: dict[str, Any]) -> None:
    data.pop("characters", None)


def test_a_dialogue_line_for_a_speaker_with_no_voice(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace('{speaker: citizen, say: "Жок, мен пара бербейм."}', '{speaker: guard, say: "Жок."}')
    with pytest.raises(
        SpecError, match=rf'^{TEMPLATE}: .*scene 4, line 2: speaker "guard" has no voice; campaign voices'
    ):
        plan_with(tmp_path, speech_cache, script)


def test_a_dialogue_line_for_a_speaker_with_no_character(tmp_path: Path, speech_cache: Path) -> None:
    def drop_official(data: dict[str, Any]) -> None:
        del data["characters"]["official"]

    with pytest.raises(
        SpecError, match=rf'^{TEMPLATE} \(story\): scene 4 \(dialogue\), line 1: speaker "official" has no character'
    ):
        plan_with(tmp_path, speech_cache, ALL_KINDS_KY, change=drop_official)


def test_an_unknown_character_in_the_campaign_names_the_speaker(tmp_path: Path) -> None:
    def ghost(data: dict[str, Any]) -> None:
        data["characters"]["citizen"] = "ghost"

    path = make_scenes_project(tmp_path / "p", change=ghost)
    with pytest.raises(
        SpecError, match=r'scenes\.yaml:\d+: characters\.citizen: speaker "citizen": unknown character "ghost"'
    ):
        load_campaign(path)


def test_a_chart_with_a_value_that_is_not_a_number(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace(
        "{label: Телефон, value: 12}]\n    narration: Көпчүлүгү",
        '{label: Телефон, value: "көп"}]\n    narration: Көпчүлүгү',
    )
    with pytest.raises(SpecError, match=rf'^{TEMPLATE}: scene 7: data\[2\]\.value: "көп" is not a number'):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_a_pie_with_a_negative_value(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("{label: Кат, value: 6}", "{label: Кат, value: -6}")
    with pytest.raises(
        SpecError, match=rf"^{TEMPLATE}: scene 8: data\[3\]\.value: -6 is negative; a pie slice cannot be"
    ):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_a_steps_scene_with_more_steps_than_fit(tmp_path: Path, speech_cache: Path) -> None:
    extra = "      - {text: Күтүңүз, icon: check}\n      - {text: Текшериңиз, icon: eye}\n"
    script = ALL_KINDS_KY.replace(
        "      - {text: Кабарлаңыз, icon: qr, cue: кабарлаңыз}\n",
        "      - {text: Кабарлаңыз, icon: qr, cue: кабарлаңыз}\n" + extra,
    )
    with pytest.raises(
        SpecError,
        match=rf"^{TEMPLATE} \(square\): scene 5 \(steps\): steps: 5 steps do not fit a square frame \(at most 4\)",
    ):
        plan_with(tmp_path, speech_cache, script, fmt="square")


def test_a_step_cue_that_is_never_said(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("cue: эстеп", "cue: унутуңуз")
    with pytest.raises(
        SpecError, match=rf'^{TEMPLATE}: scene 5, step 2: cue: the word "унутуңуз" is not in the narration'
    ):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_an_unknown_scene_kind(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("kind: stat", "kind: statistic")
    with pytest.raises(
        SpecError, match=rf'^{TEMPLATE}: scene 6: kind: unknown scene kind "statistic"; known: title, bullets'
    ):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_a_dialogue_with_one_speaker(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace(
        '{speaker: citizen, say: "Жок, мен пара бербейм."}', '{speaker: official, say: "Жок."}'
    )
    with pytest.raises(SpecError, match=rf"^{TEMPLATE}: scene 4: lines: a dialogue needs two or more speakers"):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_an_unknown_icon(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("icon: stop", "icon: rocket")
    with pytest.raises(SpecError, match=rf'^{TEMPLATE}: scene 5, step 1: icon: unknown icon "rocket"; known: phone'):
        plan_with(tmp_path, speech_cache, script, change=no_characters)


def test_a_set_image_too_small_for_the_format(tmp_path: Path, speech_cache: Path) -> None:
    from PIL import Image

    def small_set(data: dict[str, Any]) -> None:
        Image.new("RGB", (800, 600), (200, 210, 220)).save(tmp_path / "p" / "assets" / "small-set.png")

    script = ALL_KINDS_KY.replace("    set: office\n", "    set: assets/small-set.png\n")
    with pytest.raises(
        SpecError,
        match=rf"^{TEMPLATE} \(youtube\): scene 4 \(dialogue\): set: .*small-set\.png: "
        r"set image is 800×600 px; a 1920×1080 video needs",
    ):
        plan_with(tmp_path, speech_cache, script, fmt="youtube", change=small_set)


def test_a_spot_the_set_does_not_have(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("    set: office\n", "    set: office\n    stand: {official: stage}\n")
    with pytest.raises(
        SpecError,
        match=rf'^{TEMPLATE} \(story\): scene 4 \(dialogue\): stand: set "office" has no spot "stage"; '
        r"its spots: counter, visitor",
    ):
        plan_with(tmp_path, speech_cache, script)


def test_a_caller_who_says_nothing(tmp_path: Path, speech_cache: Path) -> None:
    script = ALL_KINDS_KY.replace("    set: office\n", "    set: office\n    call: [narrator]\n")
    with pytest.raises(SpecError, match=rf'^{TEMPLATE} \(story\): scene 4 \(dialogue\): call: "narrator" says no line'):
        plan_with(tmp_path, speech_cache, script)


def test_studio_validate_checks_the_explainer_shape_file(tmp_path: Path) -> None:
    path = make_scenes_project(tmp_path / "p")
    design = tmp_path / "p" / "templates" / "designs" / "explainer.video.yaml"
    design.write_text(design.read_text(encoding="utf-8").replace("end_s: 6.0", "end_s: -1"))
    with pytest.raises(SpecError, match=r"explainer\.video\.yaml:\d+: pacing\.end_s: .*-1"):
        load_campaign(path)
