"""The campaign file's shape: frozen, validated models. Built only by ``studio.campaign.load_campaign``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from studio.colors import RGB, parse_color
from studio.formats import FORMATS, GRAY_SUFFIX, NEWSPAPER_PREFIX, Format, get_format, newspaper_format
from studio.kinds import KIND_MODULES, get_kind
from studio.press.profiles import PROFILES, profile_names
from studio.quarters import Quarter, quarters_between

LANGUAGES: dict[str, str] = {"ky": "Kyrgyz", "ru": "Russian", "en": "English"}
BRAND_COLOR_ROLES = ("primary", "accent", "dark", "light")
REPORTING_SCHEMES = ("https", "http", "tg", "tel")
VOICE_ENGINES = ("rhvoice", "espeak", "gtts")
#: Types the plan may count that no kind renders yet (made elsewhere and counted by hand).
OUTSIDE_TYPES = tuple(t for t in ("infographic", "booklet") if t not in KIND_MODULES)
#: What the plan counts: the kinds Taza Studio renders, and print products made elsewhere.
PLAN_TYPES = (*KIND_MODULES, *OUTSIDE_TYPES)


def _targets(value: Any) -> Any:
    """``{2026: {video: 3, booklet: 20}}``: years and types checked, counts non-negative."""
    if not isinstance(value, dict):
        raise ValueError("targets are given per year: {2026: {video: 3, booklet: 20}}")
    for year, per_type in value.items():
        if not (isinstance(year, int) and 2000 <= year <= 2100):
            raise ValueError(f'"{year}" is not a year')
        if not isinstance(per_type, dict):
            raise ValueError(f"targets for {year} are given per type: {{video: 3, booklet: 20}}")
        for kind, count in per_type.items():
            if kind not in PLAN_TYPES:
                raise ValueError(f'{year}: unknown type "{kind}"; known: {", ".join(PLAN_TYPES)}')
            if not isinstance(count, int) or count < 0:
                raise ValueError(f"{year}.{kind}: {count!r} is not a count (a whole number, 0 or more)")
    return value


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _color(value: Any) -> RGB:
    if isinstance(value, (list, tuple)):
        return value  # type: ignore[return-value]  # already parsed (model copy)
    return parse_color(str(value))


def _language(value: Any) -> str:
    if value not in LANGUAGES:
        known = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(f'unknown language "{value}"; known: {known}')
    return str(value)


def _format_name(value: Any) -> str:
    if str(value).startswith(NEWSPAPER_PREFIX):
        return str(value)  # checked against the campaign's module grid (studio.campaign._cross_checks)
    if value not in FORMATS:
        raise ValueError(f'unknown format "{value}"; known: {", ".join(FORMATS)}')
    return str(value)


def _kind_name(value: Any) -> str:
    if value not in KIND_MODULES:
        raise ValueError(f'unknown kind "{value}"; known: {", ".join(KIND_MODULES)}')
    return str(value)


def _quarter(value: Any) -> Quarter:
    return value if isinstance(value, Quarter) else Quarter.parse(str(value))


def _asset(value: Any, info: ValidationInfo) -> Path:
    """An existing file inside the project folder (``context["root"]``)."""
    root: Path = (info.context or {})["root"]
    text = str(value).strip()
    if not text:
        raise ValueError("empty asset path")
    path = (root / text).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f'asset path "{text}" leaves the project folder {root}')
    if not path.is_file():
        raise ValueError(f'asset "{text}" not found (looked for {path})')
    return path


def _profile_name(value: Any) -> str:
    if value not in PROFILES:
        raise ValueError(f'unknown print profile "{value}"; known: {profile_names()}')
    return str(value)


Color = Annotated[RGB, BeforeValidator(_color)]
Language = Annotated[str, AfterValidator(_language)]
FormatName = Annotated[str, AfterValidator(_format_name)]
QuarterValue = Annotated[Quarter, BeforeValidator(_quarter)]
AssetPath = Annotated[Path, BeforeValidator(_asset)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Brand(Frozen):
    colors: dict[str, Color]
    fonts: dict[Literal["headline", "body"], AssetPath]
    logo: AssetPath | None = None

    @field_validator("colors")
    @classmethod
    def _roles(cls, colors: dict[str, RGB]) -> dict[str, RGB]:
        missing = [role for role in BRAND_COLOR_ROLES if role not in colors]
        if missing:
            raise ValueError(f"missing colour roles: {', '.join(missing)} (need {', '.join(BRAND_COLOR_ROLES)})")
        return colors

    @field_validator("fonts")
    @classmethod
    def _both_fonts(cls, fonts: dict[str, Path]) -> dict[str, Path]:
        for role in ("headline", "body"):
            if role not in fonts:
                raise ValueError(f'missing font "{role}" (need headline and body)')
        return fonts

    def color(self, name_or_hex: str) -> RGB:
        """A brand colour by role, or a literal ``#RRGGBB``."""
        if name_or_hex in self.colors:
            return self.colors[name_or_hex]
        return parse_color(name_or_hex)


def _link_url(url: str) -> str:
    """A link a QR code may carry: https, http, tg or tel, well formed."""
    if not url:
        raise ValueError("empty URL; give the link citizens should reach (https://, tg:// or tel:)")
    parts = urlsplit(url)
    if parts.scheme not in REPORTING_SCHEMES:
        raise ValueError(f'URL "{url}" must start with one of: https://, http://, tg://, tel:')
    if parts.scheme in ("http", "https") and not parts.netloc:
        raise ValueError(f'URL "{url}" has no host')
    if parts.scheme == "tel" and not parts.path.lstrip("+").replace("-", "").isdigit():
        raise ValueError(f'URL "{url}": a tel: link needs digits, e.g. tel:+996312000000')
    return url


def _reporting_url(url: str) -> str:
    if not url:
        raise ValueError("empty reporting URL; give the link citizens should reach (https://, tg:// or tel:)")
    return _link_url(url)


class Reporting(Frozen):
    url: Annotated[str, AfterValidator(_reporting_url)]
    short_text: NonEmpty  # printed beside the QR code for people who type instead of scan
    phone: str | None = None
    placeholder: bool = False  # sample values that must be replaced before anything is published
    call_to_action: dict[Language, NonEmpty]


class QRSettings(Frozen):
    error_correction: Literal["M", "Q", "H"] = "M"
    logo: bool = False  # the brand logo over the centre of the code (forces error correction H)


class Background(Frozen):
    color: str | None = None
    gradient: tuple[str, str] | None = None
    angle_deg: float = 135.0
    image: AssetPath | None = None
    scrim: float = Field(0.45, ge=0.0, le=0.9)  # darkens a photo so text stays readable

    @model_validator(mode="after")
    def _one_source(self) -> Background:
        given = [name for name in ("color", "gradient", "image") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of color, gradient or image")
        return self


class PrintSettings(Frozen):
    """``print: {profile: coated}``: the press a print deliverable is made for (campaign default,
    overridable per deliverable). ``icc`` replaces the profile's shipped ICC file; ``ink_limit`` its
    total ink limit in per cent."""

    profile: Annotated[str, AfterValidator(_profile_name)] = "rgb"
    #: x4 (PDF/X-4, default) or x1a (PDF/X-1a:2003, for print shops that ask; pages up to 5.08 m).
    standard: Literal["x4", "x1a"] = "x4"
    icc: AssetPath | None = None
    ink_limit: int | None = Field(default=None, ge=150, le=400)

    @model_validator(mode="after")
    def _icc_needs_cmyk(self) -> PrintSettings:
        if self.profile == "rgb" and (self.icc is not None or self.ink_limit is not None or self.standard != "x4"):
            raise ValueError(
                "the rgb profile has no ICC file, ink limit or PDF/X standard; choose coated, uncoated or newsprint"
            )
        return self


#: Newspaper ad formats are named after the campaign's module grid: ``newspaper-quarter``, and
#: ``newspaper-quarter-gray`` for the grayscale version.


def _size_mm(value: Any) -> Any:
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        raise ValueError("give a size as [width, height] in millimetres, e.g. [128, 182]")
    for v in value:
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 10 <= v <= 2000:
            raise ValueError(f"{v!r} is not a size in millimetres (10 to 2000)")
    return value


SizeMM = Annotated[tuple[float, float], BeforeValidator(_size_mm)]


class Newspaper(Frozen):
    """The newspaper's ad module grid: the page's type area and each ad size, in millimetres."""

    name: str | None = None
    page_mm: SizeMM
    modules: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")], SizeMM] = Field(min_length=1)

    @model_validator(mode="after")
    def _inside_page(self) -> Newspaper:
        pw, ph = self.page_mm
        for name, (w, h) in self.modules.items():
            if w > pw + 0.01 or h > ph + 0.01:
                raise ValueError(
                    f'module "{name}" ({w:g} × {h:g} mm) is larger than the page ({pw:g} × {ph:g} mm); '
                    "a module is a part of the page"
                )
            if name.endswith(GRAY_SUFFIX):
                raise ValueError(f'module "{name}": names ending in {GRAY_SUFFIX} are the grayscale versions')
        return self

    def format_names(self) -> tuple[str, ...]:
        return tuple(f"{NEWSPAPER_PREFIX}{n}{g}" for n in self.modules for g in ("", GRAY_SUFFIX))


class Copy(Frozen):
    """The words of one deliverable in one language. Designs name the fields they show."""

    headline: NonEmpty
    body: str | None = None
    call_to_action: str | None = None
    kicker: str | None = None  # a short label above the headline: "Форум", "Конкурс"
    # Events
    place: str | None = None
    organiser: str | None = None
    # Contests
    categories: str | None = None
    prizes: str | None = None
    how_to_submit: str | None = None
    # Quotes: the person's name and role (the quote itself is the headline)
    name: str | None = None
    role: str | None = None
    # Stats: the big number as it should be printed, and where it comes from
    number: str | None = None
    source: str | None = None
    credit: str | None = None  # a photo credit in this language (overrides photo.credit)


def _fraction_pair(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        for v in value:
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
                raise ValueError(
                    f"focus {list(value)} must be two fractions from 0 to 1: [across, down] "
                    "(0.5, 0.3 = centre, upper third)"
                )
        return tuple(float(v) for v in value)
    raise ValueError(f"focus {value!r} must be [across, down] as fractions of the photo, e.g. [0.5, 0.3]")


class Photo(Frozen):
    """A photograph a design places (``photo-hero``, ``quote``): where its subject is, consent, credit."""

    image: AssetPath
    #: The point to keep in frame when the photo is cropped to a shape, as fractions of its width and
    #: height (after EXIF rotation): [0.5, 0.3] keeps the upper middle, where faces usually are.
    focus: Annotated[tuple[float, float], BeforeValidator(_fraction_pair)] = (0.5, 0.4)
    person: bool = False  # shows a real, recognisable person
    consent: bool | None = None  # `consent: yes` (with a note) is required for a photo of a person
    consent_note: str | None = None  # who agreed, when, how it is recorded
    credit: str | None = None  # printed small on the render: "Сүрөт: …" / "Фото: …"
    duotone: bool = False  # tint the photo in the brand's dark and primary colours

    @model_validator(mode="after")
    def _consent(self) -> Photo:
        if self.person and self.consent is not True:
            raise ValueError(
                "a photo of a person needs their consent: add `consent: yes` and a `consent_note` saying who "
                "agreed and how it is recorded, or use another photo"
            )
        if self.person and not (self.consent_note or "").strip():
            raise ValueError("consent: yes needs a consent_note (who agreed, when, where it is kept)")
        return self


class Link(Frozen):
    """Where a deliverable's QR code points instead of the reporting channel (event registration, contest
    rules), and the short form printed beside it."""

    url: Annotated[str, AfterValidator(_link_url)]
    short_text: NonEmpty


class Event(Frozen):
    """An announced event: its date (inside the campaign period) and start time."""

    date: dt.date
    time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None


class Contest(Frozen):
    """A call for entries: the last day to submit."""

    deadline: dt.date


def _quarter_list(value: Any) -> Any:
    """``[2026Q1, 2026Q3]`` as given, or ``{from: 2026Q1, to: 2026Q4}`` expanded to every quarter."""
    if isinstance(value, dict):
        extra = set(value) - {"from", "to"}
        if extra or not {"from", "to"} <= set(value):
            raise ValueError("write quarters as a list [2026Q1, 2026Q3] or as {from: 2026Q1, to: 2026Q4}")
        return quarters_between(_quarter(value["from"]), _quarter(value["to"]))
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and not value:
        raise ValueError("the deliverable is due in no quarter; list at least one, e.g. [2026Q1]")
    return value


class QuarterRange(Frozen):
    from_: QuarterValue = Field(alias="from")
    to: QuarterValue

    @model_validator(mode="after")
    def _ordered(self) -> QuarterRange:
        if self.to < self.from_:
            raise ValueError(f"quarter range ends ({self.to}) before it starts ({self.from_})")
        return self


class VoiceSpec(Frozen):
    """A named synthetic voice: the engine and how it speaks.

    ``rhvoice`` (natural offline voices) names a voice per language, e.g. ``voice: {ky: Azamat, ru:
    Aleksandr}``, with ``speed`` and ``volume`` (1 = the voice's own) and ``pitch`` (50 = its own).
    ``espeak`` uses ``variant`` (m3, f3, …) and ``rate_wpm``. Where RHVoice is not installed, an rhvoice
    voice speaks with espeak instead (a male voice stays male), and the run says so once.
    """

    engine: Literal["rhvoice", "espeak", "gtts"] = "espeak"
    voice: dict[Language, Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]] = Field(default_factory=dict)
    speed: float = Field(default=1.0, ge=0.5, le=2.0)
    volume: float = Field(default=1.0, ge=0.25, le=2.0)
    variant: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]*$")] = ""
    rate_wpm: int = Field(default=155, ge=80, le=450)
    pitch: int = Field(default=50, ge=0, le=99)

    @model_validator(mode="after")
    def _voice_names(self) -> VoiceSpec:
        if self.engine == "rhvoice" and not self.voice:
            raise ValueError("an rhvoice voice names its voice per language, e.g. voice: {ky: Azamat, ru: Aleksandr}")
        if self.engine != "rhvoice" and self.voice:
            raise ValueError(f"voice: names RHVoice voices; engine {self.engine} does not use it (use engine: rhvoice)")
        return self


class Deliverable(Frozen):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    kind: Annotated[str, AfterValidator(_kind_name)]
    design: str = ""  # for videos: the prefix of NAME-intro, NAME-scene, NAME-end designs; audio has none
    script: str | None = None  # scripted kinds (videos): templates/scripts/SCRIPT.LANG.j2
    #: Page kinds (infographics, booklets): the content file, templates/FOLDER/CONTENT.LANG.md.
    content: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    pages: int | None = None  # booklets: the page count (8, 12 or 16 for A5; a DL tri-fold has 6)
    #: Data tables the content's charts read, by name: CSV files inside the project.
    data: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")], AssetPath] = Field(default_factory=dict)
    formats: tuple[FormatName, ...] = Field(min_length=1)
    languages: tuple[Language, ...] | None = None  # default: every campaign language
    quarters: Annotated[tuple[QuarterValue, ...], BeforeValidator(_quarter_list), Field(min_length=1)]
    hashtags: tuple[str, ...] = Field(min_length=1)
    text: dict[Language, Copy]
    background: Background | None = None  # every drawn kind needs one; audio has none
    photo: Photo | None = None
    link: Link | None = None  # the QR code's target when it is not the reporting channel
    event: Event | None = None
    contest: Contest | None = None
    #: The press (print kinds only); default: the campaign's ``print``.
    print_: PrintSettings | None = Field(default=None, alias="print")
    #: Audio only: the EBU R128 loudness to deliver at, instead of the format's own (−23 radio, −16 podcast).
    loudness_lufs: float | None = None
    #: Holds synthetic ("AI") imagery. Videos always do: their voices are synthetic.
    synthetic: bool = False
    #: The synthetic-media labels (badge, spoken disclosure, XMP, C2PA). They cannot be switched off
    #: for synthetic content: the field exists so that trying is a clear error, not a silent no-op.
    disclosure: bool = True

    @field_validator("formats")
    @classmethod
    def _formats(cls, formats: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        kind = info.data.get("kind")
        if kind and get_kind(kind).campaign_formats:
            for name in formats:
                if not name.startswith(NEWSPAPER_PREFIX):
                    raise ValueError(
                        f'format "{name}" is not a {kind} format; {kind} formats come from the campaign\'s '
                        f"newspaper module grid: {NEWSPAPER_PREFIX}MODULE or {NEWSPAPER_PREFIX}MODULE{GRAY_SUFFIX}"
                    )
            return formats
        allowed = get_kind(kind).formats if kind else tuple(FORMATS)
        for name in formats:
            if name not in allowed:
                raise ValueError(f'format "{name}" is not a {kind} format; {kind} formats: {", ".join(allowed)}')
        return formats

    @model_validator(mode="after")
    def _drawn(self) -> Deliverable:
        kind = get_kind(self.kind)
        if kind.drawn:
            if not self.design:
                raise ValueError(f"a {self.kind} deliverable needs a design (a name in templates/designs/)")
            if self.background is None:
                raise ValueError(f"a {self.kind} deliverable needs a background (color, gradient or image)")
        elif self.background is not None or self.design:
            raise ValueError(f"a {self.kind} deliverable is not drawn: remove its design and background")
        if self.loudness_lufs is not None:
            if kind.drawn and self.kind != "video":
                raise ValueError(f"loudness_lufs is for audio deliverables; a {self.kind} has no sound")
            low, high = -31.0, -9.0
            if not low <= self.loudness_lufs <= high:
                raise ValueError(
                    f"loudness_lufs {self.loudness_lufs:g} is outside {low:g} … {high:g} LUFS "
                    "(radio: −23, podcasts and voice notes: −16)"
                )
        return self

    @property
    def is_synthetic(self) -> bool:
        return self.synthetic or get_kind(self.kind).always_synthetic

    @model_validator(mode="after")
    def _labelled(self) -> Deliverable:
        if self.is_synthetic and not self.disclosure:
            what = f"an AI-voiced {self.kind}" if get_kind(self.kind).always_synthetic else "synthetic imagery"
            raise ValueError(
                f"disclosure: false is not allowed: this deliverable holds {what}, which must be labelled as "
                "synthetic (visible badge, spoken disclosure, XMP and signed content credentials)"
            )
        return self

    @model_validator(mode="after")
    def _script(self) -> Deliverable:
        scripted = get_kind(self.kind).scripted
        if scripted and not self.script:
            raise ValueError(f"a {self.kind} deliverable needs a script (a template name in templates/scripts/)")
        if not scripted and self.script:
            scripted_kinds = ", ".join(k for k in KIND_MODULES if get_kind(k).scripted)
            raise ValueError(f"only {scripted_kinds} deliverables have a script; this deliverable is a {self.kind}")
        return self

    @model_validator(mode="after")
    def _content(self) -> Deliverable:
        folder = get_kind(self.kind).content_folder
        if folder and not self.content:
            raise ValueError(f"a {self.kind} deliverable needs content: a file name in templates/{folder}/")
        if not folder and self.content:
            raise ValueError(f"only infographics and booklets have content; this deliverable is a {self.kind}")
        if self.pages is not None and self.kind != "booklet":
            raise ValueError(f"only booklets have a page count; this deliverable is a {self.kind}")
        return self

    @property
    def due_quarters(self) -> tuple[Quarter, ...]:
        return tuple(sorted(set(self.quarters)))


class Campaign(Frozen):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: dict[Language, NonEmpty]
    organisation: dict[Language, NonEmpty]
    languages: tuple[Language, ...] = Field(min_length=1)
    period: QuarterRange
    brand: Brand
    hashtags: tuple[str, ...] = Field(min_length=1)
    reporting: Reporting
    qr: QRSettings = QRSettings()
    #: The default press for print deliverables (``print: {profile: coated}``).
    print_: PrintSettings = Field(default=PrintSettings(), alias="print")
    #: The newspaper's ad module grid (``kind: newspaper`` formats).
    newspaper: Newspaper | None = None
    voices: dict[str, VoiceSpec] = Field(default_factory=lambda: {"narrator": VoiceSpec()})
    #: Who plays each speaker on screen: a built-in character (assets/characters/NAME) or a pack folder.
    characters: dict[str, NonEmpty] = Field(default_factory=dict)
    voice_fallback: bool = False  # when an online voice fails, speak with espeak instead (and say so)
    pronunciation: dict[Language, dict[str, str]] = Field(default_factory=dict)
    #: What the programme must produce each year, by type (distinct deliverables, in every language).
    targets: Annotated[dict[int, dict[str, int]], BeforeValidator(_targets)] = Field(default_factory=dict)
    deliverables: tuple[Deliverable, ...] = Field(min_length=1)

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        for tag in tags:
            if not tag.startswith("#") or len(tag) < 2 or any(ch.isspace() for ch in tag):
                raise ValueError(f'"{tag}" is not a hashtag: it starts with # and has no spaces')
        return tags

    # Where the campaign was read from; set by ``load_campaign``.
    _source: Path = PrivateAttr(default=Path("campaign.yaml"))
    _root: Path = PrivateAttr(default=Path("."))
    #: Look-alike letters corrected while reading (``studio.letters``), one note per field.
    _corrections: tuple[str, ...] = PrivateAttr(default=())

    @property
    def source(self) -> Path:
        """The campaign file."""
        return self._source

    @property
    def corrections(self) -> tuple[str, ...]:
        """Where look-alike letters were corrected to Kyrgyz ң ө ү, as notes for the user."""
        return self._corrections

    @property
    def root(self) -> Path:
        """The project folder: asset and template paths are relative to it."""
        return self._root

    def deliverable_languages(self, deliverable: Deliverable) -> tuple[str, ...]:
        return deliverable.languages or self.languages

    def print_settings(self, deliverable: Deliverable) -> PrintSettings:
        """The press of a print deliverable: its own ``print``, else the campaign's."""
        return deliverable.print_ or self.print_

    def format(self, name: str) -> Format:
        """A named format: a newspaper module of this campaign's grid, or a built-in one."""
        if name.startswith(NEWSPAPER_PREFIX) and self.newspaper is not None:
            module = name[len(NEWSPAPER_PREFIX) :]
            gray = module.endswith(GRAY_SUFFIX)
            module = module.removesuffix(GRAY_SUFFIX) if gray else module
            if module in self.newspaper.modules:
                w, h = self.newspaper.modules[module]
                return newspaper_format(name, w, h, gray, self.newspaper.name)
        return get_format(name)

    def deliverable(self, deliverable_id: str) -> Deliverable:
        for d in self.deliverables:
            if d.id == deliverable_id:
                return d
        raise KeyError(deliverable_id)
