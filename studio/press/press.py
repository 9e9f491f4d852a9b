"""A simulated press for QR codes: does the code still scan once the paper has it?

The code's panel (quiet zone included) is halftoned with the profile's screen (a 45° clustered dot at
its ruling), its dots spread by the profile's dot gain (the edge spread that gives that tone value
increase at 50 %), blurred by the paper and a camera's optics, printed as paper and ink reflectances
with a little paper noise, then read with zxing-cpp as a phone sees it (about 250 pixels across).
A code that fails is retried bare, larger and larger, to say what size it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageFilter

from studio.errors import QRError
from studio.press.profiles import PrintProfile
from studio.qr import QUIET_ZONE_MODULES, QRMatrix
from studio.stills.qrcheck import PHONE_QR_PX, decode_qr

#: Simulated pixels per halftone cell, but no more than needed for the code's modules (large codes:
#: the screen and the ink spread are then far below a module), and the largest side simulated.
CELL_PX = 6
MODULE_PX = 10
MAX_SIDE_PX = 1600
#: Largest factor tried when searching the size a failing code needs.
MAX_GROWTH = 4.0


@dataclass(frozen=True)
class PressCheck:
    profile: str
    code_mm: float
    module_mm: float
    passed: bool
    needs_mm: float | None = None  # when failed: the smallest code width that survived


def edge_spread_mm(profile: PrintProfile) -> float:
    """How far ink spreads past each dot edge: a square 50 % dot of side c/√2 in a cell c grows by the
    profile's dot gain when each edge moves by ``dot_gain · c · √2 / 4``."""
    cell = 25.4 / profile.lpi
    return profile.dot_gain * cell * math.sqrt(2) / 4


def _coverage(panel: Image.Image) -> np.ndarray:
    """How dark each pixel prints, 0–1, from CMYK (black ink dominates; C, M, Y darken less)."""
    arr = np.asarray(panel, dtype=np.float32) / 255.0
    if arr.ndim == 2:
        return arr
    c, m, y, k = arr[..., 0], arr[..., 1], arr[..., 2], arr[..., 3]
    light = (1 - k) * (1 - 0.45 * c) * (1 - 0.5 * m) * (1 - 0.08 * y)
    return 1.0 - light


def simulate(coverage: np.ndarray, px_per_mm: float, profile: PrintProfile, seed: int = 0) -> Image.Image:
    """The printed look (8-bit grey) of ``coverage`` (0–1 at ``px_per_mm``) on this press."""
    h, w = coverage.shape
    cell_px = 25.4 / profile.lpi * px_per_mm
    printed = (coverage > _screen(h, w, cell_px)).astype(np.uint8) * 255
    printed[coverage >= 0.999] = 255
    printed[coverage <= 0.001] = 0
    spread = edge_spread_mm(profile) * px_per_mm
    if spread > 0.05:
        sigma = max(0.7, spread)
        blurred = np.asarray(Image.fromarray(printed).filter(ImageFilter.GaussianBlur(sigma)), dtype=np.float32)
        threshold = 255 * 0.5 * (1 + math.erf(-spread / (sigma * math.sqrt(2))))
        printed = ((blurred > threshold) * 255).astype(np.uint8)
    optical = profile.blur_mm * px_per_mm
    ink = Image.fromarray(printed)
    if optical > 0.3:
        ink = ink.filter(ImageFilter.GaussianBlur(optical))
    t = np.asarray(ink, dtype=np.float32) / 255.0
    reflect = profile.paper - (profile.paper - profile.solid_black) * t
    return Image.fromarray(np.clip((reflect + _noise(h, w, seed)) * 255, 0, 255).astype(np.uint8))


# The screen and the paper noise depend only on the simulated size (one per format and profile in a
# batch): made once per process, like the ICC transforms, and read-only; a few sizes kept (at most
# 10 MB each).
@lru_cache(maxsize=4)
def _screen(h: int, w: int, cell_px: float) -> np.ndarray:
    """``1 − spot``: a pixel prints where its coverage exceeds this (45° clustered dot, 0..1)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx + yy) / (cell_px * math.sqrt(2))
    v = (xx - yy) / (cell_px * math.sqrt(2))
    spot = (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v)) / 4 + 0.5  # 0..1, peaks at the dot centres
    threshold = 1.0 - spot
    threshold.flags.writeable = False
    return threshold


@lru_cache(maxsize=4)
def _noise(h: int, w: int, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0.0, 0.015, (h, w)).astype(np.float32)
    noise.flags.writeable = False
    return noise


def _reads(printed: Image.Image, code_px: float, expected: str) -> bool:
    factor = min(1.0, PHONE_QR_PX / code_px)
    phone = printed.resize(
        (max(1, round(printed.width * factor)), max(1, round(printed.height * factor))), Image.Resampling.BILINEAR
    )
    return expected in decode_qr(phone)


def _sim_scale(panel_mm: float, module_mm: float, profile: PrintProfile) -> float:
    wanted = min(CELL_PX * profile.lpi / 25.4, MODULE_PX / module_mm)
    return min(wanted, MAX_SIDE_PX / panel_mm)


def press_reads(panel: Image.Image, panel_mm: float, code_mm: float, profile: PrintProfile, expected: str) -> bool:
    """Whether the code in ``panel`` (CMYK or coverage 'L', quiet zone included, ``panel_mm`` wide)
    still decodes to ``expected`` after this press."""
    module_mm = code_mm / _modules(code_mm, panel_mm)
    ppmm = _sim_scale(panel_mm, module_mm, profile)
    side = max(8, round(panel_mm * ppmm))
    scaled = panel.resize((side, round(side * panel.height / panel.width)), Image.Resampling.BILINEAR)
    printed = simulate(_coverage(scaled), side / panel_mm, profile)
    return _reads(printed, code_mm * side / panel_mm, expected)


def _modules(code_mm: float, panel_mm: float) -> float:
    """Modules across the code, from the code's and the panel's widths (the panel adds 2 × 4 modules)."""
    return 2 * QUIET_ZONE_MODULES * code_mm / max(1e-9, panel_mm - code_mm)


def bare_panel(matrix: QRMatrix, module_px: int) -> Image.Image:
    """The code alone as black-ink coverage ('L', 255 = solid), quiet zone included."""
    n = matrix.size + 2 * QUIET_ZONE_MODULES
    grid = np.zeros((n, n), dtype=np.uint8)
    q = QUIET_ZONE_MODULES
    grid[q : q + matrix.size, q : q + matrix.size] = np.array(matrix.rows, dtype=bool) * 255
    return Image.fromarray(grid).resize((n * module_px, n * module_px), Image.Resampling.NEAREST)


def needed_code_mm(matrix: QRMatrix, module_mm: float, profile: PrintProfile) -> float | None:
    """The smallest code width (mm, in 10 % steps) at which the bare code survives this press."""
    n = matrix.size + 2 * QUIET_ZONE_MODULES
    factor = 1.0
    while factor <= MAX_GROWTH + 1e-9:
        m = module_mm * factor
        if press_reads(bare_panel(matrix, 8), n * m, matrix.size * m, profile, matrix.data):
            return matrix.size * m
        factor += 0.1
    return None


def check_press(
    panel: Image.Image, matrix: QRMatrix, module_mm: float, profile: PrintProfile, where: str
) -> PressCheck:
    """Raise QRError (saying the size the code needs) unless the code survives the simulated press."""
    n = matrix.size + 2 * QUIET_ZONE_MODULES
    code_mm = matrix.size * module_mm
    if press_reads(panel, n * module_mm, code_mm, profile, matrix.data):
        return PressCheck(profile.name, code_mm, module_mm, True)
    needs = needed_code_mm(matrix, module_mm, profile)
    gain = f"{profile.lpi} lpi, {profile.dot_gain:.0%} dot gain"
    need = f"it needs at least {math.ceil(needs)} mm" if needs else f"even {MAX_GROWTH:g}× larger it does not scan"
    raise QRError(
        f"{where}: the QR code ({code_mm:.0f} mm wide, modules {module_mm:.2f} mm) does not decode after a "
        f"simulated {profile.name} press ({gain}); {need}: give the QR block more room in the design"
    )
