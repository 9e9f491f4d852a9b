"""Text that fits its box: wrap by measured width, shrink down to a minimum size, never clip. Pure.

Widths come from a ``Measure`` passed in (the renderer supplies one backed by the real font files),
so this module does no I/O and tests can run it with the bundled fonts or a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from studio.layout.breaks import units


class Measure(Protocol):
    def width(self, font: Path, size_px: int, text: str) -> float:
        """Advance width of ``text`` in pixels."""
        ...

    def metrics(self, font: Path, size_px: int) -> tuple[int, int]:
        """Ascent and descent in pixels (both positive)."""
        ...


@dataclass(frozen=True)
class FittedText:
    size_px: int
    lines: tuple[str, ...]
    line_height_px: float
    ascent_px: int
    descent_px: int

    @property
    def height_px(self) -> float:
        return self.ascent_px + self.descent_px + (len(self.lines) - 1) * self.line_height_px


def wrap(text: str, width_px: float, font: Path, size_px: int, measure: Measure) -> tuple[str, ...] | None:
    """Greedy word wrap; explicit newlines are kept. None when a single word (or a unit that may not be
    broken, see ``studio.layout.breaks``) is wider than the box."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        # Units, not words: "1 000 000 сом", "№ 5", "А. Осмонов" never break inside (studio.layout.breaks).
        words = units(paragraph)
        if not words:
            lines.append("")
            continue
        current = words[0]
        if measure.width(font, size_px, current) > width_px:
            return None
        for word in words[1:]:
            if measure.width(font, size_px, word) > width_px:
                return None
            candidate = f"{current} {word}"
            if measure.width(font, size_px, candidate) <= width_px:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return tuple(lines)


def _balanced(
    text: str, lines: tuple[str, ...], width_px: float, font: Path, size_px: int, measure: Measure
) -> tuple[str, ...]:
    """Same number of lines, narrowest wrap width: avoids one lonely word on the last line."""
    if len(lines) < 2:
        return lines
    lo, hi = width_px * 0.5, width_px
    best = lines
    for _ in range(8):
        mid = (lo + hi) / 2
        trial = wrap(text, mid, font, size_px, measure)
        if trial is not None and len(trial) == len(lines):
            best, hi = trial, mid
        else:
            lo = mid
    return best


def fit_text(
    text: str,
    box_w: float,
    box_h: float,
    font: Path,
    start_px: int,
    min_px: int,
    measure: Measure,
    line_spacing: float = 1.15,
    max_lines: int | None = None,
    balance: bool = True,
) -> FittedText | None:
    """The largest size from ``start_px`` down to ``min_px`` at which ``text`` fits; None if none does."""

    def attempt(size: int) -> FittedText | None:
        lines = wrap(text, box_w, font, size, measure)
        if lines is None or (max_lines is not None and len(lines) > max_lines):
            return None
        ascent, descent = measure.metrics(font, size)
        fitted = FittedText(size, lines, size * line_spacing, ascent, descent)
        return fitted if fitted.height_px <= box_h else None

    if start_px < min_px:
        start_px = min_px
    best = attempt(start_px)
    if best is None:
        # Fitting is monotone in size: binary search for the largest size that fits.
        lo, hi = min_px, start_px - 1
        best = None
        while lo <= hi:
            mid = (lo + hi) // 2
            trial = attempt(mid)
            if trial is not None:
                best, lo = trial, mid + 1
            else:
                hi = mid - 1
    if best is None:
        return None
    if balance:
        best = FittedText(
            best.size_px,
            _balanced(text, best.lines, box_w, font, best.size_px, measure),
            best.line_height_px,
            best.ascent_px,
            best.descent_px,
        )
    return best
