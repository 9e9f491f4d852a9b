"""Designs: declarative layer lists in relative units, one variant per shape of safe area.

A design file (``templates/designs/NAME.yaml``) names its layers once per shape: ``portrait``,
``square``, ``landscape`` and ``wide``. Boxes are ``[x, y, w, h]`` fractions of the safe area (or of
the whole canvas, bleed included, with ``frame: canvas``); font sizes are fractions of the safe
area's short side. So one design adapts to a story, a feed post, an A2 poster and a street banner.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Shape = Literal["portrait", "square", "landscape", "wide"]
SHAPES: tuple[Shape, ...] = ("portrait", "square", "landscape", "wide")
TextField = Literal[
    "headline",
    "body",
    "call_to_action",
    "organisation",
    "title",
    "kicker",
    "date",
    "time",
    "place",
    "organiser",
    "deadline",
    "categories",
    "prizes",
    "how_to_submit",
    "name",
    "role",
    "number",
    "source",
    "credit",
]


def shape_of(width: float, height: float) -> Shape:
    """The variant a safe area of this size uses."""
    ratio = width / height
    if ratio < 0.85:
        return "portrait"
    if ratio <= 1.25:
        return "square"
    if ratio <= 2.4:
        return "landscape"
    return "wide"


class _Layer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    box: tuple[float, float, float, float]
    frame: Literal["safe", "canvas"] = "safe"

    @field_validator("box")
    @classmethod
    def _inside(cls, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = box
        if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > 1.0001 or y + h > 1.0001:
            raise ValueError(f"box {list(box)} must lie within [0, 1] with positive width and height")
        return box


class TextLayer(_Layer):
    type: Literal["text"]
    field: TextField
    size: float = Field(gt=0, le=1)
    font: Literal["headline", "body"] = "body"
    color: str = "light"
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "top"
    line_spacing: float = Field(1.15, ge=0.9, le=2.0)
    optional: bool = False  # skipped when the deliverable has no such text
    #: Words before the text, per language: ``{ky: "Кайда: ", ru: "Где: "}`` (shown only with the text).
    prefix: dict[str, str] = Field(default_factory=dict)
    max_lines: int | None = Field(None, ge=1)


class HashtagLayer(_Layer):
    type: Literal["hashtag"]
    size: float = Field(gt=0, le=1)
    color: str = "dark"
    fill: str = "accent"
    align: Literal["left", "center", "right"] = "center"


class QRLayer(_Layer):
    type: Literal["qr"]
    caption_size: float = Field(gt=0, le=1)
    caption: Literal["right", "below"] = "right"  # where the call to action and contacts go
    caption_color: str = "light"
    panel: str = "light"


class LogoLayer(_Layer):
    type: Literal["logo"]
    align: Literal["left", "center", "right"] = "left"


class PictureLayer(_Layer):
    """The scene's picture (explainer slides), fitted inside the box; nothing when there is none."""

    type: Literal["picture"]
    fit: Literal["contain", "cover"] = "contain"


class PhotoLayer(_Layer):
    """The deliverable's photo, cropped to the box around its focus point."""

    type: Literal["photo"]
    shape: Literal["rect", "circle"] = "rect"
    #: A brand-coloured fade over part of the photo, so text on it stays legible: none, or from an edge.
    fade: Literal["none", "bottom", "top", "left", "full"] = "none"
    fade_color: str = "dark"
    fade_opacity: float = Field(0.8, ge=0.0, le=1.0)
    fade_extent: float = Field(0.6, gt=0.0, le=1.0)  # how much of the box the fade covers, from its edge
    duotone: bool | None = None  # None: as the deliverable's photo says
    #: Where in the box the photo's subject (its focus point) should land, as fractions: above a fade,
    #: e.g. [0.5, 0.3]. The photo is zoomed in (within its resolution) when that needs it.
    subject_at: tuple[float, float] = (0.5, 0.5)


IconName = Literal["pin", "calendar", "clock", "trophy", "quote", "people", "chart", "megaphone"]


class IconLayer(_Layer):
    """A small pictogram drawn from vector shapes in a brand colour (fitted, centred in its box)."""

    type: Literal["icon"]
    icon: IconName
    color: str = "accent"
    field: TextField | None = None  # drawn only when this text is given (a clock only with a time)


class PanelLayer(_Layer):
    type: Literal["panel"]
    fill: str = "primary"
    radius: float = 0.0  # fraction of the panel's short side


Layer = Annotated[
    TextLayer | HashtagLayer | QRLayer | LogoLayer | PanelLayer | PictureLayer | PhotoLayer | IconLayer,
    Field(discriminator="type"),
]


class Variant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    layers: tuple[Layer, ...] = Field(min_length=1)


class Design(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    variants: dict[Shape, Variant]

    @field_validator("variants")
    @classmethod
    def _some_shape(cls, variants: dict[Shape, Variant]) -> dict[Shape, Variant]:
        if not variants:
            raise ValueError(f"a design needs at least one variant ({', '.join(SHAPES)})")
        return variants
