"""Explainer scripts: a Jinja2 template, rendered with campaign data, read as an ordered list of scenes.

A template (``templates/scripts/NAME.LANG.j2``) renders to YAML: a ``title`` and ``scenes``. Each
scene has a ``kind`` (default ``bullets``); every kind but ``dialogue`` has a ``narration`` spoken
by its ``speaker`` (default ``narrator``, a key of the campaign's ``voices``)::

    title: Пара деген эмне?
    scenes:
      - kind: title                      # a title card in the middle of the video
        title: Пара деген эмне?
        narration: ...
      - title: Пара деген эмне?          # bullets (the default kind): title, bullets, picture
        bullets: [Акча, Белек]
        image: assets/images/office.png  # optional, beside the text
        narration: ...
      - kind: presenter                  # the speaker's character talks to the viewer,
        speaker: narrator                # bullets or a picture beside it
        title: Жасалма үн
        bullets: [Телефон чалуу, Видео чалуу]
        narration: ...
      - kind: dialogue                   # two or more characters on a set, each line in its voice
        set: office                      # office, classroom, street, or an image path
        stand: {official: counter, citizen: visitor}   # spots of the set (default: in order)
        call: [caller]                   # optional: speakers seen on a phone's screen (a video call)
        title: Сахналаштырылган көрүнүш   # optional plate at the top
        lines:
          - {speaker: official, say: "Акча бериңиз.", prop: envelope}
          - {speaker: citizen, say: "Жок, мен пара бербейм.", prop: refuse}
      - kind: steps                      # numbered steps, each shown when the narration says
        title: Эмне кылуу керек?         # its cue word (or reaches its own sentence)
        steps:
          - {text: Төлөбөңүз, icon: stop}
          - {text: Кабарлаңыз, icon: qr, cue: кабарлаңыз}
        narration: ...
      - kind: stat                       # a key number that counts up, or two bars that grow
        value: 5000
        suffix: " сом"
        label: Пара менен
        compare: {label: Мыйзам боюнча, value: 0}   # optional
        narration: ...
      - kind: chart                      # bars or a pie, grown in, from the numbers given
        chart: bar                       # bar or pie
        unit: даана
        data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}]
        narration: ...
      - kind: end                        # the QR end card, with narration (else it closes silent)
        narration: ...
      - only: audio                      # any scene: said in audio versions only (radio, podcast,
        narration: ...                   # voice note); `only: video` scenes are skipped there

A line's ``prop`` (envelope, phone, refuse, present: poses of the character packs; qr, document)
is held by the speaker's character when its pack has that pose, else it stands on the set. The
characters playing each speaker come from the campaign's ``characters:`` mapping.

Templates run in Jinja2's sandbox with StrictUndefined: an unknown variable is an error naming it
and the template line, and a template cannot reach Python internals. Every problem of a rendered
script is one line naming the template, the scene (and line or step) and the field.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from studio.campaign.limits import MAX_FILE_BYTES, LimitError, parse_yaml
from studio.campaign.names import NAME_RULE, inside
from studio.errors import SpecError
from studio.letters import describe, fold_lookalikes, lookalikes_in

#: Scene kinds a script may use; a scene without ``kind`` is "bullets" (title, bullets, picture).
SCENE_KINDS = ("title", "bullets", "presenter", "dialogue", "steps", "stat", "chart", "end")
#: Step icons and props drawn by the studio itself (studio/video/art.py).
ICONS = ("phone", "money", "document", "qr", "stop", "shield", "check", "eye", "ear", "video")
#: A prop a character's pack has as a pose is held in its hands; the others stand on the set.
PROPS = ("envelope", "phone", "document", "qr", "refuse", "present")


@dataclass(frozen=True)
class Line:
    """What one voice says: who, what, and a prop shown while it is said (a dialogue line, or a scene's
    narration in its speaker's voice)."""

    speaker: str
    text: str
    prop: str | None = None


@dataclass(frozen=True)
class Step:
    """A numbered step, shown when the narration reaches its ``cue`` word (or its own sentence)."""

    text: str
    icon: str | None = None
    cue: str | None = None


@dataclass(frozen=True)
class Datum:
    label: str
    value: float


@dataclass(frozen=True)
class Scene:
    narration: str
    speaker: str = "narrator"
    title: str | None = None
    bullets: tuple[str, ...] = ()
    image: Path | None = None
    kind: str = "bullets"
    lines: tuple[Line, ...] = ()
    set: str | None = None  # dialogue: a built-in set's name or an image path
    stand: dict[str, str] = field(default_factory=dict)  # dialogue: speaker → the set's spot
    call: tuple[str, ...] = ()  # dialogue: speakers seen on a phone's screen (a video call)
    steps: tuple[Step, ...] = ()
    value: float | None = None  # stat: the key number
    prefix: str = ""
    suffix: str = ""
    label: str = ""
    compare: Datum | None = None  # stat: a second number the first is compared with
    chart: str | None = None  # "bar" or "pie"
    data: tuple[Datum, ...] = ()
    unit: str = ""
    only: str | None = None  # "video" or "audio": the scene belongs to that medium only

    @property
    def utterances(self) -> tuple[Line, ...]:
        """The voices of the scene in order: a dialogue's lines, or the narration in one voice."""
        if self.kind == "dialogue":
            return self.lines
        return (Line(self.speaker, self.narration),)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Who speaks, in order of first appearance."""
        return tuple(dict.fromkeys(u.speaker for u in self.utterances))


MEDIA = ("video", "audio")


@dataclass(frozen=True)
class Script:
    name: str
    language: str
    title: str
    scenes: tuple[Scene, ...]
    #: Look-alike letters corrected to Kyrgyz ң ө ү (shown and spoken corrected), as a note for the user.
    corrections: tuple[str, ...] = ()

    def for_medium(self, medium: str, display: str = "") -> Script:
        """The scenes said in ``medium`` ("video" or "audio"); an error when none are."""
        scenes = tuple(scene for scene in self.scenes if scene.only in (None, medium))
        if not scenes:
            raise SpecError(f"{display or self.name}: no scene is meant for {medium} (every scene has only: ...)")
        return Script(self.name, self.language, self.title, scenes, self.corrections)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(scene.kind for scene in self.scenes)


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with ``*`` and ``**`` unable to build a value larger than a script may be."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"{left} ** {right} is too large a power")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_FILE_BYTES:
                    raise SecurityError(f"repeating a value {times:,} times makes it larger than a script may be")
        return super().call_binop(context, operator, left, right)


def template_path(root: Path, name: str, lang: str) -> Path:
    """``templates/scripts/NAME.LANG.j2``; a name that would leave that folder is refused."""
    folder = root / "templates" / "scripts"
    path = inside(folder, name, f".{lang}.j2")
    if path is None:
        raise SpecError(f'script "{name}" is not a script name ({NAME_RULE})')
    return path


def render_template(path: Path, context: Mapping[str, Any], display: str, source: str | None = None) -> str:
    """Render a script template in the sandbox; errors name the template file and line.

    ``source`` is the template's text when it is not (yet) the file's: an edit in the browser, checked
    by this same loader before it is saved. Templates it includes are still read from the folder.
    """
    size = len(source.encode("utf-8")) if source is not None else (path.stat().st_size if path.is_file() else 0)
    if size > MAX_FILE_BYTES:
        raise LimitError(f"{display}: file is larger than {MAX_FILE_BYTES:,} bytes, the most the studio reads")
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(str(path.parent))
    if source is not None:
        loader = jinja2.ChoiceLoader([jinja2.DictLoader({path.name: source}), loader])
    env = _BoundedSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    try:
        # Streamed, so a template whose loops would print gigabytes stops at the size limit.
        chunks: list[str] = []
        size = 0
        for chunk in env.get_template(path.name).generate(**context):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise LimitError(
                    f"{display}: the rendered script is larger than {MAX_FILE_BYTES:,} bytes, the most the studio reads"
                )
            chunks.append(chunk)
        return "".join(chunks)
    except jinja2.TemplateNotFound:
        raise SpecError(f"{display}: script template not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise SpecError(f"{display}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, path)
        raise SpecError(
            f"{display}:{line}: undefined variable: {exc.message}; available: {', '.join(sorted(context))}"
        ) from None
    except SecurityError as exc:
        line = _template_line(exc, path)
        raise SpecError(f"{display}:{line}: not allowed in a script template: {exc}") from None


def _template_line(exc: BaseException, path: Path) -> str:
    """The template line Jinja2 put in the traceback (it maps frames back to template lines)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        # A template given as text (DictLoader) has no file name: Jinja2 names its frames "<template>".
        if frame.filename in (str(path), "<template>") or frame.filename.endswith(path.name):
            return str(frame.lineno)
    return "?"


def parse_script(text: str, name: str, lang: str, root: Path, display: str) -> Script:
    """Read rendered YAML as a Script; every problem names the template, scene and field."""
    data = parse_yaml(text, f"{display} (rendered)")
    if not isinstance(data, dict) or not isinstance(data.get("scenes"), list) or not data["scenes"]:
        raise SpecError(f"{display}: a script renders to a mapping with a title and a non-empty list of scenes")
    unknown = set(data) - {"title", "scenes"}
    if unknown:
        raise SpecError(f'{display}: unknown field "{sorted(unknown)[0]}"; allowed: title, scenes')
    found: Counter[str] = Counter()

    def shown(value: object) -> str:
        """Text as it will be shown and spoken: look-alike letters corrected."""
        text = str(value)
        found.update(lookalikes_in(text))
        return fold_lookalikes(text)

    scenes = tuple(_scene(raw, root, f"{display}: scene {i}", shown) for i, raw in enumerate(data["scenes"], start=1))
    title = shown(data.get("title") or name)
    notes = (f"{display}: look-alike letters corrected: {describe(found)}",) if found else ()
    return Script(name, lang, title, scenes, notes)


#: Fields each scene kind may have (besides ``kind``).
_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("narration", "title", "speaker"),
    "bullets": ("narration", "title", "bullets", "speaker", "image"),
    "presenter": ("narration", "title", "bullets", "speaker", "image"),
    "dialogue": ("title", "set", "stand", "call", "lines"),
    "steps": ("narration", "title", "steps", "speaker"),
    "stat": ("narration", "title", "value", "prefix", "suffix", "label", "compare", "speaker"),
    "chart": ("narration", "title", "chart", "data", "unit", "speaker"),
    "end": ("narration", "speaker"),
}


Text = Callable[[object], str]


def _texts(shown: Callable[[object], str]) -> Text:
    """Text as shown and spoken (look-alike letters corrected), with runs of spaces made one."""

    def text(value: object) -> str:
        return " ".join(shown(value or "").split())

    return text


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f'{where}: "{value}" is not a number')
    return float(value)


def _scene(raw: object, root: Path, where: str, shown: Callable[[object], str]) -> Scene:
    text = _texts(shown)
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: a scene is a mapping (kind, narration, title, …)")
    kind = str(raw.get("kind") or "bullets")
    if kind not in _FIELDS:
        raise SpecError(f'{where}: kind: unknown scene kind "{kind}"; known: {", ".join(SCENE_KINDS)}')
    allowed = _FIELDS[kind]
    extra = set(raw) - set(allowed) - {"kind", "only"}
    if extra:
        raise SpecError(
            f'{where}: unknown field "{sorted(extra)[0]}" for a {kind} scene; allowed: {", ".join(allowed)}'
        )
    only = raw.get("only")
    if only is not None and only not in MEDIA:
        raise SpecError(f'{where}: only: "{only}" is not allowed; use only: video or only: audio')
    narration = text(raw.get("narration"))
    if kind != "dialogue" and not narration:
        raise SpecError(f"{where}: empty scene: it has no narration")
    bullets = raw.get("bullets") or []
    if not isinstance(bullets, list):
        raise SpecError(f"{where}: bullets must be a list")
    image = None
    if raw.get("image"):
        image = _project_file(root, str(raw["image"]), f"{where}: image")
    title = shown(raw["title"]).strip() if raw.get("title") else None
    fields: dict[str, object] = {}
    if kind == "dialogue":
        fields["lines"] = _lines(raw.get("lines"), where, text)
        fields["set"] = str(raw["set"]).strip() if raw.get("set") else None
        stand = raw.get("stand") or {}
        if not isinstance(stand, dict):
            raise SpecError(f"{where}: stand: a mapping of speaker to spot, e.g. {{official: counter}}")
        fields["stand"] = {str(k): str(v) for k, v in stand.items()}
        call = raw.get("call") or []
        if isinstance(call, str):
            call = [call]
        if not isinstance(call, list):
            raise SpecError(f"{where}: call: a list of the speakers seen on a phone, e.g. [caller]")
        fields["call"] = tuple(str(c) for c in call)
    elif kind == "steps":
        fields["steps"] = _steps(raw.get("steps"), narration, where, text)
    elif kind == "stat":
        if "value" not in raw:
            raise SpecError(f"{where}: value: a stat scene needs the key number")
        fields["value"] = _number(raw["value"], f"{where}: value")
        # Prefix and suffix keep their spaces: "5 000 сом" needs the one before the unit.
        fields["prefix"], fields["suffix"] = (shown(raw.get(k) or "") for k in ("prefix", "suffix"))
        fields["label"] = text(raw.get("label"))
        compare = raw.get("compare")
        if compare is not None:
            if not isinstance(compare, dict) or "value" not in compare:
                raise SpecError(f"{where}: compare: a mapping with value and label")
            other = Datum(text(compare.get("label")), _number(compare["value"], f"{where}: compare.value"))
            fields["compare"] = other
            if other.value < 0 or float(raw["value"]) < 0:
                raise SpecError(f"{where}: value: a comparison grows bars from zero; negative numbers cannot")
    elif kind == "chart":
        fields["chart"], fields["data"] = _chart(raw.get("chart"), raw.get("data"), where, text)
        fields["unit"] = text(raw.get("unit"))
    return Scene(
        narration,
        str(raw.get("speaker") or "narrator"),
        title,
        tuple(shown(b).strip() for b in bullets if str(b).strip()),
        image,
        kind=kind,
        only=None if only is None else str(only),
        **fields,  # type: ignore[arg-type]
    )


def _project_file(root: Path, name: str, where: str) -> Path:
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise SpecError(f'{where} "{name}" leaves the project folder')
    if not path.is_file():
        raise SpecError(f'{where} "{name}" not found')
    return path


def _lines(raw: object, where: str, text: Text) -> tuple[Line, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"{where}: lines: a dialogue needs a list of lines (speaker, say)")
    lines = []
    for n, item in enumerate(raw, start=1):
        here = f"{where}, line {n}"
        if not isinstance(item, dict) or not item.get("speaker") or not text(item.get("say")):
            raise SpecError(f"{here}: a line is a mapping with speaker and say")
        extra = set(item) - {"speaker", "say", "prop"}
        if extra:
            raise SpecError(f'{here}: unknown field "{sorted(extra)[0]}"; allowed: speaker, say, prop')
        prop = str(item["prop"]) if item.get("prop") else None
        if prop is not None and prop not in PROPS:
            raise SpecError(f'{here}: prop: unknown prop "{prop}"; known: {", ".join(PROPS)}')
        lines.append(Line(str(item["speaker"]), text(item["say"]), prop))
    if len({line.speaker for line in lines}) < 2:
        raise SpecError(f"{where}: lines: a dialogue needs two or more speakers; use a presenter scene for one")
    return tuple(lines)


def _steps(raw: object, narration: str, where: str, text: Text) -> tuple[Step, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"{where}: steps: a steps scene needs a list of steps (text, icon, cue)")
    steps = []
    words = {w.strip(".,;:!?«»\"'—").lower() for w in narration.split()}
    for n, item in enumerate(raw, start=1):
        here = f"{where}, step {n}"
        item = {"text": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or not text(item.get("text")):
            raise SpecError(f"{here}: a step is a text, or a mapping with text, icon and cue")
        extra = set(item) - {"text", "icon", "cue"}
        if extra:
            raise SpecError(f'{here}: unknown field "{sorted(extra)[0]}"; allowed: text, icon, cue')
        icon = str(item["icon"]) if item.get("icon") else None
        if icon is not None and icon not in ICONS:
            raise SpecError(f'{here}: icon: unknown icon "{icon}"; known: {", ".join(ICONS)}')
        cue = text(item.get("cue")) or None
        if cue is not None and cue.lower() not in words:
            raise SpecError(f'{here}: cue: the word "{cue}" is not in the narration; the step could never appear')
        steps.append(Step(text(item["text"]), icon, cue))
    return tuple(steps)


def _chart(kind: object, raw: object, where: str, text: Text) -> tuple[str, tuple[Datum, ...]]:
    if kind not in ("bar", "pie"):
        raise SpecError(f'{where}: chart: "{kind}" is not a chart type; allowed: bar, pie')
    if not isinstance(raw, list) or len(raw) < 2:
        raise SpecError(f"{where}: data: a chart needs two or more items (label, value)")
    data = []
    for n, item in enumerate(raw, start=1):
        here = f"{where}: data[{n}]"
        if not isinstance(item, dict) or not text(item.get("label")) or "value" not in item:
            raise SpecError(f"{here}: an item is a mapping with label and value")
        value = _number(item["value"], f"{here}.value")
        if value < 0:
            shape = "a pie slice" if kind == "pie" else "a bar grown from zero"
            raise SpecError(f"{here}.value: {item['value']} is negative; {shape} cannot be")
        data.append(Datum(text(item["label"]), value))
    if kind == "pie" and sum(d.value for d in data) <= 0:
        raise SpecError(f"{where}: data: the values of a pie add up to zero")
    return str(kind), tuple(data)


def load_script(
    root: Path, name: str, lang: str, context: Mapping[str, Any], display: str, source: str | None = None
) -> Script:
    """Render and read ``templates/scripts/NAME.LANG.j2`` (or ``source``, that template's unsaved text)."""
    path = template_path(root, name, lang)
    return parse_script(render_template(path, context, display, source), name, lang, root, display)
