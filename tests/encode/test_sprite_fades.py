"""Sprites that fade in and out with the card crossfading under them: the same weights, frame by
frame, in one process and in segments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from encode_helpers import read_frames
from PIL import Image

from studio.encode import Slide, Sprite, crossfade, encode_video, settings_for
from studio.encode.graph import plan_segments
from studio.encode.timeline import plan_timeline
from studio.errors import EncodeError

FPS = 30
RED, BLUE, GREEN, WHITE = (200, 40, 40), (20, 60, 220), (40, 170, 60), (250, 250, 250)


def _fading_scene() -> tuple[list[Slide], Sprite]:
    """Red, blue, green cards joined by 12-frame crossfades at frames 90 and 180 (each from 6 frames
    before the boundary); a white square that comes on with the blue card and goes off with it."""
    seconds = 3.0
    slides = [
        Slide(Image.new("RGB", (64, 36), RED), seconds, transition=crossfade(0.4)),
        Slide(Image.new("RGB", (64, 36), BLUE), seconds, transition=crossfade(0.4)),
        Slide(Image.new("RGB", (64, 36), GREEN), seconds),
    ]
    square = Image.new("RGBA", (16, 16), (*WHITE, 255))
    return slides, Sprite((square,), ((0, 84, 102),), (24, 10), fade_in=12, fade_out=12)


def _expected() -> tuple[np.ndarray, np.ndarray]:
    """The card's colour frame by frame (its crossfade mix), and the square's centre: that mix with
    the square over it at the blue card's weight (the square belongs to it)."""
    frames = np.arange(270)
    to_blue = np.clip((frames - 84) / 12, 0, 1)[:, None]
    to_green = np.clip((frames - 174) / 12, 0, 1)[:, None]
    card = np.array(RED) * (1 - to_blue) + np.array(BLUE) * to_blue
    card = card * (1 - to_green) + np.array(GREEN) * to_green
    on = (to_blue * (1 - to_green)) * ((frames >= 84) & (frames < 186))[:, None]
    return card, card * (1 - on) + np.array(WHITE) * on


@pytest.mark.parametrize("segments", [1, 2])
def test_a_sprite_fades_with_its_card_frame_by_frame(tmp_path: Path, segments: int) -> None:
    """Lossless: on the k-th frame of a 12-frame fade the square is k/12 opaque (in) or 1 - k/12
    (out), as the card under it is mixed; in two segments too (cut between the two fades)."""
    slides, sprite = _fading_scene()
    out = tmp_path / "fade.mp4"
    encode_video(slides, None, out, settings_for((64, 36), crf=0), sprites=[sprite], segments=segments)
    frames = read_frames(out, (64, 36)).astype(float)
    assert len(frames) == 270
    card, square = _expected()
    assert np.abs(frames[:, 18, 32] - square).max() <= 3.0
    assert np.abs(frames[:, 2, 2] - card).max() <= 3.0  # beside the square, the cards alone
    # half-way through the fade in, the square is half on over a half-mixed card
    half = (np.array(RED) + np.array(BLUE)) / 4 + np.array(WHITE) / 2
    assert np.abs(frames[90, 18, 32] - half).max() <= 3.0


def test_a_window_keeps_a_fade_whole_or_not_at_all() -> None:
    square = Image.new("RGBA", (4, 4))
    sprite = Sprite((square,), ((0, 84, 102),), (0, 0), fade_in=12, fade_out=12)
    assert sprite.fades == ((84, 96), (174, 186))
    first, second = sprite.window(0, 135), sprite.window(135, 270)
    assert first is not None and (first.fade_in, first.fade_out, first.clips) == (12, 0, ((0, 84, 51),))
    assert second is not None and (second.fade_in, second.fade_out, second.clips) == (0, 12, ((0, 0, 51),))
    with pytest.raises(EncodeError, match="cut a sprite's fade"):
        sprite.window(90, 270)
    # every fading frame is a clip of its own, the rest one clip
    shown = sprite.shown()
    assert shown[:12] == tuple((0, 84 + k, 1) for k in range(12))
    assert shown[12] == (0, 96, 78) and shown[13:] == tuple((0, 174 + k, 1) for k in range(12))
    with pytest.raises(EncodeError, match="do not fit"):
        Sprite((square,), ((0, 0, 10),), (0, 0), fade_in=6, fade_out=6)


def test_segments_are_not_cut_inside_a_fade() -> None:
    slides = [Slide(Image.new("RGB", (8, 8)), 5.0), Slide(Image.new("RGB", (8, 8)), 5.0)]
    timeline = plan_timeline(slides, FPS)
    assert plan_segments(timeline, 2, 60) == ((0, 150), (150, 300))
    assert plan_segments(timeline, 2, 60, whole=[(140, 160)]) in (((0, 140), (140, 300)), ((0, 160), (160, 300)))


def test_a_segment_may_start_one_frame_before_a_crossfade_with_a_fade(tmp_path: Path) -> None:
    """Cut one frame before a crossfade (the ideal split when every frame is stored): the second
    segment starts with a single frame of a zooming card, then the crossfade with a sprite fading in.
    Lossless, the two segments give exactly the frames one process gives."""
    from encode_helpers import make_slide

    from studio.encode import Motion, MotionKind

    zoom = Slide(make_slide((96, 54), RED, "a"), 157 / 30, Motion(MotionKind.ZOOM_IN), crossfade(0.4))
    slides = [zoom, Slide(Image.new("RGB", (64, 36), BLUE), 143 / 30)]  # crossfade: frames 151 .. 162
    square = Image.new("RGBA", (16, 16), (*WHITE, 255))
    sprite = Sprite((square,), ((0, 151, 149),), (24, 10), fade_in=12)
    settings = settings_for((64, 36), crf=0, drop_repeats=False)
    timeline = plan_timeline(slides, FPS)
    assert plan_segments(timeline, 2, 120, whole=sprite.fades) == ((0, 150), (150, 300))
    frames = {}
    for segments in (1, 2):
        out = tmp_path / f"cut{segments}.mp4"
        encode_video(slides, None, out, settings, sprites=[sprite], segments=segments)
        frames[segments] = read_frames(out, (64, 36))
    assert frames[1].shape == frames[2].shape == (300, 36, 64, 3)
    assert np.array_equal(frames[1], frames[2])


def test_no_segment_starts_on_a_fades_first_frame() -> None:
    slides = [Slide(Image.new("RGB", (8, 8)), 5.0), Slide(Image.new("RGB", (8, 8)), 5.0)]
    timeline = plan_timeline(slides, FPS)
    cut = plan_segments(timeline, 2, 60, whole=[(150, 160)])[0][1]
    assert cut not in range(150, 160)


def test_a_part_that_cannot_be_made_stops_the_encode_and_leaves_nothing(tmp_path: Path) -> None:
    """The second part's sprites fail to draw while the first part encodes: the error comes out as
    it was raised, once the first part's ffmpeg has finished, and nothing is left beside the output."""
    from studio.encode import SpriteTiming
    from studio.encode.encoder import SpriteSource

    slides, sprite = _fading_scene()
    made: list[tuple[int, int]] = []

    def make(first: int, end: int) -> list[Sprite]:
        made.append((first, end))
        if first > 0:
            raise EncodeError("the second part's pictures could not be drawn")
        return [s for s in [sprite.window(first, end)] if s is not None]

    source = SpriteSource((SpriteTiming(sprite.clips, sprite.fade_in, sprite.fade_out),), make)
    out = tmp_path / "video.mp4"
    with pytest.raises(EncodeError, match="second part"):
        encode_video(slides, None, out, settings_for((64, 36), crf=0), sprites=source, segments=2)
    assert len(made) == 2 and made[0][0] == 0
    assert list(tmp_path.iterdir()) == []
