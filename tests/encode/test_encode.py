"""Real ffmpeg encodes at tiny sizes, checked by reading the MP4 back."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from encode_helpers import make_slide, read_frames, speech_like
from PIL import Image

from studio.encode import (
    CUT,
    Audio,
    EncodeSettings,
    Motion,
    MotionKind,
    Slide,
    crossfade,
    default_music_bed,
    encode_video,
    load_audio,
    probe_mp4,
    settings_for,
)
from studio.encode.audio import wav_bytes
from studio.errors import EncodeError

SMALL = settings_for((160, 90))


def assert_plays_everywhere(path: Path, size: tuple[int, int], fps: int, duration_s: float) -> None:
    facts = probe_mp4(path)
    assert facts.faststart, facts.top_level_boxes
    assert facts.video is not None and facts.audio is not None
    assert (facts.video.width, facts.video.height) == size
    assert facts.video.codec == "h264" and facts.video.pix_fmt == "yuv420p"
    assert facts.video.fps == pytest.approx(fps)
    assert abs(facts.video.duration_s - duration_s) <= 1 / fps
    assert facts.video.shown_frames == round(duration_s * fps)
    assert facts.video.frames <= facts.video.shown_frames
    assert facts.audio.codec == "aac" and facts.audio.sample_rate_hz == 48_000
    assert abs(facts.audio.duration_s - facts.video.duration_s) <= 1 / fps


def test_short_clip_with_motion_fades_narration_and_music(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    slides = [
        Slide(slides_rgb[0], 1.0, Motion(MotionKind.ZOOM_IN), crossfade(0.4)),
        Slide(slides_rgb[1], 0.8, Motion(MotionKind.PAN_RIGHT), CUT),
        Slide(slides_rgb[2], 0.7),
    ]
    out = tmp_path / "clip.mp4"
    seen: list[float] = []
    result = encode_video(slides, speech_like(2.5), out, SMALL, music=default_music_bed(), progress=seen.append)
    assert result.frames == 75 and result.duration_s == pytest.approx(2.5)
    assert_plays_everywhere(out, (160, 90), 30, 2.5)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]


def test_story_and_square_shapes(tmp_path: Path) -> None:
    tall = make_slide((100, 180), (10, 80, 160))
    for size in [(90, 160), (96, 96)]:
        out = tmp_path / f"{size[0]}x{size[1]}.mp4"
        encode_video([Slide(tall, 1.0, Motion(MotionKind.PAN_DOWN))], None, out, settings_for(size))
        assert_plays_everywhere(out, size, 30, 1.0)


def test_draft_preview_is_small_and_low_frame_rate(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    draft = EncodeSettings(size_px=(320, 180)).draft()
    out = tmp_path / "draft.mp4"
    encode_video([Slide(slides_rgb[0], 2.0, Motion(MotionKind.ZOOM_OUT))], speech_like(2.0), out, draft)
    assert_plays_everywhere(out, (160, 90), 15, 2.0)


def test_crossfade_is_centred_on_the_slide_boundary(tmp_path: Path) -> None:
    red, blue = Image.new("RGB", (64, 36), (255, 0, 0)), Image.new("RGB", (64, 36), (0, 0, 255))
    slides = [Slide(red, 1.0, transition=crossfade(0.4)), Slide(blue, 1.0)]
    out = tmp_path / "fade.mp4"
    encode_video(slides, None, out, settings_for((64, 36)))
    frames = read_frames(out, (64, 36))
    assert len(frames) == 60
    blue_share = frames[:, 18, 32, 2].astype(float) / (frames[:, 18, 32, 0].astype(float) + frames[:, 18, 32, 2] + 1e-9)
    fading = np.flatnonzero((blue_share > 0.03) & (blue_share < 0.97))
    assert fading[0] >= 30 - 7 and fading[-1] <= 30 + 6  # 12 frames around frame 30
    assert blue_share[30] == pytest.approx(0.5, abs=0.1)
    assert np.all(np.diff(blue_share[20:40]) >= -0.02)
    assert blue_share[:20].max() < 0.03 and blue_share[40:].min() > 0.97


@pytest.mark.parametrize("duration_s", [0.4, 0.5])
def test_each_crossfade_frame_is_the_linear_mix_of_its_frame(tmp_path: Path, duration_s: float) -> None:
    """Lossless: frame k of an n-frame crossfade is (1 - k/n) of the outgoing slide and k/n of the
    incoming one, to the colour conversion's rounding (the same 2 levels as the frames around it)."""
    red, blue = np.array([200, 40, 40]), np.array([20, 60, 220])
    slides = [
        Slide(Image.new("RGB", (64, 36), tuple(red.tolist())), 1.0, transition=crossfade(duration_s)),
        Slide(Image.new("RGB", (64, 36), tuple(blue.tolist())), 1.0),
    ]
    out = tmp_path / "fade.mp4"
    encode_video(slides, None, out, settings_for((64, 36), crf=0))
    centre = read_frames(out, (64, 36))[:, 18, 32].astype(float)
    n = round(duration_s * 30)
    start = 30 - n // 2
    share = np.clip((np.arange(60) - start) / n, 0.0, 1.0)[:, None]
    expected = red * (1 - share) + blue * share
    assert len(centre) == 60
    assert np.abs(centre - expected).max() <= 2.5


def test_pan_renders_smoothly_at_sub_pixel_steps(tmp_path: Path) -> None:
    """Track a soft dot through a slow pan: every frame moves it by the same fraction of a pixel."""
    size, frames_n = (320, 180), 45
    yy, xx = np.mgrid[0:198, 0:352].astype(float)
    dot = np.exp(-((xx - 176) ** 2 + (yy - 99) ** 2) / (2 * 3.0**2))
    image = Image.fromarray(np.repeat((30 + 200 * dot)[..., None], 3, axis=2).astype(np.uint8))
    out = tmp_path / "pan.mp4"
    encode_video(
        [Slide(image, frames_n / 30, Motion(MotionKind.PAN_RIGHT, 0.05))], None, out, settings_for(size, crf=10)
    )
    frames = read_frames(out, size, "gray").astype(float)
    xs = []
    for frame in frames:
        patch = frame[80:120, 130:190] - np.median(frame)
        patch[patch < 20] = 0
        xs.append((patch.sum(axis=0) * np.arange(130, 190)).sum() / patch.sum())
    steps = -np.diff(xs)  # the view pans right, so the dot moves left
    expected = (352 / 1.05 * 0.05 / 44) * (320 / (352 / 1.05)) * 1.0
    assert np.all(steps > 0)
    assert np.abs(steps - steps.mean()).max() < 0.2  # no whole-pixel stepping
    assert steps.mean() == pytest.approx(expected, rel=0.1)


def test_narration_from_a_wav_file_and_stream_output(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    wav = tmp_path / "voice.wav"
    wav.write_bytes(wav_bytes(speech_like(1.0, rate=16_000)))
    buffer = io.BytesIO()
    encode_video([Slide(slides_rgb[0], 1.0)], wav, buffer, SMALL)
    buffer.seek(0)
    facts = probe_mp4(buffer)
    assert facts.audio is not None and facts.video is not None and facts.faststart
    assert [p.name for p in tmp_path.iterdir()] == ["voice.wav"]


def test_bad_settings_raise_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(EncodeError, match="even"):
        settings_for((161, 90))
    with pytest.raises(EncodeError, match='x264 options "subme=1 -y /etc/passwd" not understood'):
        settings_for((160, 90), x264_params="subme=1 -y /etc/passwd")
    assert list(tmp_path.iterdir()) == []


def test_failed_encode_leaves_no_output_and_no_temp_file(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    """An ffmpeg that writes half a file and fails: the error carries its message, nothing is left."""
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nfor last; do :; done\nprintf half > "$last"\necho "Conversion failed: disk on fire" >&2\nexit 1\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    target_dir = tmp_path / "renders"
    target_dir.mkdir()
    settings = settings_for((160, 90), ffmpeg=str(fake))
    with pytest.raises(EncodeError, match="disk on fire"):
        encode_video([Slide(slides_rgb[0], 0.5)], None, target_dir / "v.mp4", settings)
    assert os.listdir(target_dir) == []


def test_failed_encode_keeps_an_existing_file(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    target = tmp_path / "v.mp4"
    target.write_bytes(b"previous render")
    with pytest.raises(EncodeError, match="cannot run"):
        encode_video([Slide(slides_rgb[0], 0.5)], None, target, settings_for((160, 90), ffmpeg=str(tmp_path / "nope")))
    assert target.read_bytes() == b"previous render"
    assert [p.name for p in tmp_path.iterdir()] == ["v.mp4"]


def test_probe_refuses_what_is_not_an_mp4(tmp_path: Path) -> None:
    bogus = tmp_path / "x.mp4"
    bogus.write_bytes(b"\x00\x00\x00\x10free\x00\x00\x00\x00\x00\x00\x00\x00")
    with pytest.raises(EncodeError, match="not an MP4"):
        probe_mp4(bogus)
    with pytest.raises(EncodeError, match="no such file"):
        probe_mp4(tmp_path / "missing.mp4")


def test_shipped_music_bed_loops_and_is_small() -> None:
    path = default_music_bed()
    assert path.stat().st_size < 1.5 * 2**20
    bed = load_audio(path, 48_000, 2)
    assert 60 <= bed.shape[0] / 48_000 <= 90
    peak = float(np.abs(bed).max())
    assert 0.2 < peak < 0.9
    seam = np.abs(bed[0] - bed[-1]).max()
    assert seam < np.percentile(np.abs(np.diff(bed[:, 0])), 99.9)


def test_in_memory_audio_is_resampled_to_the_mix_rate() -> None:
    tone = Audio((np.sin(np.arange(22_050) / 22_050 * 2 * np.pi * 440) * 16_000).astype(np.int16), 22_050)
    out = load_audio(tone, 48_000, 2)
    assert out.shape == (48_000, 2)
    spectrum = np.abs(np.fft.rfft(out[:, 0]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=1)
