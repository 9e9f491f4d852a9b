"""Values the encoder works on: slides, motions, transitions and encode settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from PIL import Image

from studio.errors import EncodeError

#: Named output sizes (width, height) in pixels. Any other even size may be passed in directly.
SIZES: dict[str, tuple[int, int]] = {
    "youtube": (1920, 1080),
    "story": (1080, 1920),
    "square": (1080, 1080),
}

#: x264 presets, fastest first.
PRESETS: tuple[str, ...] = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)


class MotionKind(StrEnum):
    """How the camera moves over a still slide."""

    NONE = "none"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    PAN_UP = "pan-up"
    PAN_DOWN = "pan-down"


@dataclass(frozen=True)
class Motion:
    """A slow camera move over the slide.

    ``amount`` is the zoom change for zooms (0.08: the view ends 8 % closer or farther) and, for
    pans, the zoom held while panning, whose margin the pan travels across.
    """

    kind: MotionKind = MotionKind.NONE
    amount: float = 0.08

    def __post_init__(self) -> None:
        if not 0.0 < self.amount <= 0.5:
            raise EncodeError(f"motion amount {self.amount} out of range; allowed: 0 < amount <= 0.5")


NO_MOTION = Motion(MotionKind.NONE)


class TransitionKind(StrEnum):
    """How one slide gives way to the next."""

    CUT = "cut"
    CROSSFADE = "crossfade"


@dataclass(frozen=True)
class Transition:
    """The change into the next slide.

    A crossfade is centred on the slide boundary: it starts ``duration_s / 2`` before the boundary
    and ends ``duration_s / 2`` after it, so slide start times (and the narration aligned to them)
    are unchanged and the video is exactly as long as the sum of slide durations.
    """

    kind: TransitionKind = TransitionKind.CUT
    duration_s: float = 0.0

    def __post_init__(self) -> None:
        if self.kind is TransitionKind.CROSSFADE and not 0.0 < self.duration_s <= 3.0:
            raise EncodeError(f"crossfade duration {self.duration_s} s out of range; allowed: 0 < d <= 3")


CUT = Transition()


def crossfade(duration_s: float = 0.5) -> Transition:
    """A crossfade of ``duration_s`` seconds, centred on the slide boundary."""
    return Transition(TransitionKind.CROSSFADE, duration_s)


@dataclass(frozen=True)
class Slide:
    """One still of the video: an RGB image (it may be larger than the output, as headroom for
    motion), how long it is shown, how the camera moves over it and how it gives way to the next."""

    image: Image.Image = field(repr=False)
    duration_s: float
    motion: Motion = NO_MOTION
    transition: Transition = CUT

    def __post_init__(self) -> None:
        if self.duration_s <= 0:
            raise EncodeError(f"slide duration {self.duration_s} s must be positive")
        if self.image.width < 2 or self.image.height < 2:
            raise EncodeError(f"slide image {self.image.width}x{self.image.height} px is too small")


@dataclass(frozen=True)
class Overlay:
    """An RGBA picture laid over the moving video at a fixed place: the synthetic-media badge on every
    frame, or a burned-in caption between ``start_s`` and ``end_s`` (``None``: to the last frame)."""

    image: Image.Image = field(repr=False)
    position_px: tuple[int, int]
    start_s: float = 0.0
    end_s: float | None = None

    def __post_init__(self) -> None:
        if self.image.mode != "RGBA":
            raise EncodeError(f"overlay image must be RGBA, got {self.image.mode}")
        if self.end_s is not None and self.end_s <= self.start_s:
            raise EncodeError(f"overlay ends ({self.end_s} s) before it starts ({self.start_s} s)")

    def window(self, first_s: float, end_s: float) -> Overlay | None:
        """This overlay in the part of the video from ``first_s`` to ``end_s``, its times from that
        part's start; None if it does not show there."""
        if self.start_s >= end_s or (self.end_s is not None and self.end_s <= first_s):
            return None
        end = None if self.end_s is None or self.end_s >= end_s else self.end_s - first_s
        return replace(self, start_s=max(0.0, self.start_s - first_s), end_s=end)


@dataclass(frozen=True)
class SpriteTiming:
    """When a sprite shows which of its pictures: ``clips`` are (picture index, first frame, frame
    count), in order; between clips nothing shows. It fades in over its first ``fade_in`` frames
    (alpha k / fade_in on the k-th) and out over its last ``fade_out`` (alpha 1 - k / fade_out), as a
    card crossfades in or out under it, with the same weights.

    ``moves`` are ``(frame, px)``: from that frame on the pictures show ``px`` lower than the sprite's
    place (even; before the first move, at it), as a figure rises and sinks with its breath.

    All the encoder plans with (which frames change, where segments may be cut), known before any
    picture is drawn."""

    clips: tuple[tuple[int, int, int], ...]
    fade_in: int = 0
    fade_out: int = 0
    moves: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.clips:
            raise EncodeError("a sprite needs at least one clip")
        end = 0
        for index, first, count in self.clips:
            if index < 0 or count < 1 or first < end:
                raise EncodeError(f"sprite clip ({index}, {first}, {count}) out of order or out of range")
            end = first + count
        frames = [f for f, _ in self.moves]
        if frames != sorted(set(frames)) or any(px % 2 for _, px in self.moves):
            raise EncodeError(f"sprite moves {self.moves}: out of order, or by an odd number of pixels")
        if self.fade_in < 0 or self.fade_out < 0 or self.fade_in + self.fade_out > self.end_f - self.start_f:
            raise EncodeError(
                f"sprite fades of {self.fade_in} and {self.fade_out} frames do not fit its "
                f"{self.end_f - self.start_f} frames"
            )

    @property
    def start_f(self) -> int:
        return self.clips[0][1]

    @property
    def end_f(self) -> int:
        return self.clips[-1][1] + self.clips[-1][2]

    def window(self, first: int, end: int) -> SpriteTiming | None:
        """This timing in frames ``first .. end - 1`` of the video, its clips counted from ``first``;
        None if nothing shows there. A fade is kept whole or left out: cutting one is an error."""
        clips = tuple(
            (index, max(start, first) - first, min(start + count, end) - max(start, first))
            for index, start, count in self.clips
            if start < end and start + count > first
        )
        if not clips:
            return None
        for low, high in self.fades:
            if low < first < high or low < end < high:
                raise EncodeError(f"frames {first}..{end - 1} cut a sprite's fade (frames {low}..{high - 1})")
        fade_in = self.fade_in if self.start_f >= first else 0
        fade_out = self.fade_out if self.end_f <= end else 0
        return SpriteTiming(clips, fade_in, fade_out, self._moves_in(first, end))

    def _moves_in(self, first: int, end: int) -> tuple[tuple[int, int], ...]:
        """The moves in frames ``first .. end - 1``, counted from ``first``, the place at ``first`` included."""
        at = next((px for f, px in reversed(self.moves) if f <= first), 0)
        inside = tuple((f - first, px) for f, px in self.moves if first < f < end)
        return ((0, at), *inside) if at else inside

    def shifted(self, frames: int) -> SpriteTiming:
        """This timing ``frames`` later."""
        return SpriteTiming(
            tuple((i, f + frames, n) for i, f, n in self.clips),
            self.fade_in,
            self.fade_out,
            tuple((f + frames, px) for f, px in self.moves),
        )

    @property
    def fades(self) -> tuple[tuple[int, int], ...]:
        """The frame ranges ``(first, end)`` over which the sprite fades in or out."""
        ranges = ((self.start_f, self.start_f + self.fade_in), (self.end_f - self.fade_out, self.end_f))
        return tuple(r for r in ranges if r[1] > r[0])

    def spans(self) -> tuple[tuple[int, int], ...]:
        """For each picture shown, the first frame it shows on and the end of its last clip."""
        spans: dict[int, tuple[int, int]] = {}
        for index, first, count in self.clips:
            spans[index] = (spans.get(index, (first, 0))[0], first + count)
        return tuple(spans.values())

    def shown(self) -> tuple[tuple[int, int, int], ...]:
        """The clips as the encoder shows them: those frames that fade, one clip each (a fading
        picture changes on every frame)."""
        if not self.fades:
            return self.clips
        out: list[tuple[int, int, int]] = []
        for index, start, count in self.clips:
            cuts = {start, start + count}
            for low, high in self.fades:
                cuts |= {f for f in range(low, high + 1) if start < f < start + count}
            edges = sorted(cuts)
            out += [(index, a, b - a) for a, b in zip(edges[:-1], edges[1:], strict=True)]
        return tuple(out)


@dataclass(frozen=True)
class Sprite:
    """A sequence of RGBA pictures of one size at a fixed place, shown as its :class:`SpriteTiming`
    says (``clips``, ``fade_in``, ``fade_out``). Each distinct picture is handed to ffmpeg once and
    shown for its clips' durations (the concat demuxer), so a character talking for a minute costs a
    few dozen pictures, not a picture a frame."""

    pictures: tuple[Image.Image, ...] = field(repr=False)
    clips: tuple[tuple[int, int, int], ...]
    position_px: tuple[int, int]
    fade_in: int = 0
    fade_out: int = 0
    moves: tuple[tuple[int, int], ...] = ()  # see SpriteTiming

    def __post_init__(self) -> None:
        timing = self.timing  # checks the clips and fades
        sizes = {p.size for p in self.pictures}
        if len(sizes) != 1:
            raise EncodeError(f"the pictures of a sprite must share one size, got {sorted(sizes)}")
        if max(index for index, _, _ in timing.clips) >= len(self.pictures):
            raise EncodeError(f"sprite clip out of range: the sprite has {len(self.pictures)} pictures")

    @cached_property
    def timing(self) -> SpriteTiming:
        """The sprite's clips and fades, checked once (a new sprite, from ``replace``, is checked anew)."""
        return SpriteTiming(self.clips, self.fade_in, self.fade_out, self.moves)

    def window(self, first: int, end: int) -> Sprite | None:
        """This sprite in frames ``first .. end - 1`` of the video, its clips counted from ``first``;
        None if it does not show there (see :meth:`SpriteTiming.window`)."""
        timing = self.timing.window(first, end)
        return None if timing is None else self.timed(timing)

    def timed(self, timing: SpriteTiming) -> Sprite:
        """These pictures at ``timing``."""
        return replace(self, clips=timing.clips, fade_in=timing.fade_in, fade_out=timing.fade_out, moves=timing.moves)

    @property
    def fades(self) -> tuple[tuple[int, int], ...]:
        return self.timing.fades

    def shown(self) -> tuple[tuple[int, int, int], ...]:
        return self.timing.shown()

    @property
    def start_f(self) -> int:
        return self.timing.start_f

    @property
    def end_f(self) -> int:
        return self.timing.end_f


_X264_PARAMS = re.compile(r"[a-z0-9-]+=[A-Za-z0-9.,+-]+(:[a-z0-9-]+=[A-Za-z0-9.,+-]+)*")


@dataclass(frozen=True)
class EncodeSettings:
    """How to encode: output size, frame rate, x264 preset and quality, audio format.

    Use :func:`settings_for` for the named sizes and the draft preview.
    """

    size_px: tuple[int, int] = SIZES["youtube"]
    fps: int = 30
    preset: str = "ultrafast"
    crf: int = 23  # 0: lossless (a master to edit from; about ten times larger)
    #: x264's own options over the preset, ``name=value`` joined by ``:`` (e.g. ``subme=1:me=dia``).
    x264_params: str = ""
    audio_rate_hz: int = 48_000
    audio_bitrate_kbps: int = 128
    #: ffmpeg binary to run; ``None`` takes the one bundled with imageio-ffmpeg.
    ffmpeg: str | None = None
    #: Worker threads for x264 and the filter graph; 0 lets ffmpeg choose.
    threads: int = 0
    #: A frame that repeats the one before is not encoded again: the one before is shown for longer
    #: (a variable frame rate, as phones record). Most frames of an explainer repeat, so x264 and the
    #: filter graph do about a third of the work. False gives a constant frame rate.
    drop_repeats: bool = True

    def __post_init__(self) -> None:
        width, height = self.size_px
        if width < 16 or height < 16 or width % 2 or height % 2:
            raise EncodeError(
                f"output size {width}x{height} px is not allowed: width and height must be even and "
                f">= 16 (H.264 with yuv420p needs even sizes); named sizes: {', '.join(SIZES)}"
            )
        if not 1 <= self.fps <= 120:
            raise EncodeError(f"fps {self.fps} out of range; allowed: 1 .. 120")
        if self.preset not in PRESETS:
            raise EncodeError(f'unknown x264 preset "{self.preset}"; known: {", ".join(PRESETS)}')
        if self.x264_params and not _X264_PARAMS.fullmatch(self.x264_params):
            raise EncodeError(f'x264 options "{self.x264_params}" not understood; write name=value pairs joined by ":"')
        if not 0 <= self.crf <= 51:
            raise EncodeError(f"crf {self.crf} out of range; allowed: 0 .. 51")
        if self.audio_rate_hz not in (44_100, 48_000):
            raise EncodeError(f"audio rate {self.audio_rate_hz} Hz not allowed; allowed: 44100, 48000")
        if not 32 <= self.audio_bitrate_kbps <= 320:
            raise EncodeError(f"audio bitrate {self.audio_bitrate_kbps} kbps out of range; allowed: 32 .. 320")
        if self.threads < 0:
            raise EncodeError(f"threads {self.threads} must be >= 0")

    def draft(self) -> EncodeSettings:
        """A fast low-resolution preview of these settings: at most half size, 15 fps, fastest preset."""
        width, height = self.size_px
        scale = min(0.5, 640 / max(width, height))
        small = (max(16, round(width * scale / 2) * 2), max(16, round(height * scale / 2) * 2))
        return replace(
            self,
            size_px=small,
            fps=min(self.fps, 15),
            preset="ultrafast",
            x264_params="",
            crf=max(self.crf, 28),
            audio_bitrate_kbps=min(self.audio_bitrate_kbps, 64),
        )


def settings_for(size: str | tuple[int, int], *, draft: bool = False, **overrides: object) -> EncodeSettings:
    """Settings for a named size (``youtube``, ``story``, ``square``) or an explicit (width, height).

    ``draft=True`` gives the fast preview variant; ``overrides`` set any other field.
    """
    if isinstance(size, str):
        if size not in SIZES:
            raise EncodeError(f'unknown video size "{size}"; known: {", ".join(SIZES)}')
        size_px = SIZES[size]
    else:
        size_px = (int(size[0]), int(size[1]))
    settings = EncodeSettings(size_px=size_px, **overrides)  # type: ignore[arg-type]
    return settings.draft() if draft else settings
