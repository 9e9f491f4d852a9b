"""A sprite that moves (a figure rising and sinking with its breath): one picture, laid lower from
the frame of each move on, in one process and in segments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from encode_helpers import read_frames
from PIL import Image

from studio.encode import Slide, Sprite, encode_video, settings_for
from studio.encode.graph import changing_frames, plan_pieces
from studio.encode.model import SpriteTiming
from studio.encode.timeline import plan_timeline
from studio.errors import EncodeError

FPS = 30
MOVES = ((45, 2), (60, 4), (100, 0), (130, 6))


def _top_rows(frames: np.ndarray, column: int) -> list[int]:
    """For each frame, the first row where the white square shows in ``column``."""
    white = frames[:, :, column].min(axis=-1) > 200
    return [int(np.argmax(rows)) if rows.any() else -1 for rows in white]


@pytest.mark.parametrize("segments", [1, 2])
def test_a_moving_sprite_is_laid_lower_from_the_frame_of_each_move(tmp_path: Path, segments: int) -> None:
    slides = [
        Slide(Image.new("RGB", (96, 64), (30, 60, 120)), 3.0),
        Slide(Image.new("RGB", (96, 64), (90, 30, 30)), 3.0),
    ]
    square = Image.new("RGBA", (16, 16), (250, 250, 250, 255))
    sprite = Sprite((square,), ((0, 10, 150),), (40, 20), moves=MOVES)
    out = tmp_path / "moves.mp4"
    encode_video(slides, None, out, settings_for((96, 64), crf=0), sprites=[sprite], segments=segments)
    frames = read_frames(out, (96, 64))
    assert len(frames) == 180
    expected = [
        -1 if not 10 <= n < 160 else 20 + next((px for f, px in reversed(MOVES) if f <= n), 0) for n in range(180)
    ]
    assert _top_rows(frames, 48) == expected


def test_a_window_of_a_moving_sprite_starts_where_the_sprite_stands() -> None:
    timing = SpriteTiming(((0, 0, 200),), moves=MOVES)
    assert timing.window(50, 120).moves == ((0, 2), (10, 4), (50, 0))  # frames 60 and 100, from 50
    assert timing.window(0, 45).moves == ()  # not moved yet
    assert timing.window(140, 200).moves == ((0, 6),)
    assert timing.shifted(5).moves == ((50, 2), (65, 4), (105, 0), (135, 6))


def test_moves_are_whole_chroma_samples_in_order() -> None:
    with pytest.raises(EncodeError, match="odd number of pixels"):
        SpriteTiming(((0, 0, 10),), moves=((3, 1),))
    with pytest.raises(EncodeError, match="out of order"):
        SpriteTiming(((0, 0, 10),), moves=((5, 2), (3, 4)))


def test_a_frame_where_a_sprite_moves_is_encoded() -> None:
    """Only frames that can differ from the one before are encoded: a move is such a frame."""
    timeline = plan_timeline([Slide(Image.new("RGB", (96, 64)), 6.0)], FPS)
    still = changing_frames(plan_pieces(timeline), [None], [((0, 10, 150),)], [], FPS)
    moving = changing_frames(plan_pieces(timeline), [None], [((0, 10, 150),)], [], FPS, [MOVES])
    assert set(moving) - set(still) == {f for f, _ in MOVES}
