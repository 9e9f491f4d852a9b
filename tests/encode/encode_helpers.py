"""Helpers for the encoder tests: tiny slides and narration, frame extraction."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from studio.encode import Audio, probe_mp4
from studio.encode.ffmpeg import ffmpeg_exe


def make_slide(size: tuple[int, int], color: tuple[int, int, int], label: str = "") -> Image.Image:
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w * 0.1, h * 0.4, w * 0.9, h * 0.6), fill=(255, 255, 255))
    if label:
        draw.text((w * 0.12, h * 0.42), label, fill=(0, 0, 0))
    return image


def speech_like(seconds: float, rate: int = 22_050, on_s: float = 1.0, off_s: float = 1.0) -> Audio:
    """A buzzy tone switched on for ``on_s`` and off for ``off_s``, as int16 mono."""
    t = np.arange(int(seconds * rate)) / rate
    gate = (t % (on_s + off_s)) < on_s
    tone = 0.4 * np.sin(2 * np.pi * 150 * t) + 0.2 * np.sin(2 * np.pi * 900 * t)
    return Audio((tone * gate * 32767).astype(np.int16), rate)


def read_frames(path: Path, size: tuple[int, int], pix_fmt: str = "rgb24") -> np.ndarray:
    """Every frame a player shows, as (frames, height, width[, 3]) uint8: a frame shown for longer
    (a repeat not stored again) is read as often as it is shown at the video's frame rate."""
    facts = probe_mp4(path).video
    assert facts is not None, path
    rate = f"fps={facts.fps:.6f}"
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-vf", rate, "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"],
        capture_output=True,
        check=True,
    ).stdout
    shape = (-1, size[1], size[0], 3) if pix_fmt == "rgb24" else (-1, size[1], size[0])
    return np.frombuffer(raw, np.uint8).reshape(shape)
