"""The only code that reads campaign and design files: YAML in, frozen validated models out.

Every problem is a ``SpecError`` whose message names the file, the line, the field and the value:
``campaigns/x.yaml:14: deliverables[2].formats[0]: unknown format "instagram-sq"; known: …``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
import warnings
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ValidationError

from studio.campaign.checks import placement_checks
from studio.campaign.letters import fold_text_fields
from studio.campaign.models import LANGUAGES, Campaign, Deliverable, PrintSettings
from studio.campaign.names import inside, is_name, known_names, not_a_name
from studio.campaign.yamlpos import Loc, LocatedYaml, format_loc, load_yaml
from studio.errors import SpecError
from studio.files import display_path
from studio.fonts import missing_glyphs
from studio.kinds import get_kind
from studio.layout.design import Design
from studio.letters import describe
from studio.pages.design import PageDesign
from studio.video.design import VideoDesign

__all__ = [
    "Campaign",
    "Design",
    "cached_design",
    "campaign_from_data",
    "display_path",
    "load_campaign",
    "load_design",
    "load_page_design",
    "load_video_design",
    "project_root",
]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


def project_root(campaign_path: Path) -> Path:
    """The folder holding ``campaigns/``, ``assets/`` and ``templates/``."""
    folder = campaign_path.resolve().parent
    return folder.parent if folder.name == "campaigns" else folder


def load_campaign(path: str | Path, *, voices: bool = True) -> Campaign:
    """Read, validate and preflight a campaign file (assets exist, glyphs exist, designs load).

    ``voices=False`` leaves out the RHVoice speakers' checks, for a run that speaks nothing (a render of
    stills only): they load the speech engines, a tenth of a second of every start."""
    path = Path(path)
    display = display_path(path)
    return _checked(load_yaml(path, display), path, display, voices)


def campaign_from_data(data: Any, path: Path) -> Campaign:
    """Validate and preflight campaign data that is not (yet) in ``path``: an edit before it is saved.

    The same checks as ``load_campaign``; problems name the field (there is no line to name).
    """
    return _checked(LocatedYaml(path=path, data=data, lines={}), path, display_path(path))


def _checked(located: LocatedYaml, path: Path, display: str, voices: bool = True) -> Campaign:
    if not isinstance(located.data, dict):
        raise SpecError(f"{display}: a campaign file is a mapping of fields (id, languages, brand, …)")
    root = project_root(path)
    data, found = fold_text_fields(located.data)
    located = dataclasses.replace(located, data=data)
    campaign = _validate(Campaign, located, display, {"root": root})
    campaign._source = path.resolve()
    campaign._root = root
    campaign._corrections = tuple(
        _where(located, display, loc) + f"look-alike letters corrected: {describe(counts)}" for loc, counts in found
    )
    problems = _cross_checks(campaign, voices)
    if problems:
        loc, message = problems[0]
        raise SpecError(_where(located, display, loc) + message + _more(len(problems) - 1))
    for d in campaign.deliverables:
        if get_kind(d.kind).scripted:
            load_video_design(root, d.design)  # an explainer's shape file: a bad value names its own line
    return campaign


def _missing_design(root: Path, name: str) -> str | None:
    """Why design ``name`` cannot be found (listing the known ones), or None when it exists."""
    folder = root / "templates" / "designs"
    known = known_names(folder, ".yaml")
    path = inside(folder, name, ".yaml")
    if path is None:
        return not_a_name("design", name, known)
    if path.is_file():
        return None
    return f'design "{name}" not found; known designs: {", ".join(known) or "none"}'


def _design_path(root: Path, name: str) -> Path:
    return inside(root / "templates" / "designs", name, ".yaml") or root / "templates" / "designs" / "?.yaml"


def load_design(root: Path, name: str) -> Design:
    """The design ``templates/designs/NAME.yaml`` of the project folder ``root`` (never a file outside it)."""
    path = _design_path(root, name)
    display = display_path(path)
    missing = _missing_design(root, name)
    if missing:
        raise SpecError(f"{display_path(root / 'templates' / 'designs')}: {missing}")
    return _validate(Design, load_yaml(path, display), display, {})


def load_page_design(root: Path, name: str) -> PageDesign:
    """The page design ``templates/pages/NAME.yaml`` (booklets, leaflets, infographics)."""
    path = root / "templates" / "pages" / f"{name}.yaml"
    display = display_path(path)
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise SpecError(f'{display}: page design "{name}" not found; known: {", ".join(known) or "none"}')
    return _validate(PageDesign, load_yaml(path, display), display, {})


@functools.lru_cache(maxsize=32)
def _design_cached(root: Path, name: str, mtime_ns: int) -> Design:
    return load_design(root, name)


def cached_design(root: Path, name: str) -> Design:
    """``load_design``, remembered while the file is unchanged: a batch lays out hundreds of jobs with a
    few designs, and a long-lived worker (Dask) still sees an edited design on the next batch."""
    try:
        mtime = _design_path(root, name).stat().st_mtime_ns
    except OSError:
        mtime = 0  # load_design reports the missing file
    return _design_cached(root, name, mtime)


def load_video_design(root: Path, prefix: str) -> VideoDesign:
    """An explainer's shape, ``templates/designs/PREFIX.video.yaml``; the built-in shape when there is none."""
    path = root / "templates" / "designs" / f"{prefix}.video.yaml"
    if not path.is_file():
        return VideoDesign()
    display = display_path(path)
    return _validate(VideoDesign, load_yaml(path, display), display, {})


def missing_script(root: Path, name: str, lang: str) -> str | None:
    """Why script ``name`` in ``lang`` cannot be used (listing the known ones), or None when it exists."""
    folder = root / "templates" / "scripts"
    known = sorted({n.rsplit(".", 1)[0] for n in known_names_with_dots(folder, ".j2")})
    path = inside(folder, name, f".{lang}.j2")
    if path is None:
        return not_a_name("script", name, known)
    if not path.is_file():
        listed = ", ".join(known) or "none"
        return f'no {LANGUAGES.get(lang, lang)} script: "{display_path(path)}" not found; known scripts: {listed}'
    return None


def known_names_with_dots(folder: Path, suffix: str) -> list[str]:
    """``NAME.LANG`` of every ``NAME.LANG.j2`` in ``folder`` whose NAME is a valid name."""
    if not folder.is_dir():
        return []
    stems = (p.name[: -len(suffix)] for p in folder.iterdir() if p.name.endswith(suffix) and p.is_file())
    return sorted(s for s in stems if "." in s and is_name(s.rsplit(".", 1)[0]))


M = typing.TypeVar("M", bound=BaseModel)


def _validate(model: type[M], located: LocatedYaml, display: str, context: dict[str, Any]) -> M:
    try:
        return model.model_validate(located.data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        loc = _clean_loc(first["loc"])
        raise SpecError(_where(located, display, loc) + _message(model, first, loc) + _more(len(errors) - 1)) from None


def _where(located: LocatedYaml, display: str, loc: Loc) -> str:
    line = located.line_of(loc)
    prefix = f"{display}:{line}: " if line else f"{display}: "
    return prefix + (f"{format_loc(loc)}: " if loc else "")


def _more(n: int) -> str:
    return f" (and {n} more problem{'s' if n > 1 else ''})" if n > 0 else ""


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's internal parts (union branch names, ``[key]``) from an error location."""
    return tuple(p for p in loc if isinstance(p, int) or ("[" not in p and "(" not in p and p[:1].islower()))


def _message(model: type[BaseModel], error: Any, loc: Loc) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return f'unknown field "{loc[-1]}"{hint}'
    if kind == "missing":
        return "missing required field"
    msg = str(error["msg"])
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    if kind in ("literal_error", "enum"):
        return f'"{value}" is not allowed; {msg[0].lower()}{msg[1:]}'
    shown = value if not isinstance(value, (dict, list)) else type(value).__name__
    return f"{msg[0].lower()}{msg[1:]} (got: {shown!r})"


def _allowed_fields(model: Any, loc: Loc) -> list[str]:
    """Field names (aliases as written) of the model found at ``loc``."""
    for part in loc:
        model = _inner_model(model, part)
        if model is None:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _inner_model(model: Any, part: str | int) -> Any:
    if isinstance(model, type) and issubclass(model, BaseModel):
        if not isinstance(part, str) or part not in model.model_fields:
            return None
        return _unwrap(model.model_fields[part].annotation)
    origin = typing.get_origin(model)
    args = typing.get_args(model)
    if origin in (list, tuple) and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


def _cross_checks(campaign: Campaign, voices: bool = True) -> list[tuple[Loc, str]]:
    """Checks that span fields: languages covered, ids unique, assets sane, designs exist, glyphs exist."""
    problems: list[tuple[Loc, str]] = []
    langs = campaign.languages
    for field in ("title", "organisation"):
        for lang in langs:
            if lang not in getattr(campaign, field):
                problems.append(((field,), f"no {LANGUAGES[lang]} ({lang}) text"))
    for lang in langs:
        if lang not in campaign.reporting.call_to_action:
            problems.append((("reporting", "call_to_action"), f"no {LANGUAGES[lang]} ({lang}) text"))
    problems += _image_checks(campaign)
    seen: set[str] = set()
    for i, d in enumerate(campaign.deliverables):
        here: Loc = ("deliverables", i)
        if d.id in seen:
            problems.append((here + ("id",), f'deliverable id "{d.id}" is used twice'))
        seen.add(d.id)
        for j, lang in enumerate(d.languages or ()):
            if lang not in langs:
                problems.append(
                    (here + ("languages", j), f'"{lang}" is not one of the campaign languages ({", ".join(langs)})')
                )
        for lang in campaign.deliverable_languages(d):
            if lang not in d.text:
                problems.append(
                    (
                        here + ("text",),
                        f"no {LANGUAGES[lang]} ({lang}) text; every deliverable speaks each of its languages",
                    )
                )
        for j, tag in enumerate(d.hashtags):
            if tag not in campaign.hashtags:
                problems.append(
                    (
                        here + ("hashtags", j),
                        f'"{tag}" is not one of the campaign hashtags ({", ".join(campaign.hashtags)})',
                    )
                )
        first, last = campaign.period.from_, campaign.period.to
        for j, q in enumerate(d.quarters):
            if not first <= q <= last:
                problems.append((here + ("quarters", j), f"quarter {q} is outside the campaign period {first}–{last}"))
        if d.event is not None and not first.first_day <= d.event.date < last.next().first_day:
            problems.append((here + ("event", "date"), f"{d.event.date} is outside the campaign period {first}–{last}"))
        if d.contest is not None:
            for q in d.quarters:
                if d.contest.deadline < q.first_day:
                    problems.append(
                        (
                            here + ("contest", "deadline"),
                            f"{d.contest.deadline} is before quarter {q} starts ({q.first_day}): the call would go out "
                            "after its deadline; move the deadline or the quarter",
                        )
                    )
                    break
        kind = get_kind(d.kind)
        for name in kind.designs(d):
            missing = _missing_design(campaign.root, name)
            if missing:
                problems.append((here + ("design",), missing))
            elif not kind.scripted:
                problems += _design_needs(campaign, d, here, name)
        if kind.preflight is not None:
            problems += kind.preflight(campaign, i)
        if kind.scripted and d.script:
            for lang in campaign.deliverable_languages(d):
                missing = missing_script(campaign.root, d.script, lang)
                if missing:
                    problems.append((here + ("script",), missing))
    problems += _character_checks(campaign)
    problems += _print_checks(campaign)
    problems += placement_checks(campaign)
    problems += _glyph_checks(campaign)
    if voices:
        problems += _voice_checks(campaign)
    return problems


def character_folder(root: Path, name: str) -> Path | None:
    """A character pack's folder: ``assets/characters/NAME`` of the project, or a folder path."""
    for folder in (root / "assets" / "characters" / name, root / name):
        if folder.is_dir() and folder.resolve().is_relative_to(root.resolve()):
            return folder
    return None


def _character_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    folder = campaign.root / "assets" / "characters"
    # A character for a speaker with no voice is no error here: a script line for that speaker is.
    for speaker, name in campaign.characters.items():
        if character_folder(campaign.root, name) is None:
            known = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
            problems.append(
                (
                    ("characters", speaker),
                    f'speaker "{speaker}": unknown character "{name}"; built-in characters: '
                    f"{', '.join(known) or 'none'} (or the path of a character pack folder)",
                )
            )
    return problems


def _print_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    """Print profiles: ICC files readable and CMYK, newspaper formats on the grid and on a press."""
    from studio.press.icc import check_icc
    from studio.press.profiles import get_profile

    problems: list[tuple[Loc, str]] = []
    checked: set[Path] = set()

    def icc(loc: Loc, settings: PrintSettings) -> None:
        profile = get_profile(settings.profile)
        if profile.icc_file is None:
            return
        path = settings.icc or campaign.root / "assets" / "icc" / profile.icc_file
        if path in checked:
            return
        checked.add(path)
        try:
            check_icc(path, f"print profile {profile.name}")
        except SpecError as exc:
            problems.append((loc + (("icc",) if settings.icc else ("profile",)), str(exc)))

    prints = [d for d in campaign.deliverables if any(campaign.format(f).is_print for f in _known(campaign, d))]
    if prints:
        icc(("print",), campaign.print_)
    grid = campaign.newspaper
    for i, d in enumerate(campaign.deliverables):
        here: Loc = ("deliverables", i)
        if d.print_ is not None:
            icc(here + ("print",), d.print_)
        if campaign.print_settings(d).standard == "x1a":
            for j, name in enumerate(_known(campaign, d)):
                fmt = campaign.format(name)
                if fmt.is_print and max(fmt.trim_mm) + 2 * (fmt.bleed_mm + 12) > 5080:
                    problems.append(
                        (
                            here + ("formats", j),
                            f"{name} is larger than PDF/X-1a's 5.08 m page limit; use print: {{standard: x4}} for it",
                        )
                    )
        if get_kind(d.kind).campaign_formats:
            if grid is None:
                problems.append(
                    (
                        here + ("formats",),
                        "a newspaper ad needs the newspaper's module grid (newspaper: in the campaign)",
                    )
                )
                continue
            known = ", ".join(grid.format_names())
            for j, name in enumerate(d.formats):
                if name not in grid.format_names():
                    message = f'unknown newspaper format "{name}"; the module grid gives: {known}'
                    problems.append((here + ("formats", j), message))
            if campaign.print_settings(d).profile == "rgb":
                problems.append(
                    (
                        here + ("print",),
                        "a newspaper ad prints on the newspaper's press: give it print: {profile: newsprint}",
                    )
                )
    return problems


def _known(campaign: Campaign, d: Any) -> list[str]:
    names = []
    for name in d.formats:
        try:
            campaign.format(name)
            names.append(name)
        except KeyError:
            pass
    return names


def _voice_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    """RHVoice speakers: a voice for every campaign language, installed and speaking that language.

    Where RHVoice is not installed at all nothing is checked here: such speakers speak with espeak.
    """
    from studio.errors import VoiceError

    problems: list[tuple[Loc, str]] = []
    installed = None
    for speaker, spec in campaign.voices.items():
        if spec.engine != "rhvoice":
            continue
        # Only here: importing the voice package loads numpy and every engine (~0.1 s of each start).
        from studio.voice import rhvoice

        for lang in campaign.languages:
            name = spec.voice.get(lang)
            if name is None:
                example = ", ".join(f"{code}: …" for code in campaign.languages)
                problems.append(
                    (
                        ("voices", speaker, "voice"),
                        f"no {LANGUAGES[lang]} ({lang}) voice; give one per language: {{{example}}}",
                    )
                )
                continue
            if installed is None:
                installed = rhvoice.available()
            if installed:
                try:
                    rhvoice.find_voice(name, lang)
                except VoiceError as exc:
                    problems.append((("voices", speaker, "voice", lang), str(exc)))
    return problems


def _design_needs(campaign: Campaign, d: Deliverable, here: Loc, name: str) -> list[tuple[Loc, str]]:
    """What the design shows and the deliverable does not give: a photo, a date, a required text."""
    from studio.layout.design import PhotoLayer, TextLayer
    from studio.layout.words import resolve_words

    design = cached_design(campaign.root, name)
    problems: list[tuple[Loc, str]] = []
    needs_photo = any(isinstance(layer, PhotoLayer) for v in design.variants.values() for layer in v.layers)
    if needs_photo and d.photo is None:
        problems.append((here + ("photo",), f'design "{name}" shows a photo: give photo: {{image: assets/photos/…}}'))
    required = {
        layer.field
        for v in design.variants.values()
        for layer in v.layers
        if isinstance(layer, TextLayer) and not layer.optional
    }
    for lang in campaign.deliverable_languages(d):
        if lang not in d.text:
            continue  # reported as a missing language
        words = resolve_words(campaign, d, lang).texts
        for field in sorted(f for f in required if not words.get(f, "").strip()):
            where = {"date": ("event",), "time": ("event",), "deadline": ("contest",)}.get(field, ("text", lang))
            problems.append(
                (here + where, f'design "{name}" shows the {field}, and {lang} has none: {_need_hint(field, lang)}')
            )
    return problems


def _need_hint(field: str, lang: str) -> str:
    if field in ("date", "time"):
        return 'give event: {date: 2026-05-15, time: "10:00"}'
    if field == "deadline":
        return "give contest: {deadline: 2026-09-30}"
    return f"give text.{lang}.{field}"


def _image_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    images: list[tuple[Loc, Path]] = []
    if campaign.brand.logo is not None:
        images.append((("brand", "logo"), campaign.brand.logo))
    for i, d in enumerate(campaign.deliverables):
        if d.background is not None and d.background.image is not None:
            images.append((("deliverables", i, "background", "image"), d.background.image))
        if d.photo is not None:
            images.append((("deliverables", i, "photo", "image"), d.photo.image))
    problems: list[tuple[Loc, str]] = []
    for loc, path in images:
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            problems.append((loc, f'"{display_path(path)}" is not a PNG, JPEG or WebP image'))
            continue
        try:
            # Opening reads only the header: the pixel count is known before any pixel is decoded.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(path) as im:
                    w, h = im.size
        except Image.DecompressionBombError:
            problems.append((loc, f'"{display_path(path)}" is too large to open safely (decompression-bomb limit)'))
            continue
        except OSError as exc:
            problems.append((loc, f'"{display_path(path)}" is not a readable image ({exc})'))
            continue
        limit = Image.MAX_IMAGE_PIXELS or 0
        if limit and w * h > limit:
            problems.append(
                (
                    loc,
                    f'"{display_path(path)}" has {w}×{h} = {w * h:,} pixels, over the '
                    f"{limit:,}-pixel decompression-bomb limit; scale it down",
                )
            )
            continue
        damaged = _damaged(path)
        if damaged:
            problems.append(
                (loc, f'"{display_path(path)}" is damaged or cut short ({damaged}); save or export it again')
            )
            continue
        if loc[-2:] == ("background", "image"):
            small = _background_too_small(campaign, campaign.deliverables[int(loc[1])], path, (w, h))
            if small:
                problems.append((loc, small))
    return problems


def _background_too_small(campaign: Campaign, d: Deliverable, path: Path, size: tuple[int, int]) -> str | None:
    """A background image covers the whole canvas: it may be enlarged no further than a photo may be.

    Checked for the kinds the layout engine draws (stills); pages and videos size their own backgrounds."""
    from studio.layout.engine import max_photo_upscale

    kind = get_kind(d.kind)
    if kind.scripted or kind.content_folder is not None or not kind.drawn:
        return None
    w, h = size
    for name in d.formats:
        try:
            fmt = campaign.format(name)
        except (KeyError, ValueError, SpecError):
            continue  # an unknown format is reported on its own
        if fmt.is_audio:
            continue
        cw, ch = fmt.canvas_px
        limit = max_photo_upscale(fmt)
        if max(cw / w, ch / h) > limit * 1.0001:
            need = max(cw / limit / w, ch / limit / h)
            return (
                f'"{display_path(path)}" is {w}×{h} px; format {name} needs at least '
                f"{math.ceil(w * need)}×{math.ceil(h * need)} px to cover its {cw}×{ch} px canvas; use a larger image"
            )
    return None


def _damaged(path: Path) -> str | None:
    """Why the image's pixels cannot all be decoded (a truncated download, say), or None.

    The header alone opens fine; a render would fail, or draw half a logo, only when decoding it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                # A JPEG decodes at an eighth of its size (fast) and still reads every byte of its data.
                im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
    except (OSError, SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def _glyph_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    """Every character of every text must have a glyph in the font that will draw it."""
    head, body = campaign.brand.fonts["headline"], campaign.brand.fonts["body"]
    texts: list[tuple[Loc, str, Path]] = []
    for lang, text in campaign.title.items():
        texts.append((("title", lang), text, head))
    for lang, text in campaign.organisation.items():
        texts += [(("organisation", lang), text, head), (("organisation", lang), text, body)]
    for lang, text in campaign.reporting.call_to_action.items():
        texts.append((("reporting", "call_to_action", lang), text, head))
    contacts = "\n".join(x for x in (campaign.reporting.short_text, campaign.reporting.phone or "") if x)
    texts.append((("reporting", "short_text"), contacts, body))
    for i, tag in enumerate(campaign.hashtags):
        texts.append((("hashtags", i), tag, head))
    for i, d in enumerate(campaign.deliverables):
        for lang, copy in d.text.items():
            base: Loc = ("deliverables", i, "text", lang)
            texts.append((base + ("headline",), copy.headline, head))
            for field, value in copy.model_dump(exclude={"headline"}).items():
                if value:
                    texts += [(base + (field,), value, head), (base + (field,), value, body)]
    problems: list[tuple[Loc, str]] = []
    for loc, text, font in texts:
        missing = missing_glyphs(font, text)
        if missing:
            chars = ", ".join(f'"{ch}" (U+{ord(ch):04X})' for ch in missing)
            problems.append(
                (
                    loc,
                    f"{chars} would render as a missing glyph: font {font.name} has no such "
                    f"character; fix the text or choose a font that has it",
                )
            )
    return problems
