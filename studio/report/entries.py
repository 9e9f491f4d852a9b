"""Reading manifest entries the way the gallery and the report both need: drafts, final files, checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from studio.errors import StudioError
from studio.kinds import all_kinds

#: Roles of the files that make a render count as produced; proofs and caption sidecars come with them.
FINAL_ROLES = frozenset(role for kind in all_kinds() for role in kind.final_roles)
#: The fields the report and gallery rely on in every entry.
REQUIRED_FIELDS = ("path", "role", "deliverable", "language", "format")


def is_draft(entry: Mapping[str, Any]) -> bool:
    """A draft render (``--draft``): flagged in the entry, or named ``FORMAT.draft.EXT`` as the video job writes it."""
    return bool(entry.get("draft")) or ".draft" in PurePosixPath(str(entry.get("path", ""))).suffixes


def is_final(entry: Mapping[str, Any]) -> bool:
    """A file that counts towards "produced": a social image, a print PDF or a video, not a draft, and not
    left by a job that failed before writing all its files (``incomplete``)."""
    return entry.get("role") in FINAL_ROLES and not is_draft(entry) and not entry.get("incomplete")


def manifest_renders(manifest: Mapping[str, Any], where: str) -> list[Mapping[str, Any]]:
    """The entries of a parsed manifest, each checked for the fields everything here relies on."""
    renders = manifest.get("renders")
    if not isinstance(renders, list):
        raise StudioError(f'{where}: not a manifest (no "renders" list)')
    for i, entry in enumerate(renders):
        if not isinstance(entry, Mapping):
            raise StudioError(f"{where}: renders[{i}] is not an object")
        missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
        if missing:
            raise StudioError(f"{where}: renders[{i}] lacks {', '.join(missing)}")
    return renders
