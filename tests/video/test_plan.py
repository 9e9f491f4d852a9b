"""The video plan: scene kinds timed from real espeak-ng speech, captions word by word, bad input."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from studio.campaign import load_campaign
from studio.campaign.models import Campaign
from studio.errors import SpecError
from studio.video.explainer import VideoOptions, plan_video, to_webvtt_words
from studio.video.plan import CaptionPicture, StepsCard
from studio.video.timeline import to_srt
from tests.video.conftest import scenes_job
from tests.video.scenes import make_scenes_project


@pytest.fixture(scope="module")
def story_ky(scenes_campaign: Campaign, speech_cache: Path):  # type: ignore[no-untyped-def]
    return plan_video(scenes_campaign, scenes_job("ky", "story"), VideoOptions(speech_cache))


def test_every_scene_kind_is_planned_in_order(story_ky) -> None:  # type: ignore[no-untyped-def]
    script, _voiced, plan, _settings, _url = story_ky
    assert plan.scene_kinds == ("title", "bullets", "presenter", "dialogue", "steps", "stat", "chart", "chart")
    assert plan.scene_kinds == script.kinds
    assert [s.kind for s in plan.scenes][0] == "intro" and plan.scenes[-1].kind == "end"
    assert plan.characters == {"narrator": "presenter", "official": "official", "citizen": "citizen"}
    # The end card holds still for the design's 6 s, with nothing spoken over it.
    assert plan.scenes[-1].frames == 6 * plan.fps and plan.scenes[-1].speech_starts_s == ()


def test_dialogue_lines_are_spoken_in_their_speakers_voices_one_after_another(story_ky) -> None:  # type: ignore[no-untyped-def]
    _script, _voiced, plan, _settings, _url = story_ky
    dialogue = plan.scenes[4]
    lines = [
        v
        for v in plan.voice
        if dialogue.start_f / plan.fps <= v.start_s < (dialogue.start_f + dialogue.frames) / plan.fps
    ]
    assert [v.speaker for v in lines] == ["official", "citizen"]
    first, second = lines
    assert second.start_s >= first.start_s + first.duration_s + 0.25 - 1e-6  # the turn pause


def test_steps_appear_when_the_narration_reaches_their_cue_word(story_ky) -> None:  # type: ignore[no-untyped-def]
    _script, _voiced, plan, _settings, _url = story_ky
    steps = [c for c in plan.cards if isinstance(plan.pictures[c.picture], StepsCard)]
    assert [plan.pictures[c.picture].shown for c in steps] == [1, 2, 3]  # type: ignore[union-attr]
    cues = [c for c in plan.cues if c.start_s >= steps[0].start_f / plan.fps - 1e-6][:3]
    said = {w.text.strip(".").lower(): w.start_s for c in cues for w in c.words}
    assert abs(steps[1].start_f / plan.fps - said["эстеп"]) <= 1 / plan.fps + 1e-6
    assert abs(steps[2].start_f / plan.fps - said["кабарлаңыз"]) <= 1 / plan.fps + 1e-6


def test_story_captions_highlight_each_word_while_it_is_said(story_ky) -> None:  # type: ignore[no-untyped-def]
    _script, _voiced, plan, _settings, _url = story_ky
    track = next(t for t in plan.sprites if t.role == "caption")
    cue = plan.cues[2]
    for i, word in enumerate(cue.words):
        middle = round((word.start_s + word.end_s) / 2 * plan.fps)
        spec = plan.pictures[track.picture_at(middle)]  # type: ignore[index]
        assert isinstance(spec, CaptionPicture) and spec.lines == cue.lines
        assert spec.highlight == i, (word.text, spec.highlight)
    assert track.picture_at(plan.frames - 1) is None  # nothing over the end card


def test_youtube_has_no_burned_captions_but_the_same_cues(scenes_campaign: Campaign, speech_cache: Path) -> None:
    plan = plan_video(scenes_campaign, scenes_job("ky", "youtube"), VideoOptions(speech_cache))[2]
    assert not any(t.role == "caption" for t in plan.sprites)
    assert len(plan.cues) == len(plan.voice)


def test_vtt_carries_word_timestamps_and_srt_one_cue_per_sentence(story_ky) -> None:  # type: ignore[no-untyped-def]
    _script, _voiced, plan, _settings, _url = story_ky
    vtt, srt = to_webvtt_words(plan.cues), to_srt(plan.cues)
    blocks = vtt.strip().split("\n\n")[1:]
    assert len(blocks) == len(plan.cues) == srt.count(" --> ")
    for block, cue in zip(blocks, plan.cues, strict=True):
        stamps = re.findall(r"<(\d\d):(\d\d):(\d\d)\.(\d{3})>", block)
        assert len(stamps) == len(cue.words) - 1
        times = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamps]
        assert times == sorted(times) and all(cue.start_s <= t <= cue.end_s for t in times)
        assert re.sub(r"<[^>]+>", "", block.split("\n", 1)[1]).split() == cue.text.split()
    assert "<" not in srt


def test_words_from_the_engine_are_the_spoken_words(story_ky) -> None:  # type: ignore[no-untyped-def]
    """espeak-ng reports word events: a caption's word times lie inside its sentence's audio."""
    _script, _voiced, plan, _settings, _url = story_ky
    for clip, cue in zip(plan.voice, plan.cues, strict=True):
        assert cue.words[0].start_s >= clip.start_s - 1e-6
        assert cue.words[-1].end_s <= clip.start_s + clip.duration_s + 1e-6


def test_the_design_file_changes_the_crossfade_and_end_hold(tmp_path: Path, speech_cache: Path) -> None:
    path = make_scenes_project(tmp_path / "p")
    design = tmp_path / "p" / "templates" / "designs" / "explainer.video.yaml"
    text = design.read_text(encoding="utf-8")
    design.write_text(text.replace("end_s: 6.0", "end_s: 4.0").replace("transition_s: 0.4", "transition_s: 0.8"))
    plan = plan_video(load_campaign(path), scenes_job("ru", "square"), VideoOptions(speech_cache))[2]
    assert plan.scenes[-1].frames == 4 * plan.fps
    assert plan.cards[0].transition == "crossfade" and plan.cards[0].transition_s == 0.8


def test_a_bad_design_value_is_one_line_naming_file_and_field(tmp_path: Path, speech_cache: Path) -> None:
    path = make_scenes_project(tmp_path / "p")
    design = tmp_path / "p" / "templates" / "designs" / "explainer.video.yaml"
    design.write_text(design.read_text(encoding="utf-8").replace("transition: crossfade", "transition: wipe", 1))
    with pytest.raises(SpecError, match=r"explainer\.video\.yaml:\d+: intro\.transition: .*wipe"):
        plan_video(load_campaign(path), scenes_job("ru", "square"), VideoOptions(speech_cache))


def test_words_spread_by_length_when_an_engine_gives_no_word_times() -> None:
    from studio.video.plan import spread_words

    words = spread_words("Мен пара бербейм.", 1.8)
    assert [w.text for w in words] == ["Мен", "пара", "бербейм."]
    assert words[0].start_s == 0 and abs(words[-1].end_s - 1.8) < 1e-9
    lengths = [w.end_s - w.start_s for w in words]
    assert lengths[2] > lengths[1] > lengths[0]  # longer words take longer
    assert all(a.end_s == b.start_s for a, b in zip(words, words[1:], strict=False))


def _bake(cards, sprites):  # type: ignore[no-untyped-def]
    from studio.video.plan import LitCard, bake_lights

    described: dict = {}

    def picture(spec, hint):  # type: ignore[no-untyped-def]
        return described.setdefault(spec, f"{hint}-{len(described)}")

    out_cards, out_sprites = bake_lights(list(cards), list(sprites), picture, 30)
    lit = {key: spec for spec, key in described.items() if isinstance(spec, LitCard)}
    return out_cards, out_sprites, lit


def test_lights_are_drawn_into_the_still_card_they_shine_on() -> None:
    from studio.video.plan import Card, SpriteClip, SpriteTrack

    cards = [Card("title", 0, 60, transition="crossfade", transition_s=0.4), Card("stage", 60, 300)]
    a = SpriteTrack("light a", "light", (10, 10), (SpriteClip("glow", 80, 50), SpriteClip("glow", 200, 40)))
    b = SpriteTrack("light b", "light", (90, 10), (SpriteClip("glow", 120, 60),))
    person = SpriteTrack("a", "character", (0, 0), (SpriteClip("face", 60, 300),))
    out_cards, out_sprites, lit = _bake(cards, [a, b, person])
    assert [(c.start_f, c.frames) for c in out_cards] == [
        (0, 60), (60, 20), (80, 40), (120, 10), (130, 50), (180, 20), (200, 40), (240, 120)
    ]  # fmt: skip
    assert sum(c.frames for c in out_cards) == 360
    assert [t.name for t in out_sprites] == ["a"]  # the lights are in the cards now, the character over them
    shown = [lit[c.picture].lights if c.picture in lit else c.picture for c in out_cards]
    assert shown == [
        "title",
        "stage",
        (("glow", (10, 10)),),
        (("glow", (10, 10)), ("glow", (90, 10))),  # both lit: a under b, in track order
        (("glow", (90, 10)),),
        "stage",
        (("glow", (10, 10)),),
        "stage",
    ]
    assert {lit[c.picture].base for c in out_cards if c.picture in lit} == {"stage"}
    assert out_cards[0].transition == "crossfade" and all(c.transition == "cut" for c in out_cards[1:])


def test_lights_stay_sprites_where_drawing_them_in_would_change_the_picture() -> None:
    from studio.video.plan import Card, SpriteClip, SpriteTrack

    light = SpriteTrack("light", "light", (0, 0), (SpriteClip("glow", 62, 30),))
    # the card moves: the light would move with it
    moving = [Card("title", 0, 60), Card("stage", 60, 100, motion="zoom-in")]
    assert _bake(moving, [light])[1] == [light]
    # a crossfade into the card takes 6 of its frames: a 2-frame first part cannot hold them
    fading = [Card("title", 0, 60, transition="crossfade", transition_s=0.4), Card("stage", 60, 100)]
    assert _bake(fading, [light])[1] == [light]
    # something drawn under the light shows at the same time
    under = SpriteTrack("under", "set", (0, 0), (SpriteClip("thing", 60, 100),))
    assert _bake([Card("title", 0, 60), Card("stage", 60, 100)], [under, light])[1] == [under, light]


def test_with_no_stand_the_official_takes_the_counter_whoever_speaks_first(tmp_path: Path, speech_cache: Path) -> None:
    path = make_scenes_project(tmp_path / "p")
    script = tmp_path / "p" / "templates" / "scripts" / "scenes.ru.j2"
    text = script.read_text(encoding="utf-8")
    official = next(line for line in text.splitlines() if "speaker: official" in line)
    citizen = next(line for line in text.splitlines() if "speaker: citizen" in line)
    script.write_text(text.replace(official, "@@").replace(citizen, official).replace("@@", citizen), encoding="utf-8")
    plan = plan_video(load_campaign(path), scenes_job("ru", "youtube"), VideoOptions(speech_cache))[2]
    dialogue = plan.scenes.index(next(s for s in plan.scenes if s.kind == "dialogue"))
    first = next(v for v in plan.voice if plan.scenes[dialogue].start_f <= v.start_s * plan.fps)
    assert first.speaker == "citizen"  # the citizen now speaks first ...
    x = {t.speaker: t.at_px[0] for t in plan.sprites if t.role == "character" and t.speaker in ("official", "citizen")}
    assert x["official"] > x["citizen"]  # ... and still stands in front of the counter, the official behind it


def test_tracks_fade_in_and_out_with_the_card_crossfading_under_them() -> None:
    from studio.video.plan import Card, SpriteClip, SpriteTrack, fade_with_cards

    cards = [
        Card("title", 0, 60, transition="crossfade", transition_s=0.4),  # 12 frames, 6 either side of 60
        Card("stage", 60, 100, transition="crossfade", transition_s=0.5),  # 15 frames, 7 before 160, 8 after
        Card("end", 160, 60),
    ]
    person = SpriteTrack("person", "character", (0, 0), (SpriteClip("a", 60, 40), SpriteClip("b", 100, 60)))
    caption = SpriteTrack("caption", "caption", (0, 0), (SpriteClip("c", 70, 20),))  # mid-card: as it was
    late = SpriteTrack("late", "prop", (0, 0), (SpriteClip(None, 60, 30), SpriteClip("p", 90, 70)))
    faded, kept, prop = fade_with_cards(cards, [person, caption, late], 30)
    assert faded.clips == (SpriteClip("a", 54, 46), SpriteClip("b", 100, 68))
    assert (faded.fade_in_f, faded.fade_out_f) == (12, 15)
    assert [faded.opacity_at(f) for f in (54, 57, 60, 66, 120)] == [0.0, 0.25, 0.5, 1.0, 1.0]
    assert [round(faded.opacity_at(f), 3) for f in (153, 160, 167)] == [1.0, 0.533, 0.067]
    assert kept == caption and kept.opacity_at(70) == 1.0
    # a track whose first clip shows nothing does not come on at the boundary; it fades out there
    assert (prop.fade_in_f, prop.fade_out_f, prop.clips[0]) == (0, 15, SpriteClip(None, 60, 30))
    # a cut fades nothing
    cut = [Card("title", 0, 60), Card("stage", 60, 100)]
    assert fade_with_cards(cut, [person], 30) == [person]


def test_no_character_pops_up_over_a_card_still_crossfading(story_ky) -> None:  # type: ignore[no-untyped-def]
    """In a plan of every scene kind, each track that comes on or goes off where cards crossfade fades."""
    plan = story_ky[2]
    fades = {
        after.start_f: round(before.transition_s * plan.fps)
        for before, after in zip(plan.cards[:-1], plan.cards[1:], strict=True)
        if before.transition == "crossfade"
    }
    assert fades
    windows = {(b - n // 2, b + n - n // 2) for b, n in fades.items()}
    faded = [t for t in plan.sprites if t.fade_in_f or t.fade_out_f]
    assert {t.role for t in faded} >= {"character", "set"}
    for track in plan.sprites:
        assert track.start_f not in fades and track.end_f not in fades  # nothing switches mid-crossfade
        if track.fade_in_f:
            assert (track.start_f, track.start_f + track.fade_in_f) in windows
        if track.fade_out_f:
            assert (track.end_f - track.fade_out_f, track.end_f) in windows


def test_characters_and_caption_words_change_on_even_frames_only(story_ky) -> None:  # type: ignore[no-untyped-def]
    """On twos: a character's picture and the highlighted word change on the same (even) frames,
    at most a frame before what they follow; only a track's own first frame may be odd."""
    _script, _voiced, plan, _settings, _url = story_ky
    tracks = [t for t in plan.sprites if t.role in ("character", "caption")]
    assert {t.role for t in tracks} == {"character", "caption"}
    for track in tracks:
        cue_starts = {math.ceil(c.start_s * plan.fps - 1e-9) for c in plan.cues} if track.role == "caption" else set()
        changes = [c.start_f for c in track.clips[1:] if c.start_f not in cue_starts]
        assert changes and all(f % 2 == 0 for f in changes), (track.name, [f for f in changes if f % 2])
    track = next(t for t in tracks if t.role == "caption")
    for cue in plan.cues:
        first, end = math.ceil(cue.start_s * plan.fps - 1e-9), math.ceil(cue.end_s * plan.fps - 1e-9)
        for i, word in enumerate(cue.words[1:], 1):
            said = math.ceil(word.start_s * plan.fps - 1e-9)
            lit = [
                c.start_f
                for c in track.clips
                if first <= c.start_f < end and plan.pictures[c.picture].highlight == i  # type: ignore[union-attr]
            ]
            assert lit and said - 1 <= lit[0] <= said, (word.text, said, lit)


def test_on_twos_holds_each_pair_of_frames_on_the_second() -> None:
    from studio.video.plan import hold_frames, on_twos

    assert on_twos(list("abcdef"), 0) == list("bbddff")
    assert on_twos(list("abcdef"), 1) == list("accee" + "f")
    assert on_twos(list("aab"), 0) == list("aab")  # the last frame, alone, keeps its own
    assert on_twos(list("abcdefgh"), 0, 4) == list("ddddhhhh")
    assert on_twos(list("abc"), 5, 1) == list("abc")
    # 15 new drawings a second: on twos at 30 fps, on ones in a 15 fps draft, on fours at 60 fps
    assert [hold_frames(fps) for fps in (15, 24, 25, 30, 60)] == [1, 1, 1, 2, 4]


def test_a_draft_shows_as_many_drawings_a_second_as_the_final_video(  # type: ignore[no-untyped-def]
    scenes_campaign: Campaign, speech_cache: Path, story_ky
) -> None:
    """A 15 fps draft is not held on twos: its characters and words change as often as the final's."""
    draft = plan_video(scenes_campaign, scenes_job("ky", "story"), VideoOptions(speech_cache, draft=True))[2]
    final = story_ky[2]
    assert (draft.fps, final.fps) == (15, 30)
    for role in ("character", "caption"):
        changes = {
            plan.fps: sum(len(t.clips) + len(t.moves) for t in plan.sprites if t.role == role)
            / (plan.frames / plan.fps)
            for plan in (draft, final)
        }
        assert changes[15] == pytest.approx(changes[30], rel=0.25), (role, changes)
    odd = [c.start_f for t in draft.sprites if t.role == "character" for c in t.clips[1:] if c.start_f % 2]
    assert odd  # nothing is held on the even frames of a draft


def test_a_standing_figure_breathes_by_moving_not_by_new_drawings(story_ky) -> None:  # type: ignore[no-untyped-def]
    """The breath moves the whole figure: the track moves its pictures down and up (even pixels, a
    figure at most two pixels lower here), and no picture is drawn at a breath's height."""
    from studio.video.plan import CharacterPicture

    plan = story_ky[2]
    figures = [t for t in plan.sprites if t.role == "character" and t.anchor == "bottom"]
    assert figures and all(t.moves for t in figures)
    for track in figures:
        assert {px for _, px in track.moves} <= {0, 2}
        assert track.start_f <= track.moves[0][0] and track.moves[-1][0] < track.end_f
        heights = {track.drop_at(f) for f in range(track.start_f, track.end_f)}
        assert heights == {0, 2}
    drawn = [s for s in plan.pictures.values() if isinstance(s, CharacterPicture)]
    assert drawn and all(s.state.bob == 0 for s in drawn)
