"""Explainer scripts: a Jinja2 template, rendered with campaign data, read as an ordered list of scenes.

A template (``templates/scripts/NAME.LANG.j2``) renders to YAML::

    title: Пара деген эмне?
    scenes:
      - title: Пара деген эмне?          # on-screen title (optional)
        bullets: [Акча, белек, кызмат]   # on-screen bullets (optional)
        speaker: narrator                # whose voice (a key of the deliverable's voices)
        image: assets/images/office.png  # optional picture beside the text
        narration: >
          Пара — бул мамлекеттик кызматкерге ...
      - only: audio                      # said in audio versions only (radio, podcast, voice note);
        narration: ...                   # `only: video` scenes are skipped there ("scan the code on screen")

Templates run in Jinja2's sandbox with StrictUndefined: an unknown variable is an error naming it
and the template line, and a template cannot reach Python internals.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from studio.campaign.limits import MAX_FILE_BYTES, LimitError, parse_yaml
from studio.campaign.names import NAME_RULE, inside
from studio.errors import SpecError
from studio.letters import describe, fold_lookalikes, lookalikes_in


@dataclass(frozen=True)
class Scene:
    narration: str
    speaker: str = "narrator"
    title: str | None = None
    bullets: tuple[str, ...] = ()
    image: Path | None = None
    only: str | None = None  # "video" or "audio": the scene belongs to that medium only


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


def render_template(path: Path, context: Mapping[str, Any], display: str) -> str:
    """Render a script template in the sandbox; errors name the template file and line."""
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
        raise LimitError(f"{display}: file is larger than {MAX_FILE_BYTES:,} bytes, the most the studio reads")
    env = _BoundedSandbox(
        loader=jinja2.FileSystemLoader(str(path.parent)),
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
        if frame.filename == str(path) or frame.filename.endswith(path.name):
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
    scenes = []
    found: Counter[str] = Counter()

    def shown(value: object) -> str:
        """Text as it will be shown and spoken: look-alike letters corrected."""
        text = str(value)
        found.update(lookalikes_in(text))
        return fold_lookalikes(text)

    for i, raw in enumerate(data["scenes"], start=1):
        where = f"{display}: scene {i}"
        if not isinstance(raw, dict):
            raise SpecError(f"{where}: a scene is a mapping (narration, title, bullets, speaker, image)")
        extra = set(raw) - {"narration", "title", "bullets", "speaker", "image", "only"}
        if extra:
            raise SpecError(
                f'{where}: unknown field "{sorted(extra)[0]}"; allowed: narration, title, bullets, speaker, image, only'
            )
        only = raw.get("only")
        if only is not None and only not in MEDIA:
            raise SpecError(f'{where}: only: "{only}" is not allowed; use only: video or only: audio')
        narration = " ".join(shown(raw.get("narration") or "").split())
        if not narration:
            raise SpecError(f"{where}: empty scene: it has no narration")
        bullets = raw.get("bullets") or []
        if not isinstance(bullets, list):
            raise SpecError(f"{where}: bullets must be a list")
        image = None
        if raw.get("image"):
            image = (root / str(raw["image"])).resolve()
            if not image.is_relative_to(root.resolve()):
                raise SpecError(f'{where}: image "{raw["image"]}" leaves the project folder')
            if not image.is_file():
                raise SpecError(f'{where}: image "{raw["image"]}" not found')
        title = shown(raw["title"]).strip() if raw.get("title") else None
        scenes.append(
            Scene(
                narration,
                str(raw.get("speaker") or "narrator"),
                title,
                tuple(shown(b).strip() for b in bullets if str(b).strip()),
                image,
                None if only is None else str(only),
            )
        )
    title = shown(data.get("title") or name)
    notes = (f"{display}: look-alike letters corrected: {describe(found)}",) if found else ()
    return Script(name, lang, title, tuple(scenes), notes)


def load_script(root: Path, name: str, lang: str, context: Mapping[str, Any], display: str) -> Script:
    path = template_path(root, name, lang)
    return parse_script(render_template(path, context, display), name, lang, root, display)
