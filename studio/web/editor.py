"""Editing a deliverable in the browser: previews while typing, saves back to the campaign YAML.

A preview applies the edit to the campaign's data in memory, validates it with the same spec as the
CLI (``campaign_from_data``) and lays out and draws one format at screen size: no file is written.
Problems come back attached to the field that causes them, in the reader's language.

A save edits only the changed values in the YAML (ruamel.yaml round trip: comments, order, quoting
and layout of everything else stay as they were), validates the new text by loading it like the CLI,
and replaces the file atomically; the previous text is kept as a revision in the review database.
A save based on an older file than the one on disk is refused (two people editing at once).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.files import write_atomic
from studio.formats import Format, Insets, get_format

TEXT_FIELDS = ("headline", "body", "call_to_action")
MAX_TEXT = 2000  # characters per text field: far beyond any design, small enough to lay out at once
PREVIEW_SIDE = 540
DEFAULT_SCRIM = 0.45  # the campaign models' default darkening of a background image

#: Layout roles (as the layout engine names them) → the editor field they come from.
_ROLE_FIELDS = {"headline": "headline", "body": "body", "call to action": "call_to_action", "hashtags": "hashtags"}

PROBLEM_WORDS = {
    "ky": {
        "fit": "Текст кутучага батпай жатат: кыскартыңыз.",
        "glyph": "Бул белги шрифтте жок: {chars}.",
        "contrast": "Текст фонго жетиштүү контрастта эмес.",
        "qr": "QR-код бул форматта өтө кичине.",
        "too_long": "Өтө узун: {n} белги, эң көп {max}.",
        "required": "Бул талаа толтурулушу керек.",
        "image_small": "Сүрөт бул формат үчүн өтө кичине: {detail}.",
        "image_missing": "Мындай сүрөт жок: {detail}.",
        "other": "Ката: {message}",
    },
    "ru": {
        "fit": "Текст не помещается в блок: сократите его.",
        "glyph": "Этого символа нет в шрифте: {chars}.",
        "contrast": "Недостаточный контраст текста с фоном.",
        "qr": "QR-код слишком мал для этого формата.",
        "too_long": "Слишком длинно: {n} символов, не больше {max}.",
        "required": "Это поле нужно заполнить.",
        "image_small": "Изображение слишком мало для этого формата: {detail}.",
        "image_missing": "Такого изображения нет: {detail}.",
        "other": "Ошибка: {message}",
    },
}


@dataclass(frozen=True)
class Problem:
    field: str  # e.g. "text.ky.headline", "hashtags", "formats"; "" when it belongs to no one field
    message: str  # in the reader's language
    detail: str  # the studio's own message (English, file/field/value)


@dataclass
class Edit:
    """What the editor form sends: the words per language and the deliverable's settings."""

    text: dict[str, dict[str, str]] = field(default_factory=dict)
    hashtags: list[str] | None = None
    formats: list[str] | None = None
    quarters: list[str] | None = None
    design: str | None = None
    #: {"color": ROLE}, {"gradient": [ROLE, ROLE], "angle_deg": N} or {"image": "assets/…", "scrim": 0.45}.
    background: dict[str, Any] | None = None
    #: Campaign-wide voices by speaker: {"narrator": {"engine": "espeak", "variant": "m1", "rate_wpm": 150, …}}.
    voices: dict[str, dict[str, Any]] | None = None

    @classmethod
    def of_json(cls, data: Any) -> Edit:
        if not isinstance(data, dict):
            raise StudioError("edit: not a JSON object")
        text = {
            str(lang): {str(k): str(v) for k, v in fields.items() if k in TEXT_FIELDS}
            for lang, fields in (data.get("text") or {}).items()
            if isinstance(fields, dict)
        }

        def strings(name: str) -> list[str] | None:
            value = data.get(name)
            return [str(v).strip() for v in value if str(v).strip()] if isinstance(value, list) else None

        design = data.get("design")
        background = data.get("background")
        voices = data.get("voices")
        return cls(
            text,
            strings("hashtags"),
            strings("formats"),
            strings("quarters"),
            str(design) if design else None,
            _background(background) if isinstance(background, dict) else None,
            {str(k): _voice(v) for k, v in voices.items() if isinstance(v, dict)} if isinstance(voices, dict) else None,
        )

    def too_long(self, lang: str) -> list[Problem]:
        return [
            Problem(f"text.{code}.{name}", word(lang, "too_long", n=len(value), max=MAX_TEXT), f"{name}: too long")
            for code, fields in self.text.items()
            for name, value in fields.items()
            if len(value) > MAX_TEXT
        ]


def _number(value: Any) -> Any:
    """Numbers from a form arrive as text: "150" → 150, "1.5" → 1.5; anything else is left for the spec to refuse."""
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _background(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("image"):
        image: dict[str, Any] = {"image": str(data["image"]).strip()}
        if "scrim" in data:
            image["scrim"] = _number(data["scrim"])
        return image
    if data.get("gradient"):
        return {"gradient": [str(c) for c in data["gradient"]][:2], "angle_deg": _number(data.get("angle_deg", 135))}
    return {"color": str(data.get("color", ""))}


#: Folders of ``assets/`` whose images are parts of something else (characters, icons, the logo), not backgrounds.
NOT_BACKGROUNDS = ("characters", "fonts", "icc", "icons", "logo", "music")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def project_images(root: Path) -> list[str]:
    """The images under ``assets/`` a background may use, as the campaign file names them."""
    assets = root / "assets"
    found = []
    for path in sorted(assets.rglob("*")):
        rel = path.relative_to(assets)
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file() and rel.parts[0] not in NOT_BACKGROUNDS:
            if not path.stem.endswith("-front"):  # a set's foreground: transparent, drawn over characters
                found.append(path.relative_to(root).as_posix())
    return found


def _voice(data: dict[str, Any]) -> dict[str, Any]:
    voice: dict[str, Any] = {k: str(data[k]).strip() for k in ("engine", "variant") if k in data}
    voice |= {k: _number(data[k]) for k in ("speed", "rate_wpm", "pitch") if k in data}
    names = data.get("voice")
    if isinstance(names, dict):
        voice["voice"] = {str(lang): str(name).strip() for lang, name in names.items() if str(name).strip()}
    return voice


def apply_campaign_edit(doc: Any, edit: Edit) -> None:
    """The campaign-wide part of an edit (the voices), in place, writing only values that change how a voice
    speaks: a field the form shows at its default stays out of the file."""
    from pydantic import ValidationError

    from studio.campaign.models import VoiceSpec

    if not edit.voices:
        return
    voices = doc.setdefault("voices", {})
    for speaker, fields in edit.voices.items():
        target = voices.setdefault(speaker, {})
        engine = fields.get("engine", target.get("engine", "espeak"))
        if engine != "rhvoice" and "voice" in target:
            del target["voice"]  # RHVoice's names mean nothing to another engine
        try:
            effective = VoiceSpec.model_validate(dict(target)).model_dump()
        except ValidationError:
            effective = {}
        for name, value in fields.items():
            if name == "voice" and (engine != "rhvoice" or not value):
                continue
            current = target.get(name)
            if current == value or (isinstance(current, dict) and dict(current) == value):
                continue
            if name not in target and effective.get(name) == value:
                continue  # the default, unchanged: not written
            if name == "voice" and isinstance(current, dict):
                for key in [k for k in current if k not in value]:
                    del current[key]
                for key, name_value in value.items():
                    if current.get(key) != name_value:
                        current[key] = name_value
            else:
                target[name] = value


def word(lang: str, key: str, **values: object) -> str:
    return PROBLEM_WORDS.get(lang, PROBLEM_WORDS["ky"])[key].format(**values)


def sha_of_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def deliverable_index(data: dict[str, Any], deliverable_id: str) -> int:
    for i, d in enumerate(data.get("deliverables") or []):
        if isinstance(d, dict) and d.get("id") == deliverable_id:
            return i
    raise KeyError(deliverable_id)


def apply_edit(deliverable: dict[str, Any] | Any, edit: Edit) -> None:
    """Apply ``edit`` to a deliverable's mapping in place (plain dict or ruamel's), touching only what changed."""
    texts = deliverable.setdefault("text", {})
    for lang, fields in edit.text.items():
        target = texts.setdefault(lang, {}) if lang in texts or any(v.strip() for v in fields.values()) else None
        if target is None:
            continue
        for name, value in fields.items():
            value = value.strip()
            if not value and name != "headline":
                if name in target:
                    del target[name]
            elif target.get(name) != value:
                target[name] = value
    for name in ("hashtags", "formats", "quarters"):
        new = getattr(edit, name)
        if new is None:
            continue
        old = deliverable.get(name)
        if name == "formats" and isinstance(old, list):
            # The form lists formats in the kind's order: keep the file's order for those that stay.
            new = [f for f in old if f in new] + [f for f in new if f not in old]
        if isinstance(old, list) and list(old) == new:
            continue
        if isinstance(old, list) and hasattr(old, "fa"):  # a ruamel sequence: keep its flow/block style
            del old[:]
            old.extend(new)
        else:
            deliverable[name] = new
    if edit.design and deliverable.get("design") != edit.design:
        deliverable["design"] = edit.design
    background = deliverable.get("background")
    if edit.background and isinstance(background, dict):
        image = "image" in edit.background
        # The scrim darkens an image; it stays with an image and goes with it.
        for key in [k for k in background if k not in edit.background and not (k == "scrim" and image)]:
            del background[key]
        for key, value in edit.background.items():
            current = background.get(key)
            if current == value or (isinstance(current, list) and list(current) == value):
                continue
            if key == "scrim" and current is None and value == DEFAULT_SCRIM:
                continue  # the default, unchanged: not written
            if isinstance(current, list) and hasattr(current, "fa"):  # keep the file's [a, b] style
                del current[:]
                current.extend(value)
            else:
                background[key] = value


def problems_of(exc: StudioError, lang: str, edit_lang: str | None = None) -> list[Problem]:
    """Attach a studio error to the editor field that causes it, in the reader's language."""
    message = str(exc)
    found = re.search(r"deliverables\[\d+\]\.([a-z_]+)(?:\.([a-z]{2})\.([a-z_]+)|\[\d+\])?", message)
    if found:
        name, code, sub = found.groups()
        where = f"text.{code}.{sub}" if name == "text" and code else name
        if "missing glyph" in message:
            chars = ", ".join(re.findall(r'"(.)" \(U\+', message))
            return [Problem(where, word(lang, "glyph", chars=chars), message)]
        if "Field required" in message or "at least 1 character" in message:
            return [Problem(where, word(lang, "required"), message)]
        small = re.search(r'"([^"]+)" is (\d+×\d+) px; format (\S+) needs at least (\d+×\d+) px', message)
        if small:
            path, size, fmt, need = small.groups()
            return [Problem(where, word(lang, "image_small", detail=f"{path} {size}, {fmt} ≥ {need}"), message)]
        missing = re.search(r'asset "([^"]+)" not found', message)
        if missing:
            return [Problem(where, word(lang, "image_missing", detail=missing.group(1)), message)]
        return [Problem(where, word(lang, "other", message=message.split(": ", 2)[-1]), message)]
    role = re.search(r"\): ([a-z ]+?) \"", message)
    if "does not fit its box" in message and role:
        name = _ROLE_FIELDS.get(role.group(1), "")
        target = name if name == "hashtags" or not edit_lang else f"text.{edit_lang}.{name}"
        return [Problem(target, word(lang, "fit"), message)]
    if "neither the brand's light nor its dark" in message:
        return [Problem("", word(lang, "contrast"), message)]
    if "QR code would be" in message:
        return [Problem("design", word(lang, "qr"), message)]
    return [Problem("", word(lang, "other", message=message), message)]


def preview_format(name: str, long_side: int = 2 * PREVIEW_SIDE) -> Format:
    """The format to preview ``name`` in: screens as they are; print at a lower dpi (same layout, fewer pixels).

    Every size in a design is relative and every physical rule (text, QR) is in millimetres, so the
    layout at 60 dpi is the layout at 300 dpi, drawn smaller.
    """
    fmt = get_format(name)
    longest = max(fmt.canvas_px)
    if not fmt.is_print or longest <= long_side:
        return fmt
    dpi = max(24, round(fmt.dpi * long_side / longest))
    s = dpi / fmt.dpi
    inset = fmt.safe_px
    return replace(
        fmt,
        width_px=round(fmt.width_px * s),
        height_px=round(fmt.height_px * s),
        safe_px=Insets(inset.left * s, inset.top * s, inset.right * s, inset.bottom * s),
        dpi=dpi,
    )


def preview_layout(campaign: Any, job: Any, long_side: int) -> Any:
    """The job's layout for a preview: checked at the real size, drawn at ``long_side`` or a little more.

    Every check (text fit, QR size, contrast) is made on the full-size layout, so a preview shows the
    same errors as the render. A print preview is laid out at a lower dpi; where whole-pixel QR modules
    at that dpi would fall short of the size rule, the dpi is doubled until they do not.
    """
    from studio.stills.render import layout_job

    if preview_format(job.format, long_side) == get_format(job.format):
        return layout_job(campaign, job)
    layout_job(campaign, job)  # the real size: raises the render's own errors
    return gallery_layout(campaign, job, long_side)


@dataclass(frozen=True)
class Preview:
    image: str | None  # a data: URL of a JPEG at screen size
    width: int
    height: int
    problems: tuple[Problem, ...]
    ms: float


class CampaignSource:
    """The campaign file's text and parsed data, read again whenever the file changes on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._text = ""
        self._data: dict[str, Any] = {}

    def current(self) -> tuple[str, dict[str, Any]]:
        st = self.path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            from studio.campaign import display_path
            from studio.campaign.yamlpos import load_yaml

            # The studio's own reader (limits, colour checks): a preview sees what `studio validate` sees.
            self._text = self.path.read_text(encoding="utf-8")
            self._data = load_yaml(self.path, display_path(self.path)).data
            self._stamp = stamp
        return self._text, self._data


def preview(source: CampaignSource, deliverable_id: str, edit: Edit, fmt: str, lang: str, ui: str) -> Preview:
    """Validate the edit like the CLI, then lay out and draw ``deliverable_id`` in ``fmt`` and ``lang``."""
    import time

    from studio.campaign import campaign_from_data
    from studio.plan import Job
    from studio.quarters import Quarter
    from studio.stills.raster import render_layout

    start = time.perf_counter()
    problems = edit.too_long(ui)
    if problems:
        return Preview(None, 0, 0, tuple(problems), 0.0)
    _, data = source.current()
    data = copy.deepcopy(data)
    try:
        index = deliverable_index(data, deliverable_id)
    except KeyError:
        raise StudioError(f'no deliverable "{deliverable_id}" in {source.path.name}') from None
    apply_edit(data["deliverables"][index], edit)
    apply_campaign_edit(data, edit)
    try:
        campaign = campaign_from_data(data, source.path)
        deliverable = campaign.deliverables[index]
        if fmt not in deliverable.formats:
            raise StudioError(f'deliverables[{index}].formats: "{fmt}" is not one of this deliverable\'s formats')
        quarter = deliverable.due_quarters[0] if deliverable.due_quarters else Quarter.parse("2026Q1")
        job = Job(quarter, deliverable.id, lang, fmt, deliverable.kind)
        image = render_layout(preview_layout(campaign, job, 2 * PREVIEW_SIDE))
    except StudioError as exc:
        return Preview(None, 0, 0, tuple(problems_of(exc, ui, lang)), (time.perf_counter() - start) * 1000)
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), reducing_gap=2.0)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    url = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return Preview(url, image.width, image.height, (), (time.perf_counter() - start) * 1000)


def save(path: Path, deliverable_id: str, edit: Edit, base_sha: str) -> tuple[str, str]:
    """Write the edit into the campaign file; returns (previous text, new text). Raises StudioError, writes nothing,
    when the file changed since ``base_sha`` or the edited campaign is not valid."""
    old = path.read_text(encoding="utf-8")
    if sha_of_text(old) != base_sha:
        raise ConflictError(f"{path.name} changed on disk since the editor opened it; reload to see the changes")
    rt = _round_trip(old)
    doc = rt.load(old)
    try:
        index = deliverable_index(doc, deliverable_id)
    except KeyError:
        raise StudioError(f'no deliverable "{deliverable_id}" in {path.name}') from None
    apply_edit(doc["deliverables"][index], edit)
    apply_campaign_edit(doc, edit)
    out = io.StringIO()
    rt.dump(doc, out)
    new = out.getvalue()
    check_and_write(path, new)
    return old, new


def check_and_write(path: Path, text: str) -> None:
    """Validate ``text`` exactly as the CLI loads a campaign file, then replace ``path`` with it atomically."""
    from studio.campaign import display_path, load_campaign

    trial = path.with_name(f".{path.stem}.check{path.suffix}")
    try:
        trial.write_text(text, encoding="utf-8")
        load_campaign(trial)
    except StudioError as exc:
        # Name the campaign file, not the trial copy it was checked in.
        raise type(exc)(str(exc).replace(display_path(trial), display_path(path))) from None
    finally:
        trial.unlink(missing_ok=True)
    write_atomic(path, text.encode("utf-8"))


class ConflictError(StudioError):
    """The campaign file changed on disk since the editor read it."""


def list_offset(text: str) -> int:
    """How far the file indents a block list's dash under its key (0 or 2 in practice), so a save keeps it."""
    lines = text.splitlines()
    for above, line in zip(lines, lines[1:], strict=False):
        key, item = re.match(r"^( *)[^\s#-][^:#]*:\s*$", above), re.match(r"^( *)- ", line)
        if key and item:
            return max(0, len(item.group(1)) - len(key.group(1)))
    return 2


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    offset = list_offset(text)
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap long lines the author wrote on one line
    rt.indent(mapping=2, sequence=offset + 2, offset=offset)
    return rt


# New deliverables from the design gallery ---------------------------------------------------------

#: Kinds a new deliverable can be made of here (videos need a script template: made in files).
GALLERY_KINDS = ("social", "banner")
SAMPLE_WORDS = {
    "ky": {"headline": "Мен пара бербейм!", "body": "Мамлекеттик кызмат — сиздин укугуңуз."},
    "ru": {"headline": "Я не даю взяток!", "body": "Государственная услуга — ваше право."},
    "en": {"headline": "I do not pay bribes!", "body": "Public services are your right."},
}


def still_designs(root: Path) -> list[str]:
    """The designs a still deliverable can use (the explainer's slide designs are for videos)."""
    from studio.campaign import cached_design

    names = []
    for path in sorted((root / "templates" / "designs").glob("*.yaml")):
        try:
            cached_design(root, path.stem)
        except StudioError:
            continue  # a broken design is reported by `studio validate`, not hidden in a gallery
        if not path.stem.startswith("explainer-"):
            names.append(path.stem)
    return names


def served_formats(root: Path, design: str) -> dict[str, list[str]]:
    """Per kind, the formats whose safe-area shape the design has a variant for."""
    from studio.campaign import cached_design
    from studio.kinds import get_kind
    from studio.layout.design import shape_of

    variants = cached_design(root, design).variants
    served: dict[str, list[str]] = {}
    for kind in GALLERY_KINDS:
        for name in get_kind(kind).formats:
            fmt = get_format(name)
            inset = fmt.safe_px
            shape = shape_of(fmt.width_px - inset.left - inset.right, fmt.height_px - inset.top - inset.bottom)
            if shape in variants:
                served.setdefault(kind, []).append(name)
    return served


def sample_deliverable(data: dict[str, Any], kind: str, design: str, fmt: str) -> dict[str, Any]:
    """A deliverable to show ``design`` with: a copy of one the campaign already has in that design (it has
    every field the design needs: a photo, an event's date, a number…), else sample words."""
    stills = [d for d in data.get("deliverables", []) if isinstance(d, dict) and d.get("kind") in GALLERY_KINDS]
    start = str((data.get("period") or {}).get("from", "2026Q1"))
    example = next((d for d in stills if d.get("design") == design), None)
    if example is not None:
        sample = copy.deepcopy(example)
        sample.update(id="design-gallery-sample", kind=kind, formats=[fmt], quarters=[start])
        return sample
    background = copy.deepcopy(stills[0]["background"]) if stills else {"color": "primary"}
    languages = list(data.get("languages") or ["ky", "ru"])
    return {
        "id": "design-gallery-sample",
        "kind": kind,
        "design": design,
        "formats": [fmt],
        "quarters": [start],
        "hashtags": list(data.get("hashtags") or ["#ТазаКыргызстан"])[:1],
        "background": background,
        "text": {lang: dict(SAMPLE_WORDS.get(lang, SAMPLE_WORDS["en"])) for lang in languages},
    }


#: The gallery's pictures: drawn at twice this box (sharp on high-density screens), kept as JPEG.
GALLERY_BOX = 360
#: Bumped when the gallery's pictures are drawn differently, so cached ones are drawn again.
GALLERY_VERSION = "2"


@dataclass
class GallerySamples:
    """A sample deliverable of every design in every kind it serves, and what each one's pictures depend
    on; the campaign holding them all is validated once, when a picture is first drawn (not to read one)."""

    data: dict[str, Any]  # the campaign's data with the samples appended
    path: Path
    ids: dict[tuple[str, str], str]  # (kind, design) → the sample's id
    formats: dict[tuple[str, str], tuple[str, ...]]  # (kind, design) → the formats it is pictured in
    keys: dict[tuple[str, str], str]  # (kind, design) → what its pictures depend on, hashed
    refused: dict[tuple[str, str], str] = field(default_factory=dict)  # samples the campaign's checks refuse
    _campaign: Any = None

    @property
    def campaign(self) -> Any:
        """The campaign with every sample it accepts: a sample it refuses (a design that needs a photo the
        campaign has no example of) is left out and remembered with the reason, and the others stay."""
        from studio.campaign import campaign_from_data

        with _gallery_lock:
            while self._campaign is None:
                try:
                    self._campaign = campaign_from_data(self.data, self.path)
                except StudioError as exc:
                    found = re.search(r"deliverables\[(\d+)\]", str(exc))
                    deliverables = self.data["deliverables"]
                    index = int(found.group(1)) if found else -1
                    sample = deliverables[index] if 0 <= index < len(deliverables) else None
                    which = next((k for k, v in self.ids.items() if sample and v == sample.get("id")), None)
                    if which is None:
                        raise  # the campaign itself is not valid: the editor says so elsewhere
                    self.refused[which] = str(exc)
                    del deliverables[index]
            return self._campaign


_gallery_samples: dict[tuple[Any, ...], GallerySamples] = {}
_gallery_lock = threading.RLock()  # one validation of the samples, however many pictures are asked for at once


def _file_stamp(root: Path, value: Any) -> list[str]:
    """Size and time of every project file a value names (a photo, the logo, fonts): a picture depends on them."""
    stamps: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            stamps += _file_stamp(root, item)
    elif isinstance(value, list):
        for item in value:
            stamps += _file_stamp(root, item)
    elif isinstance(value, str) and "/" in value and len(value) < 300:
        path = root / value
        try:
            if path.is_file():
                st = path.stat()
                stamps.append(f"{value}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            pass
    return stamps


def gallery_samples(source: CampaignSource) -> GallerySamples:
    """The campaign with a sample of every design and kind, validated once per state of the campaign file
    and of the designs folder (each looked at by size and time: every picture asked for asks this)."""
    from studio.campaign import project_root

    text, data = source.current()
    root = project_root(source.path)
    folder = root / "templates" / "designs"
    stamp = (
        source.path.stat().st_mtime_ns,
        source.path.stat().st_size,
        tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))),
    )
    with _gallery_lock:
        found = _gallery_samples.get(stamp)
        if found is None:
            designs = tuple(
                (kind, design, tuple(formats))
                for design in still_designs(root)
                for kind, formats in served_formats(root, design).items()
            )
            design_bytes = {
                name: hashlib.sha256((folder / f"{name}.yaml").read_bytes()).hexdigest()
                for name in {d for _, d, _ in designs}
            }
            found = _build_samples(source, data, root, designs, design_bytes)
            _gallery_samples.clear()  # only the current state is worth keeping
            _gallery_samples[stamp] = found
        return found


def _build_samples(
    source: CampaignSource,
    data: dict[str, Any],
    root: Path,
    designs: tuple[tuple[str, str, tuple[str, ...]], ...],
    design_bytes: dict[str, str],
) -> GallerySamples:
    import json

    from studio import __version__

    data = copy.deepcopy(data)
    shared = {k: v for k, v in data.items() if k != "deliverables"}
    ids: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str], str] = {}
    samples = []
    for kind, design, formats in designs:
        sample = sample_deliverable(data, kind, design, formats[0])
        sample.update(id=f"design-gallery-{design}-{kind}", formats=list(formats))
        samples.append(sample)
        ids[(kind, design)] = sample["id"]
        what = [__version__, GALLERY_VERSION, design_bytes[design], shared, sample]
        what += _file_stamp(root, [shared, sample])
        keys[(kind, design)] = hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()
    data["deliverables"] = samples  # the samples alone: the campaign's own deliverables are not pictured
    pictured = {(kind, design): served for kind, design, served in designs}
    return GallerySamples(data, source.path, ids, pictured, keys)


def gallery_cached(
    source: CampaignSource, kind: str, design: str, fmt: str, lang: str, cache_dir: Path
) -> bytes | None:
    """The picture ``gallery_picture`` keeps, when it has been drawn already."""
    samples = gallery_samples(source)
    if fmt not in samples.formats.get((kind, design), ()):
        raise StudioError(f'design "{design}" is not pictured in {kind} format "{fmt}"')
    key = samples.keys[(kind, design)]
    cached = cache_dir / f"{key[:32]}-{fmt}-{lang}.jpg"
    return cached.read_bytes() if cached.is_file() else None


def gallery_picture(
    source: CampaignSource, kind: str, design: str, fmt: str, lang: str, cache_dir: Path | None = None
) -> bytes:
    """A JPEG of ``design`` in ``fmt`` with sample words, drawn small.

    The samples of every design are validated together, once per state of the campaign file; a picture is
    laid out at a reduced size (print at a lower dpi; screens at their own size, which their text rules
    need) and kept in ``cache_dir`` under a hash of everything it depends on: the design file's bytes,
    the campaign's brand and words, the sample, the files they name, the studio's version."""
    from studio.plan import Job
    from studio.stills.raster import render_layout

    samples = gallery_samples(source)
    key = samples.keys[(kind, design)]
    cached = cache_dir / f"{key[:32]}-{fmt}-{lang}.jpg" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    campaign = samples.campaign
    if (kind, design) in samples.refused:
        raise StudioError(samples.refused[(kind, design)])
    deliverable = campaign.deliverable(samples.ids[(kind, design)])
    job = Job(deliverable.due_quarters[0], deliverable.id, lang, fmt, kind)
    image = render_layout(gallery_layout(campaign, job, 2 * GALLERY_BOX))
    image.thumbnail((GALLERY_BOX, GALLERY_BOX), reducing_gap=2.0)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=82)
    if cached is not None:
        write_atomic(cached, buffer.getvalue())
    return buffer.getvalue()


_worker_sources: dict[str, CampaignSource] = {}


def draw_gallery_picture(campaign_path: str, kind: str, design: str, fmt: str, lang: str, cache_dir: str) -> bytes:
    """``gallery_picture`` in a worker process (the gallery draws on every core); each worker keeps its
    campaign source and validated samples between pictures."""
    source = _worker_sources.setdefault(campaign_path, CampaignSource(Path(campaign_path)))
    return gallery_picture(source, kind, design, fmt, lang, Path(cache_dir))


def gallery_layout(campaign: Any, job: Any, long_side: int) -> Any:
    """A gallery picture's layout: print formats at a lower dpi (doubled where QR modules would fall short),
    without the full-size check a preview makes: the editor makes it when the design is chosen."""
    from studio.errors import LayoutError
    from studio.stills.render import layout_job

    real = get_format(job.format)
    side = long_side
    while True:
        fmt = preview_format(job.format, side)
        try:
            return layout_job(campaign, job, fmt)
        except LayoutError:
            if fmt == real:
                raise
            side *= 2


@dataclass
class NewDeliverable:
    id: str
    kind: str
    design: str
    formats: list[str]
    headlines: dict[str, str]


def add_deliverable(path: Path, new: NewDeliverable, base_sha: str) -> tuple[str, str]:
    """Append a deliverable to the campaign file (round trip), checked like the CLI; returns (old, new) text."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    old = path.read_text(encoding="utf-8")
    if sha_of_text(old) != base_sha:
        raise ConflictError(f"{path.name} changed on disk since the gallery opened it; reload to see the changes")
    rt = _round_trip(old)
    doc = rt.load(old)
    if any(isinstance(d, dict) and d.get("id") == new.id for d in doc["deliverables"]):
        raise StudioError(f'id: a deliverable "{new.id}" already exists; choose another id')
    if new.kind not in GALLERY_KINDS:
        raise StudioError(f'kind: "{new.kind}" cannot be made here; choose one of {", ".join(GALLERY_KINDS)}')
    # From the round-trip document: its scalars keep their written form ("10:00" stays a time, not 600).
    sample = sample_deliverable(doc, new.kind, new.design, new.formats[0] if new.formats else "")

    def flow(items: list[str]) -> CommentedSeq:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    entry = CommentedMap()
    entry["id"] = new.id
    entry["kind"] = new.kind
    entry["design"] = new.design
    entry["formats"] = flow(new.formats)
    entry["quarters"] = flow(sample["quarters"])
    entry["hashtags"] = flow(list(sample["hashtags"]))
    background = CommentedMap(sample["background"])
    background.fa.set_flow_style()
    entry["background"] = background
    # What the design needs beyond words (a photo, an event, a link…) starts as in the campaign's example.
    for key, value in sample.items():
        if key not in entry and key not in ("text", "languages"):
            entry[key] = value
    text = CommentedMap()
    example_text = sample.get("text") or {}
    for lang in doc.get("languages") or []:
        fields = CommentedMap({"headline": new.headlines.get(lang, "").strip()})
        for key, value in (example_text.get(lang) or {}).items():
            if key != "headline" and value != SAMPLE_WORDS.get(lang, {}).get(key):
                fields[key] = value  # the example's other words: fields the design shows, to edit next
        text[lang] = fields
    entry["text"] = text
    doc["deliverables"].append(entry)
    out = io.StringIO()
    rt.dump(doc, out)
    new_text = out.getvalue()
    check_and_write(path, new_text)
    return old, new_text


# A video's script: its scenes and their measured durations ------------------------------------------


@dataclass(frozen=True)
class ScriptPart:
    kind: str  # "intro" (title card with the spoken disclosure), "scene" or "end"
    index: int
    speaker: str
    title: str
    narration: str
    start_s: float
    duration_s: float


def script_outline(
    campaign: Any, deliverable_id: str, lang: str, fmt: str, cache_dir: Path, script: Any = None
) -> list[ScriptPart]:
    """The script as the video will play it: each part with its narration, speaker and measured duration.

    The template (or ``script``, an unsaved edit already read) is rendered and every sentence spoken
    (from the speech cache when it was spoken before), then timed by the same video plan as the render.
    """
    from studio.disclosure import SPOKEN
    from studio.plan import Job
    from studio.video.explainer import VideoOptions, plan_video

    deliverable = campaign.deliverable(deliverable_id)
    if not deliverable.script:
        raise StudioError(f'deliverable "{deliverable_id}" has no script')
    quarter = deliverable.due_quarters[0]
    job = Job(quarter, deliverable_id, lang, fmt, deliverable.kind)
    script, _voiced, plan, _settings, _url = plan_video(campaign, job, VideoOptions(cache_dir, script=script))
    parts = []
    for span in plan.scenes:
        if span.kind == "intro":
            kind, speaker, title, narration = "intro", "narrator", deliverable.text[lang].headline, SPOKEN[lang]
        elif span.index > len(script.scenes):
            kind, speaker, title, narration = "end", "", deliverable.text[lang].headline, ""
        else:
            scene = script.scenes[span.index - 1]
            kind, title = "scene", scene.title or ""
            speaker = ", ".join(scene.speakers)
            narration = " ".join(u.text for u in scene.utterances)
        start_s, duration_s = span.start_f / plan.fps, span.frames / plan.fps
        parts.append(ScriptPart(kind, span.index, speaker, title, narration, start_s, duration_s))
    return parts
