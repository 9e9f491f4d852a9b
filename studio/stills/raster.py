"""Draws a ``Layout`` with Pillow. Every decision was made by the layout engine; this only paints."""

from __future__ import annotations

import math
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from studio.errors import RenderError
from studio.fonts import pillow_font
from studio.layout.badge import ICON_TEXT, PLATE_ALPHA, Badge
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
    fade_curve,
    gradient_t,
)
from studio.lru import SizedLRU
from studio.stills.icons import draw_icon

#: Gradients are computed on a grid this many pixels across at most, then smoothly upscaled:
#: a linear blend upscales exactly, and a full-size float array of a street banner is 1.5 GB.
GRADIENT_GRID_PX = 2048
#: Rows of a gradient computed at a time (a strip of 2048 floats × 64 rows is 0.5 MB).
GRADIENT_STRIP_ROWS = 64
#: Gradients up to this many pixels are kept for the next render of the same background (the other
#: language, the next deliverable of the design): a copy costs a fifth of computing one.
GRADIENT_CACHE_MAX_PX = 4_000_000
#: Rendered lines of text kept for the next render that shows the same line (an organisation's name,
#: hashtags, the reporting call): each is FreeType's shaped and rasterised coverage mask.
TEXT_CACHE_BYTES = 32 << 20
TEXT_CACHE_MAX_PX = 1_000_000


def render_layout(layout: Layout) -> Image.Image:
    """Paint every item of ``layout`` in order onto a new RGB canvas."""
    items = list(layout.items)
    first = items[0] if items else None
    if isinstance(first, FillGradient) and (first.box.x, first.box.y, first.box.w, first.box.h) == (
        0,
        0,
        *layout.canvas_px,
    ):
        # A full-canvas background is the canvas: no blank canvas to allocate (fresh memory is touched
        # page by page, ~5 ms for a 1080² canvas) and no full-size copy.
        canvas = _gradient(first, own=True)
        items = items[1:]
    else:
        canvas = Image.new("RGB", layout.canvas_px, (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for item in items:
        if isinstance(item, FillRect):
            b = item.box
            shape = (b.x, b.y, b.right - 1, b.bottom - 1)
            if item.radius_px > 0:
                draw.rounded_rectangle(shape, radius=item.radius_px, fill=item.color)
            else:
                draw.rectangle(shape, fill=item.color)
        elif isinstance(item, FillGradient):
            canvas.paste(_gradient(item), (item.box.x, item.box.y))  # (pasting copies: the cached tile is kept)
        elif isinstance(item, PlaceImage):
            _place_image(canvas, item)
            draw = ImageDraw.Draw(canvas)
        elif isinstance(item, PlacePhoto):
            _place_photo(canvas, item)
            draw = ImageDraw.Draw(canvas)
        elif isinstance(item, DrawIcon):
            tile = draw_icon(item.icon, min(item.box.w, item.box.h), item.color)
            canvas.paste(
                tile, (item.box.x + (item.box.w - tile.width) // 2, item.box.y + (item.box.h - tile.height) // 2), tile
            )
        elif isinstance(item, DrawText):
            for line in item.lines:
                draw_line(draw, item.font, item.size_px, line.x, line.baseline_y, line.text, item.color)
        elif isinstance(item, DrawQR):
            canvas.paste(_qr_image(item), item.origin)
        elif isinstance(item, DrawBadge):
            tile = badge_tile(item.badge)
            canvas.paste(tile, (item.badge.x, item.badge.y), tile)
    return canvas


class _TextMasks(SizedLRU[tuple[Any, ...], tuple[Any, tuple[int, int]]]):
    """FreeType's coverage masks of lines of text, by font, size, text and sub-pixel start; least
    recently used first out, within a byte budget. Shared by a process's threads."""

    def put(self, key: tuple[Any, ...], mask: Any, offset: tuple[int, int]) -> None:
        size = mask.size[0] * mask.size[1]
        if size <= TEXT_CACHE_MAX_PX:
            self.keep(key, (mask, offset), size)


_TEXT_MASKS = _TextMasks(TEXT_CACHE_BYTES)


def draw_line(
    draw: ImageDraw.ImageDraw, font_path: Path, size_px: int, x: float, y: float, text: str, color: Any
) -> None:
    """One line of text, anchored at its left baseline: exactly ``draw.text(..., anchor="ls")``, with
    the shaped and rasterised line kept for the next render that shows it."""
    font = pillow_font(font_path, size_px)
    if draw.fontmode != "L" or "\n" in text or "\r" in text:
        draw.text((x, y), text, font=font, fill=color, anchor="ls")
        return
    # As ImageDraw.text draws a single unstroked line: the mask from the fractional start, at the integer origin.
    start = (math.modf(x)[0], math.modf(y)[0])
    key = (font_path, size_px, text, start)
    found = _TEXT_MASKS.get(key)
    if found is None:
        mask, offset = font.getmask2(text, "L", anchor="ls", start=start)
        _TEXT_MASKS.put(key, mask, offset)
    else:
        mask, offset = found
    ink, fill_ink = draw._getink(color)
    draw.draw.draw_bitmap((int(x) + offset[0], int(y) + offset[1]), mask, ink if ink is not None else fill_ink)


def badge_tile(badge: Badge) -> Image.Image:
    """The badge as an RGBA tile: stills paste it, videos overlay it on every frame."""
    tile = Image.new("RGBA", (badge.w, badge.h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    draw.rounded_rectangle(
        (0, 0, badge.w - 1, badge.h - 1),
        radius=badge.h // 3,
        fill=(*badge.plate, PLATE_ALPHA),
        outline=(255, 255, 255, 235),
        width=badge.rim_px,
    )
    if badge.icon_px:
        # the AI icon: bold letters in a white rounded square
        side, left, top = badge.icon_px, badge.pad_x, badge.icon_y
        draw.rounded_rectangle(
            (left, top, left + side - 1, top + side - 1),
            radius=max(1, side // 5),
            outline=(255, 255, 255, 255),
            width=max(1, round(side / 11)),
        )
        draw.text(
            (left + side / 2, top + side / 2),
            ICON_TEXT,
            font=pillow_font(badge.font, max(6, round(side * 0.5))),
            fill=(255, 255, 255, 255),
            anchor="mm",
        )
    draw.text(
        (badge.text_x, badge.baseline_y),
        badge.text,
        font=pillow_font(badge.font, badge.size_px),
        fill=(255, 255, 255, 255),
        anchor="ls",
    )
    return tile


def _gradient(item: FillGradient, own: bool = False) -> Image.Image:
    """The gradient tile of ``item``; ``own``: one to draw on, else perhaps the cached one (paste it)."""
    if item.box.w * item.box.h > GRADIENT_CACHE_MAX_PX:
        return _blend(item)
    tile = _cached_blend(item)
    return tile.copy() if own else tile


@lru_cache(maxsize=4)
def _cached_blend(item: FillGradient) -> Image.Image:
    return _blend(item)


def _blend(item: FillGradient) -> Image.Image:
    """A linear blend: its position ``t`` as 8-bit grey, mapped through per-channel lookup tables.

    A two-colour blend has at most 256 distinct values per channel, so the 8-bit ``t`` loses
    nothing; large canvases compute ``t`` on a coarser grid and upscale it (linear stays linear).
    """
    grey = gradient_position(item)
    # The three tables in one pass: an "L" image through a 768-entry table gives RGB.
    table = [round(a + (b - a) * i / 255) for a, b in zip(item.start, item.end, strict=True) for i in range(256)]
    return grey.point(table, "RGB")


def gradient_position(item: FillGradient) -> Image.Image:
    """The gradient's position ``t`` (0–255) at every pixel of its box, as an 8-bit grey image."""
    box = item.box
    scale = min(1.0, GRADIENT_GRID_PX / max(box.w, box.h))
    gw, gh = max(2, round(box.w * scale)), max(2, round(box.h * scale))
    xs = box.x + (np.arange(gw, dtype=np.float32) + 0.5) / gw * box.w
    ys = box.y + (np.arange(gh, dtype=np.float32) + 0.5) / gh * box.h
    # gradient_t is linear in x and y (before clipping): evaluate it along each axis and add.
    t0 = gradient_t(box, item.angle_deg, 0.0, 0.0, clip=False)
    ax = gradient_t(box, item.angle_deg, 1.0, 0.0, clip=False) - t0
    ay = gradient_t(box, item.angle_deg, 0.0, 1.0, clip=False) - t0
    # In strips of rows, in one reused float32 buffer that stays in the CPU cache: the same arithmetic
    # and bytes as ``rint(clip(t0 + ax·x + ay·y, 0, 1) · 255)`` on the whole array, five times faster.
    row = t0 + ax * xs
    col = ay * ys
    grey_px = np.empty((gh, gw), dtype=np.uint8)
    buf = np.empty((min(GRADIENT_STRIP_ROWS, gh), gw), dtype=np.float32)
    for y in range(0, gh, GRADIENT_STRIP_ROWS):
        strip = buf[: min(GRADIENT_STRIP_ROWS, gh - y)]
        np.add(col[y : y + len(strip), None], row[None, :], out=strip)
        np.clip(strip, 0.0, 1.0, out=strip)
        np.multiply(strip, 255, out=strip)
        np.rint(strip, out=strip)
        grey_px[y : y + len(strip)] = strip
    grey = Image.fromarray(grey_px)
    if grey.size != (box.w, box.h):
        grey = grey.resize((box.w, box.h), Image.Resampling.BILINEAR)
    return grey


@lru_cache(maxsize=32)
def _open_rgba(path: Path, mtime_ns: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return im.convert("RGBA")
    except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise RenderError(f"{path}: cannot read image ({exc})") from None


@lru_cache(maxsize=32)
def _scaled(path: Path, mtime_ns: int, size: tuple[int, int]) -> Image.Image:
    """A logo or photo resized once per size: a batch places the same logo hundreds of times."""
    return _open_rgba(path, mtime_ns).resize(size, Image.Resampling.LANCZOS)


def place_geometry(item: PlaceImage) -> tuple[Image.Image, int, int]:
    """The picture scaled (and cropped) for its box, and where its top-left corner goes."""
    # Keyed by modification time too: a long-lived worker must see a logo replaced between batches.
    mtime = item.path.stat().st_mtime_ns
    src = _open_rgba(item.path, mtime)
    box = item.box
    if item.fit == "cover":
        scale = max(box.w / src.width, box.h / src.height)
    else:
        scale = min(box.w / src.width, box.h / src.height)
    w, h = max(1, round(src.width * scale)), max(1, round(src.height * scale))
    img = _scaled(item.path, mtime, (w, h))
    if item.fit == "cover":
        left, top = (w - box.w) // 2, (h - box.h) // 2
        return img.crop((left, top, left + box.w, top + box.h)), box.x, box.y
    x = {"left": box.x, "center": box.x + (box.w - w) // 2, "right": box.right - w}[item.align]
    return img, x, box.y + (box.h - h) // 2


def _place_image(canvas: Image.Image, item: PlaceImage) -> None:
    img, x, y = place_geometry(item)
    canvas.paste(img, (x, y), img)
    if item.scrim > 0:
        shade = Image.new("RGB", (img.width, img.height), (0, 0, 0))
        region = canvas.crop((x, y, x + img.width, y + img.height))
        canvas.paste(Image.blend(region, shade, item.scrim), (x, y))


def _place_photo(canvas: Image.Image, item: PlacePhoto) -> None:
    img, mask = photo_tile(item)
    canvas.paste(img, (item.box.x, item.box.y), mask)


def photo_tile(item: PlacePhoto) -> tuple[Image.Image, Image.Image | None]:
    """The photo as drawn in its box (RGB), and the mask of a round photo (None: the whole box)."""
    from studio.stills.photos import load_photo

    photo, _ = load_photo(item.photo.path)
    c, b = item.crop, item.box
    img = photo.resize((b.w, b.h), Image.Resampling.LANCZOS, box=(c.x, c.y, c.right, c.bottom), reducing_gap=3.0)
    if item.duotone is not None:
        grey = img.convert("L")
        img = Image.merge(
            "RGB",
            [
                grey.point([round(lo + (hi - lo) * i / 255) for i in range(256)])
                for lo, hi in zip(*item.duotone, strict=True)
            ],
        )
    if item.fade != "none":
        alpha = np.zeros((b.h, b.w), dtype=np.float32)
        ys = b.y + np.arange(b.h, dtype=np.float32)[:, None] + 0.5
        xs = b.x + np.arange(b.w, dtype=np.float32)[None, :] + 0.5
        e = item.fade_extent
        if item.fade == "full":
            alpha[:] = 1.0
        elif item.fade == "bottom":
            alpha = np.broadcast_to((ys - (b.bottom - e * b.h)) / (e * b.h), (b.h, b.w))
        elif item.fade == "top":
            alpha = np.broadcast_to(((b.y + e * b.h) - ys) / (e * b.h), (b.h, b.w))
        else:  # left
            alpha = np.broadcast_to(((b.x + e * b.w) - xs) / (e * b.w), (b.h, b.w))
        fade = Image.fromarray(np.rint(fade_curve(alpha) * item.fade_opacity * 255).astype(np.uint8))
        img = Image.composite(Image.new("RGB", img.size, item.fade_color), img, fade)
    if item.circle:
        big = Image.new("L", (b.w * 4, b.h * 4), 0)
        ImageDraw.Draw(big).ellipse((0, 0, b.w * 4 - 1, b.h * 4 - 1), fill=255)
        return img, big.resize((b.w, b.h), Image.Resampling.LANCZOS)
    return img, None


def _qr_image(item: DrawQR) -> Image.Image:
    """Modules drawn one pixel each, then scaled by an integer: every module edge is sharp."""
    n = item.matrix.size
    dark = np.array(item.matrix.rows, dtype=bool)
    rgb = np.empty((n, n, 3), dtype=np.uint8)
    rgb[dark] = item.dark
    rgb[~dark] = item.light
    small = Image.fromarray(rgb)
    return small.resize((n * item.module_px, n * item.module_px), Image.Resampling.NEAREST)
