"""Pictograms for designs (event pin, calendar, clock, trophy…), drawn from vector shapes in one colour.

Drawn four times larger and scaled down, so edges are smooth at any size; the project's own work (CC0).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw

from studio.colors import RGB

_SUPER = 4
Draw = Callable[[ImageDraw.ImageDraw, int, tuple[int, int, int, int]], None]


def _pin(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    r = s * 0.3
    cx, cy = s / 2, s * 0.36
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=c)
    d.polygon([(cx - r * 0.86, cy + r * 0.5), (cx + r * 0.86, cy + r * 0.5), (cx, s * 0.95)], fill=c)
    h = r * 0.42
    d.ellipse((cx - h, cy - h, cx + h, cy + h), fill=(0, 0, 0, 0))


def _calendar(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    m, w = s * 0.1, max(2, round(s * 0.07))
    d.rounded_rectangle((m, s * 0.18, s - m, s - m), radius=s * 0.08, outline=c, width=w)
    d.rectangle((m, s * 0.18, s - m, s * 0.36), fill=c)
    for x in (0.32, 0.68):
        d.rounded_rectangle((s * x - w, s * 0.06, s * x + w, s * 0.28), radius=w, fill=c)
    for row in (0.5, 0.7):
        for col in (0.3, 0.5, 0.7):
            r = s * 0.045
            d.rectangle((s * col - r, s * row - r, s * col + r, s * row + r), fill=c)


def _clock(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    m, w = s * 0.08, max(2, round(s * 0.08))
    d.ellipse((m, m, s - m, s - m), outline=c, width=w)
    cx = s / 2
    d.line((cx, cx, cx, s * 0.26), fill=c, width=w)
    d.line((cx, cx, s * 0.7, s * 0.62), fill=c, width=w)
    d.ellipse((cx - w, cx - w, cx + w, cx + w), fill=c)


def _trophy(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    w = max(2, round(s * 0.07))
    d.chord((s * 0.24, -s * 0.3, s * 0.76, s * 0.62), 0, 180, fill=c)
    d.arc((s * 0.06, s * 0.12, s * 0.36, s * 0.44), 90, 270, fill=c, width=w)
    d.arc((s * 0.64, s * 0.12, s * 0.94, s * 0.44), 270, 90, fill=c, width=w)
    d.rectangle((s * 0.45, s * 0.6, s * 0.55, s * 0.78), fill=c)
    d.rounded_rectangle((s * 0.28, s * 0.78, s * 0.72, s * 0.92), radius=s * 0.03, fill=c)


def _quote(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    for x0 in (0.1, 0.54):
        r = s * 0.17
        cx, cy = s * (x0 + 0.17), s * 0.56
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=c)
        d.polygon([(cx - r, cy), (cx + r * 0.2, s * 0.14), (cx + r * 0.75, s * 0.2), (cx + r * 0.1, cy)], fill=c)


def _people(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    for cx, scale in ((0.34, 0.9), (0.66, 1.0)):
        r = s * 0.13 * scale
        x = s * cx
        d.ellipse((x - r, s * 0.22, x + r, s * 0.22 + 2 * r), fill=c)
        d.pieslice((x - r * 2.1, s * 0.56, x + r * 2.1, s * 0.56 + 4.2 * r), 180, 360, fill=c)


def _chart(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    for i, h in enumerate((0.35, 0.55, 0.8)):
        x = s * (0.14 + i * 0.27)
        d.rounded_rectangle((x, s * (0.9 - h), x + s * 0.2, s * 0.9), radius=s * 0.03, fill=c)


def _megaphone(d: ImageDraw.ImageDraw, s: int, c: tuple[int, int, int, int]) -> None:
    d.polygon([(s * 0.12, s * 0.4), (s * 0.62, s * 0.14), (s * 0.62, s * 0.86), (s * 0.12, s * 0.6)], fill=c)
    d.rounded_rectangle((s * 0.6, s * 0.12, s * 0.72, s * 0.88), radius=s * 0.04, fill=c)
    d.polygon([(s * 0.22, s * 0.6), (s * 0.36, s * 0.6), (s * 0.42, s * 0.86), (s * 0.3, s * 0.86)], fill=c)
    w = max(2, round(s * 0.05))
    d.arc((s * 0.66, s * 0.3, s * 0.96, s * 0.7), 300, 60, fill=c, width=w)


ICONS: dict[str, Draw] = {
    "pin": _pin,
    "calendar": _calendar,
    "clock": _clock,
    "trophy": _trophy,
    "quote": _quote,
    "people": _people,
    "chart": _chart,
    "megaphone": _megaphone,
}


@lru_cache(maxsize=64)
def draw_icon(name: str, size_px: int, color: RGB) -> Image.Image:
    """The icon ``name`` as an RGBA square of ``size_px``."""
    big = size_px * _SUPER
    tile = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ICONS[name](ImageDraw.Draw(tile), big, (*color, 255))
    return tile.resize((size_px, size_px), Image.Resampling.LANCZOS)
