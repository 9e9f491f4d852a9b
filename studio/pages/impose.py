"""Imposition: which reader pages stand where on the printed sheets, and the sheets as Typst. Pure.

Saddle stitch: sheets are folded once and nested; the outer sheet of an 8-page booklet carries pages
8 and 1 on its front and 2 and 7 on its back. A DL tri-fold is one A4 sheet of three panels a side:
outside [inside flap 2 | back 6 | cover 1], inside [3 | 4 | 5]; the flap folds in, so it is 3 mm narrower.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.pages.typst_source import string

SLUG_MM = 12.0  # room outside the bleed for crop marks, fold marks and the job label
MARK_OFFSET_MM = 3.0  # crop marks start this far outside the trim, clear of the bleed
MARK_LENGTH_MM = 6.0
TRIFOLD_PANEL_MM = 100.0
TRIFOLD_FLAP_MM = 97.0


@dataclass(frozen=True)
class Panel:
    page: int  # 1-based reader page
    width_mm: float  # its width on the trimmed sheet


@dataclass(frozen=True)
class Side:
    """One side of one printed sheet, panels from left to right."""

    sheet: int  # 1-based
    face: str  # "front"/"back" (saddle stitch) or "outside"/"inside" (tri-fold)
    panels: tuple[Panel, ...]


def saddle_stitch(pages: int, page_width_mm: float) -> tuple[Side, ...]:
    """Sides of the nested sheets of a saddle-stitched booklet of ``pages`` pages (a multiple of 4)."""
    if pages < 4 or pages % 4:
        raise ValueError(f"a saddle-stitched booklet has a multiple of 4 pages, not {pages}")
    sides = []
    for k in range(pages // 4):
        front = (pages - 2 * k, 1 + 2 * k)
        back = (2 + 2 * k, pages - 1 - 2 * k)
        for face, pair in (("front", front), ("back", back)):
            sides.append(Side(k + 1, face, tuple(Panel(p, page_width_mm) for p in pair)))
    return tuple(sides)


def trifold() -> tuple[Side, ...]:
    full, flap = TRIFOLD_PANEL_MM, TRIFOLD_FLAP_MM
    return (
        Side(1, "outside", (Panel(2, flap), Panel(6, full), Panel(1, full))),
        Side(1, "inside", (Panel(3, full), Panel(4, full), Panel(5, flap))),
    )


def sheet_size_mm(side: Side, height_mm: float, bleed_mm: float) -> tuple[float, float]:
    width = sum(p.width_mm for p in side.panels)
    return (width + 2 * (bleed_mm + SLUG_MM), height_mm + 2 * (bleed_mm + SLUG_MM))


def trim_box_mm(side: Side, height_mm: float, bleed_mm: float) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the trimmed sheet, from the top left of the sheet's page."""
    off = SLUG_MM + bleed_mm
    return (off, off, off + sum(p.width_mm for p in side.panels), off + height_mm)


def impose_source(
    sides: tuple[Side, ...], pages_pdf: str, page_width_mm: float, height_mm: float, bleed_mm: float, label: str
) -> str:
    """Typst source placing the pages of ``pages_pdf`` (each ``page_width_mm`` + bleed wide) on the sheets."""
    b = bleed_mm
    out = ["#set page(margin: 0mm)", '#set text(font: "Noto Sans", size: 6pt)']
    for n, side in enumerate(sides):
        w, h = sheet_size_mm(side, height_mm, b)
        x0, y0, x1, y1 = trim_box_mm(side, height_mm, b)
        out.append(f"#page(width: {w:.3f}mm, height: {h:.3f}mm)[")
        x = SLUG_MM
        last = len(side.panels) - 1
        for i, panel in enumerate(side.panels):
            left_open, right_open = i == 0, i == last
            visible = panel.width_mm + (b if left_open else 0) + (b if right_open else 0)
            # Cut the bleed where a neighbour stands, and a narrow panel's surplus on its fold side.
            surplus = page_width_mm - panel.width_mm
            offset = (0.0 if left_open else b) + (surplus if (right_open and not left_open) else 0.0)
            out.append(
                f"#place(top + left, dx: {x:.3f}mm, dy: {SLUG_MM:.3f}mm, box(width: {visible:.3f}mm, "
                f"height: {height_mm + 2 * b:.3f}mm, clip: true, place(top + left, dx: {-offset:.3f}mm, "
                f"image({string(pages_pdf)}, page: {panel.page}, width: {page_width_mm + 2 * b:.3f}mm))))"
            )
            x += visible
        # Crop marks: two per corner, on the trim lines' extensions, outside the bleed (registration black).
        o, length = MARK_OFFSET_MM, MARK_LENGTH_MM
        for cx, sx in ((x0, -1), (x1, 1)):
            for cy, sy in ((y0, -1), (y1, 1)):
                out.append(_line(cx + sx * o, cy, cx + sx * (o + length), cy))
                out.append(_line(cx, cy + sy * o, cx, cy + sy * (o + length)))
        # Fold marks: dashed, above and below the trim, on every panel boundary.
        fx = x0
        for panel in side.panels[:-1]:
            fx += panel.width_mm
            out.append(_line(fx, y0 - o, fx, y0 - o - length, dashed=True))
            out.append(_line(fx, y1 + o, fx, y1 + o + length, dashed=True))
        text = f"{label} · sheet {side.sheet} {side.face} · pages {', '.join(str(p.page) for p in side.panels)}"
        out.append(f"#place(top + left, dx: {x0 + o + length + 2:.3f}mm, dy: {y1 + b + 3:.3f}mm, text({string(text)}))")
        out.append("]")
        del n
    return "\n".join(out) + "\n"


def _line(ax: float, ay: float, bx: float, by: float, dashed: bool = False) -> str:
    stroke = "(paint: black, thickness: 0.25pt" + (', dash: "dashed")' if dashed else ")")
    return f"#place(top + left, line(start: ({ax:.3f}mm, {ay:.3f}mm), end: ({bx:.3f}mm, {by:.3f}mm), stroke: {stroke}))"
