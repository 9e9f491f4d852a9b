"""Named output formats: size, medium, safe zone and the distances that size text and QR codes.

Pure data. Print formats are defined by their trimmed physical size; the canvas adds the bleed on
every side. Screen formats are pixel sizes with the platform's safe zone (where its own buttons and
captions do not cover the design).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MM_PER_INCH = 25.4

#: Minimum font size per metre of viewing distance, in millimetres. A cap height of about 2.5 mm per
#: metre keeps a line readable at that distance (≈1 inch per 33 ft); Noto Sans' cap height is 0.714 em.
MIN_FONT_MM_PER_M = 3.5

#: A QR code (its modules, quiet zone excluded) should be about a tenth of the distance it is scanned
#: from: a phone camera resolves it reliably up to ten times its width.
QR_WIDTH_PER_SCAN_DISTANCE = 0.10


@dataclass(frozen=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Format:
    name: str
    medium: Literal["screen", "print"]
    description: str
    width_px: int  # trimmed size (print) or full size (screen)
    height_px: int
    safe_px: Insets  # inside the trimmed area
    dpi: int = 72
    bleed_mm: float = 0.0
    viewing_distance_m: float = 0.4
    scan_distance_m: float = 0.3

    @property
    def is_print(self) -> bool:
        return self.medium == "print"

    @property
    def bleed_px(self) -> int:
        return round(self.bleed_mm / MM_PER_INCH * self.dpi)

    @property
    def canvas_px(self) -> tuple[int, int]:
        """Size of the drawn canvas: the trimmed size plus bleed on every side."""
        return (self.width_px + 2 * self.bleed_px, self.height_px + 2 * self.bleed_px)

    @property
    def trim_mm(self) -> tuple[float, float]:
        return (self.width_px / self.dpi * MM_PER_INCH, self.height_px / self.dpi * MM_PER_INCH)

    def px_to_mm(self, px: float) -> float:
        return px / self.dpi * MM_PER_INCH

    def mm_to_px(self, mm: float) -> float:
        return mm / MM_PER_INCH * self.dpi

    @property
    def min_text_px(self) -> int:
        """The smallest font size still readable at this format's viewing distance."""
        if self.is_print:
            return round(self.mm_to_px(MIN_FONT_MM_PER_M * self.viewing_distance_m))
        # Screens: a feed post is seen at phone width; below ~2.6 % of the short side text is a blur.
        return max(18, round(0.026 * min(self.width_px, self.height_px)))

    @property
    def min_qr_px(self) -> int:
        """The smallest QR code (modules only) that scans at this format's scanning distance."""
        if self.is_print:
            return round(self.mm_to_px(QR_WIDTH_PER_SCAN_DISTANCE * self.scan_distance_m * 1000))
        # On screens the code is scanned off another screen held close or from a screenshot.
        return round(0.16 * min(self.width_px, self.height_px))


def _screen(name: str, w: int, h: int, safe: tuple[int, int, int, int], description: str) -> Format:
    return Format(name, "screen", description, w, h, Insets(*safe), viewing_distance_m=0.4)


def _print(
    name: str,
    w_mm: float,
    h_mm: float,
    dpi: int,
    margin_mm: float,
    viewing_m: float,
    scan_m: float,
    description: str,
) -> Format:
    w_px, h_px = round(w_mm / MM_PER_INCH * dpi), round(h_mm / MM_PER_INCH * dpi)
    margin = round(margin_mm / MM_PER_INCH * dpi)
    return Format(
        name,
        "print",
        description,
        w_px,
        h_px,
        Insets(margin, margin, margin, margin),
        dpi=dpi,
        bleed_mm=3.0,
        viewing_distance_m=viewing_m,
        scan_distance_m=scan_m,
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _screen("instagram-post", 1080, 1080, (64, 64, 64, 64), "Instagram / Facebook feed, 1:1"),
        _screen("instagram-portrait", 1080, 1350, (64, 64, 64, 64), "Instagram feed, 4:5"),
        # Stories and reels: the top 250 px carry the account bar, the bottom 340 px the reply box.
        _screen("story", 1080, 1920, (64, 250, 64, 340), "Instagram / Facebook / WhatsApp story, 9:16"),
        _screen("facebook-link", 1200, 630, (48, 40, 48, 40), "Facebook / Telegram link preview, 1.91:1"),
        _screen("x-post", 1600, 900, (64, 56, 64, 56), "X / Telegram post, 16:9"),
        _screen("youtube", 1920, 1080, (96, 54, 96, 54), "YouTube, 16:9 (title-safe 90 %)"),
        _screen("square", 1080, 1080, (64, 64, 64, 64), "Square video, 1:1"),
        _print("a4", 210, 297, 300, 8, 1.0, 0.5, "A4 poster, 300 dpi"),
        _print("a3", 297, 420, 300, 10, 1.5, 0.6, "A3 poster, 300 dpi"),
        _print("a2", 420, 594, 300, 12, 2.0, 1.0, "A2 poster, 300 dpi"),
        # Large prints are seen from afar: 150 and 100 dpi are finer than the eye resolves there.
        _print("street-banner-3x1m", 3000, 1000, 150, 50, 8.0, 3.0, "Street banner 3 × 1 m, 150 dpi"),
        _print("billboard-6x3m", 6000, 3000, 100, 150, 25.0, 8.0, "Billboard 6 × 3 m, 100 dpi"),
        # Booklets are read in the hand and typeset as vectors; the dpi sizes their previews only.
        _print("a5-booklet", 148, 210, 150, 14, 0.35, 0.25, "A5 booklet, saddle-stitched (8, 12 or 16 pages)"),
        _print("dl-trifold", 99, 210, 150, 8, 0.35, 0.25, "DL tri-fold leaflet: an A4 sheet folded in three"),
    )
}

SOCIAL_FORMATS = ("instagram-post", "instagram-portrait", "story", "facebook-link", "x-post")
PRINT_FORMATS = ("a4", "a3", "a2", "street-banner-3x1m", "billboard-6x3m")
VIDEO_FORMATS = ("youtube", "story", "square")
INFOGRAPHIC_FORMATS = ("instagram-post", "instagram-portrait", "story", "a4", "a3")
BOOKLET_FORMATS = ("a5-booklet", "dl-trifold")
#: Saddle-stitched booklets: the page counts offered (a multiple of 4, one folded sheet per 4 pages).
BOOKLET_PAGE_COUNTS = (8, 12, 16)
#: A DL tri-fold is one sheet, six panels.
TRIFOLD_PAGES = 6


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f'unknown format "{name}"; known: {", ".join(FORMATS)}') from None
