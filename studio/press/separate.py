"""Paints a ``Layout`` straight into the press's CMYK: every colour of the layout goes through
littleCMS once (flat fills, the 256 steps of a gradient, each placed picture), so no full-size RGB
canvas is converted. Near-black text and every QR module print in black ink alone, over whatever is
under them (black overprint: no four-colour fringes, no white halo when plates shift); large
near-black fills print in the profile's rich black; grayscale formats print in black ink only, each
lightness matched through the profile's own black ramp. The total ink of every painted item is
checked against the profile's limit, and the worst place is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from studio.colors import RGB, relative_luminance
from studio.errors import RenderError
from studio.fonts import pillow_font
from studio.formats import Format
from studio.layout.engine import (
    DrawBadge,
    DrawIcon,
    DrawQR,
    DrawText,
    FillGradient,
    FillRect,
    Layout,
    PlaceImage,
    PlacePhoto,
)
from studio.press.icc import OutputProfile, apply, k_for_lightness, rgb_to_cmyk, rgb_to_lab
from studio.press.profiles import KEY_LUMINANCE, RICH_BLACK_MIN_AREA_MM2, PrintProfile
from studio.stills.icons import draw_icon
from studio.stills.raster import badge_tile, gradient_position, photo_tile, place_geometry

CMYK = tuple[int, int, int, int]
#: JPEG and rounding may lift a pixel by a level or two: the check allows half a per cent.
INK_TOLERANCE = 0.5


@dataclass
class InkReport:
    """The heaviest ink found and where, and facts the preflight reports."""

    max_pct: float = 0.0
    where: str = ""
    key_items: list[str] = field(default_factory=list)

    def see(self, pct: float, where: str) -> None:
        if pct > self.max_pct:
            self.max_pct, self.where = pct, where


class Separator:
    """Converts the layout's colours for one press (``profile`` with ``icc``), in colour or grayscale."""

    def __init__(self, profile: PrintProfile, icc: OutputProfile, fmt: Format, ink_limit: int) -> None:
        self.profile, self.icc, self.fmt, self.ink_limit = profile, icc, fmt, ink_limit
        self.gray = fmt.grayscale
        self._flat: dict[RGB, CMYK] = {}
        self.report = InkReport()

    # -- colours ------------------------------------------------------------------------------
    def convert(self, colors: list[RGB]) -> list[CMYK]:
        """Colours through littleCMS (or to black ink alone by lightness, in grayscale)."""
        strip = Image.new("RGB", (len(colors), 1))
        strip.putdata(colors)
        if self.gray:
            lightness = apply(rgb_to_lab(), strip).getchannel("L")
            lut = k_for_lightness(self.icc)
            return [(0, 0, 0, lut[v]) for v in lightness.tobytes()]
        raw = apply(rgb_to_cmyk(self.icc), strip).tobytes()
        return [(raw[i], raw[i + 1], raw[i + 2], raw[i + 3]) for i in range(0, len(raw), 4)]

    def color(self, rgb: RGB) -> CMYK:
        if rgb not in self._flat:
            self._flat[rgb] = self.convert([rgb])[0]
        return self._flat[rgb]

    def fill(self, rgb: RGB, area_px: int) -> CMYK:
        """A flat fill: large near-neutral blacks in rich black, small ones in black ink alone."""
        if max(rgb) <= 40 and max(rgb) - min(rgb) <= 12:
            area_mm2 = area_px * self.fmt.px_to_mm(1) ** 2
            if self.gray or area_mm2 < RICH_BLACK_MIN_AREA_MM2:
                return (0, 0, 0, 255)
            return self.profile.rich_black
        return self.color(rgb)

    @staticmethod
    def is_key(rgb: RGB) -> bool:
        return relative_luminance(rgb) <= KEY_LUMINANCE

    def image(self, rgba: Image.Image) -> Image.Image:
        return _to_press(rgba, self.icc, self.gray)

    # -- places -------------------------------------------------------------------------------
    def at(self, x: float, y: float) -> str:
        """A point as the print shop finds it: millimetres from the trimmed sheet's top-left corner."""
        b = self.fmt.bleed_px
        return f"{self.fmt.px_to_mm(x - b):.0f} mm from the left, {self.fmt.px_to_mm(y - b):.0f} mm from the top"


def _to_press(rgba: Image.Image, icc: OutputProfile, gray: bool) -> Image.Image:
    """A picture in the press's inks: through littleCMS, or black ink alone by lightness."""
    rgb = rgba.convert("RGB")
    if gray:
        lightness = apply(rgb_to_lab(), rgb).getchannel("L")
        k = lightness.point(list(k_for_lightness(icc)))
        zero = Image.new("L", rgb.size, 0)
        return Image.merge("CMYK", (zero, zero, zero, k))
    return apply(rgb_to_cmyk(icc), rgb)


@lru_cache(maxsize=32)
def _picture(
    item: PlaceImage, mtime_ns: int, icc: OutputProfile, gray: bool
) -> tuple[Image.Image, Image.Image, int, int]:
    """A placed picture (a logo) in the press's inks, its alpha and its place: converted once per
    size and press, as the RGB painter scales it once, since a batch places the same logo hundreds
    of times. Keyed by modification time too, so a replaced logo is seen."""
    img, x, y = place_geometry(item)
    return _to_press(img, icc, gray), img.getchannel("A"), x, y


def ink_pct(cmyk: CMYK) -> float:
    return sum(cmyk) / 255 * 100


def _max_ink(region: np.ndarray, mask: np.ndarray | None = None) -> tuple[float, int, int]:
    """Highest total ink in a CMYK array (where ``mask`` is set) and its row, column."""
    total = region.astype(np.uint16).sum(axis=2)
    if mask is not None:
        total = np.where(mask, total, 0)
    idx = int(np.argmax(total))
    row, col = divmod(idx, total.shape[1])
    return float(total[row, col]) / 255 * 100, row, col


def separate(layout: Layout, sep: Separator) -> Image.Image:
    """Paint ``layout`` onto a CMYK canvas; raise RenderError when any item's ink exceeds the limit."""
    report = sep.report
    items = list(layout.items)
    first = items[0] if items else None
    if isinstance(first, FillGradient) and (first.box.x, first.box.y, first.box.w, first.box.h) == (
        0,
        0,
        *layout.canvas_px,
    ):
        # A full-canvas background is the canvas: no blank 4-byte-a-pixel canvas to allocate and
        # clear (a street banner's is 420 MB) and no full-size paste.
        canvas = _gradient(first, sep)
        items = items[1:]
    else:
        canvas = Image.new("CMYK", layout.canvas_px, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    for item in items:
        if isinstance(item, FillRect):
            b = item.box
            ink = sep.fill(item.color, b.w * b.h)
            shape = (b.x, b.y, b.right - 1, b.bottom - 1)
            if item.radius_px > 0:
                draw.rounded_rectangle(shape, radius=item.radius_px, fill=ink)
            else:
                draw.rectangle(shape, fill=ink)
            report.see(ink_pct(ink), f"a fill of colour {_hex(item.color)} at {sep.at(b.x + b.w / 2, b.y + b.h / 2)}")
        elif isinstance(item, FillGradient):
            canvas.paste(_gradient(item, sep), (item.box.x, item.box.y))
        elif isinstance(item, PlaceImage):
            converted, alpha, x, y = _picture(item, item.path.stat().st_mtime_ns, sep.icc, sep.gray)
            w, h = alpha.size
            canvas.paste(converted, (x, y), alpha)
            if item.scrim > 0:
                shade = Image.new("CMYK", (w, h), sep.color((0, 0, 0)))
                region = canvas.crop((x, y, x + w, y + h))
                canvas.paste(Image.blend(region, shade, item.scrim), (x, y))
            draw = ImageDraw.Draw(canvas)
            f = _reduce_for((w, h))
            pct, row, col = _max_ink(np.asarray(canvas.crop((x, y, x + w, y + h)).reduce(f)))
            report.see(pct, f'the picture "{item.path.name}" at {sep.at(x + col * f, y + row * f)}')
        elif isinstance(item, PlacePhoto):
            tile, mask = photo_tile(item)
            b = item.box
            canvas.paste(sep.image(tile), (b.x, b.y), mask)
            draw = ImageDraw.Draw(canvas)
            f = _reduce_for(tile.size)
            pct, row, col = _max_ink(np.asarray(canvas.crop((b.x, b.y, b.right, b.bottom)).reduce(f)))
            report.see(pct, f'the photo "{item.photo.display}" at {sep.at(b.x + col * f, b.y + row * f)}')
        elif isinstance(item, DrawIcon):
            icon = draw_icon(item.icon, min(item.box.w, item.box.h), item.color)
            at = (item.box.x + (item.box.w - icon.width) // 2, item.box.y + (item.box.h - icon.height) // 2)
            if sep.is_key(item.color):
                _overprint_k(canvas, icon.getchannel("A"), at, f'the "{item.icon}" icon in black', sep)
            else:
                ink = sep.color(item.color)
                canvas.paste(Image.new("CMYK", icon.size, ink), at, icon.getchannel("A"))
                report.see(ink_pct(ink), f'the "{item.icon}" icon ({_hex(item.color)})')
            draw = ImageDraw.Draw(canvas)
        elif isinstance(item, DrawText):
            font = pillow_font(item.font, item.size_px)
            if sep.is_key(item.color):
                _overprint_text(canvas, item, font, sep)
                draw = ImageDraw.Draw(canvas)
            else:
                ink = sep.color(item.color)
                for line in item.lines:
                    draw.text((line.x, line.baseline_y), line.text, font=font, fill=ink, anchor="ls")
                report.see(ink_pct(ink), f'the {item.role} text "{_clip(item)}" ({_hex(item.color)})')
        elif isinstance(item, DrawQR):
            _overprint_qr(canvas, item, sep)
            draw = ImageDraw.Draw(canvas)
        elif isinstance(item, DrawBadge):
            tile = badge_tile(item.badge)
            canvas.paste(sep.image(tile), (item.badge.x, item.badge.y), tile.getchannel("A"))
            draw = ImageDraw.Draw(canvas)
    if report.max_pct > sep.ink_limit + INK_TOLERANCE:
        raise RenderError(
            f"{report.max_pct:.0f} % total ink on {report.where}, over the {sep.ink_limit} % limit of the "
            f"{sep.profile.name} profile; choose a lighter colour there or a profile for this paper"
        )
    return canvas


def _gradient(item: FillGradient, sep: Separator) -> Image.Image:
    """A linear blend in the press's inks: its 256 steps through littleCMS, then the 8-bit position
    image through one 1024-entry table, which gives all four inks in a single pass."""
    steps = [tuple(round(a + (b - a) * i / 255) for a, b in zip(item.start, item.end, strict=True)) for i in range(256)]
    inks = sep.convert(steps)  # type: ignore[arg-type]
    worst = max(range(256), key=lambda i: ink_pct(inks[i]))
    sep.report.see(
        ink_pct(inks[worst]),
        f"the gradient {_hex(item.start)}–{_hex(item.end)} at {worst / 2.55:.0f} % of its way",
    )
    return gradient_position(item).point([ink[c] for c in range(4) for ink in inks], "CMYK")


def _reduce_for(size: tuple[int, int]) -> int:
    """Check large pictures on a reduced copy (block means), at most about a million pixels."""
    return max(1, int((size[0] * size[1] / 1_000_000) ** 0.5))


def _overprint_k(canvas: Image.Image, mask: Image.Image, origin: tuple[int, int], what: str, sep: Separator) -> None:
    """Add black ink (``mask``: 0–255 coverage) over what is painted, leaving C, M and Y untouched."""
    x, y = origin
    box = (x, y, x + mask.width, y + mask.height)
    merged = canvas.crop(box)
    k = ImageChops.screen(merged.getchannel("K"), mask)  # k + mask − k·mask: black ink laid over existing black
    merged.im.putband(k.im, 3)  # only the black plate changes: no split and merge of all four
    canvas.paste(merged, (x, y))
    # A bound first, from each ink's maximum (exact on a flat background, and cheap); the exact
    # per-pixel maximum only when the bound is over the limit.
    bound = (sum(_band_max(merged.getchannel(band)) for band in "CMY") + _band_max(k)) / 255 * 100
    if bound <= sep.ink_limit:
        sep.report.see(bound, f"{what} at {sep.at(x + mask.width / 2, y + mask.height / 2)}")
    else:
        pct, row, col = _max_ink(np.asarray(merged), np.asarray(mask) > 0)
        sep.report.see(pct, f"{what} at {sep.at(x + col, y + row)}")
    sep.report.key_items.append(what)


def _band_max(band: Image.Image) -> int:
    low_high = band.getextrema()
    assert isinstance(low_high, tuple) and isinstance(low_high[1], int)
    return low_high[1]


def _overprint_text(canvas: Image.Image, item: DrawText, font: ImageFont.FreeTypeFont, sep: Separator) -> None:
    pad = item.size_px
    x0 = max(0, int(min(line.x for line in item.lines)) - pad)
    x1 = min(canvas.width, int(max(line.x + line.width_px for line in item.lines)) + pad)
    y0 = max(0, item.box.y - pad)
    y1 = min(canvas.height, item.box.bottom + pad)
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    mdraw = ImageDraw.Draw(mask)
    for line in item.lines:
        mdraw.text((line.x - x0, line.baseline_y - y0), line.text, font=font, fill=255, anchor="ls")
    inked = mask.getbbox()
    if inked is None:
        return
    mask = mask.crop(inked)  # only the glyphs' extent is split, screened and merged
    _overprint_k(canvas, mask, (x0 + inked[0], y0 + inked[1]), f'the {item.role} text "{_clip(item)}" in black', sep)


def _overprint_qr(canvas: Image.Image, item: DrawQR, sep: Separator) -> None:
    n = item.matrix.size
    dark = (np.array(item.matrix.rows, dtype=bool) * 255).astype(np.uint8)
    mask = Image.fromarray(dark).resize((n * item.module_px, n * item.module_px), Image.Resampling.NEAREST)
    _overprint_k(canvas, mask, item.origin, "the QR code's modules", sep)


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{v:02X}" for v in rgb)


def _clip(item: DrawText, limit: int = 30) -> str:
    text = " ".join(line.text for line in item.lines)
    return text if len(text) <= limit else text[: limit - 1] + "…"
