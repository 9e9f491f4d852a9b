"""Draws a ``Layout`` with Pillow. Every decision was made by the layout engine; this only paints."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from studio.errors import RenderError
from studio.fonts import pillow_font
from studio.layout.badge import PLATE_ALPHA, Badge
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
from studio.stills.icons import draw_icon

#: Gradients are computed on a grid this many pixels across at most, then smoothly upscaled:
#: a linear blend upscales exactly, and a full-size float array of a street banner is 1.5 GB.
GRADIENT_GRID_PX = 2048


def render_layout(layout: Layout) -> Image.Image:
    """Paint every item of ``layout`` in order onto a new RGB canvas."""
    canvas = Image.new("RGB", layout.canvas_px, (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for item in layout.items:
        if isinstance(item, FillRect):
            b = item.box
            shape = (b.x, b.y, b.right - 1, b.bottom - 1)
            if item.radius_px > 0:
                draw.rounded_rectangle(shape, radius=item.radius_px, fill=item.color)
            else:
                draw.rectangle(shape, fill=item.color)
        elif isinstance(item, FillGradient):
            canvas.paste(_gradient(item), (item.box.x, item.box.y))
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
            font = pillow_font(item.font, item.size_px)
            for line in item.lines:
                draw.text((line.x, line.baseline_y), line.text, font=font, fill=item.color, anchor="ls")
        elif isinstance(item, DrawQR):
            canvas.paste(_qr_image(item), item.origin)
        elif isinstance(item, DrawBadge):
            tile = badge_tile(item.badge)
            canvas.paste(tile, (item.badge.x, item.badge.y), tile)
    return canvas


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
    draw.text(
        (badge.pad_x, badge.baseline_y),
        badge.text,
        font=pillow_font(badge.font, badge.size_px),
        fill=(255, 255, 255, 255),
        anchor="ls",
    )
    return tile


def _gradient(item: FillGradient) -> Image.Image:
    """A linear blend: its position ``t`` as 8-bit grey, mapped through per-channel lookup tables.

    A two-colour blend has at most 256 distinct values per channel, so the 8-bit ``t`` loses
    nothing; large canvases compute ``t`` on a coarser grid and upscale it (linear stays linear).
    """
    box = item.box
    scale = min(1.0, GRADIENT_GRID_PX / max(box.w, box.h))
    gw, gh = max(2, round(box.w * scale)), max(2, round(box.h * scale))
    xs = box.x + (np.arange(gw, dtype=np.float32) + 0.5) / gw * box.w
    ys = box.y + (np.arange(gh, dtype=np.float32) + 0.5) / gh * box.h
    # gradient_t is linear in x and y (before clipping): evaluate it along each axis and add.
    t0 = gradient_t(box, item.angle_deg, 0.0, 0.0, clip=False)
    ax = gradient_t(box, item.angle_deg, 1.0, 0.0, clip=False) - t0
    ay = gradient_t(box, item.angle_deg, 0.0, 1.0, clip=False) - t0
    t = t0 + ax * xs[None, :] + ay * ys[:, None]
    grey = Image.fromarray(np.rint(np.clip(t, 0.0, 1.0) * 255).astype(np.uint8))
    if grey.size != (box.w, box.h):
        grey = grey.resize((box.w, box.h), Image.Resampling.BILINEAR)
    channels = [
        grey.point([round(a + (b - a) * i / 255) for i in range(256)])
        for a, b in zip(item.start, item.end, strict=True)
    ]
    return Image.merge("RGB", channels)


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


def _place_image(canvas: Image.Image, item: PlaceImage) -> None:
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
        img = img.crop((left, top, left + box.w, top + box.h))
        x, y = box.x, box.y
    else:
        x = {"left": box.x, "center": box.x + (box.w - w) // 2, "right": box.right - w}[item.align]
        y = box.y + (box.h - h) // 2
    canvas.paste(img, (x, y), img)
    if item.scrim > 0:
        shade = Image.new("RGB", (img.width, img.height), (0, 0, 0))
        region = canvas.crop((x, y, x + img.width, y + img.height))
        canvas.paste(Image.blend(region, shade, item.scrim), (x, y))


def _place_photo(canvas: Image.Image, item: PlacePhoto) -> None:
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
        canvas.paste(img, (b.x, b.y), big.resize((b.w, b.h), Image.Resampling.LANCZOS))
    else:
        canvas.paste(img, (b.x, b.y))


def _qr_image(item: DrawQR) -> Image.Image:
    """Modules drawn one pixel each, then scaled by an integer: every module edge is sharp."""
    n = item.matrix.size
    dark = np.array(item.matrix.rows, dtype=bool)
    rgb = np.empty((n, n, 3), dtype=np.uint8)
    rgb[dark] = item.dark
    rgb[~dark] = item.light
    small = Image.fromarray(rgb)
    return small.resize((n * item.module_px, n * item.module_px), Image.Resampling.NEAREST)
