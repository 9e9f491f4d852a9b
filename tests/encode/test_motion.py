"""Motion planning: windows, their whole-pixel realisation, and smoothness frame to frame."""

from __future__ import annotations

import numpy as np
import pytest

from studio.encode import Motion, MotionKind
from studio.encode.graph import motion_commands
from studio.encode.motion import AxisFit, fit_axis, fit_window, plan_motion, plan_windows

OUT = (1920, 1080)
SLIDE = (2112, 1188)


def sample_positions(fit: AxisFit, out_px: int) -> np.ndarray:
    """Source position (in padded working pixels) each output pixel samples under ``fit`` (ffmpeg's crop+scale)."""
    u = np.arange(out_px, dtype=np.float64)
    return fit.offset + (u + fit.out_offset + 0.5) * fit.crop / fit.scaled - 0.5


def realised_corners(kind: MotionKind, frames: int = 225, slide: tuple[int, int] = SLIDE) -> np.ndarray:
    """Where the top-left output pixel samples the slide, per frame, in slide pixels (x, y)."""
    plan = plan_motion(slide, OUT, Motion(kind), frames)
    gx = plan.working_size_px[0] / slide[0]
    gy = plan.working_size_px[1] / slide[1]
    centres = []
    for frame in plan.frames:
        x = sample_positions(frame.x, OUT[0])[0] - plan.padding_px
        y = sample_positions(frame.y, OUT[1])[0] - plan.padding_px
        centres.append(((x + 0.5) / gx - 0.5, (y + 0.5) / gy - 0.5))
    return np.array(centres)


def test_fit_window_covers_the_output_aspect() -> None:
    wide = fit_window((2000, 1000), OUT)
    assert wide.h == 1000 and wide.w == pytest.approx(1000 * 16 / 9)
    assert wide.x == pytest.approx((2000 - wide.w) / 2)
    tall = fit_window((1080, 1920), OUT)
    assert tall.w == 1080 and tall.h == pytest.approx(1080 * 9 / 16)


def test_zoom_windows_shrink_steadily_inside_the_slide() -> None:
    windows = plan_windows(SLIDE, OUT, Motion(MotionKind.ZOOM_IN, 0.1), 100)
    widths = np.array([w.w for w in windows])
    assert np.all(np.diff(widths) < 0)
    assert widths[0] / widths[-1] == pytest.approx(1.1)
    # constant speed on a log scale
    assert np.ptp(np.diff(np.log(widths))) < 1e-9
    for w in windows:
        assert w.x >= -1e-9 and w.y >= -1e-9 and w.x + w.w <= SLIDE[0] + 1e-9 and w.y + w.h <= SLIDE[1] + 1e-9
    zoom_out = plan_windows(SLIDE, OUT, Motion(MotionKind.ZOOM_OUT, 0.1), 100)
    assert [w.w for w in zoom_out] == pytest.approx(widths[::-1].tolist())


def test_pan_moves_at_constant_speed_across_the_margin() -> None:
    windows = plan_windows(SLIDE, OUT, Motion(MotionKind.PAN_RIGHT, 0.08), 120)
    xs = np.array([w.x for w in windows])
    assert xs[0] == pytest.approx(0.0) and xs[-1] + windows[-1].w == pytest.approx(SLIDE[0])
    assert np.ptp(np.diff(xs)) < 1e-9 and np.all(np.diff(xs) > 0)
    assert len({w.w for w in windows}) == 1


@pytest.mark.parametrize("kind", [k for k in MotionKind if k is not MotionKind.NONE])
def test_whole_pixel_geometry_stays_within_a_tenth_of_a_pixel(kind: MotionKind) -> None:
    plan = plan_motion(SLIDE, OUT, Motion(kind), 225)
    assert plan.max_error_px < 0.15
    for frame in plan.frames:
        for fit in (frame.x, frame.y):
            assert fit.offset % 2 == fit.crop % 2 == fit.scaled % 2 == fit.out_offset % 2 == 0


@pytest.mark.parametrize("kind", [MotionKind.PAN_RIGHT, MotionKind.PAN_UP, MotionKind.ZOOM_IN, MotionKind.ZOOM_OUT])
def test_realised_motion_is_smooth_not_stepped(kind: MotionKind) -> None:
    """Per-frame steps of the realised view stay within 0.25 px of the planned steps (no 1-px judder)."""
    windows = plan_windows(SLIDE, OUT, Motion(kind), 225)
    ideal = np.array([(w.x - 0.5 + 0.5 * w.w / OUT[0], w.y - 0.5 + 0.5 * w.h / OUT[1]) for w in windows])
    real = realised_corners(kind)
    assert np.abs(real - ideal).max() < 0.15
    steps = np.diff(real, axis=0)
    assert np.abs(steps - np.diff(ideal, axis=0)).max() < 0.25
    if kind.value.startswith("pan"):
        moving = steps[:, 0] if kind is MotionKind.PAN_RIGHT else -steps[:, 1]
        assert np.all(moving > 0)  # monotone
    # Rounding the view to whole pixels (what zoompan does) would step by 0 or 1 px instead.
    rounded = np.diff(np.round(ideal), axis=0)
    assert np.abs(rounded - np.diff(ideal, axis=0)).max() > 0.4


def test_pans_keep_crop_and_scale_sizes_so_ffmpeg_never_rebuilds_the_scaler() -> None:
    plan = plan_motion(SLIDE, OUT, Motion(MotionKind.PAN_LEFT), 225)
    sizes = {(f.x.crop, f.x.scaled, f.y.crop, f.y.scaled) for f in plan.frames}
    assert len(sizes) == 1


def test_fit_axis_hits_a_fractional_window() -> None:
    fit = fit_axis(start=100.37, length=2000.0, out_px=1920, extent_px=2400)
    positions = sample_positions(fit, 1920)
    ideal = 100.37 + (np.arange(1920) + 0.5) * 2000.0 / 1920 - 0.5
    assert np.abs(positions - ideal).max() == pytest.approx(fit.error_px, abs=1e-9)
    assert fit.error_px < 0.1


def test_motion_commands_are_timed_half_a_frame_early_and_only_send_changes() -> None:
    plan = plan_motion(SLIDE, OUT, Motion(MotionKind.PAN_RIGHT), 10)
    text = motion_commands(3, plan.frames, 30)
    lines = text.strip().splitlines()
    assert lines[0].startswith("0.016667 ")
    assert all(" w " not in line and " h " not in line for line in lines)
    assert "crop@c3 x" in text or "crop@o3 x" in text
