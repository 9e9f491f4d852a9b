"""Executing a video plan: its cards, sprites and stills handed to the encoder, its voice on one track.

The plan (:mod:`studio.video.plan`) decided everything; this only maps it onto
:func:`studio.encode.encode_video`'s slides, sprites and overlays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from studio.encode.audio import Audio
from studio.encode.encoder import (
    EncodeResult,
    Readback,
    SegmentRunner,
    SoundEncode,
    SpriteSource,
    default_music_bed,
    encode_video,
)
from studio.encode.model import (
    CUT,
    EncodeSettings,
    Motion,
    MotionKind,
    Overlay,
    Slide,
    Sprite,
    SpriteTiming,
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


def _keys(track: SpriteTrack) -> list[str]:
    """The track's distinct pictures, in the order they first show."""
    return list(dict.fromkeys(c.picture for c in track.clips if c.picture is not None))


def timing_of(track: SpriteTrack) -> SpriteTiming:
    """When the track shows which of its pictures (numbered as :func:`_keys` lists them)."""
    index = {k: i for i, k in enumerate(_keys(track))}
    clips = tuple((index[c.picture], c.start_f, c.frames) for c in track.clips if c.picture is not None)
    return SpriteTiming(clips, track.fade_in_f, track.fade_out_f, track.moves)


def sprite_of(
    track: SpriteTrack,
    pictures: Mapping[str, Image.Image],
    threads: int = 1,
    window: tuple[int, int] | None = None,
) -> Sprite | None:
    """A track's pictures cut to one box and its clips by index; with ``window`` (first frame, end
    frame) only the part shown there, its clips counted from ``first`` (None if nothing shows).

    Each picture stands where the track puts it (:meth:`SpriteTrack.corner_px`), whatever the other
    pictures' sizes: a part of the track cut out for
    one segment lays every pixel where the whole track would. With ``threads`` > 1 the pictures are
    cut by that many threads (Pillow copies pixels outside Python's lock)."""
    keys, timing = _keys(track), timing_of(track)
    if window is not None:
        shown = timing.window(*window)
        if shown is None:
            return None
        used = sorted({i for i, _, _ in shown.clips})  # numbered anew: only these pictures are made
        number = {old: new for new, old in enumerate(used)}
        keys = [keys[i] for i in used]
        timing = replace(shown, clips=tuple((number[i], first, count) for i, first, count in shown.clips))
    images = [pictures[k].convert("RGBA") if pictures[k].mode != "RGBA" else pictures[k] for k in keys]
    places = [track.corner_px(i.size) for i in images]
    # ffmpeg blends every pixel of a sprite on every frame it shows, transparent or not: only the box
    # any picture draws in is kept, with a margin, its corners on even pixels of the frame (so the
    # colour conversion sees the same neighbours, the chroma the same 2×2 blocks, and overlay never
    # rounds a position). Each picture is cut to that box in one crop (past its edge: transparent).
    drawn = [
        (b[0] + px, b[1] + py, b[2] + px, b[3] + py)
        for image, (px, py) in zip(images, places, strict=True)
        if (b := image.getbbox(alpha_only=True)) is not None
    ]
    whole = [(px, py, px + i.width, py + i.height) for i, (px, py) in zip(images, places, strict=True)]
    box = _drawn_box(drawn or whole, SPRITE_MARGIN_PX if drawn else 0)

    def cut(placed: tuple[Image.Image, tuple[int, int]]) -> Image.Image:
        image, (px, py) = placed
        if image.size == (box[2] - box[0], box[3] - box[1]) and (px, py) == box[:2]:
            return image
        return image.crop((box[0] - px, box[1] - py, box[2] - px, box[3] - py))

    placed = list(zip(images, places, strict=True))
    if threads > 1 and len(placed) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            padded = list(pool.map(cut, placed))
    else:
        padded = [cut(p) for p in placed]
    return Sprite(tuple(padded), timing.clips, box[:2], timing.fade_in, timing.fade_out, timing.moves)


#: Transparent pixels kept around what a sprite draws (even).
SPRITE_MARGIN_PX = 8


def _drawn_box(boxes: list[tuple[int, int, int, int]], margin: int) -> tuple[int, int, int, int]:
    """The box holding every one of ``boxes`` with ``margin`` around, its corners on even pixels."""
    left = (min(b[0] for b in boxes) - margin) // 2 * 2
    top = (min(b[1] for b in boxes) - margin) // 2 * 2
    right = -((-max(b[2] for b in boxes) - margin) // 2 * 2)
    bottom = -((-max(b[3] for b in boxes) - margin) // 2 * 2)
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


def start_sound(plan: VideoPlan, narration: Audio, settings: EncodeSettings, readback: Readback | None) -> SoundEncode:
    """The plan's sound (``narration`` over the music bed if the plan has music) mixed and encoded from
    now on, beside whatever is done next: its pictures can be drawn meanwhile."""
    music = default_music_bed() if plan.music else None
    return SoundEncode(narration, plan.frames, settings, music=music, readback=readback)


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
    draw: Callable[[Sequence[str]], Mapping[str, Image.Image]] | None = None,
    sound: SoundEncode | None = None,
) -> EncodeResult:
    """Encode ``plan`` with its pictures drawn and its narration mixed onto one track, in
    ``segments`` parts at once (see :func:`studio.encode.encode_video`).

    ``draw`` draws the sprites' pictures missing from ``pictures`` when a part of the video first
    needs them: in segments, a part's characters and captions are drawn while the parts before it
    are encoded. ``sound``: the plan's sound, already being encoded (see :func:`start_sound`)."""
    if settings.size_px != plan.size_px or settings.fps != plan.fps:
        raise EncodeError(
            f"the plan is for {plan.size_px[0]}x{plan.size_px[1]} at {plan.fps} fps, the encode "
            f"{settings.size_px[0]}x{settings.size_px[1]} at {settings.fps} fps"
        )
    have = dict(pictures)
    tracks = [t for t in plan.sprites if any(c.picture is not None for c in t.clips)]
    # the frame after which each drawn picture shows no more: parts of the video are made in order,
    # so a picture is let go once the part it last shows in is made (a video's pictures never all
    # held at once)
    last_shown: dict[str, int] = {}
    for track in tracks:
        for c in track.clips:
            if c.picture is not None and c.picture not in pictures:
                last_shown[c.picture] = max(last_shown.get(c.picture, 0), c.start_f + c.frames)

    def make(first: int, end: int) -> Iterator[Sprite]:
        """Track by track: the encoder writes one track's pictures while the next is drawn."""
        shown: list[str] = []
        for track in tracks:
            here = [
                c.picture
                for c in track.clips
                if c.picture is not None and c.start_f < end and c.start_f + c.frames > first
            ]
            shown += here
            if draw is not None:
                missing = [k for k in dict.fromkeys(here) if k not in have]
                if missing:
                    have.update(draw(missing))
            if (sprite := sprite_of(track, have, segments, (first, end))) is not None:
                yield sprite
        for key in shown:  # (a picture two tracks share is kept until both are made)
            if last_shown.get(key, end + 1) <= end:
                have.pop(key, None)

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
        sprites=SpriteSource(tuple(timing_of(t) for t in tracks), make),
        segments=segments,
        readback=readback,
        runner=runner,
        sound=sound,
    )
