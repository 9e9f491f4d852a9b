"""One video on every core: cut into segments, encoded at once, joined without re-encoding.

The planning is checked pure; the encodes are real (ffmpeg) at small sizes and compared frame by
frame with a single-process encode of the same video and with a lossless reference.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import make_slide, read_frames
from PIL import Image

from studio.encode import (
    Audio,
    Motion,
    MotionKind,
    Overlay,
    Slide,
    Sprite,
    crossfade,
    encode_video,
    probe_mp4,
    settings_for,
)
from studio.encode.ffmpeg import ffmpeg_exe
from studio.encode.graph import PICTURE_WORK, REPEAT_WORK, plan_pieces, plan_segments, window_pieces
from studio.encode.timeline import plan_timeline
from studio.errors import EncodeError

IMAGE = Image.new("RGB", (32, 18))
FPS = 30


def _fades(timeline_slides: list[Slide]) -> list[tuple[int, int]]:
    at, fades = 0, []
    for item in plan_pieces(plan_timeline(timeline_slides, FPS)):
        count = item[0].count if isinstance(item, tuple) else item.count
        if isinstance(item, tuple):
            fades.append((at, at + count))
        at += count
    return fades


def test_segments_are_near_equal_and_never_cut_a_crossfade() -> None:
    # boundaries at 2 s, 4 s, 6 s: a 0.6 s crossfade around each, so 120 and 240 are inside fades
    slides = [Slide(IMAGE, 2.0, transition=crossfade(0.6)) for _ in range(3)] + [Slide(IMAGE, 2.0)]
    timeline = plan_timeline(slides, FPS)
    segments = plan_segments(timeline, 2, 60)
    assert segments[0][0] == 0 and segments[-1][1] == timeline.total_frames == 240
    assert [b for _, b in segments[:-1]] == [a for a, _ in segments[1:]]
    (cut,) = [b for _, b in segments[:-1]]
    assert all(not low < cut < high for low, high in _fades(slides))
    assert abs(cut - 120) <= 9  # the fade around frame 120 is 18 frames long
    assert len(plan_segments(timeline, 3, 60)) == 3


def test_a_short_video_stays_whole() -> None:
    timeline = plan_timeline([Slide(IMAGE, 3.0)], FPS)
    assert plan_segments(timeline, 4, 4 * FPS) == ((0, 90),)
    assert plan_segments(timeline, 2, 45) == ((0, 45), (45, 90))


def test_windows_cover_every_frame_exactly_once() -> None:
    slides = [Slide(IMAGE, 1.5, transition=crossfade(0.4)), Slide(IMAGE, 2.5), Slide(IMAGE, 1.0)]
    timeline = plan_timeline(slides, FPS)
    sequence = plan_pieces(timeline)
    segments = plan_segments(timeline, 3, 30)
    shown: list[tuple[int, int]] = []  # (slide, its local frame) for every frame of every window
    for first, end in segments:
        frames = 0
        for item in window_pieces(sequence, first, end):
            pieces = item if isinstance(item, tuple) else (item,)
            frames += pieces[0].count
            shown += [(pieces[-1].slide, pieces[-1].first + k) for k in range(pieces[-1].count)]
        assert frames == end - first
    whole = []
    for item in sequence:
        last = item[-1] if isinstance(item, tuple) else item
        whole += [(last.slide, last.first + k) for k in range(last.count)]
    assert shown == whole
    with pytest.raises(EncodeError, match="cut the crossfade"):
        window_pieces(sequence, 0, 45)  # frame 45 is the middle of the first crossfade


def test_sprites_and_overlays_in_a_window() -> None:
    pictures = (Image.new("RGBA", (8, 8)), Image.new("RGBA", (8, 8)))
    sprite = Sprite(pictures, ((0, 10, 20), (1, 40, 30)), (0, 0))
    windowed = sprite.window(25, 60)
    assert windowed is not None and windowed.clips == ((0, 0, 5), (1, 15, 20))
    assert sprite.window(30, 40) is None and sprite.window(70, 90) is None
    badge = Overlay(Image.new("RGBA", (4, 4)), (1, 1))
    caption = Overlay(Image.new("RGBA", (4, 4)), (1, 1), 1.0, 2.0)
    assert badge.window(3.0, 5.0) == Overlay(badge.image, (1, 1), 0.0, None)
    assert caption.window(1.5, 4.0) == Overlay(caption.image, (1, 1), 0.0, 0.5)
    assert caption.window(0.0, 1.5) == Overlay(caption.image, (1, 1), 1.0, None)
    assert caption.window(2.0, 3.0) is None


def _scene(seconds: float = 9.0) -> tuple[list[Slide], list[Sprite], list[Overlay]]:
    """Moving slides with crossfades, a blinking sprite and a caption: every kind of layer a join crosses."""
    colours = [(200, 40, 40), (40, 40, 200), (40, 160, 40)]
    slides = [
        Slide(make_slide((400, 224), c, f"slide {i}"), seconds / 3, Motion(MotionKind.ZOOM_IN), crossfade(0.4))
        for i, c in enumerate(colours)
    ]
    slides[-1] = Slide(slides[-1].image, seconds / 3, Motion(MotionKind.PAN_LEFT))
    on = Image.new("RGBA", (40, 40), (255, 220, 0, 255))
    off = Image.new("RGBA", (40, 40), (255, 255, 255, 128))
    frames = round(seconds * FPS)
    clips = tuple((k % 2, k * 15, 15) for k in range(frames // 15))
    sprites = [Sprite((on, off), clips, (20, 20))]
    caption = Image.new("RGBA", (120, 24), (0, 0, 0, 200))
    overlays = [Overlay(caption, (100, 170), 2.5, 6.5), Overlay(Image.new("RGBA", (30, 12), (255, 0, 0, 255)), (4, 4))]
    return slides, sprites, overlays


def _psnr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    mse = ((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean(axis=(1, 2, 3))
    return 10 * np.log10(255.0**2 / np.maximum(mse, 1e-10))


@pytest.mark.slow
def test_a_segmented_encode_matches_one_process_frame_for_frame(tmp_path: Path) -> None:
    size = (320, 180)
    slides, sprites, overlays = _scene()
    voice = Audio((0.3 * np.sin(np.arange(9 * 16_000) * 2 * np.pi * 220 / 16_000) * 32767).astype(np.int16), 16_000)
    outs = {}
    for name, segments, crf in (("reference", 1, 1), ("single", 1, 18), ("segmented", 3, 18)):
        outs[name] = tmp_path / f"{name}.mp4"
        encode_video(
            slides,
            voice,
            outs[name],
            settings_for(size, preset="veryfast", crf=crf),
            sprites=sprites,
            overlays=overlays,
            segments=segments,
        )
    facts = {name: probe_mp4(path) for name, path in outs.items()}
    for fact in facts.values():
        assert fact.video is not None and fact.audio is not None and fact.faststart
        assert fact.video.shown_frames == 270 and fact.video.duration_s == pytest.approx(9.0)
        assert fact.audio.duration_s == pytest.approx(9.0, abs=1 / FPS)
    frames = {name: read_frames(path, size) for name, path in outs.items()}
    single = _psnr(frames["single"], frames["reference"])
    segmented = _psnr(frames["segmented"], frames["reference"])
    # no seam: the joins (keyframes) are no worse than the worst frame of the one-process encode,
    # and the video as a whole is as close to the lossless one
    assert segmented.min() >= single.min() - 1.0
    assert segmented.mean() >= single.mean() - 1.0
    assert _psnr(frames["segmented"], frames["single"]).min() >= 40.0
    # the sound is mixed and encoded once: the same samples either way
    single_audio, segmented_audio = (_decoded_audio(outs[n]) for n in ("single", "segmented"))
    assert len(single_audio) == len(segmented_audio)
    assert np.abs(single_audio - segmented_audio).max() < 1e-4


def _decoded_audio(path: Path) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:a", "-ac", "1", "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, "<f4")


@pytest.mark.slow
@pytest.mark.parametrize("segments", [1, 3])
def test_no_gap_and_no_drift_at_the_joins(tmp_path: Path, segments: int) -> None:
    """A white flash and a click at the same instant just after each join: they stay together (and
    in a video of one part, which is joined to its sound the same way)."""
    size, seconds = (160, 96), 12.0
    slides = [Slide(Image.new("RGB", size, (0, 0, 0)), seconds)]
    settings = settings_for(size, preset="veryfast")
    total = round(seconds * FPS)
    joins = [b for _, b in plan_segments(plan_timeline(slides, FPS), 3, 120)][:-1]
    assert len(joins) == 2
    flash = Image.new("RGBA", size, (255, 255, 255, 255))
    flashes = [j + 3 for j in joins]
    sprite = Sprite((flash,), tuple((0, f, 1) for f in flashes), (0, 0))
    rate = 48_000
    t = np.arange(round(seconds * rate)) / rate
    voice = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)  # a steady tone: a gap would show
    for f in flashes:
        at = round(f / FPS * rate)
        voice[at : at + 48] = 0.9  # a 1 ms click
    out = tmp_path / "sync.mp4"
    encode_video(slides, Audio(voice, rate), out, settings, sprites=[sprite], segments=segments)
    frames = read_frames(out, size, "gray")
    assert len(frames) == total
    bright = np.flatnonzero(frames.mean(axis=(1, 2)) > 128)
    assert list(bright) == flashes
    audio = _decoded_audio(out)
    assert len(audio) == pytest.approx(seconds * rate, abs=rate / FPS)
    for f in flashes:
        t_video = f / FPS
        window = audio[round((t_video - 0.2) * rate) : round((t_video + 0.2) * rate)]
        t_audio = t_video - 0.2 + np.argmax(np.abs(window)) / rate
        assert abs(t_audio - t_video) < 0.5 / FPS, (f, t_audio, t_video)
    # and the tone runs on through the joins: every 10 ms holds it at one level (a gap would drop it)
    step = rate // 100
    rms = np.sqrt((audio[: len(audio) // step * step].reshape(-1, step) ** 2).mean(axis=1))
    clicks = {round(f / FPS * 100) + d for f in flashes for d in (-1, 0, 1)}
    steady = [r for i, r in enumerate(rms) if i not in clicks and 2 <= i < len(rms) - 2]
    level = float(np.median(steady))
    assert level > 0.1 and min(steady) > 0.9 * level and max(steady) < 1.1 * level


@pytest.mark.parametrize("segments", [1, 3])
def test_the_frames_and_sound_handed_back_are_those_a_decoder_reads(tmp_path: Path, segments: int) -> None:
    """The fingerprint is taken from the encode's own frames and mix; a decode of the file agrees."""
    from studio.encode.encoder import Readback
    from studio.label.fingerprint import AUDIO_RATE_HZ, FRAME_HZ, THUMB_PX, compare_videos, video_fingerprint
    from studio.label.readback import decode_video

    slides, sprites, overlays = _scene(12.0)
    t = np.arange(12 * 16_000) / 16_000
    voice = Audio((0.3 * np.sin(2 * np.pi * (300 + 200 * np.sin(t)) * t) * 32767).astype(np.int16), 16_000)
    out = tmp_path / "video.mp4"
    result = encode_video(
        slides,
        voice,
        out,
        settings_for((320, 180), preset="veryfast"),
        sprites=sprites,
        overlays=overlays,
        segments=segments,
        readback=Readback(FRAME_HZ, THUMB_PX, AUDIO_RATE_HZ),
    )
    assert result.thumbs is not None and result.sound is not None
    assert result.thumbs.shape == (24, THUMB_PX, THUMB_PX)
    # every half second's frame (0, 15, 30, ...) of the file, decoded whole
    every_frame = read_frames(out, (320, 180), "gray")
    for k, thumb in enumerate(result.thumbs):
        frame = Image.fromarray(every_frame[k * 15]).resize((THUMB_PX, THUMB_PX), Image.Resampling.BOX)
        assert np.abs(np.asarray(frame, dtype=int) - thumb).mean() < 3.0, k  # a neighbouring frame: 15+
    # and what a copy is checked against: the quick decode (reference frames only) of the file
    decoded = decode_video(out, (320, 180), result.duration_s, has_audio=True)
    assert decoded.audio is not None
    assert len(result.sound) == pytest.approx(len(decoded.audio), abs=AUDIO_RATE_HZ / 20)
    mine = video_fingerprint(list(result.thumbs), FRAME_HZ, result.sound)
    theirs = decoded.fingerprint()
    assert mine.audio is not None and theirs.audio is not None
    match = compare_videos(theirs, mine, [theirs.audio])
    assert match.pictures_match and match.picture_bits <= 4 and match.offset_s == 0
    assert match.audio_matches and match.audio_ber is not None and match.audio_ber < 0.1


def test_segments_share_the_frames_that_are_encoded() -> None:
    """Busy first third, still rest: the cut falls where half of the encoding work is done, not half the frames."""
    timeline = plan_timeline([Slide(Image.new("RGB", (64, 36)), 10.0)], FPS)  # 300 frames
    busy = list(range(100))  # every frame of the first 100 changes
    (first, second) = plan_segments(timeline, 2, 30, busy)
    work = 100 + 200 * REPEAT_WORK
    assert first == (0, second[0]) and second[1] == 300
    assert abs(second[0] - work / 2) <= 1  # frame 55, where half the work lies
    assert plan_segments(timeline, 2, 30) == ((0, 150), (150, 300))  # without: half the frames


def test_a_segment_waiting_for_its_pictures_gets_less_work() -> None:
    """Segments start one after another, each once its sprite pictures are made: a later segment's
    share is smaller by that wait, and all segments end together."""
    timeline = plan_timeline([Slide(Image.new("RGB", (64, 36)), 10.0)], FPS)  # 300 frames, every one encoded
    late = [(f, f + 3) for f in range(150, 300, 3)]  # 50 pictures, all shown in the second half
    (first, second) = plan_segments(timeline, 2, 30, pictures=late)
    shown = sum(1 for a, b in late if a < 300 and b > second[0])
    waited = PICTURE_WORK * shown
    assert second[0] > 150
    assert abs(second[0] - (300 - second[0] + waited)) <= 2  # the first's work = the second's + its wait
    # pictures the first segment shows wait for nobody: the split stays even
    assert plan_segments(timeline, 2, 30, pictures=[(f, f + 3) for f in range(0, 150, 3)]) == ((0, 150), (150, 300))
    # three segments: the third waits for the second's pictures and its own
    thirds = plan_segments(timeline, 3, 30, pictures=[(f, f + 3) for f in range(0, 300, 3)])
    lengths = [b - a for a, b in thirds]
    assert lengths[0] > lengths[1] > lengths[2]
