"""The declarative video plan: script + design + measured speech → tracks of timed clips. Pure.

A :class:`VideoPlan` says everything about a video and draws nothing:

- ``cards``: the full-frame stills in order (title, scenes, end), each with its motion and the
  transition into the next — ffmpeg loops each one;
- ``sprites``: tracks of small pictures at fixed places that change over time — a character's
  states (mouth, eyes, head), a prop, a counting number, a growing chart, the burned-in captions.
  Each distinct picture is drawn once; ffmpeg sequences them (concat demuxer) and overlays them;
- ``stills``: pictures over every frame of a stretch (the synthetic-media badge on all of them);
- ``voice``: each spoken sentence placed at its start time, in its speaker's voice;
- ``music``: the bed, ducked under the voice by the encoder;
- ``cues``: captions, one per sentence, with each word's time.

Pictures are named by key in ``pictures`` and described by small frozen values (what to draw),
which :mod:`studio.video.paint` turns into images; :mod:`studio.encode.plan` executes the plan.
Times are whole frames (``*_f``) for pictures and seconds for sound and captions. Every time comes
from audio actually synthesised. ``validate`` checks the plan's own consistency; errors from script
contents name the template file, the scene and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from studio.errors import SpecError
from studio.layout.text import Measure, wrap
from studio.video.design import CardShape, Shape, VideoDesign
from studio.video.script import Datum, Scene, Script, Step

# ---------------------------------------------------------------- measured speech (input)

T = TypeVar("T")


@dataclass(frozen=True)
class SpokenWord:
    """A word and when it is said, in seconds from its sentence's start."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class MeasuredSentence:
    """A sentence as written, how long its audio lasts, its words' times, and where its audio is.

    ``ref`` is (part, utterance, sentence): part 0 is the spoken disclosure, part i scene i.
    """

    text: str
    duration_s: float
    words: tuple[SpokenWord, ...]
    ref: tuple[int, int, int]


@dataclass(frozen=True)
class MeasuredUtterance:
    speaker: str
    sentences: tuple[MeasuredSentence, ...]
    prop: str | None = None


@dataclass(frozen=True)
class Measured:
    """The spoken disclosure and every scene's utterances, measured."""

    intro: MeasuredUtterance
    scenes: tuple[tuple[MeasuredUtterance, ...], ...]


def spread_words(text: str, duration_s: float) -> tuple[SpokenWord, ...]:
    """Word times for an engine that gives none: the sentence's time shared by character count."""
    words = text.split()
    if not words:
        return ()
    weights = [len(w) + 1 for w in words]
    total = sum(weights)
    t, out = 0.0, []
    for word, weight in zip(words, weights, strict=True):
        span = duration_s * weight / total
        out.append(SpokenWord(word, t, t + span))
        t += span
    return tuple(out)


# ---------------------------------------------------------------- what to draw (picture specs)


@dataclass(frozen=True)
class LayoutCard:
    """A card drawn by the layout engine from a design (title, bullets scenes, end)."""

    design: str
    headline: str
    body: str | None = None
    picture: Path | None = None
    campaign_text: bool = False  # the deliverable's own headline and text (title and end cards)


@dataclass(frozen=True)
class StageCard:
    """A set for a dialogue: a built-in set's name or an image, with the scene's title (if any) on a
    plate at the top (formats with burned-in captions; elsewhere the title is a :class:`TitlePlate`)."""

    set: str
    title: str | None


@dataclass(frozen=True)
class LitCard:
    """A still card with the lights of whoever speaks drawn into it, instead of laid over its every
    frame by the encoder: ``base`` is the card's picture, ``lights`` the light pictures and their
    top-left corners, bottom first."""

    base: str
    lights: tuple[tuple[str, tuple[int, int]], ...]


@dataclass(frozen=True)
class PresenterCard:
    """Brand background with a panel of bullets or a picture beside the presenter."""

    title: str | None
    bullets: tuple[str, ...]
    picture: Path | None
    panel: tuple[float, float, float, float]


@dataclass(frozen=True)
class StepsCard:
    """Numbered steps with icons, the first ``shown`` of them visible."""

    title: str | None
    steps: tuple[Step, ...]
    shown: int


@dataclass(frozen=True)
class StatCard:
    """The still parts of a stat scene: title and labels; the number itself is a sprite."""

    title: str | None
    label: str
    compare: Datum | None


@dataclass(frozen=True)
class ChartCard:
    title: str | None
    unit: str


@dataclass(frozen=True)
class NumberPicture:
    """A stat's number at one moment of its count."""

    text: str
    size_px: tuple[int, int]


@dataclass(frozen=True)
class BarsPicture:
    """Bars (a chart, or a stat's comparison) grown to ``progress`` (0 .. 1)."""

    data: tuple[Datum, ...]
    unit: str
    progress: float
    size_px: tuple[int, int]


@dataclass(frozen=True)
class PiePicture:
    data: tuple[Datum, ...]
    unit: str
    progress: float
    size_px: tuple[int, int]


@dataclass(frozen=True)
class CharacterPicture:
    """A character in one state (mouth, eyes, head), ``height_px`` tall, dimmed while listening."""

    character: str
    state: Hashable
    height_px: int
    dim: float
    #: On a phone screen: the figure cut to its head and shoulders on a screen of this size.
    screen_px: tuple[int, int] | None = None


@dataclass(frozen=True)
class PhonePicture:
    """A phone held up to the viewer, its screen left empty for a caller on a video call."""

    size_px: tuple[int, int]
    screen: tuple[int, int, int, int]  # x, y, w, h inside the picture


@dataclass(frozen=True)
class LightPicture:
    """A soft pool of light that marks who is speaking."""

    size_px: tuple[int, int]
    strength: float


@dataclass(frozen=True)
class StageFront:
    """The part of a set drawn over its characters (the office counter), cut to ``box`` (output px)."""

    set: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class TitlePlate:
    """A scene's title as a lower third over the characters: the plate in the bottom-left corner of a
    transparent canvas ``size_px`` big (its room)."""

    title: str
    size_px: tuple[int, int]


@dataclass(frozen=True)
class PropPicture:
    prop: str
    height_px: int


@dataclass(frozen=True)
class CaptionPicture:
    """A caption plate; ``highlight`` is the index of the word being said (None: no highlight)."""

    lines: tuple[str, ...]
    highlight: int | None
    size_px: tuple[int, int]


@dataclass(frozen=True)
class BadgePicture:
    """The synthetic-media badge (its size and place come from the badge rules)."""


PictureSpec = (
    LayoutCard
    | StageCard
    | PresenterCard
    | StepsCard
    | StatCard
    | ChartCard
    | NumberPicture
    | BarsPicture
    | PiePicture
    | CharacterPicture
    | PropPicture
    | StageFront
    | PhonePicture
    | LightPicture
    | CaptionPicture
    | BadgePicture
    | LitCard
    | TitlePlate
)

# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Card:
    """A full-frame picture of the base track, ``frames`` long from ``start_f``."""

    picture: str
    start_f: int
    frames: int
    motion: str = "none"
    amount: float = 0.04
    transition: Literal["cut", "crossfade"] = "cut"  # into the next card
    transition_s: float = 0.0
    scene: int = 0  # 0: the title card; 1..n: scenes; n+1: the end card


@dataclass(frozen=True)
class SpriteClip:
    picture: str | None  # None: nothing shows
    start_f: int
    frames: int


@dataclass(frozen=True)
class SpriteTrack:
    """Pictures of one size at one place, changing over time.

    ``at_px`` is the top-left corner, or the middle of the bottom edge when ``anchor`` is "bottom"
    (characters stand on a floor line whatever their width).
    """

    name: str
    role: Literal["light", "character", "set", "prop", "number", "chart", "caption", "title"]
    at_px: tuple[int, int]
    clips: tuple[SpriteClip, ...]
    anchor: Literal["top-left", "bottom"] = "top-left"
    speaker: str | None = None
    #: Frames at its start and end over which the track fades in and out with the card crossfading
    #: under it (see :func:`fade_with_cards`).
    fade_in_f: int = 0
    fade_out_f: int = 0
    #: ``(frame, px)``: from that frame on its pictures show ``px`` lower (even; before the first, 0).
    #: A character's breath moves the whole figure: the encoder moves the picture, so one drawing
    #: serves every height of the breath (a third fewer pictures to draw and decode).
    moves: tuple[tuple[int, int], ...] = ()

    @property
    def start_f(self) -> int:
        return self.clips[0].start_f

    @property
    def end_f(self) -> int:
        return self.clips[-1].start_f + self.clips[-1].frames

    def corner_px(self, size: tuple[int, int]) -> tuple[int, int]:
        """Where a picture of ``size`` the track shows has its top-left corner: at ``at_px``, or for
        "bottom" standing on it, centred (an odd width half a pixel left of the middle)."""
        x, y = self.at_px
        if self.anchor == "bottom":
            return x - (size[0] + 1) // 2, y - size[1]
        return x, y

    def drop_at(self, frame: int) -> int:
        """How many pixels lower than :meth:`corner_px` the track's picture shows at ``frame``."""
        return next((px for f, px in reversed(self.moves) if f <= frame), 0)

    def picture_at(self, frame: int) -> str | None:
        for clip in self.clips:
            if clip.start_f <= frame < clip.start_f + clip.frames:
                return clip.picture
        return None

    def opacity_at(self, frame: int) -> float:
        """How opaque the track is at ``frame``: below 1 only while it fades in or out."""
        opacity = 1.0
        if self.fade_in_f and self.start_f <= frame < self.start_f + self.fade_in_f:
            opacity = (frame - self.start_f) / self.fade_in_f
        if self.fade_out_f and self.end_f - self.fade_out_f <= frame < self.end_f:
            opacity = min(opacity, 1 - (frame - (self.end_f - self.fade_out_f)) / self.fade_out_f)
        return opacity


@dataclass(frozen=True)
class Still:
    picture: str
    at_px: tuple[int, int] | None  # None: the picture's own place (the badge's corner)
    start_s: float = 0.0
    end_s: float | None = None  # None: to the last frame


@dataclass(frozen=True)
class VoiceClip:
    """A spoken sentence placed at ``start_s``; ``ref`` finds its audio."""

    speaker: str
    start_s: float
    duration_s: float
    ref: tuple[int, int, int]
    text: str


@dataclass(frozen=True)
class Cue:
    """A caption: one sentence, the words' absolute times, the speaker."""

    start_s: float
    end_s: float
    lines: tuple[str, ...]
    words: tuple[SpokenWord, ...]
    speaker: str

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class SceneSpan:
    kind: str  # "intro", a scene kind, or "end" for the closing card
    index: int
    start_f: int
    frames: int
    speech_starts_s: tuple[float, ...]


@dataclass(frozen=True)
class VideoPlan:
    size_px: tuple[int, int]
    fps: int
    frames: int
    scenes: tuple[SceneSpan, ...]
    cards: tuple[Card, ...]
    sprites: tuple[SpriteTrack, ...]
    stills: tuple[Still, ...]
    voice: tuple[VoiceClip, ...]
    cues: tuple[Cue, ...]
    music: bool
    pictures: dict[str, PictureSpec] = field(repr=False)
    characters: dict[str, str] = field(default_factory=dict)  # speaker → character, those on screen

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    @property
    def scene_kinds(self) -> tuple[str, ...]:
        """Kinds of the script's scenes, in order (the title and end cards not counted)."""
        return tuple(s.kind for s in self.scenes[1:-1])

    def validate(self) -> VideoPlan:
        """Check the plan's own consistency; raise SpecError naming the first problem."""
        t = 0
        for card in self.cards:
            if card.start_f != t or card.frames < 1:
                raise SpecError(f"video plan: card {card.picture} starts at frame {card.start_f}, expected {t}")
            if card.picture not in self.pictures:
                raise SpecError(f"video plan: card picture {card.picture} is not described")
            t += card.frames
        if t != self.frames:
            raise SpecError(f"video plan: cards last {t} frames, the video {self.frames}")
        for track in self.sprites:
            end = -1
            for clip in track.clips:
                if clip.frames < 1 or clip.start_f < max(end, 0) or clip.start_f + clip.frames > self.frames:
                    raise SpecError(f"video plan: sprite track {track.name}: clip at frame {clip.start_f} out of order")
                if clip.picture is not None and clip.picture not in self.pictures:
                    raise SpecError(f"video plan: sprite track {track.name}: picture {clip.picture} not described")
                end = clip.start_f + clip.frames
            if track.clips and track.fade_in_f + track.fade_out_f > track.end_f - track.start_f:
                raise SpecError(f"video plan: sprite track {track.name}: its fades are longer than the track")
            frames = [f for f, _ in track.moves]
            if frames != sorted(set(frames)) or any(px % 2 for _, px in track.moves):
                raise SpecError(f"video plan: sprite track {track.name}: moves out of order or by an odd pixel count")
        for said in self.voice:
            if said.start_s < 0 or said.start_s + said.duration_s > self.duration_s + 1e-6:
                raise SpecError(f'video plan: the sentence "{said.text}" is placed outside the video')
        return self


# ---------------------------------------------------------------- building a plan


@dataclass(frozen=True)
class StageLayout:
    """A set as the plan needs it, in output pixels: its spots (name → centre x, floor y, figure
    height) in the set's order, and the box of its foreground, if it has one."""

    spots: dict[str, tuple[int, int, int]]
    front: tuple[int, int, int, int] | None = None
    prefer: dict[str, str] = field(default_factory=dict)  # spot → the character it is for


class Performer(Protocol):
    """How characters move: one state per frame for a character, given when it speaks and listens."""

    def character(self, speaker: str) -> str | None:
        """The character that plays ``speaker``, or None when the speaker has none."""

    def poses(self, speaker: str) -> tuple[str, ...]:
        """The props the speaker's character can hold (its pack's poses)."""

    def layout(self, name: str, width_px: int, height_px: int) -> StageLayout:
        """Where characters stand on set ``name`` in a frame of this size."""

    def states(
        self,
        speaker: str,
        frames: int,
        fps: int,
        talking: Sequence[Turn],
        listening: Sequence[Turn],
        poses: Sequence[tuple[str, int, int]] = (),
    ) -> Sequence[Hashable]:
        """``frames`` states of ``speaker``'s character (frame 0 is the scene's first), holding each
        ``(pose, first frame, last frame)``."""

    def breath(self, speaker: str, states: Sequence[Hashable], height_px: int) -> tuple[list[Hashable], list[int]]:
        """``states`` with the whole figure's up-and-down movement (its breath) taken out, and that
        movement frame by frame in pixels at ``height_px``, even (an overlay lands on whole chroma
        samples): the encoder moves one drawing instead of drawing the figure at every height."""


@dataclass(frozen=True)
class Turn:
    """A sentence somebody says during a scene: from ``start_f`` (scene frames), audio at ``ref``."""

    start_f: int
    frames: int
    ref: tuple[int, int, int]


@dataclass(frozen=True)
class Frame:
    """The frame a plan is built for: output pixels, safe margins, the shape of its layouts."""

    width_px: int
    height_px: int
    safe_px: tuple[int, int, int, int]  # left, top, right, bottom
    shape: Shape
    format: str
    scale: float = 1.0  # output pixels per layout pixel (drafts are smaller)


@dataclass(frozen=True)
class CaptionStyle:
    font: Path
    size_px: int
    width_px: float


#: Where a scene's steps, labels and charts go, as fractions of the safe area: below the scene
#: design's title, above the captions.
CONTENT_BOX: dict[Shape, tuple[float, float, float, float]] = {
    "portrait": (0.0, 0.33, 1.0, 0.4),
    "square": (0.0, 0.35, 1.0, 0.42),
    "landscape": (0.0, 0.4, 0.9, 0.5),
}


def content_box_px(
    width: float, height: float, safe: tuple[int, int, int, int], shape: Shape
) -> tuple[float, float, float, float]:
    """The content box (x, y, w, h) of a ``width`` × ``height`` frame with ``safe`` margins (l, t, r, b)."""
    left, top, right, bottom = safe
    sw, sh = width - left - right, height - top - bottom
    fx, fy, fw, fh = CONTENT_BOX[shape]
    return left + fx * sw, top + fy * sh, fw * sw, fh * sh


class _Builder:
    def __init__(self, plan_frame: Frame, fps: int, design: VideoDesign, prefix: str) -> None:
        self.prefix = prefix
        self.f = plan_frame
        self.fps = fps
        self.design = design
        self.pictures: dict[str, PictureSpec] = {}
        self.keys: dict[PictureSpec, str] = {}

    def picture(self, spec: PictureSpec, hint: str) -> str:
        """The key of ``spec``, described once however often it is used."""
        key = self.keys.get(spec)
        if key is None:
            key = f"{hint}-{len(self.pictures):04d}"
            self.keys[spec] = key
            self.pictures[key] = spec
        return key

    def frames(self, seconds: float) -> int:
        return max(0, math.ceil(seconds * self.fps - 1e-9))

    def content(self) -> tuple[int, int, int, int]:
        """The content box in output pixels."""
        f = self.f
        x, y, w, h = content_box_px(f.width_px / f.scale, f.height_px / f.scale, f.safe_px, f.shape)
        return round(x * f.scale), round(y * f.scale), round(w * f.scale), round(h * f.scale)


def _runs(values: Sequence[str | None], start_f: int) -> list[SpriteClip]:
    """Consecutive equal pictures merged into clips."""
    clips: list[SpriteClip] = []
    for i, value in enumerate(values):
        if clips and clips[-1].picture == value:
            last = clips[-1]
            clips[-1] = SpriteClip(value, last.start_f, last.frames + 1)
        else:
            clips.append(SpriteClip(value, start_f + i, 1))
    return [c for c in clips if c.picture is not None]


def _motion(shape: CardShape, count: int) -> str:
    if shape.motion == "alternate":
        return "zoom-in" if count % 2 == 0 else "zoom-out"
    return shape.motion


def build_plan(
    script: Script,
    measured: Measured,
    plan_frame: Frame,
    fps: int,
    design: VideoDesign,
    *,
    design_prefix: str,
    caption_style: CaptionStyle,
    measure: Measure,
    performer: Performer,
    where: str,
    music: bool = True,
    final_hold: bool = True,
) -> VideoPlan:
    """The whole explainer as a validated plan.

    Raises SpecError naming ``where`` (template file), the scene and the field for what cannot be
    shown: a caption over two lines or read too fast, more steps than fit, a speaker on screen with
    no character.
    """
    b = _Builder(plan_frame, fps, design, design_prefix)
    pacing = design.pacing
    cards: list[Card] = []
    sprites: list[SpriteTrack] = []
    voice: list[VoiceClip] = []
    cues: list[Cue] = []
    spans: list[SceneSpan] = []
    characters: dict[str, str] = {}
    t_f = 0
    zoom_count = 0

    def place_speech(
        utterances: Sequence[MeasuredUtterance], start_f: int, label: str
    ) -> tuple[int, list[tuple[MeasuredUtterance, MeasuredSentence, float]]]:
        """Sentences one after another from the scene start; returns the scene's length in frames."""
        placed = []
        cursor = start_f / fps + pacing.lead_s
        previous = None
        for u in utterances:
            if previous is not None and previous != u.speaker:
                cursor += pacing.turn_s
            previous = u.speaker
            for s in u.sentences:
                placed.append((u, s, cursor))
                cursor += s.duration_s + pacing.pause_s
        spoken_end = cursor - (pacing.pause_s if placed else 0.0)
        length = b.frames(spoken_end + (pacing.tail_s if placed else 0.0) - start_f / fps)
        return length, placed

    def add_voice(
        placed: list[tuple[MeasuredUtterance, MeasuredSentence, float]], scene_end_s: float, label: str
    ) -> None:
        for i, (u, s, start) in enumerate(placed):
            voice.append(VoiceClip(u.speaker, start, s.duration_s, s.ref, s.text))
            nxt = placed[i + 1][2] if i + 1 < len(placed) else None
            end = nxt if nxt is not None else min(scene_end_s, start + s.duration_s + pacing.pause_s)
            cues.append(_cue(s, start, end, u.speaker, caption_style, measure, design, label))

    def add_card(spec: PictureSpec, start_f: int, frames: int, card_shape: CardShape, scene: int) -> None:
        nonlocal zoom_count
        motion = _motion(card_shape, zoom_count)
        if card_shape.motion == "alternate":
            zoom_count += 1
        cards.append(
            Card(
                b.picture(spec, "card"),
                start_f,
                frames,
                motion,
                card_shape.amount,
                card_shape.transition,
                card_shape.transition_s,
                scene,
            )
        )

    # Title card with the spoken disclosure.
    length, placed = place_speech([measured.intro], 0, "title card")
    length = max(length, b.frames(pacing.intro_s))
    add_card(LayoutCard(f"{design_prefix}-intro", "", campaign_text=True), 0, length, design.intro, 0)
    add_voice(placed, length / fps, f"{where}: title card")
    spans.append(SceneSpan("intro", 0, 0, length, tuple(p[2] for p in placed)))
    t_f = length

    n = len(script.scenes)
    for index, (scene, utterances) in enumerate(zip(script.scenes, measured.scenes, strict=True), start=1):
        label = f"{where}: scene {index} ({scene.kind})"
        length, placed = place_speech(utterances, t_f, label)
        if scene.kind == "end" and final_hold:
            length = max(length, b.frames(pacing.end_s))
        builder = _SCENES[scene.kind]
        builder(b, scene, index, t_f, length, placed, sprites, add_card, performer, characters, label)
        add_voice(placed, (t_f + length) / fps, label)
        spans.append(SceneSpan(scene.kind, index, t_f, length, tuple(p[2] for p in placed)))
        t_f += length

    if not script.scenes or script.scenes[-1].kind != "end":
        length = b.frames(pacing.end_s)
        add_card(LayoutCard(f"{design_prefix}-end", "", campaign_text=True), t_f, length, design.end, n + 1)
        spans.append(SceneSpan("end", n + 1, t_f, length, ()))
        t_f += length
    # The last card never transitions into anything.
    last = cards[-1]
    cards[-1] = Card(last.picture, last.start_f, last.frames, last.motion, last.amount, "cut", 0.0, last.scene)

    stills = [Still(b.picture(BadgePicture(), "badge"), None)]
    if plan_frame.format in design.burned_captions:
        sprites.append(_caption_track(b, cues, caption_style))
    cards, sprites = bake_lights(cards, sprites, b.picture, fps)
    sprites = fade_with_cards(cards, sprites, fps)
    plan = VideoPlan(
        (plan_frame.width_px, plan_frame.height_px),
        fps,
        t_f,
        tuple(spans),
        tuple(cards),
        tuple(sprites),
        tuple(stills),
        tuple(voice),
        tuple(cues),
        music,
        b.pictures,
        characters,
    )
    return plan.validate()


def fade_with_cards(cards: Sequence[Card], sprites: Sequence[SpriteTrack], fps: int) -> list[SpriteTrack]:
    """Tracks that come on or go off where their scene's card crossfades, faded in or out with it.

    A crossfade of n frames is centred on the boundary between two cards; a track that starts on
    that boundary starts instead where the crossfade does, invisible, and grows opaque with the
    incoming card; a track that ends there lasts until the crossfade's end, fading with the
    outgoing card. A character, a set's front or a title never pops up over a card still half
    faded in, nor stays whole over one half gone.
    """
    fades: dict[int, int] = {}  # boundary frame → crossfade frames
    for before, after in zip(cards[:-1], cards[1:], strict=True):
        if before.transition == "crossfade" and (n := round(before.transition_s * fps)) > 1:
            fades[after.start_f] = n
    out = []
    for track in sprites:
        clips = list(track.clips)
        fade_in = fades.get(track.start_f, 0) if clips[0].picture is not None else 0
        fade_out = fades.get(track.end_f, 0) if clips[-1].picture is not None else 0
        moves = list(track.moves)
        if fade_in:
            first = clips[0]
            clips[0] = SpriteClip(first.picture, first.start_f - fade_in // 2, first.frames + fade_in // 2)
            if moves and moves[0][0] == first.start_f:  # the figure fades in where it first stands
                moves[0] = (clips[0].start_f, moves[0][1])
        if fade_out:
            last = clips[-1]
            clips[-1] = SpriteClip(last.picture, last.start_f, last.frames + fade_out - fade_out // 2)
        out.append(replace(track, clips=tuple(clips), fade_in_f=fade_in, fade_out_f=fade_out, moves=tuple(moves)))
    return out


def bake_lights(
    cards: list[Card], sprites: list[SpriteTrack], picture: Callable[[PictureSpec, str], str], fps: int
) -> tuple[list[Card], list[SpriteTrack]]:
    """Lights drawn into the still cards they shine on: the card is cut where a light goes on or off
    and each part gets its own picture (:class:`LitCard`), so the encoder blends a few pictures once
    instead of a light-sized sprite on every frame.

    A card keeps its lights as sprites where that would change the picture: it moves, a sprite
    listed before a light (so drawn under it) shows at the same time, or the first or last part would
    be shorter than the crossfade's frames at that end of the card.
    """
    lights = [(i, t) for i, t in enumerate(sprites) if t.role == "light"]
    if not lights:
        return cards, sprites
    baked: set[tuple[int, int]] = set()  # (light track, clip) drawn into a card
    out: list[Card] = []
    for n, card in enumerate(cards):
        start, end = card.start_f, card.start_f + card.frames
        shining = [
            (i, k, c)
            for i, t in lights
            for k, c in enumerate(t.clips)
            if c.picture is not None and start <= c.start_f and c.start_f + c.frames <= end
        ]
        below = {
            i: [
                c
                for t in sprites[:i]
                for c in t.clips
                if c.picture is not None and t.role != "light" and c.start_f < end and c.start_f + c.frames > start
            ]
            for i, _ in lights
        }
        # the frames of this card a crossfade takes (centred on the boundary: the later half after it)
        fade_in = round(cards[n - 1].transition_s * fps) if n and cards[n - 1].transition == "crossfade" else 0
        fade_in -= fade_in // 2
        fade_out = (round(card.transition_s * fps) if card.transition == "crossfade" else 0) // 2
        cuts = sorted({start, end} | {f for _, _, c in shining for f in (c.start_f, c.start_f + c.frames)})
        parts = list(zip(cuts[:-1], cuts[1:], strict=True))
        if (
            card.motion != "none"
            or not shining
            or any(below[i] for i, _, _ in shining)
            or parts[0][1] - parts[0][0] <= fade_in
            or parts[-1][1] - parts[-1][0] <= fade_out
        ):
            out.append(card)
            continue
        for j, (a, b) in enumerate(parts):
            on = tuple(
                (c.picture, sprites[i].at_px)
                for i, _, c in sorted(shining, key=lambda x: x[0])
                if c.start_f <= a and b <= c.start_f + c.frames and c.picture is not None
            )
            key = picture(LitCard(card.picture, on), "card") if on else card.picture
            last = j == len(parts) - 1
            out.append(
                Card(
                    key,
                    a,
                    b - a,
                    card.motion,
                    card.amount,
                    card.transition if last else "cut",
                    card.transition_s if last else 0.0,
                    card.scene,
                )
            )
        baked |= {(i, k) for i, k, _ in shining}
    kept = []
    for i, track in enumerate(sprites):
        if track.role != "light":
            kept.append(track)
            continue
        clips = tuple(c for k, c in enumerate(track.clips) if (i, k) not in baked)
        if any(c.picture is not None for c in clips):
            kept.append(replace(track, clips=clips))
    return out, kept


def _cue(
    s: MeasuredSentence,
    start: float,
    end: float,
    speaker: str,
    style: CaptionStyle,
    measure: Measure,
    design: VideoDesign,
    where: str,
) -> Cue:
    pacing = design.pacing
    lines = wrap(s.text, style.width_px, style.font, style.size_px, measure)
    if lines is None or len(lines) > pacing.max_caption_lines:
        raise SpecError(
            f'{where}: the sentence "{s.text}" needs more than {pacing.max_caption_lines} caption lines; '
            "split it into shorter sentences"
        )
    speed = len(s.text) / max(end - start, 1e-6)
    if speed > pacing.max_chars_per_s:
        raise SpecError(
            f'{where}: the caption "{s.text}" would have to be read at {speed:.0f} characters a second '
            f"(limit {pacing.max_chars_per_s:g}); slow the voice down or shorten the sentence"
        )
    words = tuple(SpokenWord(w.text, start + w.start_s, start + w.end_s) for w in s.words)
    return Cue(start, end, tuple(lines), words, speaker)


def _caption_track(b: _Builder, cues: Sequence[Cue], style: CaptionStyle) -> SpriteTrack:
    """The burned-in captions: each cue's plate, with the word being said highlighted."""
    f = b.f
    height = round(style.size_px * f.scale * (0.9 + 1.2 * b.design.pacing.max_caption_lines))
    width = round((style.width_px + style.size_px) * f.scale)
    size = (width, height)
    hold = hold_frames(b.fps)
    clips: list[SpriteClip] = []
    for cue in cues:
        start, end = b.frames(cue.start_s), b.frames(cue.end_s)
        if end <= start:
            continue
        marks: list[tuple[int, int | None]] = [(start, None)]
        for i, word in enumerate(cue.words):
            # on the drawing frame at or before the word (see on_twos): with the mouths, never after them
            said = b.frames(word.start_s)
            marks.append((max(start, said - said % hold), i))
        said = b.frames(cue.words[-1].end_s) if cue.words else end
        marks.append((min(end, said - said % hold), None))
        for k, (at, highlight) in enumerate(marks):
            until = marks[k + 1][0] if k + 1 < len(marks) else end
            until = min(until, end)
            if until > at:
                key = b.picture(CaptionPicture(cue.lines, highlight, size), "caption")
                clips.append(SpriteClip(key, at, until - at))
    x = (f.width_px - width) // 2
    y = f.height_px - round(f.safe_px[3] * f.scale) - height - round(0.03 * f.height_px)
    return SpriteTrack("captions", "caption", (x, y), tuple(clips))


SceneBuilder = Callable[..., None]


def _scene_bullets(b: _Builder, scene: Scene, index: int, t_f: int, length: int, placed, sprites, add_card, *_) -> None:  # type: ignore[no-untyped-def]
    body = "\n".join(f"• {x}" for x in scene.bullets) or None
    spec = LayoutCard(f"{b.prefix}-scene", scene.title or " ", body, scene.image)
    add_card(spec, t_f, length, b.design.scene, index)


def _scene_title(b: _Builder, scene: Scene, index: int, t_f: int, length: int, placed, sprites, add_card, *_) -> None:  # type: ignore[no-untyped-def]
    add_card(LayoutCard(f"{b.prefix}-intro", scene.title or " "), t_f, length, b.design.intro, index)


def _scene_end(b: _Builder, scene: Scene, index: int, t_f: int, length: int, placed, sprites, add_card, *_) -> None:  # type: ignore[no-untyped-def]
    add_card(LayoutCard(f"{b.prefix}-end", "", campaign_text=True), t_f, length, b.design.end, index)


def _turns(placed, speaker: str, t_f: int, fps: int, *, same: bool) -> list[Turn]:  # type: ignore[no-untyped-def]
    out = []
    for u, s, start in placed:
        if (u.speaker == speaker) == same:
            out.append(Turn(round(start * fps) - t_f, max(1, round(s.duration_s * fps)), s.ref))
    return out


def _character_track(
    b: _Builder,
    speaker: str,
    character: str,
    t_f: int,
    length: int,
    placed,  # type: ignore[no-untyped-def]
    performer: Performer,
    at_px: tuple[int, int],
    height_px: int,
    name: str,
    emphasise: bool,
    poses: Sequence[tuple[str, int, int]] = (),
    screen_px: tuple[int, int] | None = None,
) -> SpriteTrack:
    fps = b.fps
    talking = _turns(placed, speaker, t_f, fps, same=True)
    listening = _turns(placed, speaker, t_f, fps, same=False)
    states = performer.states(speaker, length, fps, talking, listening, poses)
    if len(states) != length:
        raise SpecError(f"character {character}: {len(states)} states for {length} frames")
    # The speaker at full brightness, the listener dimmed: who is talking reads at a glance.
    speaking = [False] * length
    for turn in talking:
        for f in range(max(0, turn.start_f - 3), min(length, turn.start_f + turn.frames + 3)):
            speaking[f] = True
    dim = b.design.motion.speaker_dim if emphasise else 1.0
    drops = [0] * length
    if screen_px is None:  # a figure standing in the scene breathes; one on a phone screen is cut to it
        states, drops = performer.breath(speaker, states, height_px)
    keys = [
        b.picture(CharacterPicture(character, state, height_px, 1.0 if speaking[i] else dim, screen_px), "char")
        for i, state in enumerate(states)
    ]
    anchor: Literal["top-left", "bottom"] = "top-left" if screen_px else "bottom"
    held = on_twos(list(zip(keys, drops, strict=True)), t_f, hold_frames(fps))
    clips = _runs([key for key, _ in held], t_f)
    return SpriteTrack(name, "character", at_px, tuple(clips), anchor, speaker, moves=_moves([d for _, d in held], t_f))


def _moves(drops: Sequence[int], start_f: int) -> tuple[tuple[int, int], ...]:
    """``(frame, px)`` wherever ``drops`` (one a frame, from ``start_f``) changes (see :attr:`SpriteTrack.moves`)."""
    moves: list[tuple[int, int]] = []
    for i, px in enumerate(drops):
        if px != (moves[-1][1] if moves else 0):
            moves.append((start_f + i, px))
    return tuple(moves)


#: New drawings a second for characters and caption words: 30 fps video is animated on twos, a
#: 15 fps draft on ones (it shows the same drawings a second as the final video).
DRAWINGS_PER_S = 15


def hold_frames(fps: int) -> int:
    """How many video frames each drawing of a character or caption is held at ``fps``."""
    return max(1, fps // DRAWINGS_PER_S)


def on_twos(values: Sequence[T], first_f: int, hold: int = 2) -> list[T]:
    """``values`` (one a frame, from video frame ``first_f``) changing only on video frames that
    are multiples of ``hold``, as hand-drawn animation moves "on twos": each frame shows what the
    last frame of its group would, so a change comes at most ``hold - 1`` frames (33 ms at 30 fps)
    early, never late (a mouth that opens a frame before its sound reads as in sync; one a frame
    after does not). Every character and every caption word changes on the same frames, so far
    fewer frames differ from the one before and need encoding (about a tenth fewer in the sample
    explainer)."""
    last = len(values) - 1
    return [values[min(last, i + hold - 1 - (first_f + i) % hold)] for i in range(len(values))]


def _merged(turns: Sequence[Turn], gap_f: int) -> list[tuple[int, int]]:
    """A speaker's turns as (first, end) frame spans, joined across pauses shorter than ``gap_f``."""
    spans: list[tuple[int, int]] = []
    for t in turns:
        start, end = max(0, t.start_f - 2), t.start_f + t.frames + 2
        if spans and start - spans[-1][1] < gap_f:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _need_character(performer: Performer, speaker: str, where: str) -> str:
    character = performer.character(speaker)
    if character is None:
        raise SpecError(
            f'{where}: speaker "{speaker}" has no character; add it to the campaign\'s characters '
            "(speaker: character name)"
        )
    return character


def _scene_dialogue(  # type: ignore[no-untyped-def]
    b: _Builder, scene: Scene, index, t_f, length, placed, sprites, add_card, performer, characters, where
) -> None:
    f = b.f
    set_name = scene.set or "office"
    # Formats with burned-in captions keep the title at the top of the card; elsewhere it is a lower
    # third laid over the characters (as on television), not under whoever stands there.
    lower_third = f.format not in b.design.burned_captions
    add_card(StageCard(set_name, None if lower_third else scene.title), t_f, length, b.design.animated, index)
    try:
        if f.scale != 1.0:  # a draft checks the set against the final size too
            performer.layout(set_name, round(f.width_px / f.scale), round(f.height_px / f.scale))
        layout = performer.layout(set_name, f.width_px, f.height_px)
    except SpecError as exc:
        raise SpecError(f"{where}: set: {exc}") from None
    for speaker in scene.call:
        if speaker not in scene.speakers:
            raise SpecError(f'{where}: call: "{speaker}" says no line in this dialogue')
    speakers = tuple(sp for sp in scene.speakers if sp not in scene.call)
    places = _places(b, scene, speakers, layout, where, performer)
    # A prop the speaker's character can hold (a pose of its pack) is in its hands from the line that
    # names it until the scene ends or the speaker names another prop; any other prop stands on the set.
    held: dict[str, list[tuple[str | None, int]]] = {}
    if scene.call:  # on a video call, whoever is on the set holds the phone from the start
        held = {sp: [("phone", 0)] for sp in speakers if "phone" in performer.poses(sp)}
    standing: list[tuple[str, int]] = []
    seen: set[tuple[str, str]] = {(sp, "phone") for sp in held}
    for u, _s, start in placed:
        if not u.prop or (u.speaker, u.prop) in seen:
            continue
        seen.add((u.speaker, u.prop))
        at = round(start * b.fps) - t_f
        if u.prop in performer.poses(u.speaker):
            held.setdefault(u.speaker, []).append((u.prop, at))
        else:
            held.setdefault(u.speaker, []).append((None, at))
            standing.append((u.prop, at))
    for speaker in scene.call:
        sprites.extend(_caller(b, speaker, index, t_f, length, placed, performer, characters, where, scene))
    # A soft light behind whoever speaks: who is talking reads at a glance, with no one darkened much.
    for speaker in speakers:
        x, floor, height = places[speaker]
        size = (round(height * 0.9) // 2 * 2, round(height * 0.9) // 2 * 2)
        key = b.picture(LightPicture(size, 0.55), "light")
        spans = _merged(_turns(placed, speaker, t_f, b.fps, same=True), round(0.6 * b.fps))
        lit = tuple(SpriteClip(key, t_f + a, min(e, length) - a) for a, e in spans if min(e, length) > a)
        at = (x - size[0] // 2, max(0, floor - round(height * 0.62) - size[1] // 2))
        if lit:
            sprites.append(SpriteTrack(f"scene {index}: light {speaker}", "light", at, lit))
    for speaker in speakers:
        character = _need_character(performer, speaker, f"{where}, line {_first_line(scene, speaker)}")
        characters[speaker] = character
        x, floor, height = places[speaker]
        holds = held.get(speaker, [])
        poses = [
            (prop, at, (holds[i + 1][1] - 1) if i + 1 < len(holds) else length - 1)
            for i, (prop, at) in enumerate(holds)
            if prop is not None
        ]
        track = _character_track(
            b, speaker, character, t_f, length, placed, performer, (x, floor),
            height, f"scene {index}: {speaker}", emphasise=True, poses=poses,
        )  # fmt: skip
        sprites.append(track)
    if layout.front is not None:
        # The set's foreground (the office counter) goes over the characters standing behind it.
        x0, y0, _x1, _y1 = layout.front
        key = b.picture(StageFront(set_name, layout.front), "front")
        sprites.append(SpriteTrack(f"scene {index}: front", "set", (x0, y0), (SpriteClip(key, t_f, length),)))
    if scene.title and lower_third:
        w, h = f.width_px, f.height_px
        left, _top, right, bottom = (round(v * f.scale) for v in f.safe_px)  # layout px → output px
        room = (round(0.6 * (w - right - left)) // 2 * 2, round(0.22 * h) // 2 * 2)
        key = b.picture(TitlePlate(scene.title, room), "title")
        at = (left, round(h - bottom - 0.04 * h) - room[1])
        sprites.append(SpriteTrack(f"scene {index}: title", "title", at, (SpriteClip(key, t_f, length),)))
    if standing and places:
        # On the counter (the top of the set's foreground), between the speakers; else at waist height.
        xs = [p[0] for p in places.values()]
        floor = max(p[1] for p in places.values())
        tall = max(p[2] for p in places.values())
        top = layout.front[1] + round(0.02 * tall) if layout.front is not None else round(floor - 0.4 * tall)
        at = (round(sum(xs) / len(xs)), top)
        side = round(0.16 * tall)
        clips = []
        for i, (prop, first) in enumerate(standing):
            until = standing[i + 1][1] if i + 1 < len(standing) else length
            if until > first:
                clips.append(SpriteClip(b.picture(PropPicture(prop, side), "prop"), t_f + first, until - first))
        sprites.append(SpriteTrack(f"scene {index}: props", "prop", at, tuple(clips), "bottom"))


#: Where a video call's phone stands, by frame shape: centre x, top, height (fractions of the frame).
PHONE: dict[Shape, tuple[float, float, float]] = {
    "landscape": (0.74, 0.1, 0.78),
    "square": (0.74, 0.22, 0.5),
    "portrait": (0.7, 0.2, 0.34),
}


def _caller(  # type: ignore[no-untyped-def]
    b: _Builder, speaker: str, index, t_f, length, placed, performer, characters, where, scene: Scene
) -> list[SpriteTrack]:
    """A speaker seen on a phone's screen (a video call): the phone, then the caller on its screen."""
    f = b.f
    character = _need_character(performer, speaker, f"{where}, line {_first_line(scene, speaker)}")
    characters[speaker] = character
    cx, top, tall = PHONE[f.shape]
    h = round(tall * f.height_px) // 2 * 2
    w = round(h * 0.52) // 2 * 2
    bezel = round(w * 0.06) // 2 * 2
    screen = (bezel, round(h * 0.1) // 2 * 2, w - 2 * bezel, round(h * 0.74) // 2 * 2)
    x0, y0 = round(cx * f.width_px - w / 2), round(top * f.height_px)
    phone = b.picture(PhonePicture((w, h), screen), "phone")
    tracks = [SpriteTrack(f"scene {index}: phone", "set", (x0, y0), (SpriteClip(phone, t_f, length),))]
    # Head and shoulders fill the screen: the figure is drawn about twice the screen's height.
    figure_h = round(screen[3] * 2.1)
    tracks.append(
        _character_track(
            b,
            speaker,
            character,
            t_f,
            length,
            placed,
            performer,
            (x0 + screen[0], y0 + screen[1]),
            figure_h,
            f"scene {index}: {speaker}",
            emphasise=False,
            screen_px=(screen[2], screen[3]),
        )  # fmt: skip
    )
    return tracks


def _places(
    b: _Builder, scene: Scene, speakers: Sequence[str], layout: StageLayout, where: str, performer: Performer
) -> dict[str, tuple[int, int, int]]:
    """Where each speaker stands: the spots the scene names (``stand``), else the spot made for the
    speaker's character (the official behind the counter), else the set's spots in order, else (more
    speakers than spots) spread across the design's stage."""
    spots = layout.spots
    for speaker, spot in scene.stand.items():
        if speaker not in speakers:
            raise SpecError(f'{where}: stand: "{speaker}" says no line in this dialogue')
        if spot not in spots:
            known = ", ".join(spots) or "none"
            raise SpecError(f'{where}: stand: set "{scene.set or "office"}" has no spot "{spot}"; its spots: {known}')
    if len(speakers) <= len(spots):
        free = [name for name in spots if name not in scene.stand.values()]
        chosen = {sp: name for sp, name in scene.stand.items() if sp in speakers}
        for sp in speakers:
            mine = [n for n in free if layout.prefer.get(n) == performer.character(sp)]
            if sp not in chosen and mine:
                chosen[sp] = mine[0]
                free.remove(mine[0])
        for sp in speakers:
            if sp not in chosen:
                unclaimed = [n for n in free if n not in layout.prefer] or free
                chosen[sp] = unclaimed[0]
                free.remove(unclaimed[0])
        return {sp: spots[chosen[sp]] for sp in speakers}
    f = b.f
    stage = b.design.stage[f.shape]
    count = len(speakers)
    out = {}
    for k, speaker in enumerate(speakers):
        x = stage.centre + stage.spread * (k / (count - 1) - 0.5)
        out[speaker] = (round(x * f.width_px), round(stage.floor * f.height_px), round(stage.height * f.height_px))
    return out


def _first_line(scene: Scene, speaker: str) -> int:
    for n, line in enumerate(scene.lines, start=1):
        if line.speaker == speaker:
            return n
    return 1


def _scene_presenter(  # type: ignore[no-untyped-def]
    b: _Builder, scene: Scene, index, t_f, length, placed, sprites, add_card, performer, characters, where
) -> None:
    f = b.f
    p = b.design.presenter[f.shape]
    add_card(PresenterCard(scene.title, scene.bullets, scene.image, p.panel), t_f, length, b.design.animated, index)
    speaker = scene.speaker
    character = _need_character(performer, speaker, f"{where}, speaker")
    characters[speaker] = character
    at = (round(p.x * f.width_px), round(p.floor * f.height_px))
    # The presenter points to the panel while speaking, when its pack has that pose.
    poses = [("present", t.start_f, t.start_f + t.frames) for t in _turns(placed, speaker, t_f, b.fps, same=True)]
    poses = poses if "present" in performer.poses(speaker) else []
    sprites.append(
        _character_track(
            b,
            speaker,
            character,
            t_f,
            length,
            placed,
            performer,
            at,
            round(p.height * f.height_px),
            f"scene {index}: {speaker}",
            emphasise=False,
            poses=poses,
        )  # fmt: skip
    )


def _word_times(placed) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    out = []
    for _u, s, start in placed:
        for w in s.words:
            out.append((_bare(w.text), start + w.start_s))
    return out


def _bare(word: str) -> str:
    return re.sub(r"[^\w-]", "", word.lower())


def _scene_steps(  # type: ignore[no-untyped-def]
    b: _Builder, scene: Scene, index, t_f, length, placed, sprites, add_card, performer, characters, where
) -> None:
    limit = b.design.motion.max_steps[b.f.shape]
    if len(scene.steps) > limit:
        raise SpecError(
            f"{where}: steps: {len(scene.steps)} steps do not fit a {b.f.format} frame (at most {limit}); "
            "split the scene in two"
        )
    words = _word_times(placed)
    sentence_starts = [start for _u, _s, start in placed]
    reveal: list[float] = []
    for i, step in enumerate(scene.steps):
        at = None
        if step.cue:
            cue = _bare(step.cue)
            earlier = reveal[-1] if reveal else 0.0
            at = next((t for w, t in words if w == cue and t >= earlier), None)
        if at is None:
            at = sentence_starts[min(i, len(sentence_starts) - 1)] if i < len(sentence_starts) else sentence_starts[-1]
        reveal.append(at)
    # The first step shows with the scene's first words; each next one when the narration reaches it.
    bounds = [t_f] + [max(t_f + 1, round(t * b.fps)) for t in reveal[1:]] + [t_f + length]
    for k in range(1, len(bounds)):
        bounds[k] = max(bounds[k], bounds[k - 1] + 1)
    bounds[-1] = t_f + length
    shape = b.design.animated
    for k in range(len(scene.steps)):
        start, end = bounds[k], bounds[k + 1]
        if end <= start:
            continue
        last = k == len(scene.steps) - 1
        cut = CardShape(motion="none", transition="cut", transition_s=0)
        add_card(StepsCard(scene.title, scene.steps, k + 1), start, end - start, shape if last else cut, index)


def _scene_stat(  # type: ignore[no-untyped-def]
    b: _Builder, scene: Scene, index, t_f, length, placed, sprites, add_card, performer, characters, where
) -> None:
    add_card(StatCard(scene.title, scene.label, scene.compare), t_f, length, b.design.animated, index)
    assert scene.value is not None
    motion = b.design.motion
    step_f = max(1, round(b.fps / motion.frames_per_s))
    steps = max(1, round(motion.count_s * motion.frames_per_s))
    start = t_f + b.frames(b.design.pacing.lead_s)
    decimals = 0 if float(scene.value).is_integer() else len(repr(scene.value).split(".")[1])
    bx, by, bw, bh = b.content()
    if scene.compare is None:
        size = (bw, round(bh * 0.55))
        keys = []
        for k in range(steps + 1):
            eased = 1 - (1 - k / steps) ** 3
            text = f"{scene.prefix}{_number(scene.value * eased, decimals)}{scene.suffix}"
            keys.append(b.picture(NumberPicture(text, size), "number"))
        clips = _timed(keys, start, step_f, t_f + length)
        at = (bx, by + round(bh * 0.08))
        sprites.append(SpriteTrack(f"scene {index}: number", "number", at, tuple(clips)))
        return
    data = (Datum(scene.label, scene.value), scene.compare)
    size = (bw, bh)
    keys = [
        b.picture(BarsPicture(data, scene.suffix, (1 - (1 - k / steps) ** 3), size), "bars") for k in range(steps + 1)
    ]
    at = (bx, by)
    sprites.append(SpriteTrack(f"scene {index}: bars", "chart", at, tuple(_timed(keys, start, step_f, t_f + length))))


def _number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return text.replace(".", ",") if decimals else text


def _timed(keys: Sequence[str], start: int, step_f: int, end: int) -> list[SpriteClip]:
    """Pictures one after another, ``step_f`` frames each, the last held to ``end``."""
    clips = []
    at = start
    for i, key in enumerate(keys):
        if at >= end:
            break
        frames = (end - at) if i == len(keys) - 1 else min(step_f, end - at)
        clips.append(SpriteClip(key, at, frames))
        at += frames
    return clips


def _scene_chart(  # type: ignore[no-untyped-def]
    b: _Builder, scene: Scene, index, t_f, length, placed, sprites, add_card, performer, characters, where
) -> None:
    add_card(ChartCard(scene.title, scene.unit), t_f, length, b.design.animated, index)
    motion = b.design.motion
    step_f = max(1, round(b.fps / motion.frames_per_s))
    steps = max(1, round(motion.grow_s * motion.frames_per_s))
    bx, by, bw, bh = b.content()
    size = (bw, bh)
    kind = PiePicture if scene.chart == "pie" else BarsPicture
    keys = [b.picture(kind(scene.data, scene.unit, 1 - (1 - k / steps) ** 3, size), "chart") for k in range(steps + 1)]
    start = t_f + b.frames(b.design.pacing.lead_s)
    at = (bx, by)
    sprites.append(SpriteTrack(f"scene {index}: chart", "chart", at, tuple(_timed(keys, start, step_f, t_f + length))))


_SCENES: dict[str, SceneBuilder] = {
    "title": _scene_title,
    "bullets": _scene_bullets,
    "presenter": _scene_presenter,
    "dialogue": _scene_dialogue,
    "steps": _scene_steps,
    "stat": _scene_stat,
    "chart": _scene_chart,
    "end": _scene_end,
}
