"""The only code that reads campaign and design files: YAML in, frozen validated models out.

Every problem is a ``SpecError`` whose message names the file, the line, the field and the value:
``campaigns/x.yaml:14: deliverables[2].formats[0]: unknown format "instagram-sq"; known: …``.
"""

from __future__ import annotations

import functools
import os
import types
import typing
import warnings
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ValidationError

from studio.campaign.models import LANGUAGES, Campaign
from studio.campaign.yamlpos import Loc, LocatedYaml, format_loc, load_yaml
from studio.errors import SpecError
from studio.fonts import missing_glyphs
from studio.kinds import get_kind
from studio.layout.design import Design
from studio.pages.design import PageDesign

__all__ = [
    "Campaign",
    "Design",
    "cached_design",
    "display_path",
    "load_campaign",
    "load_design",
    "load_page_design",
    "project_root",
]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    absolute = Path(path).absolute()
    cwd = Path.cwd()
    return os.path.relpath(absolute, cwd) if absolute.is_relative_to(cwd) else str(absolute)


def project_root(campaign_path: Path) -> Path:
    """The folder holding ``campaigns/``, ``assets/`` and ``templates/``."""
    folder = campaign_path.resolve().parent
    return folder.parent if folder.name == "campaigns" else folder


def load_campaign(path: str | Path) -> Campaign:
    """Read, validate and preflight a campaign file (assets exist, glyphs exist, designs load)."""
    path = Path(path)
    display = display_path(path)
    located = load_yaml(path, display)
    if not isinstance(located.data, dict):
        raise SpecError(f"{display}: a campaign file is a mapping of fields (id, languages, brand, …)")
    root = project_root(path)
    campaign = _validate(Campaign, located, display, {"root": root})
    campaign._source = path.resolve()
    campaign._root = root
    problems = _cross_checks(campaign)
    if problems:
        loc, message = problems[0]
        raise SpecError(_where(located, display, loc) + message + _more(len(problems) - 1))
    return campaign


def _missing_design(root: Path, name: str) -> str | None:
    """Why design ``name`` cannot be found (listing the known ones), or None when it exists."""
    folder = root / "templates" / "designs"
    if (folder / f"{name}.yaml").is_file():
        return None
    known = sorted(p.stem for p in folder.glob("*.yaml"))
    return f'design "{name}" not found; known designs: {", ".join(known) or "none"}'


def load_design(root: Path, name: str) -> Design:
    """The design ``templates/designs/NAME.yaml`` of the project folder ``root``."""
    path = root / "templates" / "designs" / f"{name}.yaml"
    display = display_path(path)
    missing = _missing_design(root, name)
    if missing:
        raise SpecError(f"{display}: {missing}")
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
    path = root / "templates" / "designs" / f"{name}.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0  # load_design reports the missing file
    return _design_cached(root, name, mtime)


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


def _cross_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
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
        kind = get_kind(d.kind)
        for name in kind.designs(d):
            missing = _missing_design(campaign.root, name)
            if missing:
                problems.append((here + ("design",), missing))
        if kind.preflight is not None:
            problems += kind.preflight(campaign, i)
        if kind.scripted and d.script:
            for lang in campaign.deliverable_languages(d):
                template = campaign.root / "templates" / "scripts" / f"{d.script}.{lang}.j2"
                if not template.is_file():
                    missing = f'no {LANGUAGES[lang]} script: "{display_path(template)}" not found'
                    problems.append((here + ("script",), missing))
    problems += _glyph_checks(campaign)
    return problems


def _image_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    images: list[tuple[Loc, Path]] = []
    if campaign.brand.logo is not None:
        images.append((("brand", "logo"), campaign.brand.logo))
    for i, d in enumerate(campaign.deliverables):
        if d.background.image is not None:
            images.append((("deliverables", i, "background", "image"), d.background.image))
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
    return problems


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
            for field in ("body", "call_to_action"):
                value = getattr(copy, field)
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
