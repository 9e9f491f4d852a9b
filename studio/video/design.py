"""The explainer's shape as data: cards, motion, transitions, pacing and where characters stand.

Read from ``templates/designs/NAME.video.yaml`` by :mod:`studio.campaign` (the only reader of
files); a media editor changes a crossfade, the end card's hold or a zoom there, not in Python.
Every field has today's value as its default, so a design file need only name what it changes.
Pure: pydantic models, no I/O.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MotionName = Literal["none", "zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down", "alternate"]
Shape = Literal["portrait", "square", "landscape"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CardShape(_Model):
    """How one kind of card moves and gives way to the next."""

    motion: MotionName = "none"
    #: zoom change (0.04: the view ends 4 % closer) or, for pans, the zoom held while panning
    amount: float = Field(default=0.04, gt=0, le=0.5)
    transition: Literal["cut", "crossfade"] = "crossfade"
    transition_s: float = Field(default=0.4, ge=0, le=3)


class Pacing(_Model):
    """Fixed pauses around the measured speech (seconds)."""

    intro_s: float = Field(default=3.0, gt=0)  # title card, with the spoken disclosure over it
    lead_s: float = Field(default=0.4, ge=0)  # silence before a scene's first sentence
    pause_s: float = Field(default=0.35, ge=0)  # between sentences
    turn_s: float = Field(default=0.25, ge=0)  # between two speakers' lines in a dialogue
    tail_s: float = Field(default=0.6, ge=0)  # after a scene's last sentence
    end_s: float = Field(default=6.0, gt=0)  # end card with the QR code, long enough to scan it
    max_caption_lines: int = Field(default=2, ge=1, le=4)
    max_chars_per_s: float = Field(default=22.0, gt=0)  # reading-speed limit of captions


class Stage(_Model):
    """Where characters stand on a set, as fractions of the frame, for one frame shape.

    ``floor`` is where their feet (or the counter's edge) are; ``height`` how tall a character is;
    ``spread`` how far apart the outermost two stand (centred on ``centre``).
    """

    floor: float = Field(gt=0, le=1.2)
    height: float = Field(gt=0, le=1.2)
    centre: float = Field(default=0.5, ge=0, le=1)
    spread: float = Field(default=0.5, ge=0, le=1)


class Presenter(_Model):
    """Where the presenter stands (fractions of the frame) and where the bullets or picture go."""

    x: float = Field(ge=0, le=1)  # the character's centre
    floor: float = Field(gt=0, le=1.2)
    height: float = Field(gt=0, le=1.2)
    panel: tuple[float, float, float, float]  # bullets or picture box: x, y, w, h


def _max_steps() -> dict[Shape, int]:
    return {"portrait": 5, "square": 4, "landscape": 5}


class Motion(_Model):
    """Animated scenes: how long numbers count and charts grow, how many steps fit."""

    count_s: float = Field(default=1.6, gt=0, le=10)  # a stat's number counts up over this
    grow_s: float = Field(default=1.4, gt=0, le=10)  # a chart's bars or slices grow over this
    frames_per_s: int = Field(default=15, ge=2, le=60)  # distinct images a second while counting or growing
    speaker_dim: float = Field(default=0.9, gt=0, le=1)  # brightness of the listener, the speaker at 1
    max_steps: dict[Shape, int] = Field(default_factory=lambda: _max_steps())


def _stages() -> dict[Shape, Stage]:
    return {
        "portrait": Stage(floor=0.74, height=0.42, centre=0.5, spread=0.56),
        "square": Stage(floor=0.84, height=0.6, centre=0.5, spread=0.56),
        "landscape": Stage(floor=0.94, height=0.74, centre=0.5, spread=0.46),
    }


def _presenters() -> dict[Shape, Presenter]:
    return {
        "portrait": Presenter(x=0.3, floor=0.93, height=0.5, panel=(0.0, 0.12, 1.0, 0.27)),
        "square": Presenter(x=0.22, floor=0.97, height=0.74, panel=(0.36, 0.12, 0.64, 0.6)),
        "landscape": Presenter(x=0.18, floor=0.98, height=0.74, panel=(0.3, 0.14, 0.7, 0.62)),
    }


class VideoDesign(_Model):
    """Everything about an explainer's shape that is not words or voices."""

    name: str = "explainer"
    description: str = ""
    intro: CardShape = CardShape(motion="zoom-in", amount=0.03)
    scene: CardShape = CardShape(motion="alternate", amount=0.04)
    #: Scenes with characters, counters or charts on them hold still: sprites do not follow a camera move.
    animated: CardShape = CardShape(motion="none")
    end: CardShape = CardShape(motion="none", transition="cut", transition_s=0)
    pacing: Pacing = Pacing()
    stage: dict[Shape, Stage] = Field(default_factory=_stages)
    presenter: dict[Shape, Presenter] = Field(default_factory=_presenters)
    motion: Motion = Motion()
    #: Formats seen muted in a feed: captions burned into the picture, word by word.
    burned_captions: tuple[str, ...] = ("story", "square")

    @model_validator(mode="after")
    def _shapes(self) -> VideoDesign:
        for field in ("stage", "presenter"):
            missing = {"portrait", "square", "landscape"} - set(getattr(self, field))
            if missing:
                raise ValueError(f"{field}: no entry for the {sorted(missing)[0]} shape")
        return self
