"""Is the synthetic-media badge there? The badge is drawn again for the file's format and size and
compared with the file's pixels by normalised correlation.

The expected picture of the badge region is the badge tile composited over the region as found (its plate
is translucent, so the background shows through as it did when it was drawn). Correlation ignores gain and
offset, so re-encoding, colour range and plate colour matter little, while a missing, covered, blurred or
painted-over badge scores near 0 (a flat patch scores exactly 0). The tile is scaled to the file's own size
with sub-pixel placement, both as a rescaler would place it and as the renderer places a draft's overlay
(rounded to whole pixels), and a small search over whole-pixel shifts absorbs rounding elsewhere. Each
quarter of the badge must match too, so hiding a few of its words fails as hiding all of it does.

Measured on the tiny explainer, a 66 s final render and a social ad: the badge as rendered scores 0.99-1.0;
the final render transcoded to half or a third of its size (x264 crf 30-35) 0.89-0.91; the still as JPEG
quality 20 at 15 % of its width 0.86, quality 60 at 25 % 0.96; a 1.5 px blur 0.92. A tenth of its width
painted over scores 0.74, a quarter 0.45 or less, a 3 px blur 0.76, all of it covered 0.0-0.03.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PIL import Image

from studio.colors import RGB
from studio.fonts import PillowMeasure
from studio.formats import FORMATS, Format
from studio.layout.badge import build_badge
from studio.stills.raster import badge_tile

if TYPE_CHECKING:
    from studio.campaign.models import Campaign

#: A region matching the drawn badge at least this well (normalised correlation) shows the badge.
BADGE_MIN_MATCH = 0.80
#: The search for the best shift stops at a match this good: the badge as rendered scores 0.99 or more.
GOOD_MATCH = 0.97
#: The badge is also compared in this many parts, left to right, each of which must match.
BADGE_PARTS = 4
#: Whole-pixel shifts tried in every direction around where the badge should be.
SHIFT_REACH_PX = 2
#: Shapes (width / height) within this fraction of a format's count as that format.
ASPECT_TOLERANCE = 0.02

#: The badge font when no campaign says otherwise: the headline font shipped with the project.
BUNDLED_BADGE_FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSans-Bold.ttf"

Gray = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BadgeStyle:
    """What the badge is drawn with: the campaign's headline font and its plate colour
    (``campaign.brand.fonts["headline"]`` and ``campaign.brand.colors["dark"]``)."""

    font: Path = BUNDLED_BADGE_FONT
    plate: RGB = (11, 31, 58)  # the sample campaign's "dark"; correlation barely depends on it

    @classmethod
    def of(cls, campaign: Campaign) -> BadgeStyle:
        """The badge as ``campaign`` draws it (for renders of a campaign with another headline font)."""
        return cls(campaign.brand.fonts["headline"], campaign.brand.colors["dark"])


@dataclass(frozen=True, eq=False)
class Placement:
    """The badge as it should appear in a file: its premultiplied grey level and coverage (0-1) on the
    file's pixel grid, the arrays' top-left corner at ``(x, y)`` in file pixels."""

    x: int
    y: int
    luma: Floats
    alpha: Floats

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in file pixels."""
        h, w = self.alpha.shape
        return self.x, self.y, self.x + w, self.y + h


def _luma_alpha(tile: Image.Image) -> tuple[Floats, Floats]:
    rgba = np.asarray(tile, dtype=np.float64)
    alpha = rgba[..., 3] / 255.0
    # ITU-R 601 weights: Pillow's "L" and the Y of BT.601 video; correlation forgives BT.709's.
    luma = (0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]) * alpha
    return luma, alpha


def _resample(channel: Floats, size: tuple[int, int], box: tuple[float, float, float, float]) -> Floats:
    image = Image.fromarray(channel.astype(np.float32))  # mode F
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS, box=box), dtype=np.float64)


@lru_cache(maxsize=64)
def placements(fmt: Format, size_px: tuple[int, int], style: BadgeStyle = BadgeStyle()) -> tuple[Placement, ...]:
    """Where and how the badge of ``fmt`` appears in a file ``size_px`` big (the format's trimmed area,
    scaled: a draft video, a print proof or a downscaled copy)."""
    badge = build_badge(fmt, style.font, PillowMeasure(), style.plate)
    tile = badge_tile(badge)
    x_full, y_full = badge.x - fmt.bleed_px, badge.y - fmt.bleed_px
    scale = size_px[0] / fmt.width_px
    luma, alpha = _luma_alpha(tile)
    if abs(scale - 1.0) < 1e-9:
        return (Placement(x_full, y_full, luma, alpha),)
    found = []
    # As the renderer scales a draft's overlay: tile resized to whole pixels, placed at a whole pixel.
    w, h = max(1, round(badge.w * scale)), max(1, round(badge.h * scale))
    found.append(
        Placement(
            round(x_full * scale),
            round(y_full * scale),
            _resample(luma, (w, h), (0.0, 0.0, badge.w, badge.h)),
            np.clip(_resample(alpha, (w, h), (0.0, 0.0, badge.w, badge.h)), 0.0, 1.0),
        )
    )
    # As a rescaler (ffmpeg, Pillow, a platform's transcoder) moves it: at its exact fractional place.
    pad = math.ceil(2 / scale) + 2
    luma_padded, alpha_padded = np.pad(luma, pad), np.pad(alpha, pad)
    x, y = x_full * scale, y_full * scale
    left, top = math.floor(x) - 1, math.floor(y) - 1
    right, bottom = math.ceil(x + badge.w * scale) + 1, math.ceil(y + badge.h * scale) + 1
    box = (pad + (left - x) / scale, pad + (top - y) / scale, pad + (right - x) / scale, pad + (bottom - y) / scale)
    size = (right - left, bottom - top)
    found.append(
        Placement(left, top, _resample(luma_padded, size, box), np.clip(_resample(alpha_padded, size, box), 0.0, 1.0))
    )
    return tuple(found)


def correlation(region: Floats, luma: Floats, alpha: Floats) -> float:
    """Normalised correlation of ``region`` with the badge (``luma``, ``alpha``) composited over it;
    0 for a flat region."""
    expected = luma + (1.0 - alpha) * region
    r = region - region.mean()
    e = expected - expected.mean()
    denominator = math.sqrt(float((r * r).sum()) * float((e * e).sum()))
    return float((r * e).sum()) / denominator if denominator > 0 else 0.0


_SHIFTS = sorted(
    (
        (dx, dy)
        for dx in range(-SHIFT_REACH_PX, SHIFT_REACH_PX + 1)
        for dy in range(-SHIFT_REACH_PX, SHIFT_REACH_PX + 1)
    ),
    key=lambda d: (abs(d[0]) + abs(d[1]), d),
)


def badge_match(gray: Gray, origin: tuple[int, int], candidates: tuple[Placement, ...]) -> float:
    """How well the badge shows in ``gray``: a grey picture, or a crop of one whose top-left is at
    ``origin`` in file pixels. 1.0 is the badge as drawn; a missing or covered badge scores near 0.

    The best correlation of any placement shifted by up to ``SHIFT_REACH_PX`` (the search stops at
    ``GOOD_MATCH``, so a frame showing the badge costs one or a few comparisons); then, at that place, the
    lowest of it and of each of the badge's ``BADGE_PARTS`` parts, left to right: covering a part of the
    badge (and so of its words) fails it as surely as covering all of it.
    """
    best, found = 0.0, None
    for placement in candidates:
        h, w = placement.alpha.shape
        for dx, dy in _SHIFTS:
            x, y = placement.x + dx - origin[0], placement.y + dy - origin[1]
            if x < 0 or y < 0 or y + h > gray.shape[0] or x + w > gray.shape[1]:
                continue
            region = gray[y : y + h, x : x + w].astype(np.float64)
            score = correlation(region, placement.luma, placement.alpha)
            if score > best:
                best, found = score, (region, placement)
            if best >= GOOD_MATCH:
                break
        if best >= GOOD_MATCH:
            break
    if found is None:
        return best
    region, placement = found
    edges = np.linspace(0, region.shape[1], BADGE_PARTS + 1).round().astype(int)
    parts = [
        correlation(region[:, a:b], placement.luma[:, a:b], placement.alpha[:, a:b])
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    return min(best, *parts)


def aspect_matches(fmt: Format, size_px: tuple[int, int]) -> bool:
    """Whether a file ``size_px`` big has the shape of ``fmt``'s trimmed area."""
    want = fmt.width_px / fmt.height_px
    return abs(size_px[0] / size_px[1] - want) <= ASPECT_TOLERANCE * want


def formats_for_size(size_px: tuple[int, int], names: tuple[str, ...]) -> tuple[Format, ...]:
    """The formats among ``names`` a file of ``size_px`` can be: the exact size if one has it, else the shape.

    Draft videos and downscaled copies match by shape; 16:9 fits both ``youtube`` and ``x-post``.
    """
    candidates = [FORMATS[n] for n in names]
    exact = [f for f in candidates if (f.width_px, f.height_px) == size_px]
    return tuple(exact or [f for f in candidates if aspect_matches(f, size_px)])


def union_box(candidates: tuple[Placement, ...], size_px: tuple[int, int]) -> tuple[int, int, int, int]:
    """(left, top, width, height): the smallest region holding every placement with its shift search,
    within the frame; what a video's frames are cropped to before they leave ffmpeg."""
    boxes = [p.box for p in candidates]
    left = max(0, min(b[0] for b in boxes) - SHIFT_REACH_PX)
    top = max(0, min(b[1] for b in boxes) - SHIFT_REACH_PX)
    right = min(size_px[0], max(b[2] for b in boxes) + SHIFT_REACH_PX)
    bottom = min(size_px[1], max(b[3] for b in boxes) + SHIFT_REACH_PX)
    return left, top, max(1, right - left), max(1, bottom - top)
