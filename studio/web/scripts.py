"""Editing a video's or audio deliverable's script (``templates/scripts/NAME.LANG.j2``) in the browser.

The text is checked as it is typed by the loader the CLI uses (``studio.video.script.load_script``, given
the unsaved text), then spoken (through the speech cache) and timed: a video by its video plan, an audio
deliverable by its programme. A problem comes back with the template line it is on, in the reader's
language, and the studio's own one-line message beside it.

A save writes the template atomically after the same check, only when the file on disk is still the one
the editor opened (its sha256); the text it replaced and the text it wrote are kept as revisions in the
review database, under the key ``CAMPAIGN/scripts/NAME.LANG.j2``, to compare and restore.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.files import write_atomic
from studio.web.editor import ConflictError, ScriptPart, script_outline, sha_of_text

#: The words of a script problem; the line goes first ("12-сап: …", "Строка 12: …").
SCRIPT_WORDS = {
    "ky": {
        "line": "{n}-сап: {message}",
        "syntax": "шаблондун жазылышында ката (Jinja2).",
        "undefined": "белгисиз өзгөрмө «{name}».",
        "yaml": "YAML туура эмес: чегинүүлөрдү, тырмакчаларды жана «:» белгилерин текшериңиз.",
        "empty": "көрүнүштө айтыла турган текст (narration) жок.",
        "unknown_field": "белгисиз талаа «{name}».",
        "unknown_kind": "көрүнүштүн белгисиз түрү «{name}».",
        "no_voice": "«{name}» сүйлөөчүнүн үнү жок (кампаниянын voices бөлүмү).",
        "too_fast": "субтитр өтө тез же өтө узун: сүйлөмдү кыскартыңыз же экиге бөлүңүз.",
        "slot": "текст убакытка батпай жатат: кыскартыңыз.",
        "other": "сценарийде ката.",
        "no_line": "Сценарийде ката: {message}",
        "saved": "Сценарий сакталды.",
        "conflict": "Бул сценарийди сиз ачкандан бери башка бирөө өзгөрттү. Баракты жаңыртыңыз: "
        "сиздин оңдоолоруңуз сакталган жок (текстти көчүрүп алыңыз).",
        "not_saved": "Сакталган жок: сценарийдеги катаны оңдоңуз.",
    },
    "ru": {
        "line": "Строка {n}: {message}",
        "syntax": "ошибка в записи шаблона (Jinja2).",
        "undefined": "неизвестная переменная «{name}».",
        "yaml": "ошибка разметки YAML: проверьте отступы, кавычки и двоеточия.",
        "empty": "в сцене нет текста для озвучки (narration).",
        "unknown_field": "неизвестное поле «{name}».",
        "unknown_kind": "неизвестный тип сцены «{name}».",
        "no_voice": "у говорящего «{name}» нет голоса (раздел voices кампании).",
        "too_fast": "субтитр слишком быстрый или длинный: сократите фразу или разделите её на две.",
        "slot": "текст не укладывается во время: сократите его.",
        "other": "ошибка в сценарии.",
        "no_line": "Ошибка в сценарии: {message}",
        "saved": "Сценарий сохранён.",
        "conflict": "Этот сценарий изменил кто-то другой, пока вы его редактировали. Обновите страницу: "
        "ваши правки не сохранены (скопируйте текст).",
        "not_saved": "Не сохранено: исправьте ошибку в сценарии.",
    },
}


def script_word(lang: str, key: str, **values: object) -> str:
    return SCRIPT_WORDS.get(lang, SCRIPT_WORDS["ky"])[key].format(**values)


@dataclass(frozen=True)
class ScriptProblem:
    line: int | None  # the template's line (1-based), when the problem has one
    message: str  # in the reader's language
    detail: str  # the studio's own message: file:line, field, value


@dataclass(frozen=True)
class ScriptCheck:
    parts: tuple[ScriptPart, ...]
    problems: tuple[ScriptProblem, ...]
    ms: float

    @property
    def total_s(self) -> float:
        return sum(p.duration_s for p in self.parts)


def script_path(campaign: Any, deliverable: Any, lang: str) -> Path:
    from studio.video.script import template_path

    if not deliverable.script:
        raise StudioError(f'deliverable "{deliverable.id}" has no script')
    return template_path(campaign.root, deliverable.script, lang)


def revision_key(campaign_id: str, path: Path) -> str:
    """Where a script's revisions are kept in the review database (beside the campaign file's)."""
    return f"{campaign_id}/scripts/{path.name}"


def _display(path: Path) -> str:
    from studio.campaign import display_path

    return display_path(path)


def load_edited(campaign: Any, deliverable: Any, lang: str, source: str | None) -> Any:
    """The script read by the CLI's loader from ``source`` (None: from its file)."""
    from studio.video.explainer import script_context
    from studio.video.script import load_script

    path = script_path(campaign, deliverable, lang)
    quarter = str(deliverable.due_quarters[0]) if deliverable.due_quarters else str(campaign.period.from_)
    context = script_context(campaign, deliverable, lang, quarter)
    return load_script(campaign.root, deliverable.script, lang, context, _display(path), source)


def _rendered(campaign: Any, deliverable: Any, lang: str, source: str) -> str | None:
    from studio.video.explainer import script_context
    from studio.video.script import render_template

    try:
        path = script_path(campaign, deliverable, lang)
        quarter = str(deliverable.due_quarters[0]) if deliverable.due_quarters else str(campaign.period.from_)
        return render_template(path, script_context(campaign, deliverable, lang, quarter), _display(path), source)
    except StudioError:
        return None


def template_line(template: str, rendered: str, line: int) -> int:
    """The template line that rendered as ``line`` of the output (1-based).

    Most lines of a script template are literal YAML; lines with ``{{ … }}`` or cut by ``{#- … -#}``
    differ. Lines are aligned as text: a line inside an aligned run maps exactly, any other one counts
    on from the end of the run before it."""
    t, r = template.splitlines(), rendered.splitlines()
    index = line - 1
    mapped = index
    for a, b, size in difflib.SequenceMatcher(None, t, r, autojunk=False).get_matching_blocks():
        if b <= index < b + size:
            return a + index - b + 1
        if b + size <= index:
            mapped = a + size + index - (b + size)
    return max(1, min(len(t), mapped + 1))


def _scene_line(rendered: str, scene: int, sub: str | None, item: int | None) -> int | None:
    """The rendered line where scene ``scene`` (its ``sub`` list's ``item``: a dialogue line, a step) starts."""
    import yaml

    try:
        root = yaml.compose(rendered, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None

    def value(node: Any, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    return v
        return None

    scenes = value(root, "scenes")
    if not isinstance(scenes, yaml.SequenceNode) or not 1 <= scene <= len(scenes.value):
        return None
    node = scenes.value[scene - 1]
    if sub and item:
        items = value(node, {"line": "lines", "step": "steps"}[sub])
        if isinstance(items, yaml.SequenceNode) and 1 <= item <= len(items.value):
            node = items.value[item - 1]
    return int(node.start_mark.line) + 1


_WHAT = (
    (re.compile(r"template syntax error"), "syntax", None),
    (re.compile(r"undefined variable: '([^']+)' is undefined"), "undefined", 1),
    (re.compile(r"undefined variable"), "undefined", None),
    (re.compile(r"malformed YAML|renders to a mapping"), "yaml", None),
    (re.compile(r"empty scene"), "empty", None),
    (re.compile(r'unknown field "([^"]+)"'), "unknown_field", 1),
    (re.compile(r'unknown scene kind "([^"]+)"'), "unknown_kind", 1),
    (re.compile(r'speaker "([^"]+)" has no voice'), "no_voice", 1),
    (re.compile(r"characters a second|more than two lines|two lines"), "too_fast", None),
    (re.compile(r"seconds? over|cannot fit|too long for"), "slot", None),
)


def problem_of(exc: StudioError, template: str, rendered: str | None, display: str, lang: str) -> ScriptProblem:
    """A loader's (or speech's, or timing's) error as a script problem: its template line, in ``lang``."""
    detail = str(exc)
    line: int | None = None
    own = re.search(re.escape(display) + r":(\d+):", detail)
    out = re.search(re.escape(display) + r" \(rendered\):(\d+):", detail)
    scene = re.search(r"scene (\d+)(?:, (line|step) (\d+))?", detail)
    if own:
        line = int(own.group(1))
    elif rendered is not None and out:
        line = template_line(template, rendered, int(out.group(1)))
    elif rendered is not None and scene:
        found = _scene_line(rendered, int(scene.group(1)), scene.group(2), int(scene.group(3) or 0) or None)
        line = template_line(template, rendered, found) if found else None
    message = script_word(lang, "other")
    for pattern, key, group in _WHAT:
        match = pattern.search(detail)
        if match:
            message = script_word(lang, key, name=match.group(group) if group else "")
            break
    if line is None:
        return ScriptProblem(None, script_word(lang, "no_line", message=message), detail)
    return ScriptProblem(line, script_word(lang, "line", n=line, message=message), detail)


def audio_outline(
    campaign: Any, deliverable: Any, lang: str, fmt: str, cache_dir: Path, script: Any
) -> list[ScriptPart]:
    """An audio deliverable's script as its programme says it: the disclosure, then each scene, timed from
    the speech and fitted to the format's slot as the render fits it (a script that cannot fit is its error)."""
    from studio.audio.programme import fit_speed, plan
    from studio.audio.render import IDENT, RATE_HZ
    from studio.disclosure import SPOKEN_AUDIO
    from studio.encode import load_audio
    from studio.formats import get_format
    from studio.video.explainer import voice_script
    from studio.voice import SpeechCache

    path = script_path(campaign, deliverable, lang)
    display = _display(path)
    script = script.for_medium("audio", display)
    where = f'{display}: deliverable "{deliverable.id}" ({lang}, {fmt})'
    cache = SpeechCache(cache_dir)

    def parts_at(speed: float) -> list[list[float]]:
        voiced = voice_script(campaign, script, lang, cache, where, disclosure=SPOKEN_AUDIO[lang], speed=speed)
        return [[s.duration_s for s in n.sentences] for n in (voiced.intro, *voiced.scenes)]

    parts = parts_at(1.0)
    ident_s = load_audio(IDENT, RATE_HZ, 1).shape[0] / RATE_HZ if IDENT.is_file() else 0.0
    spec = get_format(fmt).audio
    slot = spec.slot_s if spec is not None else None
    if slot is not None:
        # As the render does: spoken a little faster when the slot needs it, the pauses fitted to the slot.
        try:
            speed = fit_speed(parts, ident_s, slot)
        except StudioError as exc:
            raise type(exc)(f"{where}: {exc}") from None
        if speed != 1.0:
            parts = parts_at(speed)
    layout = plan(parts, ident_s, slot)
    starts = (*layout.part_starts_s, layout.duration_s)
    out = [ScriptPart("intro", 0, "narrator", deliverable.text[lang].headline, SPOKEN_AUDIO[lang], starts[0], 0.0)]
    for i, scene in enumerate(script.scenes, 1):
        narration = " ".join(u.text for u in scene.utterances)
        out.append(ScriptPart("scene", i, ", ".join(scene.speakers), scene.title or "", narration, starts[i], 0.0))
    # Each part lasts until the next one starts (the ident and pauses go with the part before them).
    return [
        ScriptPart(p.kind, p.index, p.speaker, p.title, p.narration, p.start_s, starts[n + 1] - starts[n])
        for n, p in enumerate(out)
    ]


def check_script(
    campaign: Any, deliverable: Any, lang: str, source: str, fmt: str, cache_dir: Path, ui: str
) -> ScriptCheck:
    """Read ``source`` as the CLI would, speak it and time it; problems at their template lines."""
    start = time.perf_counter()
    path = script_path(campaign, deliverable, lang)
    try:
        script = load_edited(campaign, deliverable, lang, source)
        if deliverable.kind == "audio":
            parts = audio_outline(campaign, deliverable, lang, fmt, cache_dir, script)
        else:
            parts = script_outline(campaign, deliverable.id, lang, fmt, cache_dir, script)
    except StudioError as exc:
        rendered = _rendered(campaign, deliverable, lang, source)
        problem = problem_of(exc, source, rendered, _display(path), ui)
        return ScriptCheck((), (problem,), (time.perf_counter() - start) * 1000)
    return ScriptCheck(tuple(parts), (), (time.perf_counter() - start) * 1000)


class ScriptInvalid(StudioError):
    """A script edit the loader refuses: its language and the problem, at its line."""

    def __init__(self, lang: str, problem: ScriptProblem) -> None:
        super().__init__(problem.detail)
        self.lang = lang
        self.problem = problem


def save_scripts(
    campaign: Any, deliverable: Any, texts: dict[str, str], bases: dict[str, str], ui: str
) -> list[tuple[Path, str, str]]:
    """Write the edited templates (language → text), each checked by the CLI's loader; returns (path, old, new)
    for each file that changed. Nothing is written when any file changed on disk since ``bases`` or any
    text is not a valid script."""
    changes: list[tuple[Path, str, str]] = []
    for lang, text in texts.items():
        path = script_path(campaign, deliverable, lang)
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if sha_of_text(old) != bases.get(lang, ""):
            raise ConflictError(f"{_display(path)} changed on disk since the editor opened it; reload to see it")
        if text != old:
            changes.append((path, old, text))
    for path, _old, text in changes:
        lang = path.name.split(".")[-2]
        try:
            load_edited(campaign, deliverable, lang, text)  # the CLI's own check; nothing written yet
        except StudioError as exc:
            rendered = _rendered(campaign, deliverable, lang, text)
            raise ScriptInvalid(lang, problem_of(exc, text, rendered, _display(path), ui)) from None
    for path, _old, text in changes:
        write_atomic(path, text.encode("utf-8"))
    return changes


def restore_script(campaign: Any, path: Path, text: str) -> str:
    """Put a script revision back (checked like a save against each deliverable using it); returns the old text."""
    lang = path.name.split(".")[-2]
    name = path.name[: -len(f".{lang}.j2")]
    for deliverable in campaign.deliverables:
        if deliverable.script == name and lang in campaign.deliverable_languages(deliverable):
            load_edited(campaign, deliverable, lang, text)
            break
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    write_atomic(path, text.encode("utf-8"))
    return old


def listen_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


#: A scene's utterances are joined with this much silence in a listening draft.
LISTEN_GAP_S = 0.3


def listen(
    campaign: Any,
    deliverable: Any,
    lang: str,
    source: str,
    fmt: str,
    scene: int | None,
    cache_dir: Path,
    folder: Path,
) -> Path:
    """A short listening draft (Ogg Opus, mono) of one scene, or of the whole narration, in the campaign's
    voices; ``source`` is the script's text, saved or not. Drafts are kept by what they say and who says it,
    and speech comes from the speech cache: listening again costs nothing.

    The whole of an audio deliverable is its programme for ``fmt`` (disclosure, ident, music, the slot
    fitted, at its loudness); the whole of a video is its voice track as the video plan places it."""
    import numpy as np

    from studio.audio.encode import encode_audio
    from studio.audio.render import RATE_HZ
    from studio.formats import get_format
    from studio.voice import SpeechCache

    spec = get_format("messenger").audio
    assert spec is not None  # the voice-note format: Ogg Opus, mono
    script = load_edited(campaign, deliverable, lang, source)
    medium = "audio" if deliverable.kind == "audio" else "video"
    voices = {name: v.model_dump_json() for name, v in sorted(campaign.voices.items())}
    key = listen_key(deliverable.id, lang, fmt, medium, str(scene), source, repr(voices), repr(campaign.pronunciation))
    dest = folder / f"{key}.ogg"
    if dest.is_file():
        return dest
    display = _display(script_path(campaign, deliverable, lang))
    script = script.for_medium(medium, display)
    if scene is not None:
        from studio.video.explainer import voice_script
        from studio.video.script import Script

        if not 1 <= scene <= len(script.scenes):
            raise StudioError(f"{display}: there is no scene {scene}")
        one = Script(script.name, lang, script.title, (script.scenes[scene - 1],))
        voiced = voice_script(campaign, one, lang, SpeechCache(cache_dir), f"{display}: scene {scene}")
        gap = np.zeros(round(LISTEN_GAP_S * RATE_HZ), dtype=np.float32)
        pieces: list[Any] = []
        for narration in voiced.lines[0]:
            for sentence in narration.sentences:
                pieces += [_at_rate(sentence.speech.samples, sentence.speech.sample_rate_hz, RATE_HZ), gap]
        signal = np.concatenate(pieces) if pieces else gap
        # A draft of one scene is brought to a steady peak (-3 dBFS), not measured to a loudness target.
        peak = float(np.max(np.abs(signal))) or 1.0
        signal = signal * np.float32(0.7 / peak)
    elif deliverable.kind == "audio":
        from studio.audio.render import AudioOptions, build_programme
        from studio.plan import Job

        job = Job(deliverable.due_quarters[0], deliverable.id, lang, fmt, deliverable.kind)
        signal = build_programme(campaign, job, AudioOptions(cache_dir, script=script)).signal.mean(axis=1)
    else:
        from studio.encode.execute import voice_track
        from studio.plan import Job
        from studio.video.explainer import VideoOptions, plan_video

        job = Job(deliverable.due_quarters[0], deliverable.id, lang, fmt, deliverable.kind)
        _script, voiced, plan, _settings, _url = plan_video(campaign, job, VideoOptions(cache_dir, script=script))
        track = voice_track(plan, voiced.speech)
        signal = _at_rate(track.samples, track.rate_hz, RATE_HZ)
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{key}.part.ogg"
    try:
        mono = signal.reshape(-1, 1).astype(np.float32)
        encode_audio(mono, RATE_HZ, spec, part, {"title": f"{deliverable.id} ({lang})"})
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)
    return dest


def _at_rate(samples: Any, rate: int, target: int) -> Any:
    """Float samples at ``target`` Hz (linear interpolation: transparent for speech)."""
    import numpy as np

    data = samples.astype(np.float32)
    if samples.dtype == np.int16:
        data = data / 32768.0
    if data.ndim > 1:
        data = data.mean(axis=1)
    if rate == target:
        return data
    n = round(len(data) * target / rate)
    return np.interp(np.arange(n) * rate / target, np.arange(len(data)), data).astype(np.float32)
