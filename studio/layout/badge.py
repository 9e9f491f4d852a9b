"""The visible synthetic-media badge: where it goes and what it says, for any format. Pure.

The badge sits in the top-right corner of the safe area (platform buttons never cover it), as white
text on a dark plate with a white rim, so it reads over any background. Its size follows the
format's smallest readable text, so it is legible even in the smallest format. Before the words, a
small "AI" mark in a rounded square, in the manner of the EU's common icon for AI-generated content:
recognisable without reading Kyrgyz or Russian.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.colors import RGB
from studio.disclosure import BADGE_TEXT
from studio.formats import Format
from studio.layout.text import Measure

PLATE_ALPHA = 215  # of 255: the background shows a little, the text always contrasts
#: The letters of the icon (Latin, as in the EU's common icon; the words beside it say it in ky and ru).
ICON_TEXT = "AI"


@dataclass(frozen=True)
class Badge:
    text: str
    font: Path
    size_px: int
    x: int  # plate, in canvas pixels
    y: int
    w: int
    h: int
    pad_x: int
    baseline_y: int  # of the text, from the plate's top
    plate: RGB
    rim_px: int
    icon_px: int = 0  # the AI icon's side; the icon sits at (pad_x, icon_y) in the plate
    icon_y: int = 0

    @property
    def text_x(self) -> int:
        """Where the words start, from the plate's left."""
        return self.pad_x + (self.icon_px + round(self.icon_px * 0.35) if self.icon_px else 0)


def build_badge(fmt: Format, font: Path, measure: Measure, plate: RGB = (11, 18, 32)) -> Badge:
    """The badge for ``fmt``: at least the format's minimum readable size, inside its safe area."""
    size = max(fmt.min_text_px, round(0.024 * min(fmt.width_px, fmt.height_px)))
    badge = _sized(fmt, font, measure, size, plate)
    safe_w = fmt.width_px - fmt.safe_px.left - fmt.safe_px.right
    if badge.w > safe_w:  # never wider than the safe area: shrink to fit, not below readable
        badge = _sized(fmt, font, measure, max(fmt.min_text_px, int(size * safe_w / badge.w)), plate)
    return badge


def _sized(fmt: Format, font: Path, measure: Measure, size: int, plate: RGB) -> Badge:
    ascent, descent = measure.metrics(font, size)
    pad_x, pad_y = round(size * 0.55), round(size * 0.3)
    icon = ascent + descent  # as tall as a line of the words
    w = round(measure.width(font, size, BADGE_TEXT)) + 2 * pad_x + icon + round(icon * 0.35)
    h = ascent + descent + 2 * pad_y
    x = round(fmt.bleed_px + fmt.width_px - fmt.safe_px.right - w)
    y = round(fmt.bleed_px + fmt.safe_px.top)
    rim = max(1, size // 14)
    return Badge(BADGE_TEXT, font, size, x, y, w, h, pad_x, pad_y + ascent, plate, rim, icon, pad_y)
