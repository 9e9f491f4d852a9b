"""Sprites laid on window by window: each only where it shows, the frames exactly as in one pass."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from encode_helpers import make_slide, read_frames
from PIL import Image

import studio.encode.graph as graph
from studio.encode import Overlay, Slide, Sprite, crossfade, encode_video, settings_for
from studio.encode.graph import WINDOW_COST, sprite_windows

FPS = 30


def test_windows_are_cut_where_sprites_begin() -> None:
    assert sprite_windows(300, [0, 100, 200], []) == ((0, 100), (100, 200), (200, 300))
    assert sprite_windows(300, [], []) == ((0, 300),)


def test_a_cut_moves_back_out_of_a_fade() -> None:
    # a sprite fading out over frames 90 .. 101 while the next begins at 95: cut before the fade
    assert sprite_windows(300, [0, 95], [(90, 102)]) == ((0, 90), (90, 300))


def test_a_cut_that_spares_few_copies_is_not_made() -> None:
    kept = [0, 1, 2, 150, 299]  # three frames passed on before the second sprite: not worth a window
    assert sprite_windows(300, [0, 150], [], kept) == ((0, 300),)
    many = list(range(WINDOW_COST + 1)) + [150, 299]
    assert sprite_windows(300, [0, 150], [], many) == ((0, 150), (150, 300))


def _scene() -> tuple[list[Slide], list[Sprite], list[Overlay]]:
    """Still cards with a crossfade; a talking sprite from the start, one that fades in over the
    crossfade and a third coming on late: three windows."""
    size = (320, 180)
    slides = [
        Slide(make_slide(size, (200, 40, 40), "one"), 3.0, transition=crossfade(0.4)),
        Slide(make_slide(size, (40, 40, 200), "two"), 3.0),
    ]
    mouths = tuple(Image.new("RGBA", (24, 12), (60 * k, 200, 0, 255)) for k in range(4))
    talking = Sprite(mouths, tuple((k % 4, 6 * k, 6) for k in range(25)), (40, 40))
    square = Sprite((Image.new("RGBA", (30, 30), (250, 250, 250, 255)),), ((0, 84, 96),), (200, 60), fade_in=12)
    late = Sprite((Image.new("RGBA", (40, 20), (0, 0, 0, 180)),), ((0, 140, 30),), (120, 150))
    badge = Overlay(Image.new("RGBA", (30, 12), (255, 0, 0, 255)), (4, 4))
    return slides, [talking, square, late], [badge]


@pytest.mark.slow
@pytest.mark.parametrize("segments", [1, 2])
def test_windows_make_the_same_frames_as_one_pass(tmp_path: Path, segments: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Lossless encodes: every sprite on every frame in one pass, and window by window: identical."""
    slides, sprites, overlays = _scene()
    settings = settings_for((320, 180), crf=0)
    out = {}
    for windows in (False, True):
        if not windows:
            monkeypatch.setattr(graph, "WINDOW_COST", 10**9)  # no cut is ever worth it
        else:
            monkeypatch.undo()
        out[windows] = tmp_path / f"windows-{windows}.mp4"
        encode_video(slides, None, out[windows], settings, sprites=sprites, overlays=overlays, segments=segments)
    one, cut = read_frames(out[False], (320, 180)), read_frames(out[True], (320, 180))
    assert len(one) == len(cut) == 180
    assert np.array_equal(one, cut)
    # the late sprite is there from frame 140, the square fading in from 84
    assert cut[139, 160, 140].tolist() == one[139, 160, 140].tolist() != cut[141, 160, 140].tolist()


def test_a_window_where_no_sprite_shows_passes_its_frames_through() -> None:
    text = graph.with_sprites(
        graph.FilterGraph("[0:v]null[vout]", {}, "vout"),
        [((0, 10), [(1, ((0, 0), 0, 5, 0, 0, ()))]), ((10, 20), []), ((20, 30), [(2, ((0, 0), 20, 30, 0, 0, ()))])],
        FPS,
    ).text
    assert "[sw1]trim=start_pts=10:end_pts=20[sw1out]" in text
    assert "[sw0out][sw1out][sw2out]concat=n=3" in text
