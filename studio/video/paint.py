"""Drawing a video plan's pictures: each distinct picture once, in the brand's fonts and colours.

:func:`paint` turns every picture description of a :class:`~studio.video.plan.VideoPlan` into a
Pillow image: cards (full frame, RGB) through the layout engine plus the scene's own drawing, and
sprites (RGBA: characters, props, counting numbers, growing charts, caption plates). The icons and
props are drawn here, by the project, from plain shapes (CC0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from studio.campaign import cached_design
from studio.campaign.models import Campaign, Copy, Deliverable
from studio.fonts import PillowMeasure, pillow_font
from studio.formats import Format
from studio.layout.badge import build_badge
from studio.layout.engine import LayoutInput, build_layout
from studio.layout.text import wrap
from studio.stills.raster import badge_tile, render_layout
from studio.video.plan import (
    BadgePicture,
    BarsPicture,
    CaptionPicture,
    CharacterPicture,
    ChartCard,
    LayoutCard,
    LightPicture,
    LitCard,
    NumberPicture,
    PhonePicture,
    PictureSpec,
    PiePicture,
    PresenterCard,
    PropPicture,
    StageCard,
    StageFront,
    StatCard,
    StepsCard,
    TitlePlate,
    VideoPlan,
    content_box_px,
)
from studio.video.script import Step

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Painter:
    """What pictures are drawn with: the campaign's brand, the job's words and frame, the cast."""

    campaign: Campaign
    deliverable: Deliverable
    lang: str
    fmt: Format
    qr_data: str
    scale: float  # output pixels per layout pixel (drafts are smaller)
    character: Callable[[str, object, int], Image.Image]  # (character, state, height) → RGBA
    stage: Callable[[str, int, int], Image.Image]  # (set, width, height) → RGB
    front: Callable[[str, int, int], Image.Image | None]  # (set, width, height) → RGBA over the characters

    @property
    def colors(self) -> dict[str, RGB]:
        return dict(self.campaign.brand.colors)

    @property
    def headline(self) -> Path:
        return self.campaign.brand.fonts["headline"]

    @property
    def body(self) -> Path:
        return self.campaign.brand.fonts["body"]


def paint(
    plan: VideoPlan,
    painter: Painter,
    mark: Callable[[list[Image.Image]], list[Image.Image]] | None = None,
    threads: int = 1,
    sprites: bool = True,
) -> dict[str, Image.Image]:
    """Every picture of ``plan``, by key; with ``sprites`` False, all but the pictures only sprites
    show (see :func:`sprite_pictures`: drawn with :func:`paint_more`, part by part). ``mark`` (the
    invisible watermark) is given every full-frame card at once, a lit card's own card included,
    before the lights are drawn into it (as they lie over the marked card); each lit card is drawn
    once, from the marked card.

    With ``threads`` > 1 the pictures are drawn by that many threads (Pillow's resizing and
    compositing run outside Python's lock); each picture is the same either way.
    """
    cards = list(dict.fromkeys(_own_card(plan, card.picture) for card in plan.cards))
    later = set() if sprites else sprite_pictures(plan)
    # the cards first: with threads, they are marked while the threads draw the rest
    keys = cards + [
        k for k, spec in plan.pictures.items() if not isinstance(spec, LitCard) and k not in cards and k not in later
    ]
    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            drawn = {key: pool.submit(draw, plan.pictures[key], painter) for key in keys}
            marked = mark([drawn[k].result() for k in cards]) if mark is not None else None
            pictures = {key: future.result() for key, future in drawn.items()}
    else:
        pictures = {key: draw(plan.pictures[key], painter) for key in keys}
        marked = mark([pictures[k] for k in cards]) if mark is not None else None
    if marked is not None:
        pictures.update(zip(cards, marked, strict=True))
    for key, spec in plan.pictures.items():
        if isinstance(spec, LitCard):
            pictures[key] = light_up(pictures[spec.base], spec, pictures, plan.size_px)
    return pictures


def sprite_pictures(plan: VideoPlan) -> set[str]:
    """The pictures only sprite tracks show (no card, lit card's light or still): a character's
    poses, captions, counters. Each part of a video needs only those its own frames show."""
    elsewhere = {card.picture for card in plan.cards} | {s.picture for s in plan.stills}
    for spec in plan.pictures.values():
        if isinstance(spec, LitCard):
            elsewhere |= {spec.base, *(key for key, _ in spec.lights)}
    shown = {c.picture for t in plan.sprites for c in t.clips if c.picture is not None}
    return shown - elsewhere


def paint_more(plan: VideoPlan, painter: Painter, keys: Sequence[str], threads: int = 1) -> dict[str, Image.Image]:
    """Pictures ``keys`` of ``plan`` (none of them a card), by ``threads`` threads."""
    if threads > 1 and len(keys) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return dict(zip(keys, pool.map(lambda key: draw(plan.pictures[key], painter), keys), strict=True))
    return {key: draw(plan.pictures[key], painter) for key in keys}


def _own_card(plan: VideoPlan, key: str) -> str:
    """The card a card picture is: itself, or for a lit card the card its lights are drawn into."""
    spec = plan.pictures[key]
    return spec.base if isinstance(spec, LitCard) else key


def drawer(plan: VideoPlan, painter: Painter) -> Callable[[str], Image.Image]:
    """The plan's pictures drawn on demand, each once (a lit card from its card and lights)."""
    cache: dict[str, Image.Image] = {}

    def get(key: str) -> Image.Image:
        if key not in cache:
            spec = plan.pictures[key]
            if isinstance(spec, LitCard):
                cache[key] = light_up(get(spec.base), spec, {k: get(k) for k, _ in spec.lights}, plan.size_px)
            else:
                cache[key] = draw(spec, painter)
        return cache[key]

    return get


def light_up(
    base: Image.Image, spec: LitCard, pictures: Mapping[str, Image.Image], frame_px: tuple[int, int]
) -> Image.Image:
    """``base`` (a card) with ``spec``'s lights blended in where the encoder would have laid them.

    The lights are in the video's pixels (``frame_px``); a draft's cards are drawn at the format's
    full size, so there each light is enlarged to the card's scale and placed at that scale.
    """
    image = base.convert("RGBA")
    factor = base.width / frame_px[0]
    for key, at in spec.lights:
        light = pictures[key]
        if factor != 1:
            size = (round(light.width * factor), round(light.height * factor))
            light = light.resize(size, Image.Resampling.BILINEAR)
            at = (round(at[0] * factor), round(at[1] * factor))
        image.alpha_composite(light, at)  # (a corner left of or above the card: clipped)
    return image.convert(base.mode)


def draw(spec: PictureSpec, p: Painter) -> Image.Image:
    """One picture."""
    if isinstance(spec, LayoutCard):
        return _layout_card(p, spec.design, spec.headline, spec.body, spec.picture, spec.campaign_text)
    if isinstance(spec, StageCard):
        return _stage_card(p, spec)
    if isinstance(spec, PresenterCard):
        return _presenter_card(p, spec)
    if isinstance(spec, StepsCard):
        return _steps_card(p, spec)
    if isinstance(spec, StatCard):
        return _stat_card(p, spec)
    if isinstance(spec, ChartCard):
        return _titled_card(p, spec.title)
    if isinstance(spec, NumberPicture):
        return _number(p, spec)
    if isinstance(spec, BarsPicture):
        return _bars(p, spec)
    if isinstance(spec, PiePicture):
        return _pie(p, spec)
    if isinstance(spec, CharacterPicture):
        return _character(p, spec)
    if isinstance(spec, PropPicture):
        return _prop(p, spec)
    if isinstance(spec, StageFront):
        x0, y0, x1, y1 = spec.box
        w, h = round(p.fmt.width_px * p.scale), round(p.fmt.height_px * p.scale)
        front = p.front(spec.set, w, h)
        assert front is not None  # the plan asks only for sets that have one
        return front.crop((x0, y0, x1, y1))
    if isinstance(spec, CaptionPicture):
        return _caption(p, spec)
    if isinstance(spec, LightPicture):
        return _light(spec)
    if isinstance(spec, TitlePlate):
        return _title_plate(p, spec)
    if isinstance(spec, LitCard):
        raise ValueError("a lit card is drawn from its card and lights: paint() draws it")
    if isinstance(spec, PhonePicture):
        return _phone(p, spec)
    if isinstance(spec, BadgePicture):
        return _badge(p)
    raise TypeError(f"no drawing for {type(spec).__name__}")


# ---------------------------------------------------------------- cards


def _layout_card(
    p: Painter, design: str, headline: str, body: str | None, picture: Path | None, campaign_text: bool
) -> Image.Image:
    """A card by the layout engine, the badge's corner left free for the overlay."""
    copy = p.deliverable.text[p.lang] if campaign_text else _copy(headline, body)
    slide = p.deliverable.model_copy(update={"text": {p.lang: copy}})
    spec = LayoutInput.of(
        p.campaign,
        slide,
        p.lang,
        p.fmt,
        cached_design(p.campaign.root, design),
        p.qr_data,
        picture=picture,
        synthetic=True,
        draw_badge=False,
    )
    return render_layout(build_layout(spec, PillowMeasure())).convert("RGB")


def _copy(headline: str, body: str | None) -> Copy:
    """Words for a card; a blank headline (an untitled scene) skips the design's optional title layer."""
    if headline.strip():
        return Copy(headline=headline, body=body)
    return Copy.model_construct(headline=" ", body=body, call_to_action=None)


def _scene_base(p: Painter) -> Image.Image:
    """The scene design with no words: background, logo and accent strip."""
    prefix = p.deliverable.design
    return _layout_card(p, f"{prefix}-scene", " ", None, None, False)


def _fit_text(
    text: str, font: Path, box_w: float, box_h: float, start_px: int, line: float = 1.15, min_px: int = 12
) -> tuple[int, tuple[str, ...]]:
    """The largest size up to ``start_px`` at which ``text`` wraps inside the box."""
    measure = PillowMeasure()
    size = start_px
    while size > min_px:
        lines = wrap(text, box_w, font, size, measure)
        if lines is not None and len(lines) * size * line <= box_h:
            return size, lines
        size = int(size * 0.92)
    return size, wrap(text, box_w, font, size, measure) or (text,)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: tuple[str, ...],
    font_path: Path,
    size: int,
    xy: tuple[float, float],
    fill: RGB | tuple[int, int, int, int],
    align: str = "left",
    width: float = 0,
    line: float = 1.15,
) -> float:
    """Lines from the top-left ``xy`` (or centred in ``width``); returns the y below the last."""
    font = pillow_font(font_path, size)
    x, y = xy
    ascent, _ = font.getmetrics()
    for text in lines:
        tx = x + (width - draw.textlength(text, font=font)) / 2 if align == "center" else x
        draw.text((tx, y + ascent), text, font=font, fill=fill, anchor="ls")
        y += size * line
    return y


def _title(p: Painter, image: Image.Image, title: str | None, box: tuple[float, float, float, float]) -> None:
    if not title:
        return
    w, h = image.size
    x, y, bw, bh = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    size, lines = _fit_text(title, p.headline, bw, bh, round(0.075 * min(w, h) * (1.25 if w > h else 1)))
    _draw_lines(ImageDraw.Draw(image), lines, p.headline, size, (x, y), p.colors["light"])


def content_box(fmt: Format, shape: str) -> tuple[float, float, float, float]:
    """The content box in frame pixels (x, y, w, h)."""
    safe = fmt.safe_px
    return content_box_px(fmt.width_px, fmt.height_px, (safe.left, safe.top, safe.right, safe.bottom), shape)  # type: ignore[arg-type]


def _shape(p: Painter) -> str:
    from studio.layout.design import shape_of

    return shape_of(p.fmt.width_px, p.fmt.height_px)


def _content_box(p: Painter) -> tuple[float, float, float, float]:
    return content_box(p.fmt, _shape(p))


def _titled_card(p: Painter, title: str | None) -> Image.Image:
    """The scene design with only its title: background, logo, accent strip, the title in its place."""
    return _layout_card(p, f"{p.deliverable.design}-scene", title or "", None, None, False)


def _top_fade(image: Image.Image, height_px: int, color: tuple[int, int, int]) -> Image.Image:
    """``image`` under ``color``, solid down to two thirds of ``height_px`` and fading out by its end."""
    solid = round(height_px * 2 / 3)
    alpha = [235] * solid + [round(235 * (1 - i / max(1, height_px - solid))) for i in range(height_px - solid)]
    mask = Image.new("L", (1, height_px))
    mask.putdata(alpha)
    mask = mask.resize((image.width, height_px))
    top = image.crop((0, 0, image.width, height_px))
    image.paste(Image.composite(Image.new("RGB", top.size, color), top, mask), (0, 0))
    return image


def _stage_card(p: Painter, spec: StageCard) -> Image.Image:
    """The set, full frame, with the scene's title on a plate in the top corner the badge leaves free
    (a lower-third title is a :class:`TitlePlate` over the characters instead)."""
    w, h = p.fmt.width_px, p.fmt.height_px
    image = p.stage(spec.set, w, h).convert("RGB")
    if spec.title:
        badge = build_badge(p.fmt, p.headline, PillowMeasure(), p.campaign.brand.colors["dark"])
        left = p.fmt.safe_px.left
        room = (badge.x - left - 0.02 * w) if badge.x > w / 2 else 0.9 * (w - p.fmt.safe_px.right - left)
        top = badge.y if badge.x > w / 2 else badge.y + badge.h + 0.01 * h
        size, lines, box = _plate_box(p, spec.title, room, left, top)
        if h >= w:
            # A tall or square frame shows the set's top (a sign, a board) under the badge and the title:
            # a brand-dark fade over the top keeps both legible and the set below untouched.
            image = _top_fade(image, round(box[3] + 0.1 * h), p.colors["dark"])
        _draw_plate(p, ImageDraw.Draw(image, "RGBA"), lines, size, box)
    return image


def _plate_box(
    p: Painter, title: str, room: float, left: float, top: float
) -> tuple[int, tuple[str, ...], tuple[float, float, float, float]]:
    """A title plate's text size, lines and box: ``room`` wide at most, its top-left at (left, top)."""
    w, h = p.fmt.width_px, p.fmt.height_px
    size, lines = _fit_text(title, p.headline, room * 0.9, 0.1 * h, round(0.042 * min(w, h)))
    font = pillow_font(p.headline, size)
    tw = max(font.getlength(line) for line in lines)
    pad = size * 0.5
    plate_h = len(lines) * size * 1.15 + pad * 1.4
    return size, lines, (left, top, left + tw + 2 * pad, top + plate_h)


def _draw_plate(
    p: Painter, draw: ImageDraw.ImageDraw, lines: tuple[str, ...], size: int, box: tuple[float, float, float, float]
) -> None:
    pad = size * 0.5
    draw.rounded_rectangle(box, radius=pad * 0.8, fill=(*p.colors["dark"], 225))
    draw.rectangle((box[0] + pad * 0.8, box[3] - 0.22 * pad, box[2] - pad * 0.8, box[3]), fill=p.colors["accent"])
    _draw_lines(draw, lines, p.headline, size, (box[0] + pad, box[1] + pad * 0.6), p.colors["light"])


def _title_plate(p: Painter, spec: TitlePlate) -> Image.Image:
    """A lower-third title on a transparent canvas ``spec.size_px`` big (output pixels), the plate in
    its bottom-left, drawn as the cards are, at full size."""
    cw, ch = (round(v / p.scale) for v in spec.size_px)
    image = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
    size, lines, box = _plate_box(p, spec.title, cw, 0, 0)
    height = box[3] - box[1]
    _draw_plate(p, ImageDraw.Draw(image), lines, size, (0, ch - 1 - height, box[2], ch - 1))
    return image if p.scale == 1.0 else image.resize(spec.size_px, Image.Resampling.LANCZOS)


def _presenter_card(p: Painter, spec: PresenterCard) -> Image.Image:
    image = _scene_base(p)
    w, h = image.size
    safe = p.fmt.safe_px
    sw, sh = w - safe.left - safe.right, h - safe.top - safe.bottom
    x, y = safe.left + spec.panel[0] * sw, safe.top + spec.panel[1] * sh
    bw, bh = spec.panel[2] * sw, spec.panel[3] * sh
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rounded_rectangle((x, y, x + bw, y + bh), radius=0.03 * min(w, h), fill=(255, 255, 255, 28))
    pad = 0.04 * min(bw, bh) + 0.01 * min(w, h)
    cursor = y + pad
    if spec.title:
        size, lines = _fit_text(spec.title, p.headline, bw - 2 * pad, bh * 0.4, round(0.065 * min(w, h)))
        cursor = _draw_lines(draw, lines, p.headline, size, (x + pad, cursor), p.colors["light"]) + size * 0.3
    if spec.picture is not None:
        picture = Image.open(spec.picture).convert("RGBA")
        room = (round(bw - 2 * pad), round(y + bh - pad - cursor))
        picture = ImageOps.contain(picture, room, Image.Resampling.LANCZOS)
        image.paste(picture, (round(x + (bw - picture.width) / 2), round(cursor)), picture)
    elif spec.bullets:
        text_h = y + bh - pad - cursor
        size = round(0.05 * min(w, h))
        wrapped: list[tuple[str, ...] | None] = []
        while size > 12:
            wrapped = [wrap(b, bw - 2 * pad - size, p.body, size, PillowMeasure()) for b in spec.bullets]
            if all(wrapped) and sum(len(x) for x in wrapped if x) * size * 1.25 <= text_h:
                break
            size = int(size * 0.92)
        for bullet in wrapped:
            draw.ellipse(
                (x + pad, cursor + size * 0.35, x + pad + size * 0.4, cursor + size * 0.75), fill=p.colors["accent"]
            )
            cursor = _draw_lines(
                draw, bullet or (), p.body, size, (x + pad + size, cursor), p.colors["light"], line=1.2
            )
            cursor += size * 0.25
    return image


def _steps_card(p: Painter, spec: StepsCard) -> Image.Image:
    """Numbered steps, each with its icon; those not yet reached are left out."""
    image = _titled_card(p, spec.title)
    w, h = image.size
    bx, by, bw, bh = _content_box(p)
    draw = ImageDraw.Draw(image, "RGBA")
    n = len(spec.steps)
    row = bh / max(n, 3)
    disc = min(row * 0.78, 0.14 * bw)
    size = round(min(row * 0.4, 0.06 * min(w, h)))
    for i, step in enumerate(spec.steps[: spec.shown]):
        top = by + i * row
        cy = top + row / 2
        newest = i == spec.shown - 1
        draw.rounded_rectangle(
            (bx, top + row * 0.06, bx + bw, top + row * 0.94),
            radius=row * 0.2,
            fill=(255, 255, 255, 40 if newest else 22),
        )
        d = (bx + row * 0.12, cy - disc / 2, bx + row * 0.12 + disc, cy + disc / 2)
        draw.ellipse(d, fill=p.colors["accent"])
        _icon(draw, step, i + 1, d, p)
        tx = d[2] + disc * 0.3
        fs, lines = _fit_text(
            step.text, p.body if not newest else p.headline, bx + bw - tx - row * 0.1, row * 0.86, size
        )
        text_h = len(lines) * fs * 1.15
        _draw_lines(draw, lines, p.headline if newest else p.body, fs, (tx, cy - text_h / 2), p.colors["light"])
    return image


def _icon(draw: ImageDraw.ImageDraw, step: Step, number: int, box: tuple[float, ...], p: Painter) -> None:
    """A step's icon in its disc (drawn from shapes), or its number when it has none."""
    x0, y0, x1, y1 = box
    s = x1 - x0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ink = p.colors["dark"]
    lw = max(2, round(s * 0.07))

    def r(a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        return (cx + a * s, cy + b * s, cx + c * s, cy + d * s)

    icon = step.icon
    if icon is None:
        font = pillow_font(p.headline, round(s * 0.55))
        draw.text((cx, cy), str(number), font=font, fill=ink, anchor="mm")
    elif icon == "phone":
        draw.rounded_rectangle(r(-0.16, -0.28, 0.16, 0.28), radius=s * 0.05, outline=ink, width=lw)
        draw.line((cx - 0.05 * s, cy + 0.2 * s, cx + 0.05 * s, cy + 0.2 * s), fill=ink, width=lw)
    elif icon == "money":
        draw.rounded_rectangle(r(-0.3, -0.16, 0.3, 0.16), radius=s * 0.03, outline=ink, width=lw)
        draw.ellipse(r(-0.08, -0.08, 0.08, 0.08), outline=ink, width=lw)
    elif icon == "document":
        draw.rectangle(r(-0.2, -0.28, 0.2, 0.28), outline=ink, width=lw)
        for k in range(3):
            yy = cy - 0.12 * s + k * 0.1 * s
            draw.line((cx - 0.11 * s, yy, cx + 0.11 * s, yy), fill=ink, width=max(1, lw // 2 + 1))
    elif icon == "qr":
        q = 0.09 * s
        for gx, gy in ((-1, -1), (1, -1), (-1, 1)):
            draw.rectangle(
                (
                    cx + gx * 2 * q - q * 1.2,
                    cy + gy * 2 * q - q * 1.2,
                    cx + gx * 2 * q + q * 1.2,
                    cy + gy * 2 * q + q * 1.2,
                ),
                outline=ink,
                width=lw,
            )
        draw.rectangle((cx + q, cy + q, cx + 2.8 * q, cy + 2.8 * q), fill=ink)
    elif icon == "stop":
        pts = [
            (
                cx + 0.3 * s * math.cos(math.pi / 8 + k * math.pi / 4),
                cy + 0.3 * s * math.sin(math.pi / 8 + k * math.pi / 4),
            )
            for k in range(8)
        ]
        draw.polygon(pts, outline=ink, width=lw)
        draw.line((cx - 0.12 * s, cy, cx + 0.12 * s, cy), fill=ink, width=lw)
    elif icon == "shield":
        draw.polygon(
            [(cx, cy - 0.3 * s), (cx + 0.24 * s, cy - 0.2 * s), (cx + 0.2 * s, cy + 0.12 * s), (cx, cy + 0.3 * s),
             (cx - 0.2 * s, cy + 0.12 * s), (cx - 0.24 * s, cy - 0.2 * s)],
            outline=ink,
            width=lw,
        )  # fmt: skip
    elif icon == "check":
        draw.line(
            (cx - 0.2 * s, cy, cx - 0.05 * s, cy + 0.16 * s, cx + 0.24 * s, cy - 0.18 * s), fill=ink, width=lw + 1
        )
    elif icon == "eye":
        draw.chord(r(-0.3, -0.18, 0.3, 0.3), 200, 340, outline=ink, width=lw)
        draw.chord(r(-0.3, -0.3, 0.3, 0.18), 20, 160, outline=ink, width=lw)
        draw.ellipse(r(-0.08, -0.08, 0.08, 0.08), fill=ink)
    elif icon == "ear":
        draw.arc(r(-0.2, -0.28, 0.2, 0.12), 150, 30, fill=ink, width=lw)
        draw.line((cx + 0.19 * s, cy - 0.05 * s, cx, cy + 0.28 * s), fill=ink, width=lw)
    elif icon == "video":
        draw.rounded_rectangle(r(-0.28, -0.16, 0.1, 0.16), radius=s * 0.03, outline=ink, width=lw)
        draw.polygon([(cx + 0.12 * s, cy), (cx + 0.3 * s, cy - 0.14 * s), (cx + 0.3 * s, cy + 0.14 * s)], fill=ink)


def _stat_card(p: Painter, spec: StatCard) -> Image.Image:
    image = _titled_card(p, spec.title)
    if spec.compare is None and spec.label:
        w, h = image.size
        draw = ImageDraw.Draw(image)
        bx, by, bw, bh = _content_box(p)
        size, lines = _fit_text(spec.label, p.body, bw, bh * 0.3, round(0.05 * min(w, h)))
        _draw_lines(draw, lines, p.body, size, (bx, by + bh * 0.66), p.colors["light"], "center", bw)
    return image


# ---------------------------------------------------------------- sprites


def _number(p: Painter, spec: NumberPicture) -> Image.Image:
    image = Image.new("RGBA", spec.size_px, (0, 0, 0, 0))
    w, h = spec.size_px
    draw = ImageDraw.Draw(image)
    size = round(h * 0.8)
    font = pillow_font(p.headline, size)
    while draw.textlength(spec.text, font=font) > w and size > 10:
        size = int(size * 0.9)
        font = pillow_font(p.headline, size)
    draw.text((w / 2, h / 2), spec.text, font=font, fill=p.colors["accent"], anchor="mm")
    return image


def _value(value: float, unit: str, whole: bool = True) -> str:
    text = f"{value:,.0f}".replace(",", "\u202f") if whole or value >= 100 else f"{value:.1f}".replace(".", ",")
    return f"{text} {unit.strip()}".strip()


def _bars(p: Painter, spec: BarsPicture) -> Image.Image:
    """Horizontal bars grown to ``progress``, each labelled with its name and its value so far."""
    image = Image.new("RGBA", spec.size_px, (0, 0, 0, 0))
    w, h = spec.size_px
    draw = ImageDraw.Draw(image)
    n = len(spec.data)
    top_margin = h * 0.06  # clear of the title above
    row = (h - top_margin) / n
    top_value = max(d.value for d in spec.data) or 1.0
    size = round(min(row * 0.28, 0.09 * w))
    label_font = pillow_font(p.body, size)
    value_font = pillow_font(p.headline, size)
    palette = [p.colors["accent"], p.colors["light"], (120, 190, 240), (250, 140, 90)]
    room = w - size * 0.6 - max(draw.textlength(_value(d.value, spec.unit), font=value_font) for d in spec.data)
    for i, d in enumerate(spec.data):
        y = top_margin + i * row
        draw.text((0, y + size * 1.05), d.label, font=label_font, fill=p.colors["light"], anchor="ls")
        bar_top, bar_h = y + size * 1.35, min(row * 0.42, size * 1.6)
        full = room * d.value / top_value
        length = max(2.0, full * spec.progress)
        draw.rounded_rectangle(
            (0, bar_top, length, bar_top + bar_h), radius=bar_h * 0.2, fill=palette[i % len(palette)]
        )
        draw.text(
            (length + size * 0.4, bar_top + bar_h / 2),
            _value(d.value * spec.progress, spec.unit, whole=float(d.value).is_integer()),
            font=value_font,
            fill=p.colors["light"],
            anchor="lm",
        )
    return image


def _pie(p: Painter, spec: PiePicture) -> Image.Image:
    """A pie whose slices sweep in to ``progress``, with a legend of labels and shares.

    The legend goes beside the pie where it fits at a tenth of the picture's short side (the pie
    shrinks for it, down to half the height), else in smaller type, else under the pie: a label is
    never cut at the edge. Every frame of the sweep has the same layout."""
    image = Image.new("RGBA", spec.size_px, (0, 0, 0, 0))
    w, h = spec.size_px
    draw = ImageDraw.Draw(image)
    total = sum(d.value for d in spec.data)
    palette = [p.colors["accent"], p.colors["light"], (120, 190, 240), (250, 140, 90), (150, 220, 150)]
    rows = len(spec.data)

    def legend(size: int) -> tuple[float, float]:
        """The legend's width at ``size`` and where its labels start (from the legend's left)."""
        share = pillow_font(p.headline, size).getlength("100 %")
        label = max(pillow_font(p.body, size).getlength(d.label) for d in spec.data)
        return size * 2.1 + share + label, size * 2.1 + share

    gap = w * 0.06
    size = round(min(w, h) * 0.1)
    while True:
        width, label_x = legend(size)
        d_px = min(h * 0.9, w - gap - width)
        beside = d_px >= h * 0.5 and rows * size * 1.6 <= h
        if beside or size <= max(8, round(min(w, h) * 0.06)):
            break
        size -= 1
    if beside:
        box: tuple[float, float, float, float] = (0.0, (h - d_px) / 2, d_px, (h + d_px) / 2)
        lx, ly = d_px + gap, (h - rows * size * 1.6) / 2
    else:  # under the pie, in the type that fits the width
        while size > 8 and legend(size)[0] > w:
            size -= 1
        width, label_x = legend(size)
        d_px = max(1.0, min(w, h - size * (1 + rows * 1.6)))
        box = ((w - d_px) / 2, 0.0, (w + d_px) / 2, d_px)
        lx, ly = max(0.0, (w - width) / 2), d_px + size
    angle = -90.0
    for i, d in enumerate(spec.data):
        sweep = 360.0 * d.value / total * spec.progress
        if sweep > 0.2:
            draw.pieslice(box, angle, angle + sweep, fill=palette[i % len(palette)], outline=p.colors["dark"], width=3)
        angle += sweep
    font = pillow_font(p.body, size)
    bold = pillow_font(p.headline, size)
    for i, d in enumerate(spec.data):
        y = ly + i * size * 1.6
        draw.rounded_rectangle((lx, y, lx + size, y + size), radius=size * 0.2, fill=palette[i % len(palette)])
        share = f"{round(100 * d.value / total * spec.progress)} %"
        draw.text((lx + size * 1.5, y + size * 0.85), share, font=bold, fill=p.colors["light"], anchor="ls")
        draw.text((lx + label_x, y + size * 0.85), d.label, font=font, fill=p.colors["light"], anchor="ls")
    return image


def _character(p: Painter, spec: CharacterPicture) -> Image.Image:
    # the shared render itself (nothing draws on a picture once painted); a copy only if not RGBA
    image = p.character(spec.character, spec.state, spec.height_px)
    image = image if image.mode == "RGBA" else image.convert("RGBA")
    if spec.screen_px is not None:
        # A video call: head and shoulders on the screen's own background, cut to the screen.
        sw, sh = spec.screen_px
        screen = Image.new("RGBA", (sw, sh), (0, 0, 0, 255))
        _vertical_gradient(screen, (92, 110, 138), (40, 52, 72))
        screen.alpha_composite(image, ((sw - image.width) // 2, round(sh * 0.06)))
        image = screen
    if spec.dim < 1.0:
        image = image.point(dim_table(spec.dim))
    return image


@lru_cache(maxsize=8)
def dim_table(factor: float) -> list[int]:
    """A ``point`` table darkening an RGBA picture's colours by ``factor`` and keeping its alpha, in one
    pass: the same values as Pillow's ``ImageEnhance.Brightness`` (a blend with black, in single
    precision, truncated)."""
    scaled = (np.float32(factor) * np.arange(256, dtype=np.float32)).astype(np.uint8).tolist()
    return scaled * 3 + list(range(256))


def _vertical_gradient(image: Image.Image, top: RGB, bottom: RGB) -> None:
    w, h = image.size
    t = np.linspace(0, 1, h)[:, None]
    rows = (np.array(top)[None, :] * (1 - t) + np.array(bottom)[None, :] * t).astype(np.uint8)
    strip = np.repeat(rows[:, None, :], w, axis=1)
    image.paste(Image.fromarray(strip, "RGB"), (0, 0))


def _phone(p: Painter, spec: PhonePicture) -> Image.Image:
    """A phone on a video call: dark body, the screen (filled by the caller), end and mute buttons."""
    w, h = spec.size_px
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, w - 1, h - 1), radius=w * 0.12, fill=(24, 28, 36), outline=(90, 96, 110), width=max(2, w // 90)
    )
    x, y, sw, sh = spec.screen
    draw.rectangle((x, y, x + sw, y + sh), fill=(40, 52, 72))
    draw.rounded_rectangle((w * 0.4, h * 0.035, w * 0.6, h * 0.055), radius=h * 0.01, fill=(60, 64, 74))
    r = w * 0.085
    for cx, colour in ((w * 0.32, (220, 60, 60)), (w * 0.68, (90, 96, 110))):
        cy = y + sh + (h - y - sh) / 2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    return image


def _light(spec: LightPicture) -> Image.Image:
    """A soft pool of light behind the speaker: white, fading out from the middle."""
    w, h = spec.size_px
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2)
    alpha = np.clip(1 - r, 0, 1) ** 1.6 * 255 * spec.strength
    image = Image.new("RGBA", (w, h), (255, 250, 225, 0))
    image.putalpha(Image.fromarray(alpha.astype(np.uint8)))
    return image


def _prop(p: Painter, spec: PropPicture) -> Image.Image:
    """Props from plain shapes: an envelope, a phone, a document, a QR sign."""
    hgt = spec.height_px
    wid = round(hgt * (1.5 if spec.prop == "envelope" else 0.62 if spec.prop == "phone" else 0.8))
    image = Image.new("RGBA", (wid, hgt), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    lw = max(2, hgt // 30)
    dark = p.colors["dark"]
    if spec.prop == "envelope":
        box = (lw, hgt * 0.2, wid - lw, hgt - lw)
        draw.rectangle(box, fill=(238, 226, 196), outline=(150, 120, 70), width=lw)
        draw.line((box[0], box[1], wid / 2, hgt * 0.62, box[2], box[1]), fill=(150, 120, 70), width=lw)
        for k in range(3):  # banknotes peeking out
            draw.rectangle(
                (wid * (0.2 + 0.05 * k), hgt * (0.02 + 0.04 * k), wid * (0.62 + 0.05 * k), hgt * 0.24),
                fill=(112, 170, 110),
                outline=(60, 110, 60),
                width=max(1, lw // 2),
            )
    elif spec.prop == "phone":
        draw.rounded_rectangle(
            (lw, lw, wid - lw, hgt - lw), radius=wid * 0.14, fill=dark, outline=(200, 200, 210), width=lw
        )
        draw.rounded_rectangle((wid * 0.1, hgt * 0.08, wid * 0.9, hgt * 0.88), radius=wid * 0.06, fill=(70, 130, 200))
        draw.ellipse((wid * 0.35, hgt * 0.3, wid * 0.65, hgt * 0.45), fill=(230, 230, 240))  # caller
        draw.rounded_rectangle((wid * 0.25, hgt * 0.48, wid * 0.75, hgt * 0.62), radius=wid * 0.1, fill=(230, 230, 240))
        draw.ellipse((wid * 0.2, hgt * 0.7, wid * 0.38, hgt * 0.8), fill=(220, 60, 60))
        draw.ellipse((wid * 0.62, hgt * 0.7, wid * 0.8, hgt * 0.8), fill=(60, 190, 90))
    elif spec.prop == "document":
        draw.rectangle((lw, lw, wid - lw, hgt - lw), fill=(250, 250, 246), outline=(120, 120, 120), width=lw)
        for k in range(6):
            y = hgt * (0.18 + 0.11 * k)
            draw.line((wid * 0.15, y, wid * (0.85 if k % 3 else 0.6), y), fill=(150, 150, 160), width=lw)
    else:  # qr
        from studio.qr import build_qr

        matrix = build_qr(p.qr_data, p.campaign.qr.error_correction)
        modules = matrix.size + 8
        cell = max(1, (wid - 2 * lw) // modules)
        side = cell * modules
        image = Image.new("RGBA", (side + 2 * lw, side + 2 * lw), (255, 255, 255, 255))
        draw = ImageDraw.Draw(image)
        for r_, row in enumerate(matrix.rows):
            for c, on in enumerate(row):
                if on:
                    x0, y0 = lw + (c + 4) * cell, lw + (r_ + 4) * cell
                    draw.rectangle((x0, y0, x0 + cell - 1, y0 + cell - 1), fill=dark)
    return image


def caption_size(size_px: int, scale: float) -> int:
    return max(8, round(size_px * scale))


def _caption(p: Painter, spec: CaptionPicture) -> Image.Image:
    """A caption plate at the bottom of its box; the word being said in the accent colour."""
    from studio.video.explainer import caption_style

    style = caption_style(p.campaign, p.fmt)
    size = caption_size(style.size_px, p.scale)
    font = pillow_font(style.font, size)
    bold = font
    ascent, descent = font.getmetrics()
    line_h = round(size * 1.2)
    canvas = Image.new("RGBA", spec.size_px, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    space = draw.textlength(" ", font=font)
    widths = [draw.textlength(line, font=font) for line in spec.lines]
    pad = round(size * 0.45)
    w = round(max(widths) + 2 * pad)
    h = ascent + descent + (len(spec.lines) - 1) * line_h + 2 * pad
    x0 = (spec.size_px[0] - w) // 2
    y0 = spec.size_px[1] - h
    draw.rounded_rectangle((x0, y0, x0 + w - 1, y0 + h - 1), radius=pad, fill=(0, 0, 0, 190))
    index = 0
    for i, (line, lw) in enumerate(zip(spec.lines, widths, strict=True)):
        x = x0 + (w - lw) / 2
        y = y0 + pad + ascent + i * line_h
        for word in line.split(" "):
            on = index == spec.highlight
            ww = draw.textlength(word, font=bold)
            if on:
                draw.rounded_rectangle(
                    (x - size * 0.12, y - ascent * 0.92, x + ww + size * 0.12, y + descent * 0.7),
                    radius=size * 0.15,
                    fill=(*p.colors["accent"], 255),
                )
            draw.text((x, y), word, font=bold, fill=p.colors["dark"] if on else (255, 255, 255), anchor="ls")
            x += ww + space
            index += 1
    return canvas


def _badge(p: Painter) -> Image.Image:
    badge = build_badge(p.fmt, p.headline, PillowMeasure(), p.campaign.brand.colors["dark"])
    tile = badge_tile(badge)
    if p.scale != 1.0:
        tile = tile.resize(
            (max(1, round(tile.width * p.scale)), max(1, round(tile.height * p.scale))), Image.Resampling.LANCZOS
        )
    return tile


def badge_position(p: Painter) -> tuple[int, int]:
    badge = build_badge(p.fmt, p.headline, PillowMeasure(), p.campaign.brand.colors["dark"])
    return round(badge.x * p.scale), round(badge.y * p.scale)
