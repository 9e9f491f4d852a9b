"""Approved files are locked: a batch that would change one keeps it and writes a new revision beside it.

A job that has an approved file is rendered into a staging folder (``.staging/`` in the quarter's folder)
instead of its own. When it finishes, files identical to the approved ones are dropped; if anything
differs, the whole set is moved in under revision names (``FORMAT.r2.png``, ``FORMAT.r2.vtt``, …),
which carry no approval. The approved file is never opened for writing, so a batch killed at any
moment leaves it whole; the staging folder is removed as a leftover by the next run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from studio.files import sha256_of
from studio.plan import Job

if TYPE_CHECKING:
    from studio.batch.manifest import ManifestEntry

STAGING = ".staging"


def locked_files(approved: Mapping[str, str], quarter_dir: Path) -> dict[str, str]:
    """The approved files still holding their approved bytes (a file changed since approval is not locked)."""
    locked = {}
    for path, sha in approved.items():
        file = quarter_dir / path
        if file.is_file() and sha256_of(file) == sha:
            locked[path] = sha
    return locked


def _own(job: Job, path: str) -> bool:
    folder, _, name = path.rpartition("/")
    return folder == job.folder and name.startswith(f"{job.format}.")


def staging_dir(job: Job, quarter_dir: Path, locked: Mapping[str, str]) -> Path | None:
    """Where ``job`` renders when one of its files is locked (None: straight into the quarter's folder)."""
    if not any(_own(job, path) for path in locked):
        return None
    return quarter_dir / STAGING / f"{job.deliverable}.{job.language}.{job.format}"


def revision_path(path: str, job: Job, number: int) -> str:
    """``d/ky/story.mp4`` → ``d/ky/story.r2.mp4`` (``story.draft.mp4`` → ``story.r2.draft.mp4``)."""
    folder, _, name = path.rpartition("/")
    rest = name[len(job.format) :]
    return f"{folder}/{job.format}.r{number}{rest}"


def settle(
    job: Job,
    staged: Path,
    quarter_dir: Path,
    new_entries: tuple[ManifestEntry, ...],
    locked: Mapping[str, str],
    entries: dict[str, ManifestEntry],
) -> list[ManifestEntry]:
    """Move a staged job's files into the quarter's folder, under revision names when they differ from approved ones.

    Returns the entries to record; the approved entries left in place get ``superseded_by`` in ``entries``.
    """
    changed = any(e.path in locked and e.sha256 != locked[e.path] for e in new_entries)
    settled: list[ManifestEntry] = []
    if changed:
        number = 2
        while any(revision_path(e.path, job, number) in locked for e in new_entries):
            number += 1
        main = None
        for entry in new_entries:
            target = revision_path(entry.path, job, number)
            main = main or target
            os.replace(staged / entry.path, quarter_dir / target)
            settled.append(entry.model_copy(update={"path": target, "revision": number}))
        for path, old in list(entries.items()):
            if path in locked and _own(job, path) and old.superseded_by is None:
                entries[path] = old.model_copy(update={"superseded_by": main})
    else:
        for entry in new_entries:
            source, destination = staged / entry.path, quarter_dir / entry.path
            if entry.path in locked:
                source.unlink()  # the same bytes as the approved file: keep that one untouched
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, destination)
            settled.append(entry)
    shutil.rmtree(staged, ignore_errors=True)
    with contextlib.suppress(OSError):
        staged.parent.rmdir()  # only once empty: other staged jobs may still be running
    return settled
