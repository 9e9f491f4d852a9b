"""The explainer's timeline: when each card, scene and sentence plays, and the captions. Pure.

Every time here comes from audio that was actually synthesised: a scene lasts as long as its
sentences' measured durations plus fixed pauses, and each caption starts exactly when its
sentence's audio starts. Scene boundaries fall on whole frames so slides change on time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from studio.errors import SpecError
from studio.layout.text import Measure, wrap


@dataclass(frozen=True)
class Pacing:
    intro_s: float = 3.0  # title card with the hashtag (the spoken disclosure plays over it)
    lead_s: float = 0.4  # silence before a scene's first sentence
    pause_s: float = 0.35  # between sentences
    tail_s: float = 0.6  # after a scene's last sentence
    end_s: float = 6.0  # end card with the QR code, long enough to scan it
    max_caption_lines: int = 2
    max_chars_per_s: float = 22.0  # reading-speed limit for captions


@dataclass(frozen=True)
class SpokenLine:
    """A sentence as written (for the caption) and how long its audio lasts."""

    text: str
    duration_s: float


@dataclass(frozen=True)
class Caption:
    start_s: float
    end_s: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Segment:
    """One card or scene on screen."""

    kind: str  # "intro", "scene" or "end"
    index: int  # scene number (1-based), 0 for the cards
    start_s: float
    duration_s: float
    speech_starts_s: tuple[float, ...]  # where each of its sentences' audio begins

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Timeline:
    fps: int
    segments: tuple[Segment, ...]
    captions: tuple[Caption, ...]

    @property
    def duration_s(self) -> float:
        return self.segments[-1].end_s if self.segments else 0.0


@dataclass(frozen=True)
class CaptionStyle:
    font: Path
    size_px: int
    width_px: float


def _frames(seconds: float, fps: int) -> float:
    """Round a duration up to whole frames."""
    return math.ceil(seconds * fps - 1e-9) / fps


def build_timeline(
    intro: Sequence[SpokenLine],
    scenes: Sequence[Sequence[SpokenLine]],
    fps: int,
    pacing: Pacing,
    caption_style: CaptionStyle,
    measure: Measure,
    where: str,
) -> Timeline:
    """Place the intro card, every scene and the end card; caption every spoken sentence.

    ``intro`` is what is spoken over the title card (the disclosure); ``scenes`` the sentences of each
    scene. Raises SpecError naming the scene and sentence when a caption needs more than two lines or
    would have to be read too fast.
    """
    segments: list[Segment] = []
    captions: list[Caption] = []
    t = 0.0

    def place(kind: str, index: int, lines: Sequence[SpokenLine], minimum_s: float, lead_s: float) -> None:
        nonlocal t
        starts = []
        cursor = t + lead_s
        for line in lines:
            starts.append(cursor)
            cursor += line.duration_s + pacing.pause_s
        spoken_end = cursor - (pacing.pause_s if lines else 0.0)
        duration = _frames(max(minimum_s, spoken_end - t + (pacing.tail_s if lines else 0.0)), fps)
        segments.append(Segment(kind, index, t, duration, tuple(starts)))
        for i, (line, start) in enumerate(zip(lines, starts, strict=True)):
            # A caption stays up through the pause after its sentence: more time to read, no flicker.
            end = starts[i + 1] if i + 1 < len(starts) else min(t + duration, start + line.duration_s + pacing.pause_s)
            label = f"{where}, {'scene ' + str(index) if kind == 'scene' else kind + ' card'}"
            captions.append(_caption(line.text, start, end, caption_style, measure, pacing, label))
        t += duration

    place("intro", 0, intro, pacing.intro_s, pacing.lead_s)
    for number, lines in enumerate(scenes, start=1):
        place("scene", number, lines, 0.0, pacing.lead_s)
    place("end", 0, (), pacing.end_s, 0.0)
    return Timeline(fps, tuple(segments), tuple(captions))


def _caption(
    text: str, start: float, end: float, style: CaptionStyle, measure: Measure, pacing: Pacing, where: str
) -> Caption:
    lines = wrap(text, style.width_px, style.font, style.size_px, measure)
    if lines is None or len(lines) > pacing.max_caption_lines:
        raise SpecError(
            f'{where}: the sentence "{text}" needs more than {pacing.max_caption_lines} caption lines; '
            "split it into shorter sentences"
        )
    speed = len(text) / max(end - start, 1e-6)
    if speed > pacing.max_chars_per_s:
        raise SpecError(
            f'{where}: the caption "{text}" would have to be read at {speed:.0f} characters a second '
            f"(limit {pacing.max_chars_per_s:g}); slow the voice down or shorten the sentence"
        )
    return Caption(start, end, lines)


def _timestamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


class Timed(Protocol):
    """A caption as the caption files need it."""

    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...
    @property
    def lines(self) -> tuple[str, ...]: ...


def to_srt(captions: Sequence[Timed]) -> str:
    blocks = []
    for i, c in enumerate(captions, start=1):
        blocks.append(f"{i}\n{_timestamp(c.start_s, ',')} --> {_timestamp(c.end_s, ',')}\n" + "\n".join(c.lines))
    return "\n\n".join(blocks) + "\n"


def to_webvtt(captions: Sequence[Timed]) -> str:
    blocks = ["WEBVTT"]
    for c in captions:
        blocks.append(f"{_timestamp(c.start_s, '.')} --> {_timestamp(c.end_s, '.')}\n" + "\n".join(c.lines))
    return "\n\n".join(blocks) + "\n"
