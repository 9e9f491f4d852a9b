"""Camera motion over a still: per-frame view windows and their sub-pixel realisation.

Pure planning, no I/O. The encoder realises each frame's view window with three ffmpeg steps that
only accept whole pixels: crop the (padded) slide to ``crop`` pixels at ``offset``, scale that to
``scaled`` pixels, and crop the output size at ``out_offset``. Output pixel ``u`` then samples the
slide at ``offset + (u + out_offset + 0.5) * crop / scaled - 0.5``. Rounding a single crop box to
whole pixels, as ffmpeg's zoompan does, makes slow moves step a pixel at a time (judder); searching
the integer quadruple whose mapping is closest to the wanted one keeps the error near 0.05 px, so
slow pans and zooms glide. swscale's bilinear scaler does the resampling at ~2 ms a 1080p frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.encode.model import Motion, MotionKind
from studio.errors import EncodeError

#: Source pixels per output pixel kept at or above this during motion: near 1.0 an integer crop
#: cannot express a sub-pixel shift, so the slide is rescaled once to stay clear of it.
MIN_RATIO = 1.05
#: Above this the per-frame downscale reads needlessly many pixels; larger slides are shrunk once.
MAX_RATIO = 1.35
#: How many extra pixels the intermediate scaled frame may have (its search range).
SEARCH_PX = 96
#: A frame keeps the previous frame's crop and scale sizes if that stays within this error: a size
#: change makes ffmpeg rebuild the scaler, while an offset change is free.
KEEP_SIZES_ERROR_PX = 0.06


@dataclass(frozen=True)
class Window:
    """A view rectangle in slide pixels (floats: sub-pixel positions are the point)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class AxisFit:
    """Whole-pixel crop, scale and crop along one axis, and how far it strays from the wanted mapping."""

    offset: int
    crop: int
    scaled: int
    out_offset: int
    error_px: float


@dataclass(frozen=True)
class FrameGeometry:
    """The three ffmpeg steps for one frame: horizontal and vertical fits."""

    x: AxisFit
    y: AxisFit

    @property
    def error_px(self) -> float:
        return max(self.x.error_px, self.y.error_px)


@dataclass(frozen=True)
class MotionPlan:
    """How one slide moves: the size it is rescaled to once, the edge padding, and each frame's geometry.

    Padding repeats the edge pixels so that crops reaching just past the slide stay valid.
    """

    working_size_px: tuple[int, int]
    padding_px: int
    frames: tuple[FrameGeometry, ...]

    @property
    def max_error_px(self) -> float:
        return max((f.error_px for f in self.frames), default=0.0)


def fit_window(slide_size_px: tuple[int, int], out_size_px: tuple[int, int]) -> Window:
    """The largest window of the output's aspect ratio centred in the slide (cover fit)."""
    sw, sh = slide_size_px
    ow, oh = out_size_px
    if sw * oh >= sh * ow:
        h = float(sh)
        w = sh * ow / oh
    else:
        w = float(sw)
        h = sw * oh / ow
    return Window((sw - w) / 2, (sh - h) / 2, w, h)


def plan_windows(
    slide_size_px: tuple[int, int], out_size_px: tuple[int, int], motion: Motion, n_frames: int
) -> tuple[Window, ...]:
    """The view window of every frame.

    Zooms change scale at a constant rate on a log scale (steady apparent speed); pans move at a
    constant speed across the margin that their held zoom leaves. All moves stay inside the fit window.
    """
    if n_frames < 1:
        raise EncodeError(f"a slide needs at least one frame, got {n_frames}")
    fit = fit_window(slide_size_px, out_size_px)
    cx, cy = fit.x + fit.w / 2, fit.y + fit.h / 2
    span = max(n_frames - 1, 1)
    zoom = 1.0 + motion.amount
    windows = []
    for n in range(n_frames):
        t = n / span
        if motion.kind is MotionKind.NONE:
            windows.append(fit)
            continue
        if motion.kind in (MotionKind.ZOOM_IN, MotionKind.ZOOM_OUT):
            k = zoom ** (t if motion.kind is MotionKind.ZOOM_IN else 1.0 - t)
            w, h = fit.w / k, fit.h / k
            windows.append(Window(cx - w / 2, cy - h / 2, w, h))
            continue
        w, h = fit.w / zoom, fit.h / zoom
        x, y = cx - w / 2, cy - h / 2
        travel_x, travel_y = fit.w - w, fit.h - h
        if motion.kind is MotionKind.PAN_RIGHT:
            x = fit.x + travel_x * t
        elif motion.kind is MotionKind.PAN_LEFT:
            x = fit.x + travel_x * (1.0 - t)
        elif motion.kind is MotionKind.PAN_DOWN:
            y = fit.y + travel_y * t
        else:
            y = fit.y + travel_y * (1.0 - t)
        windows.append(Window(x, y, w, h))
    return tuple(windows)


def working_scale(windows: tuple[Window, ...], out_size_px: tuple[int, int]) -> float:
    """Factor to rescale the slide by once so every frame downsamples by MIN_RATIO .. MAX_RATIO."""
    ratios = [w.w / out_size_px[0] for w in windows]
    low, high = min(ratios), max(ratios)
    if low >= MIN_RATIO and high <= MAX_RATIO:
        return 1.0
    return MIN_RATIO / low


def fit_axis(
    start: float,
    length: float,
    out_px: int,
    extent_px: int,
    search_px: int = SEARCH_PX,
    keep: AxisFit | None = None,
) -> AxisFit:
    """Whole even pixels (offset, crop, scaled, out_offset) whose mapping best matches the window.

    The window spans ``start .. start + length`` in a source of ``extent_px`` pixels; output pixel u
    should sample ``start + (u + 0.5) * length / out_px - 0.5``. Every value is even so yuv420p
    chroma planes crop on whole samples. The error is the largest position difference, which is
    at one of the two ends because both mappings are linear. With ``keep``, its crop and scaled
    sizes are reused when they come within KEEP_SIZES_ERROR_PX.
    """
    ratio = length / out_px
    scaled = np.arange(out_px, out_px + search_px + 1, 2, dtype=np.float64)[:, None, None]
    crop = 2 * np.floor(scaled * ratio / 2) + np.array([0.0, 2.0])[None, :, None]
    real = crop / scaled
    out_offset = np.arange(0, search_px + 1, 2, dtype=np.float64)[None, None, :]
    offset = 2 * np.round((start - out_offset * real) / 2)
    first = offset + (out_offset + 0.5) * real - (start + 0.5 * ratio)
    last = first + (out_px - 1) * (real - ratio)
    error = np.maximum(np.abs(first), np.abs(last))
    valid = (out_offset + out_px <= scaled) & (crop >= 2) & (offset >= 0) & (offset + crop <= extent_px)
    error = np.where(valid, error, np.inf)
    scaled, crop, out_offset, offset = np.broadcast_arrays(scaled, crop, out_offset, offset)
    best = np.unravel_index(int(np.argmin(error)), error.shape)
    if keep is not None:
        same = np.where((scaled == keep.scaled) & (crop == keep.crop), error, np.inf)
        kept = np.unravel_index(int(np.argmin(same)), same.shape)
        if same[kept] <= max(KEEP_SIZES_ERROR_PX, float(error[best])):
            best = kept
    if not math.isfinite(float(error[best])):
        raise EncodeError(
            f"cannot place a {length:.1f} px view at {start:.1f} in a {extent_px} px slide for {out_px} px output"
        )
    return AxisFit(
        offset=int(offset[best]),
        crop=int(crop[best]),
        scaled=int(scaled[best]),
        out_offset=int(out_offset[best]),
        error_px=float(error[best]),
    )


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def plan_motion(
    slide_size_px: tuple[int, int], out_size_px: tuple[int, int], motion: Motion, n_frames: int
) -> MotionPlan:
    """Per-frame whole-pixel geometry realising ``motion`` over ``n_frames`` frames."""
    windows = plan_windows(slide_size_px, out_size_px, motion, n_frames)
    g = working_scale(windows, out_size_px)
    ww, wh = _even(slide_size_px[0] * g), _even(slide_size_px[1] * g)
    gx, gy = ww / slide_size_px[0], wh / slide_size_px[1]
    max_ratio = max(w.w * gx / out_size_px[0] for w in windows)
    pad = _even(SEARCH_PX * max_ratio + 8)
    frames: list[FrameGeometry] = []
    for w in windows:
        keep_x = frames[-1].x if frames else None
        keep_y = frames[-1].y if frames else None
        frames.append(
            FrameGeometry(
                x=fit_axis(w.x * gx + pad, w.w * gx, out_size_px[0], ww + 2 * pad, keep=keep_x),
                y=fit_axis(w.y * gy + pad, w.h * gy, out_size_px[1], wh + 2 * pad, keep=keep_y),
            )
        )
    return MotionPlan(working_size_px=(ww, wh), padding_px=pad, frames=tuple(frames))
