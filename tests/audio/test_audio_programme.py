"""The audio programme's layout: disclosure first, ident, scenes, exact slot lengths, chapters. Pure."""

from __future__ import annotations

import pytest

from studio.audio.programme import (
    LEAD_IN_S,
    MAX_SPEEDUP,
    NATURAL,
    SHORTEST,
    chapters,
    fit_speed,
    natural_length_s,
    plan,
    shortest_length_s,
)
from studio.errors import RenderError

IDENT_S = 2.4
PARTS = [[3.4], [2.0, 1.5], [2.5], [1.8, 2.2]]  # disclosure, then three scenes (sentence durations)


def test_the_disclosure_comes_first_then_the_ident() -> None:
    layout = plan(PARTS, IDENT_S)
    assert layout.disclosure_s == (LEAD_IN_S, LEAD_IN_S + 3.4)
    first_scene = min(p.start_s for p in layout.sentences if p.part == 1)
    assert layout.disclosure_s[1] < layout.ident_s < layout.ident_s + IDENT_S < first_scene
    starts = [p.start_s for p in layout.sentences]
    assert starts == sorted(starts)


def test_without_a_slot_the_pauses_are_natural() -> None:
    layout = plan(PARTS, IDENT_S)
    assert layout.pauses == NATURAL
    assert layout.duration_s == pytest.approx(natural_length_s(PARTS, IDENT_S))


@pytest.mark.parametrize("slot_s", [20.0, 22.5, 30.0, 60.0])
def test_a_slot_is_filled_exactly(slot_s: float) -> None:
    layout = plan(PARTS, IDENT_S, slot_s)
    assert layout.duration_s == slot_s
    last = max(p.start_s + p.duration_s for p in layout.sentences)
    assert last + SHORTEST.tail_s <= slot_s + 1e-9  # the last word is never cut, the music tail stays
    assert layout.pauses.sentence_s >= SHORTEST.sentence_s - 1e-9


def test_a_tight_slot_shortens_the_pauses_evenly() -> None:
    natural = natural_length_s(PARTS, IDENT_S)
    layout = plan(PARTS, IDENT_S, natural - 1.0)
    assert SHORTEST.sentence_s < layout.pauses.sentence_s < NATURAL.sentence_s
    assert SHORTEST.scene_s < layout.pauses.scene_s < NATURAL.scene_s
    assert layout.duration_s == natural - 1.0


def test_a_script_that_cannot_fit_says_how_many_seconds_over() -> None:
    with pytest.raises(RenderError, match=r"the script is 3\.1 s over the 15 s slot even with the shortest pauses"):
        plan(PARTS, IDENT_S, 15.0)


def test_one_chapter_per_scene_covering_the_whole_programme() -> None:
    layout = plan(PARTS, IDENT_S)
    marks = chapters(layout, ["Бир", "Эки", "Үч"])
    assert [title for _, _, title in marks] == ["Бир", "Эки", "Үч"]
    assert marks[0][0] == 0.0 and marks[-1][1] == layout.duration_s
    assert all(a[1] == b[0] for a, b in zip(marks, marks[1:], strict=False))
    with pytest.raises(RenderError):
        chapters(layout, ["only one"])


def test_a_script_a_little_too_long_is_spoken_just_fast_enough() -> None:
    assert fit_speed(PARTS, IDENT_S, 30.0) == 1.0
    slot = shortest_length_s(PARTS, IDENT_S) - 1.0
    speed = fit_speed(PARTS, IDENT_S, slot)
    assert 1.0 < speed <= MAX_SPEEDUP
    faster = [[d / speed for d in part] for part in PARTS]
    assert plan(faster, IDENT_S, slot).duration_s == slot  # now it fits, exactly


def test_a_script_far_too_long_is_not_gabbled() -> None:
    with pytest.raises(
        RenderError, match=r"the script is 3\.1 s over the 15 s slot .*too long even spoken 1\.15× faster"
    ):
        fit_speed(PARTS, IDENT_S, 15.0)
