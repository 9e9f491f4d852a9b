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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from studio.errors import SpecError


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

    def for_medium(self, medium: str, display: str = "") -> Script:
        """The scenes said in ``medium`` ("video" or "audio"); an error when none are."""
        scenes = tuple(scene for scene in self.scenes if scene.only in (None, medium))
        if not scenes:
            raise SpecError(f"{display or self.name}: no scene is meant for {medium} (every scene has only: ...)")
        return Script(self.name, self.language, self.title, scenes)


def template_path(root: Path, name: str, lang: str) -> Path:
    return root / "templates" / "scripts" / f"{name}.{lang}.j2"


def render_template(path: Path, context: Mapping[str, Any], display: str) -> str:
    """Render a script template in the sandbox; errors name the template file and line."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(path.parent)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    try:
        return env.get_template(path.name).render(**context)
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
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{display} (rendered):{mark.line + 1}" if mark else display
        raise SpecError(f"{where}: the rendered script is not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenes"), list) or not data["scenes"]:
        raise SpecError(f"{display}: a script renders to a mapping with a title and a non-empty list of scenes")
    unknown = set(data) - {"title", "scenes"}
    if unknown:
        raise SpecError(f'{display}: unknown field "{sorted(unknown)[0]}"; allowed: title, scenes')
    scenes = []
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
        narration = " ".join(str(raw.get("narration") or "").split())
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
        title = str(raw["title"]).strip() if raw.get("title") else None
        scenes.append(
            Scene(
                narration,
                str(raw.get("speaker") or "narrator"),
                title,
                tuple(str(b).strip() for b in bullets if str(b).strip()),
                image,
                None if only is None else str(only),
            )
        )
    return Script(name, lang, str(data.get("title") or name), tuple(scenes))


def load_script(root: Path, name: str, lang: str, context: Mapping[str, Any], display: str) -> Script:
    path = template_path(root, name, lang)
    return parse_script(render_template(path, context, display), name, lang, root, display)
