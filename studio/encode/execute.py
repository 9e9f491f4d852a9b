"""Executing a video plan: its cards, sprites and stills handed to the encoder, its voice on one track.

The plan (:mod:`studio.video.plan`) decided everything; this only maps it onto
:func:`studio.encode.encode_video`'s slides, sprites and overlays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from studio.encode.audio import Audio
from studio.encode.encoder import EncodeResult, Readback, SegmentRunner, default_music_bed, encode_video
from studio.encode.model import (
    CUT,
    EncodeSettings,
    Motion,
    MotionKind,
    Overlay,
    Slide,
    Sprite,
    crossfade,
)
from studio.errors import EncodeError
from studio.video.plan import SpriteTrack, VideoPlan
from studio.voice.speech import Speech

AUDIO_RATE_HZ = 48_000


def slides_of(plan: VideoPlan, pictures: Mapping[str, Image.Image]) -> list[Slide]:
    slides = []
    for card in plan.cards:
        motion = Motion(MotionKind(card.motion), card.amount) if card.motion != "none" else Motion()
        transition = crossfade(card.transition_s) if card.transition == "crossfade" and card.transition_s else CUT
        slides.append(Slide(pictures[card.picture], card.frames / plan.fps, motion, transition))
    return slides


def sprite_of(track: SpriteTrack, pictures: Mapping[str, Image.Image], threads: int = 1) -> Sprite:
    """A track's pictures on one canvas size (anchored as the track says) and its clips by index.

    With ``threads`` > 1 the pictures are cut by that many threads (Pillow copies pixels outside
    Python's lock)."""
    keys = list(dict.fromkeys(c.picture for c in track.clips if c.picture is not None))
    images = [pictures[k].convert("RGBA") if pictures[k].mode != "RGBA" else pictures[k] for k in keys]
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    # Even sizes: the pictures convert to yuva420p whole.
    w, h = w + w % 2, h + h % 2
    bottom = track.anchor == "bottom"
    offsets = [((w - i.width) // 2 if bottom else 0, h - i.height if bottom else 0) for i in images]
    x, y = track.at_px
    if bottom:
        x, y = x - w // 2, y - h
    # ffmpeg blends every pixel of a sprite on every frame it shows, transparent or not: only the box
    # any picture draws in is kept (with a margin, on even pixels, so the colour conversion sees the
    # same neighbours and the chroma the same 2×2 blocks). Each picture is placed on the common canvas
    # and cut to that box in one crop (a crop past a picture's edge is transparent).
    drawn = [
        (b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy)
        for image, (ox, oy) in zip(images, offsets, strict=True)
        if (b := image.getbbox(alpha_only=True)) is not None
    ]
    box = _drawn_box(drawn, (w, h)) or (0, 0, w, h)

    def cut(placed: tuple[Image.Image, tuple[int, int]]) -> Image.Image:
        image, (ox, oy) = placed
        if image.size == (box[2] - box[0], box[3] - box[1]) and (ox, oy) == box[:2]:
            return image
        return image.crop((box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy))

    placed = list(zip(images, offsets, strict=True))
    if threads > 1 and len(placed) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            padded = list(pool.map(cut, placed))
    else:
        padded = [cut(p) for p in placed]
    x, y = x + box[0], y + box[1]
    index = {k: i for i, k in enumerate(keys)}
    clips = tuple((index[c.picture], c.start_f, c.frames) for c in track.clips if c.picture is not None)
    return Sprite(tuple(padded), clips, (x, y), track.fade_in_f, track.fade_out_f)


#: Transparent pixels kept around what a sprite draws (even).
SPRITE_MARGIN_PX = 8


def _drawn_box(boxes: list[tuple[int, int, int, int]], size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The even-aligned box (with SPRITE_MARGIN_PX, within ``size``) holding every one of ``boxes``
    (the drawn pixels of each picture); None if nothing is drawn."""
    if not boxes:
        return None
    w, h = size
    m = SPRITE_MARGIN_PX
    left = max(0, min(b[0] for b in boxes) - m) // 2 * 2
    top = max(0, min(b[1] for b in boxes) - m) // 2 * 2
    right = min(w, (max(b[2] for b in boxes) + m + 1) // 2 * 2)
    bottom = min(h, (max(b[3] for b in boxes) + m + 1) // 2 * 2)
    return left, top, right, bottom


def voice_track(plan: VideoPlan, speech: Callable[[tuple[int, int, int]], Speech]) -> Audio:
    """Every sentence's audio placed at its start time on one track (float, 48 kHz)."""
    total = round(plan.duration_s * AUDIO_RATE_HZ)
    track = np.zeros(total, dtype=np.float32)
    for clip in plan.voice:
        said = speech(clip.ref)
        samples = said.samples.astype(np.float32) / 32768.0
        rate = said.sample_rate_hz
        # Linear resampling to the track rate is transparent for speech band-limited to ~8 kHz.
        n_out = round(len(samples) * AUDIO_RATE_HZ / rate)
        resampled = np.interp(np.arange(n_out) * rate / AUDIO_RATE_HZ, np.arange(len(samples)), samples)
        at = round(clip.start_s * AUDIO_RATE_HZ)
        end = min(total, at + n_out)
        track[at:end] += resampled[: end - at].astype(np.float32)
    return Audio(track, AUDIO_RATE_HZ)


def encode_plan(
    plan: VideoPlan,
    pictures: Mapping[str, Image.Image],
    narration: Audio,
    out: str | Path | BinaryIO,
    settings: EncodeSettings,
    still_positions: Mapping[str, tuple[int, int]],
    *,
    segments: int = 1,
    readback: Readback | None = None,
    runner: SegmentRunner | None = None,
) -> EncodeResult:
    """Encode ``plan`` with its pictures drawn and its narration mixed onto one track, in
    ``segments`` parts at once (see :func:`studio.encode.encode_video`)."""
    if settings.size_px != plan.size_px or settings.fps != plan.fps:
        raise EncodeError(
            f"the plan is for {plan.size_px[0]}x{plan.size_px[1]} at {plan.fps} fps, the encode "
            f"{settings.size_px[0]}x{settings.size_px[1]} at {settings.fps} fps"
        )
    sprites = [sprite_of(t, pictures, threads=segments) for t in plan.sprites if t.clips]
    overlays = []
    for still in plan.stills:
        image = pictures[still.picture]
        at = still.at_px if still.at_px is not None else still_positions[still.picture]
        overlays.append(
            Overlay(image if image.mode == "RGBA" else image.convert("RGBA"), at, still.start_s, still.end_s)
        )
    return encode_video(
        slides_of(plan, pictures),
        narration,
        out,
        settings,
        music=default_music_bed() if plan.music else None,
        overlays=overlays,
        sprites=sprites,
        segments=segments,
        readback=readback,
        runner=runner,
    )
