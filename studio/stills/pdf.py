"""Print-ready PDF: one page at the physical size, 3 mm bleed, crop marks, TrimBox and BleedBox.

Written by hand (the format is simple for one image and a few lines) so the page geometry is
exact and no PDF library is needed: the page is the trimmed sheet plus bleed plus a slug where
the crop marks and a job label sit; the raster (trim + bleed) is a JPEG drawn over the bleed box.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.press.profiles import POINT_MM

if TYPE_CHECKING:
    from studio.formats import Format
    from studio.layout.engine import Layout

PT_PER_MM = 72 / 25.4
SLUG_MM = 12.0  # room outside the bleed for crop marks and the job label
MARK_OFFSET_MM = 3.0  # crop marks start this far outside the trim (clear of the bleed)
MARK_LENGTH_MM = 6.0
#: PDF's largest page side in default user space units (1/72 inch, about 5.08 m); larger pages
#: scale their units with /UserUnit, which needs PDF 1.6.
MAX_PAGE_UNITS = 14_400


@dataclass(frozen=True)
class PrintPage:
    trim_mm: tuple[float, float]
    bleed_mm: float
    image_px: tuple[int, int]  # the JPEG's size: trim + bleed
    label: str  # printed in the slug: campaign, deliverable, language, format, quarter (ASCII)

    @property
    def media_pt(self) -> tuple[float, float]:
        w, h = self.trim_mm
        pad = 2 * (self.bleed_mm + SLUG_MM)
        return ((w + pad) * PT_PER_MM, (h + pad) * PT_PER_MM)

    @property
    def trim_box_pt(self) -> tuple[float, float, float, float]:
        off = (SLUG_MM + self.bleed_mm) * PT_PER_MM
        w, h = self.trim_mm
        return (off, off, off + w * PT_PER_MM, off + h * PT_PER_MM)

    @property
    def bleed_box_pt(self) -> tuple[float, float, float, float]:
        off = SLUG_MM * PT_PER_MM
        w, h = self.trim_mm
        b2 = 2 * self.bleed_mm
        return (off, off, off + (w + b2) * PT_PER_MM, off + (h + b2) * PT_PER_MM)


def page_units(page: PrintPage) -> int:
    """The /UserUnit a page needs (1 when it fits PDF's 14 400-unit limit): the smallest whole
    number of points per unit that brings the longest side within the limit."""
    longest = max(page.media_pt)
    return max(1, math.ceil(longest / MAX_PAGE_UNITS))


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def crop_mark_lines(page: PrintPage) -> list[tuple[float, float, float, float]]:
    """Eight short lines (two per corner) on the trim lines' extensions, outside the bleed."""
    x0, y0, x1, y1 = page.trim_box_pt
    off, length = MARK_OFFSET_MM * PT_PER_MM, MARK_LENGTH_MM * PT_PER_MM
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * off, y, x + sx * (off + length), y))  # horizontal, on the trim line y
            lines.append((x, y + sy * off, x, y + sy * (off + length)))  # vertical, on the trim line x
    return lines


def page_ops(page: PrintPage, n: Callable[[float], str]) -> list[str]:
    """The page's content: the image over the bleed box, crop marks and the slug label, in registration
    black (black ink alone, so the marks show on every plate). ``n`` writes a length in the page's units."""
    bx0, by0, bx1, by1 = page.bleed_box_pt
    ops = ["q", f"{n(bx1 - bx0)} 0 0 {n(by1 - by0)} {n(bx0)} {n(by0)} cm", "/Im0 Do", "Q"]
    ops += ["q", f"{n(0.25)} w", "0 0 0 1 K"]
    for ax, ay, bx, by in crop_mark_lines(page):
        ops.append(f"{n(ax)} {n(ay)} m {n(bx)} {n(by)} l S")
    ops.append("Q")
    tx0 = page.trim_box_pt[0] + (MARK_OFFSET_MM + MARK_LENGTH_MM) * PT_PER_MM  # clear of the marks
    ops += [
        "BT",
        f"/F1 {n(6)} Tf",
        "0 0 0 1 k",
        f"{n(tx0)} {n(by0 - 8 * PT_PER_MM)} Td",
        f"({_escape(page.label)}) Tj",  # the slug font holds ASCII
        "ET",
    ]
    return ops


def build_print_pdf(jpeg: bytes, page: PrintPage) -> bytes:
    """A one-page PDF holding ``jpeg`` over the bleed box, with crop marks and a slug label: PDF 1.4, or
    PDF 1.6 with /UserUnit for pages beyond the 14 400-unit limit (a 6 × 3 m billboard)."""
    unit = page_units(page)

    def n(v: float) -> str:  # a length in the page's units
        return _num(v / unit)

    def box(b: tuple[float, float, float, float]) -> str:
        return "[" + " ".join(n(v) for v in b) + "]"

    mw, mh = page.media_pt
    ops = page_ops(page, n)
    content = "\n".join(ops).encode("ascii")
    w, h = page.image_px
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {n(mw)} {n(mh)}] "
            f"/BleedBox {box(page.bleed_box_pt)} /TrimBox {box(page.trim_box_pt)} "
            + (f"/UserUnit {unit} " if unit > 1 else "")
            + "/Resources << /XObject << /Im0 4 0 R >> /Font << /F1 6 0 R >> >> /Contents 5 0 R >>"
        ).encode("ascii"),
        (
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\nstream\n"
        ).encode("ascii")
        + jpeg
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode("ascii") + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray((b"%PDF-1.4" if unit == 1 else b"%PDF-1.6") + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def sheet_facts(layout: Layout, fmt: Format) -> dict[str, Any]:
    """What any print file of a layout records for its preflight: the smallest text (points and
    millimetres) and the image's resolution at print size."""
    text_pt = round(min((t.size_px for t in layout.texts()), default=0) / fmt.dpi * 72, 1)
    return {"min_text_pt": text_pt, "min_text_mm": round(text_pt * POINT_MM, 2), "image_ppi": fmt.dpi}
