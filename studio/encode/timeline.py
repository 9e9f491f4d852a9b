"""Frame timing of a slide show: how many frames each slide gets and where crossfades fall.

Pure planning, no I/O. Slide boundaries are placed on the frame grid from cumulative times, so
rounding never accumulates: the video has ``round(sum(durations) * fps)`` frames, within half a
frame of the planned duration. Crossfades are centred on the boundaries and the slides either side
are lengthened to overlap, so boundaries (and narration aligned to them) do not move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studio.encode.model import Slide, TransitionKind
from studio.errors import EncodeError


@dataclass(frozen=True)
class SlideSpan:
    """One slide's stretch of frames in the video.

    The slide owns frames ``start .. end - 1``; it is rendered for ``head`` extra frames before
    ``start`` and ``tail`` after ``end`` where it crossfades with its neighbours.
    """

    start: int
    end: int
    head: int
    tail: int

    @property
    def frames(self) -> int:
        """Frames this slide's stream renders, overlaps included."""
        return self.end - self.start + self.head + self.tail


@dataclass(frozen=True)
class Join:
    """How slide ``index`` joins the video built so far: cut (``fade_frames`` 0) or crossfade.

    ``offset_frame`` is where the crossfade starts in the video so far.
    """

    index: int
    fade_frames: int
    offset_frame: int


@dataclass(frozen=True)
class VideoTimeline:
    """Frame plan of the whole video."""

    fps: int
    spans: tuple[SlideSpan, ...]
    joins: tuple[Join, ...]

    @property
    def total_frames(self) -> int:
        return self.spans[-1].end if self.spans else 0

    @property
    def duration_s(self) -> float:
        return self.total_frames / self.fps


def plan_timeline(slides: Sequence[Slide], fps: int) -> VideoTimeline:
    """Frame spans of ``slides`` at ``fps`` and the joins (cuts and crossfades) between them."""
    if not slides:
        raise EncodeError("a video needs at least one slide")
    bounds = [0]
    elapsed = 0.0
    for slide in slides:
        elapsed += slide.duration_s
        bounds.append(round(elapsed * fps))
    for i in range(len(slides)):
        if bounds[i + 1] <= bounds[i]:
            raise EncodeError(
                f"slide {i + 1}: duration {slides[i].duration_s} s is shorter than one frame at {fps} fps"
            )
    fades = [
        round(s.transition.duration_s * fps) if s.transition.kind is TransitionKind.CROSSFADE else 0
        for s in slides[:-1]
    ]
    heads = [0] + [f // 2 for f in fades]
    tails = [f - f // 2 for f in fades] + [0]
    spans = tuple(
        SlideSpan(start=bounds[i], end=bounds[i + 1], head=heads[i], tail=tails[i]) for i in range(len(slides))
    )
    for i, span in enumerate(spans):
        # The fade in from the previous slide must end before the fade out to the next begins.
        fade_in_end = span.start + (tails[i - 1] if i > 0 else 0)
        fade_out_start = span.end - (heads[i + 1] if i + 1 < len(spans) else 0)
        if fade_in_end > fade_out_start:
            raise EncodeError(f"slide {i + 1}: {slides[i].duration_s} s is too short for the crossfades around it")
    joins = []
    length = spans[0].frames
    for i in range(1, len(spans)):
        fade = fades[i - 1]
        joins.append(Join(index=i, fade_frames=fade, offset_frame=length - fade))
        length += spans[i].frames - fade
    if length != spans[-1].end:
        raise EncodeError(f"internal timeline error: {length} frames built, {spans[-1].end} planned")
    return VideoTimeline(fps=fps, spans=spans, joins=tuple(joins))
