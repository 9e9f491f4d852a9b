"""The layout engine: a design, a deliverable's words and a format in, positioned items out. Pure.

The output is a ``Layout``: a flat list of items in canvas pixels (fills, gradients, pictures, text
lines with baselines, the QR matrix) that the rasteriser draws in order. All decisions (which
variant, what size the text is, where each line goes, how big the QR code is, whether colours
contrast) are made here, where they can be tested without drawing anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.campaign.models import Background, Brand, Campaign, Deliverable, QRSettings
from studio.colors import BLACK, RGB, WHITE, contrast_ratio, mix, relative_luminance, to_hex
from studio.errors import LayoutError
from studio.formats import Format
from studio.layout.badge import Badge, build_badge
from studio.layout.design import (
    Design,
    HashtagLayer,
    IconLayer,
    Layer,
    LogoLayer,
    PanelLayer,
    PhotoLayer,
    PictureLayer,
    QRLayer,
    TextLayer,
    shape_of,
)
from studio.layout.text import FittedText, Measure, fit_text
from studio.layout.words import Words, resolve_words
from studio.qr import QUIET_ZONE_MODULES, QRMatrix, build_qr, min_code_px


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.right and self.y <= py <= self.bottom

    def sub(self, fx: float, fy: float, fw: float, fh: float) -> Box:
        """A box given in fractions of this one."""
        return Box(round(self.x + fx * self.w), round(self.y + fy * self.h), round(fw * self.w), round(fh * self.h))


@dataclass(frozen=True)
class FillRect:
    box: Box
    color: RGB
    radius_px: int = 0


@dataclass(frozen=True)
class FillGradient:
    box: Box
    start: RGB
    end: RGB
    angle_deg: float

    def color_at(self, px: float, py: float) -> RGB:
        return mix(self.start, self.end, gradient_t(self.box, self.angle_deg, px, py))


@dataclass(frozen=True)
class PlaceImage:
    box: Box
    path: Path
    fit: str  # "cover" fills the box and crops; "contain" fits inside it
    align: str = "center"
    scrim: float = 0.0  # black overlay opacity, keeps text readable on photos


@dataclass(frozen=True)
class TextLine:
    x: float
    baseline_y: float
    text: str
    width_px: float


@dataclass(frozen=True)
class DrawText:
    role: str
    font: Path
    size_px: int
    color: RGB
    lines: tuple[TextLine, ...]
    box: Box


@dataclass(frozen=True)
class DrawQR:
    matrix: QRMatrix
    origin: tuple[int, int]  # top-left of the first module
    module_px: int
    dark: RGB
    light: RGB
    panel: Box  # the light square including the quiet zone

    @property
    def modules_box(self) -> Box:
        side = self.matrix.size * self.module_px
        return Box(self.origin[0], self.origin[1], side, side)


#: A photo's colours are known to the layout as a coarse grid of mean colours (measured by the caller).
PHOTO_GRID = 24


@dataclass(frozen=True)
class PhotoInfo:
    """What the layout knows of a photo, measured by the caller: upright size and a grid of mean colours."""

    path: Path
    display: str  # the path as the campaign file gives it, for messages
    size_px: tuple[int, int]  # after EXIF rotation
    grid: tuple[tuple[RGB, ...], ...]  # PHOTO_GRID rows of PHOTO_GRID mean sRGB colours
    focus: tuple[float, float]  # the point to keep in frame, fractions of width and height
    duotone: bool = False


@dataclass(frozen=True)
class PlacePhoto:
    """A photo cropped around its focus point to fill ``box``, optionally duotone, faded or round."""

    box: Box
    photo: PhotoInfo
    crop: Box  # in the upright photo's pixels
    circle: bool
    duotone: tuple[RGB, RGB] | None  # (shadows, highlights)
    fade: str  # "none", "bottom", "top", "left", "full"
    fade_color: RGB
    fade_opacity: float
    fade_extent: float

    def fade_alpha(self, px: float, py: float) -> float:
        b, e = self.box, self.fade_extent
        if self.fade == "none":
            return 0.0
        if self.fade == "full":
            return self.fade_opacity
        if self.fade == "bottom":
            t = (py - (b.bottom - e * b.h)) / (e * b.h)
        elif self.fade == "top":
            t = ((b.y + e * b.h) - py) / (e * b.h)
        else:  # left
            t = ((b.x + e * b.w) - px) / (e * b.w)
        return self.fade_opacity * fade_curve(t)

    def color_at(self, px: float, py: float) -> RGB:
        """The colour the render will show at a point, estimated from the photo's colour grid."""
        w, h = self.photo.size_px
        sx = self.crop.x + (px - self.box.x) / max(1, self.box.w) * self.crop.w
        sy = self.crop.y + (py - self.box.y) / max(1, self.box.h) * self.crop.h
        gx = min(PHOTO_GRID - 1, max(0, int(sx / w * PHOTO_GRID)))
        gy = min(PHOTO_GRID - 1, max(0, int(sy / h * PHOTO_GRID)))
        color = self.photo.grid[gy][gx]
        if self.duotone is not None:
            color = mix(self.duotone[0], self.duotone[1], relative_luminance(color) ** (1 / 2.2))
        return mix(color, self.fade_color, self.fade_alpha(px, py))


@dataclass(frozen=True)
class DrawIcon:
    """A pictogram (``pin``, ``calendar``…) drawn from vector shapes, centred in ``box``."""

    box: Box
    icon: str
    color: RGB


@dataclass(frozen=True)
class DrawBadge:
    """The synthetic-media badge, drawn last, over everything."""

    badge: Badge


Item = FillRect | FillGradient | PlaceImage | PlacePhoto | DrawIcon | DrawText | DrawQR | DrawBadge


@dataclass(frozen=True)
class Layout:
    canvas_px: tuple[int, int]
    trim: Box
    safe: Box
    items: tuple[Item, ...]
    qr: DrawQR | None
    #: What the layout decided for the reader's sake (a text colour swapped for legibility…), said once.
    notes: tuple[str, ...] = ()

    def texts(self) -> tuple[DrawText, ...]:
        return tuple(item for item in self.items if isinstance(item, DrawText))


def gradient_t(box: Box, angle_deg: float, px: float, py: float, clip: bool = True) -> float:
    """Position 0..1 of a point along a linear gradient across ``box`` (CSS-like angle, 90° = to right)."""
    theta = math.radians(angle_deg)
    dx, dy = math.sin(theta), -math.cos(theta)
    half = (abs(dx) * box.w + abs(dy) * box.h) / 2
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    if half == 0:
        return 0.0
    t = ((px - cx) * dx + (py - cy) * dy) / (2 * half) + 0.5
    return min(1.0, max(0.0, t)) if clip else t


@dataclass(frozen=True)
class LayoutInput:
    """Everything a layout depends on, named so callers and tests can see it: words, brand and format."""

    label: str  # names the deliverable, language and format in errors
    words: Words
    brand: Brand
    background: Background
    qr: QRSettings
    format: Format
    design: Design
    qr_data: str
    picture: Path | None = None  # an explainer scene's picture
    photo: PhotoInfo | None = None  # the deliverable's photo, for designs with a photo layer
    synthetic: bool = False  # carries synthetic elements: the visible badge goes on top
    draw_badge: bool = True  # False: keep the badge's place free (a video overlays it on every frame)

    @classmethod
    def of(
        cls,
        campaign: Campaign,
        deliverable: Deliverable,
        language: str,
        fmt: Format,
        design: Design,
        qr_data: str,
        **options: Any,
    ) -> LayoutInput:
        """The input for ``deliverable`` in ``language`` and ``fmt``; ``options``: picture, photo, synthetic,
        draw_badge."""
        return cls(
            f'deliverable "{deliverable.id}" ({language}, {fmt.name})',
            resolve_words(campaign, deliverable, language),
            campaign.brand,
            # drawn kinds always have a background (the campaign loader checks); never laid out without
            deliverable.background or Background(color="primary", scrim=0.45),
            campaign.qr,
            fmt,
            design,
            qr_data,
            **options,
        )


def build_layout(spec: LayoutInput, measure: Measure) -> Layout:
    """Lay out one deliverable in one language and format."""
    return _Builder(spec, measure).build()


class _Builder:
    def __init__(self, spec: LayoutInput, measure: Measure) -> None:
        self.spec = spec
        self.measure = measure
        self.brand = spec.brand
        fmt = spec.format
        canvas_w, canvas_h = fmt.canvas_px
        bleed = fmt.bleed_px
        self.canvas = Box(0, 0, canvas_w, canvas_h)
        self.trim = Box(bleed, bleed, fmt.width_px, fmt.height_px)
        s = fmt.safe_px
        self.safe = Box(
            round(bleed + s.left),
            round(bleed + s.top),
            round(fmt.width_px - s.left - s.right),
            round(fmt.height_px - s.top - s.bottom),
        )
        self.badge: Badge | None = None
        if spec.synthetic:
            # The badge takes a band at the top of the safe area; the design lays out below it.
            self.badge = build_badge(fmt, self.brand.fonts["headline"], measure, self.brand.colors["dark"])
            band = self.badge.h + round(0.4 * self.badge.h)
            self.safe = Box(self.safe.x, self.safe.y + band, self.safe.w, self.safe.h - band)
        self.short_side = min(self.safe.w, self.safe.h)
        self.items: list[Item] = []
        self.qr: DrawQR | None = None
        self.notes: list[str] = []

    # -- helpers -----------------------------------------------------------------------------
    def where(self) -> str:
        return self.spec.label

    def frame(self, layer: Layer) -> Box:
        base = self.canvas if layer.frame == "canvas" else self.safe
        return base.sub(*layer.box)

    def color(self, name: str) -> RGB:
        try:
            return self.brand.color(name)
        except ValueError:
            raise LayoutError(
                f'design "{self.spec.design.name}": colour "{name}" is neither a brand colour '
                f"({', '.join(self.brand.colors)}) nor #RRGGBB"
            ) from None

    def background_at(self, px: float, py: float) -> RGB | None:
        """The colour already drawn under a point, or None over a photo."""
        for item in reversed(self.items):
            if isinstance(item, FillRect) and item.box.contains(px, py):
                return item.color
            if isinstance(item, FillGradient | PlacePhoto) and item.box.contains(px, py):
                if isinstance(item, PlacePhoto) and item.circle and not _in_circle(item.box, px, py):
                    continue
                return item.color_at(px, py)
            if isinstance(item, PlaceImage) and item.box.contains(px, py) and item.fit == "cover":
                return None
        return None

    def contrast_problem(self, color: RGB, box: Box, large: bool) -> str | None:
        """Why ``color`` cannot be read over what lies under ``box`` (WCAG AA), or None when it can."""
        need = 3.0 if large else 4.5  # WCAG AA: large text may have less contrast
        points = [
            (box.x + box.w / 2, box.y + box.h / 2),
            (box.x, box.y),
            (box.right, box.y),
            (box.x, box.bottom),
            (box.right, box.bottom),
        ]
        if any(isinstance(item, PlacePhoto) and item.box.contains(px, py) for item in self.items for px, py in points):
            # A photo varies within a text block: sample it densely.
            points += [(box.x + box.w * i / 6, box.y + box.h * j / 4) for i in range(1, 6) for j in range(1, 4)]
        worst: tuple[float, RGB] | None = None
        for px, py in points:
            under = self.background_at(px, py)
            if under is None:
                continue
            ratio = contrast_ratio(color, under)
            if ratio < need and (worst is None or ratio < worst[0]):
                worst = (ratio, under)
        if worst is None:
            return None
        return (
            f"colour {to_hex(color)} on background {to_hex(worst[1])} has contrast {worst[0]:.1f}:1, "
            f"below the {need:.1f}:1 needed to read it"
        )

    def legible(self, role: str, color: RGB, box: Box, large: bool) -> RGB:
        """``color`` when it reads over what lies beneath; else the brand's light or dark text colour, said in
        the layout's notes; an error only when no brand text colour reaches the contrast."""
        problem = self.contrast_problem(color, box, large)
        if problem is None:
            return color
        for role_name in ("light", "dark"):
            alternative = self.color(role_name)
            if alternative != color and self.contrast_problem(alternative, box, large) is None:
                self.notes.append(
                    f"{role}: {problem}; drawn in the brand's {role_name} colour {to_hex(alternative)} instead"
                )
                return alternative
        raise LayoutError(
            f"{self.where()}: {role} {problem}, and neither the brand's light nor its dark colour reaches it; "
            "change the brand colours, the background or the design"
        )

    def fit(
        self, role: str, text: str, box: Box, font: Path, size: float, line_spacing: float, max_lines: int | None = None
    ) -> FittedText:
        min_px = self.spec.format.min_text_px
        start = max(min_px, round(size * self.short_side))
        fitted = fit_text(text, box.w, box.h, font, start, min_px, self.measure, line_spacing, max_lines)
        if fitted is None:
            raise LayoutError(
                f'{self.where()}: {role} "{_clip(text)}" does not fit its box even at the smallest readable '
                f"size ({_size_words(self.spec.format, min_px)}); shorten the text"
            )
        return fitted

    def place_text(
        self, role: str, fitted: FittedText, box: Box, font: Path, color: RGB, align: str, valign: str
    ) -> DrawText:
        block_h = fitted.height_px
        top = {"top": box.y, "middle": box.y + (box.h - block_h) / 2, "bottom": box.bottom - block_h}[valign]
        lines = []
        for i, line in enumerate(fitted.lines):
            width = self.measure.width(font, fitted.size_px, line)
            x = {"left": box.x, "center": box.x + (box.w - width) / 2, "right": box.right - width}[align]
            lines.append(TextLine(x, top + fitted.ascent_px + i * fitted.line_height_px, line, width))
        used = Box(box.x, round(top), box.w, round(block_h))
        large = fitted.size_px >= 2 * self.spec.format.min_text_px
        color = self.legible(role, color, used, large)
        return DrawText(role, font, fitted.size_px, color, tuple(lines), used)

    # -- layers ------------------------------------------------------------------------------
    def build(self) -> Layout:
        self.add_background()
        shape = shape_of(self.safe.w, self.safe.h)
        variant = self.spec.design.variants.get(shape)
        if variant is None:
            raise LayoutError(
                f'{self.where()}: design "{self.spec.design.name}" has no "{shape}" variant, which format '
                f"{self.spec.format.name} needs; it has: {', '.join(self.spec.design.variants)}"
            )
        for layer in variant.layers:
            if isinstance(layer, PanelLayer):
                self.add_panel(layer)
            elif isinstance(layer, TextLayer):
                self.add_text(layer)
            elif isinstance(layer, HashtagLayer):
                self.add_hashtags(layer)
            elif isinstance(layer, QRLayer):
                self.add_qr(layer)
            elif isinstance(layer, LogoLayer):
                self.add_logo(layer)
            elif isinstance(layer, PictureLayer) and self.spec.picture is not None:
                self.items.append(PlaceImage(self.frame(layer), self.spec.picture, layer.fit))
            elif isinstance(layer, PhotoLayer):
                self.add_photo(layer)
            elif isinstance(layer, IconLayer) and (layer.field is None or self.text_for(layer.field).strip()):
                self.items.append(DrawIcon(self.frame(layer), layer.icon, self.color(layer.color)))
        if self.badge is not None and self.spec.draw_badge:
            self.items.append(DrawBadge(self.badge))
        notes = tuple(dict.fromkeys(self.notes))
        return Layout(self.canvas_px(), self.trim, self.safe, tuple(self.items), self.qr, notes)

    def canvas_px(self) -> tuple[int, int]:
        return (self.canvas.w, self.canvas.h)

    def add_background(self) -> None:
        bg = self.spec.background
        if bg.image is not None:
            self.items.append(FillRect(self.canvas, self.color("dark")))
            self.items.append(PlaceImage(self.canvas, bg.image, "cover", scrim=bg.scrim))
        elif bg.gradient is not None:
            start, end = (self.color(c) for c in bg.gradient)
            self.items.append(FillGradient(self.canvas, start, end, bg.angle_deg))
        else:
            self.items.append(FillRect(self.canvas, self.color(bg.color or "primary")))

    def add_panel(self, layer: PanelLayer) -> None:
        box = self.frame(layer)
        self.items.append(FillRect(box, self.color(layer.fill), round(layer.radius * min(box.w, box.h))))

    def text_for(self, field: str) -> str:
        texts = self.spec.words.texts
        if field not in texts:
            raise LayoutError(
                f'{self.where()}: design "{self.spec.design.name}" names the text field "{field}"; '
                f"known fields: {', '.join(texts)}"
            )
        return texts[field]

    def add_text(self, layer: TextLayer) -> None:
        text = self.text_for(layer.field).strip()
        if not text:
            if layer.optional:
                return
            raise LayoutError(
                f'{self.where()}: design "{self.spec.design.name}" needs a {layer.field} and the deliverable '
                f"has none; {_FIELD_HINTS.get(layer.field, f'give text.LANG.{layer.field}')}"
            )
        text = layer.prefix.get(self.spec.words.language, "") + text
        box = self.frame(layer)
        font = self.brand.fonts[layer.font]
        fitted = self.fit(layer.field, text, box, font, layer.size, layer.line_spacing, layer.max_lines)
        self.items.append(
            self.place_text(layer.field, fitted, box, font, self.color(layer.color), layer.align, layer.valign)
        )

    def add_hashtags(self, layer: HashtagLayer) -> None:
        box = self.frame(layer)
        fill = self.color(layer.fill)
        self.items.append(FillRect(box, fill, round(0.18 * min(box.w, box.h))))
        pad_x = round(0.45 * min(box.h, layer.size * self.short_side * 1.6))
        inner = Box(box.x + pad_x, box.y + round(box.h * 0.12), box.w - 2 * pad_x, round(box.h * 0.76))
        font = self.brand.fonts["headline"]
        text = "  ".join(self.spec.words.hashtags)
        fitted = self.fit("hashtags", text, inner, font, layer.size, 1.1, max_lines=2)
        self.items.append(
            self.place_text("hashtags", fitted, inner, font, self.color(layer.color), layer.align, "middle")
        )

    def add_qr(self, layer: QRLayer) -> None:
        s = self.spec
        box = self.frame(layer)
        with_logo = s.qr.logo and self.brand.logo is not None
        level = "H" if with_logo else s.qr.error_correction
        matrix = build_qr(s.qr_data, level)
        modules = matrix.size + 2 * QUIET_ZONE_MODULES
        if layer.caption == "right":
            side_limit = min(box.h, round(box.w * 0.5))
        else:
            side_limit = min(box.w, round(box.h * 0.62))
        module_px = side_limit // modules
        code_px = module_px * matrix.size
        fmt = s.format
        min_px = min_code_px(fmt, matrix.size)
        if code_px < min_px:
            need = f"{fmt.px_to_mm(min_px):.0f} mm" if fmt.is_print else f"{min_px} px"
            got = f"{fmt.px_to_mm(code_px):.0f} mm" if fmt.is_print else f"{code_px} px"
            dense = f" for its {matrix.size} × {matrix.size} modules" if min_px > fmt.min_qr_px else ""
            raise LayoutError(
                f"{self.where()}: the QR code would be {got} wide, but scanning it from "
                f"{fmt.scan_distance_m:g} m needs at least {need}{dense}; give the QR block more room in the "
                "design or use a shorter reporting link"
            )
        panel_color = self.color(layer.panel)
        if relative_luminance(panel_color) < 0.7:
            panel_color = WHITE  # QR codes must be dark on light, whatever the brand background
        dark = self.color("dark")
        if contrast_ratio(dark, panel_color) < 7.0:
            dark = BLACK
        panel_side = modules * module_px
        if layer.caption == "right":
            panel = Box(box.x, box.y + (box.h - panel_side) // 2, panel_side, panel_side)
        else:
            panel = Box(box.x + (box.w - panel_side) // 2, box.y, panel_side, panel_side)
        self.items.append(FillRect(panel, panel_color, round(module_px * 1.5)))
        origin = (panel.x + QUIET_ZONE_MODULES * module_px, panel.y + QUIET_ZONE_MODULES * module_px)
        self.qr = DrawQR(matrix, origin, module_px, dark, panel_color, panel)
        self.items.append(self.qr)
        if with_logo and self.brand.logo is not None:
            # Cover under 8 % of the modules: level H restores up to 30 %.
            logo_side = round(code_px * 0.22)
            pad = module_px
            lx = origin[0] + (code_px - logo_side) // 2
            ly = origin[1] + (code_px - logo_side) // 2
            self.items.append(
                FillRect(Box(lx - pad, ly - pad, logo_side + 2 * pad, logo_side + 2 * pad), panel_color, pad)
            )
            self.items.append(PlaceImage(Box(lx, ly, logo_side, logo_side), self.brand.logo, "contain"))
        self.add_qr_caption(layer, box, panel)

    def add_qr_caption(self, layer: QRLayer, box: Box, panel: Box) -> None:
        """The call to action and the typed-in contacts, for people who cannot scan."""
        s = self.spec
        gap = round(panel.w * 0.08)
        if layer.caption == "right":
            area = Box(panel.right + gap, box.y, box.right - panel.right - gap, box.h)
            align, split = "left", 0.56
        else:
            area = Box(box.x, panel.bottom + gap, box.w, box.bottom - panel.bottom - gap)
            align, split = "center", 0.5
        color = self.color(layer.caption_color)
        head_font, body_font = self.brand.fonts["headline"], self.brand.fonts["body"]
        top = Box(area.x, area.y, area.w, round(area.h * split))
        fitted = self.fit("call to action", self.text_for("call_to_action"), top, head_font, layer.caption_size, 1.12)
        self.items.append(self.place_text("call to action", fitted, top, head_font, color, align, "bottom"))
        contacts = "\n".join(s.words.contacts)
        space = round(area.h * 0.04)
        bottom = Box(area.x, top.bottom + space, area.w, area.h - top.h - space)
        fitted = self.fit("reporting contacts", contacts, bottom, body_font, layer.caption_size * 0.72, 1.2)
        self.items.append(self.place_text("reporting contacts", fitted, bottom, body_font, color, align, "top"))

    def add_photo(self, layer: PhotoLayer) -> None:
        photo = self.spec.photo
        if photo is None:
            raise LayoutError(
                f'{self.where()}: design "{self.spec.design.name}" shows a photo and the deliverable has none; '
                "give photo: {image: assets/photos/NAME.jpg}"
            )
        box = self.frame(layer)
        if layer.shape == "circle":
            side = min(box.w, box.h)
            box = Box(box.x + (box.w - side) // 2, box.y + (box.h - side) // 2, side, side)
        fmt = self.spec.format
        limit = max_photo_upscale(fmt)
        # Zoom in for the subject only as far as the resolution allows.
        full_w = min(photo.size_px[0], photo.size_px[1] * box.w / box.h)
        max_zoom = max(1.0, min(MAX_PHOTO_ZOOM, limit * full_w / box.w))
        crop = focus_crop(photo.size_px, (box.w, box.h), photo.focus, layer.subject_at, max_zoom)
        upscale = box.w / crop.w
        if upscale > limit:
            need_w = math.ceil(photo.size_px[0] * upscale / limit)
            need_h = math.ceil(photo.size_px[1] * upscale / limit)
            raise LayoutError(
                f'{self.where()}: photo "{photo.display}" is {photo.size_px[0]}×{photo.size_px[1]} px; format '
                f"{fmt.name} needs at least {need_w}×{need_h} px for its photo box "
                f"({box.w}×{box.h} px on the render); use a larger photo"
            )
        duotone = layer.duotone if layer.duotone is not None else photo.duotone
        self.items.append(
            PlacePhoto(
                box,
                photo,
                crop,
                layer.shape == "circle",
                (self.color("dark"), self.color("primary")) if duotone else None,
                layer.fade,
                self.color(layer.fade_color),
                layer.fade_opacity,
                layer.fade_extent,
            )
        )

    def add_logo(self, layer: LogoLayer) -> None:
        if self.brand.logo is None:
            return
        self.items.append(PlaceImage(self.frame(layer), self.brand.logo, "contain", align=layer.align))


#: Photo resolution on print: about three times what the eye resolves at the viewing distance (one
#: arcminute is ≈ 87 ppi at 1 m), so 300 ppi per metre, between 24 ppi (billboards) and 200 ppi.
PHOTO_PPI_AT_1M = 300.0
PHOTO_PPI_RANGE = (24.0, 200.0)
#: A photo is zoomed in at most this far to bring its subject where the design wants it.
MAX_PHOTO_ZOOM = 1.6
#: On screens a photo may be enlarged by a quarter before it looks soft.
MAX_PHOTO_UPSCALE_SCREEN = 1.25


def max_photo_upscale(fmt: Format) -> float:
    """How far a photo may be enlarged in ``fmt`` (render pixels per photo pixel)."""
    if not fmt.is_print:
        return MAX_PHOTO_UPSCALE_SCREEN
    low, high = PHOTO_PPI_RANGE
    ppi = min(high, max(low, PHOTO_PPI_AT_1M / fmt.viewing_distance_m))
    return fmt.dpi / ppi


_FIELD_HINTS = {
    "date": 'give event: {date: 2026-05-15, time: "10:00"}',
    "time": 'give event: {date: 2026-05-15, time: "10:00"}',
    "deadline": "give contest: {deadline: 2026-09-30}",
    "number": 'give text.LANG.number (the figure as it should be printed, e.g. "1 250")',
}


#: A fade reaches full strength over the first part of its extent, so the text area behind it is even.
FADE_RAMP = 0.4


def fade_curve(t: Any) -> Any:
    """Fade strength (0..1) at position ``t`` along its extent (a float or a numpy array): a smoothstep
    over the first FADE_RAMP of the extent, then full."""
    u = (t / FADE_RAMP).clip(0.0, 1.0) if hasattr(t, "clip") else min(1.0, max(0.0, t / FADE_RAMP))
    return u * u * (3 - 2 * u)


def focus_crop(
    size_px: tuple[int, int],
    box_px: tuple[int, int],
    focus: tuple[float, float],
    subject_at: tuple[float, float] = (0.5, 0.5),
    max_zoom: float = 1.0,
) -> Box:
    """A crop of a photo with the box's aspect ratio that keeps ``focus`` in frame and brings it as near
    ``subject_at`` (fractions of the box) as the edges allow, zooming in by up to ``max_zoom`` if that
    gets it closer."""
    w, h = size_px
    ratio = box_px[0] / box_px[1]
    full_w = min(w, h * ratio)
    cx, cy = focus[0] * w, focus[1] * h
    best: tuple[float, Box] | None = None
    steps = 12
    for i in range(steps + 1):
        zoom = 1.0 + (max_zoom - 1.0) * i / steps
        crop_w = full_w / zoom
        crop_h = crop_w / ratio
        x = min(max(0.0, cx - subject_at[0] * crop_w), w - crop_w)
        y = min(max(0.0, cy - subject_at[1] * crop_h), h - crop_h)
        miss = abs((cx - x) / crop_w - subject_at[0]) + abs((cy - y) / crop_h - subject_at[1])
        box = Box(round(x), round(y), max(1, round(crop_w)), max(1, round(crop_h)))
        if best is None or miss < best[0] - 0.02:  # zoom in only for a clear gain
            best = (miss, box)
    assert best is not None
    return best[1]


def _in_circle(box: Box, px: float, py: float) -> bool:
    r = box.w / 2
    return (px - box.x - r) ** 2 + (py - box.y - r) ** 2 <= r * r


def _size_words(fmt: Format, px: int) -> str:
    """The smallest text size as a reader of that medium thinks of it: points on paper."""
    if not fmt.is_print:
        return f"{px} px in {fmt.name}"
    points = fmt.px_to_mm(px) / 25.4 * 72
    floor = (
        " (the paper's minimum)" if fmt.min_text_mm and math.ceil(fmt.mm_to_px(fmt.min_text_mm) - 1e-6) >= px else ""
    )
    return f"{points:.1f} pt{floor}, {px} px in {fmt.name}"


def _clip(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
