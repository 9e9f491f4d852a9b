"""A file's entry in the nearest ``manifest.json`` above it: what the batch said it rendered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.batch.manifest import MANIFEST_NAME


@dataclass(frozen=True)
class ManifestEntry:
    """The fields of a manifest entry that verification relies on (missing ones are None)."""

    manifest: Path
    path: str
    kind: str | None
    role: str | None
    format: str | None
    language: str | None
    synthetic: bool
    disclosure: tuple[str, ...]
    qr_url: str | None
    sha256: str | None
    bytes: int | None
    duration_s: float | None
    spoken_disclosure_s: tuple[float, float] | None
    loudness_target_lufs: float | None = None  # audio: the loudness it was delivered at


@dataclass(frozen=True)
class Lookup:
    """The entry when one lists the file; ``note`` says where it came from or why there is none."""

    entry: ManifestEntry | None
    note: str
    manifest: Path | None = None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _entry(manifest: Path, raw: dict[str, Any]) -> ManifestEntry:
    spoken = raw.get("spoken_disclosure_s")
    window: tuple[float, float] | None = None
    if isinstance(spoken, list) and len(spoken) == 2:
        start, end = _number(spoken[0]), _number(spoken[1])
        if start is not None and end is not None:
            window = (start, end)
    size = _number(raw.get("bytes"))
    disclosure = raw.get("disclosure")
    return ManifestEntry(
        manifest=manifest,
        path=str(raw.get("path")),
        kind=_text(raw.get("kind")),
        role=_text(raw.get("role")),
        format=_text(raw.get("format")),
        language=_text(raw.get("language")),
        synthetic=raw.get("synthetic") is True,
        disclosure=tuple(str(d) for d in disclosure) if isinstance(disclosure, list) else (),
        qr_url=_text(raw.get("qr_url")),
        sha256=_text(raw.get("sha256")),
        bytes=None if size is None else int(size),
        duration_s=_number(raw.get("duration_s")),
        spoken_disclosure_s=window,
        loudness_target_lufs=_number(raw.get("loudness_target_lufs")),
    )


def find_entry(path: Path) -> Lookup:
    """Walk up from ``path`` to the nearest readable ``manifest.json`` and find the file in it.

    The nearest manifest decides: a file below a quarter folder that its manifest does not list has no
    entry (it is checked like a copy on its own), even if a manifest further up would list it.
    """
    target = path.resolve()
    for folder in target.parents:
        candidate = folder / MANIFEST_NAME
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
            renders = data["renders"]
            if not isinstance(renders, list):
                raise TypeError("renders is not a list")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            return Lookup(None, f"{candidate} cannot be read as a manifest ({exc}); checked as a file on its own")
        relative = target.relative_to(folder).as_posix()
        for raw in renders:
            if isinstance(raw, dict) and raw.get("path") == relative:
                return Lookup(_entry(candidate, raw), f"listed in {candidate}", candidate)
        return Lookup(None, f"{candidate} does not list {relative}; checked as a file on its own", candidate)
    return Lookup(None, "no manifest.json in any folder above it; checked as a file on its own")
