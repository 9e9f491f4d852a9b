"""Font files: measuring text with the real glyph advances, and checking glyph coverage."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont


@lru_cache(maxsize=256)
def pillow_font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size_px)


@lru_cache(maxsize=16)
def _codepoints(path: Path) -> frozenset[int]:
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(path: Path, text: str) -> list[str]:
    """Characters of ``text`` that the font has no glyph for (whitespace and controls ignored)."""
    have = _codepoints(path)
    missing: list[str] = []
    for ch in text:
        if ch.isspace() or ord(ch) < 0x20 or ch in missing:
            continue
        if ord(ch) not in have:
            missing.append(ch)
    return missing


@lru_cache(maxsize=65536)
def _advance(font: Path, size_px: int, text: str) -> float:
    return float(pillow_font(font, size_px).getlength(text))


class PillowMeasure:
    """Text measurement backed by FreeType through Pillow (what the rasteriser will draw)."""

    def width(self, font: Path, size_px: int, text: str) -> float:
        # Fitting measures the same words at the same sizes many times over: remember them.
        return _advance(font, size_px, text)

    def metrics(self, font: Path, size_px: int) -> tuple[int, int]:
        ascent, descent = pillow_font(font, size_px).getmetrics()
        return int(ascent), int(descent)
