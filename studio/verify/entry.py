"""A file's entry in the nearest ``manifest.json`` above it: what the batch said it rendered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.batch.manifest import MANIFEST_NAME, ManifestEntry, ManifestError, load_manifest


@dataclass(frozen=True)
class Lookup:
    """The entry when one lists the file; ``note`` says where it came from or why there is none."""

    entry: ManifestEntry | None
    note: str
    manifest: Path | None = None


def find_entry(path: Path) -> Lookup:
    """Walk up from ``path`` to the nearest ``manifest.json`` and find the file in it.

    The nearest manifest decides: a file below a quarter folder that its manifest does not list has no
    entry (it is checked like a copy on its own), even if a manifest further up would list it.
    """
    target = path.resolve()
    for folder in target.parents:
        candidate = folder / MANIFEST_NAME
        if not candidate.is_file():
            continue
        try:
            manifest = load_manifest(candidate)
        except ManifestError as exc:
            return Lookup(None, f"{exc}: it cannot be read as a manifest; checked as a file on its own")
        relative = target.relative_to(folder).as_posix()
        for entry in manifest.renders:
            if entry.path == relative:
                return Lookup(entry, f"listed in {candidate}", candidate)
        return Lookup(None, f"{candidate} does not list {relative}; checked as a file on its own", candidate)
    return Lookup(None, "no manifest.json in any folder above it; checked as a file on its own")
