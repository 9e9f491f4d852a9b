from __future__ import annotations

import pytest
from PIL import Image

from studio.encode import CUT, Slide, crossfade
from studio.encode.graph import Piece, plan_pieces
from studio.encode.timeline import plan_timeline
from studio.errors import EncodeError

IMAGE = Image.new("RGB", (32, 18))


def test_frames_follow_cumulative_time_without_drift() -> None:
    slides = [Slide(IMAGE, 1.01) for _ in range(30)]
    timeline = plan_timeline(slides, 30)
    assert timeline.total_frames == round(30 * 1.01 * 30)
    assert abs(timeline.duration_s - 30.3) <= 0.5 / 30
    assert [s.end - s.start for s in timeline.spans].count(31) > 0


def test_crossfade_is_centred_and_keeps_total_length() -> None:
    slides = [Slide(IMAGE, 2.0, transition=crossfade(0.5)), Slide(IMAGE, 2.0, transition=CUT), Slide(IMAGE, 1.0)]
    timeline = plan_timeline(slides, 30)
    assert timeline.total_frames == 150
    first, second, third = timeline.spans
    assert (first.head, first.tail) == (0, 8)  # 15 fade frames: 7 before the boundary, 8 after
    assert (second.head, second.tail) == (7, 0)
    assert (third.head, third.tail) == (0, 0)
    fade, cut = timeline.joins
    assert fade.fade_frames == 15 and fade.offset_frame == 60 - 7
    assert cut.fade_frames == 0 and cut.offset_frame == 120


def test_pieces_cover_every_frame_once() -> None:
    slides = [
        Slide(IMAGE, 2.0, transition=crossfade(0.5)),
        Slide(IMAGE, 2.0, transition=crossfade(1.0)),
        Slide(IMAGE, 2.0),
    ]
    timeline = plan_timeline(slides, 30)
    sequence = plan_pieces(timeline)
    length = sum(item.count if isinstance(item, Piece) else item[0].count for item in sequence)
    assert length == timeline.total_frames == 180
    fades = [item for item in sequence if isinstance(item, tuple)]
    assert [(a.count, b.count) for a, b in fades] == [(15, 15), (30, 30)]


def test_too_short_slide_for_its_frame_rate() -> None:
    with pytest.raises(EncodeError, match="slide 2: duration 0.01 s is shorter than one frame"):
        plan_timeline([Slide(IMAGE, 1.0), Slide(IMAGE, 0.01)], 30)


def test_crossfades_longer_than_the_slide() -> None:
    slides = [
        Slide(IMAGE, 1.0, transition=crossfade(2.0)),
        Slide(IMAGE, 0.5, transition=crossfade(2.0)),
        Slide(IMAGE, 1.0),
    ]
    with pytest.raises(EncodeError, match="slide 2: .* too short for the crossfades"):
        plan_timeline(slides, 30)
