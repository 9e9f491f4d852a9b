"""Repeated frames are not encoded again: what a player shows is unchanged, frame for frame."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import make_slide, read_frames
from PIL import Image

from studio.encode import Motion, MotionKind, Overlay, Slide, Sprite, crossfade, encode_video, probe_mp4, settings_for
from studio.encode.encoder import plan_encode
from studio.encode.ffmpeg import ffmpeg_exe
from studio.encode.graph import EDGE_FRAMES, Piece, changing_frames, frame_ranges, plan_pieces

FPS = 30


def test_a_still_piece_changes_on_its_first_frame_only() -> None:
    sequence = [Piece(0, 0, 60), Piece(1, 0, 60)]
    kept = changing_frames(sequence, [None, None], [], [], FPS)
    assert kept == [*range(EDGE_FRAMES), 60, *range(120 - EDGE_FRAMES, 120)]


def test_crossfades_sprites_and_overlays_keep_the_frames_where_they_change() -> None:
    sequence: list[Piece | tuple[Piece, Piece]] = [
        Piece(0, 0, 50),
        (Piece(0, 50, 10), Piece(1, 0, 10)),
        Piece(1, 10, 60),
    ]
    sprite = ((0, 20, 5), (1, 25, 5), (0, 90, 3))
    caption = (1.0, 2.0)  # frames 30 .. 59 at 30 fps
    kept = set(changing_frames(sequence, [None, None], [sprite], [caption], FPS))
    assert set(range(50, 60)) <= kept  # every frame of the fade
    assert {20, 25, 30, 90, 93} <= kept  # the sprite's changes
    assert {29, 30, 31, 59, 60, 61} <= kept  # the caption on and off, with a frame either side
    assert 40 not in kept and 75 not in kept  # nothing changes there


def test_frame_ranges_join_neighbours() -> None:
    assert frame_ranges([0, 1, 2, 5, 7, 8]) == [(0, 2), (5, 5), (7, 8)]


def _still_scene() -> tuple[list[Slide], list[Sprite], list[Overlay]]:
    """Mostly still slides, a fade, one moving slide, a talking sprite and a caption: what an explainer holds."""
    size = (400, 224)
    slides = [
        Slide(make_slide(size, (200, 40, 40), "one"), 3.0, transition=crossfade(0.4)),
        Slide(make_slide(size, (40, 40, 200), "two"), 3.0),
        Slide(make_slide(size, (40, 160, 40), "three"), 2.0, Motion(MotionKind.ZOOM_IN)),
        Slide(make_slide(size, (90, 90, 90), "four"), 2.0),
    ]
    mouths = tuple(Image.new("RGBA", (24, 12), (40 * k, 0, 0, 255)) for k in range(4))
    clips = tuple((k % 4, 10 + 7 * k, 7) for k in range(30))  # a new mouth every 7 frames from frame 10
    sprites = [Sprite(mouths, clips, (40, 40))]
    overlays = [
        Overlay(Image.new("RGBA", (120, 24), (0, 0, 0, 200)), (100, 150), 1.5, 4.2),
        Overlay(Image.new("RGBA", (30, 12), (255, 0, 0, 255)), (4, 4)),
    ]
    return slides, sprites, overlays


@pytest.mark.slow
@pytest.mark.parametrize("segments", [1, 2])
def test_dropping_repeats_shows_every_frame_as_before(tmp_path: Path, segments: int) -> None:
    """Lossless encodes with and without repeats: decoded at the frame rate, identical frame for frame."""
    slides, sprites, overlays = _still_scene()
    size = (320, 180)
    outs = {}
    for drop in (False, True):
        outs[drop] = tmp_path / f"drop-{drop}.mp4"
        settings = settings_for(size, preset="veryfast", crf=0, drop_repeats=drop)  # B-frames, reordered
        encode_video(slides, None, outs[drop], settings, sprites=sprites, overlays=overlays, segments=segments)
    kept, every = probe_mp4(outs[True]).video, probe_mp4(outs[False]).video
    assert kept is not None and every is not None
    assert every.frames == every.shown_frames == kept.shown_frames == 300
    assert kept.duration_s == pytest.approx(10.0) and kept.fps == pytest.approx(FPS)
    assert kept.frames < 0.7 * every.frames  # most frames repeat and are not stored
    shown, reference = read_frames(outs[True], size), read_frames(outs[False], size)
    assert shown.shape == reference.shape
    differing = [n for n in range(len(shown)) if not np.array_equal(shown[n], reference[n])]
    assert differing == []


def _sparse_then_still() -> tuple[list[Slide], Sprite]:
    """8 s: a dot changing every 9 frames for the first 4 s, then a still end card."""
    size = (400, 224)
    slides = [Slide(make_slide(size, (40, 40, 200), "two"), 4.0), Slide(make_slide(size, (90, 90, 90), "end"), 4.0)]
    dots = tuple(Image.new("RGBA", (24, 12), (60 * k, 200, 0, 255)) for k in range(4))
    return slides, Sprite(dots, tuple((k % 4, 9 * k, 9) for k in range(13)), (40, 40))


@pytest.mark.slow
def test_a_joined_video_lasts_exactly_its_frames_after_a_long_still(tmp_path: Path) -> None:
    """Sparse changes, then a still end: x264 reorders frames across the gaps, and a join that copied
    the stored durations made such a video seconds longer than its frames."""
    slides, sprite = _sparse_then_still()
    out = tmp_path / "joined.mp4"
    encode_video(slides, None, out, settings_for((320, 180), preset="veryfast"), sprites=[sprite], segments=2)
    facts = probe_mp4(out).video
    assert facts is not None
    assert facts.shown_frames == 240 and facts.frames < 80
    assert facts.duration_s == pytest.approx(8.0)
    assert len(read_frames(out, (320, 180), "gray")) == 240


@pytest.mark.slow
def test_a_copy_re_encoded_by_ffmpeg_is_read_as_long_as_its_frames(tmp_path: Path) -> None:
    """ffmpeg re-encoding such a video (as a re-sharing tool would) ends the copy's edit list seconds
    past its last frame; what the copy is read to last is the time its frames cover."""
    slides, sprite = _sparse_then_still()
    out, copy = tmp_path / "video.mp4", tmp_path / "copy.mp4"
    encode_video(slides, None, out, settings_for((320, 180), preset="veryfast"), sprites=[sprite])
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(out), "-vf", "drawbox=x=0:y=0:w=8:h=8:t=fill", str(copy)], check=True
    )
    facts = probe_mp4(copy)
    assert facts.video is not None and facts.video.shown_frames == 240
    assert facts.duration_s == pytest.approx(8.0)
    # and a copy converted to a constant frame rate as the README says (for a TV playout: the fps
    # filter, which places frames by their times) has every frame, no more
    constant = tmp_path / "cfr.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(out), "-vf", "fps=30", str(constant)], check=True)
    cfr = probe_mp4(constant).video
    assert cfr is not None and (cfr.frames, cfr.shown_frames) == (240, 240)


def test_a_window_of_the_videos_changing_frames_is_the_windows_own() -> None:
    """The frames a segment stores, taken from the whole video's list, are those planned for the
    segment alone: a piece, sprite clip or overlay cut by its edges changes on its edge frames."""
    from studio.encode.graph import window_frames, window_pieces

    slides, sprites, overlays = _still_scene()
    plan = plan_encode(slides, settings_for((320, 180)))
    clips = [s.clips for s in sprites]
    times = [(o.start_s, o.end_s) for o in overlays]
    whole = changing_frames(plan_pieces(plan.timeline), plan.motions, clips, times, FPS)
    for first, end in ((0, 150), (150, 300), (37, 211), (100, 130)):
        shown = [w for w in (s.window(first, end) for s in sprites) if w is not None]
        seen = [w for w in (o.window(first / FPS, end / FPS) for o in overlays) if w is not None]
        own = changing_frames(
            window_pieces(plan_pieces(plan.timeline), first, end),
            plan.motions,
            [s.clips for s in shown],
            [(o.start_s, o.end_s) for o in seen],
            FPS,
        )
        assert window_frames(whole, first, end) == own, (first, end)
