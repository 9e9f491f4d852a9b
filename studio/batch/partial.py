"""The files a failed job wrote whole before it failed (a full disk halfway through a print job, say).

Each is listed in the manifest, marked ``"incomplete": true`` and without a content key: the gallery
shows it, the report does not count its deliverable as produced, and the next run redoes the job.
"""

from __future__ import annotations

from pathlib import Path

from studio.batch.manifest import ManifestEntry
from studio.files import sha256_of
from studio.formats import get_format
from studio.plan import Job

_MEDIA = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
}


def _role(job: Job, suffix: str) -> str:
    if suffix == ".mp4":
        return "video"
    if suffix in (".srt", ".vtt"):
        return "captions"
    if suffix == ".pdf":
        return "print"
    return "proof" if get_format(job.format).is_print else "image"


def whole_files(job: Job, quarter_dir: Path, since_ns: int, synthetic: bool) -> tuple[ManifestEntry, ...]:
    """Manifest entries for the job's files written (renamed into place, so whole) since ``since_ns``."""
    folder = quarter_dir / job.folder
    entries = []
    try:
        candidates = sorted(folder.glob(f"{job.format}.*"))
    except OSError:
        return ()
    for path in candidates:
        suffix = path.suffix.lower()
        try:
            stat = path.stat()
            if not path.is_file() or suffix not in _MEDIA or stat.st_mtime_ns < since_ns:
                continue
            digest = sha256_of(path)
        except OSError:
            continue
        entries.append(
            ManifestEntry(
                path=path.relative_to(quarter_dir).as_posix(),
                kind=job.kind,
                role=_role(job, suffix),
                media_type=_MEDIA[suffix],
                deliverable=job.deliverable,
                language=job.language,
                format=job.format,
                quarter=str(job.quarter),
                sha256=digest,
                bytes=stat.st_size,
                synthetic=synthetic,
                draft=".draft" in path.suffixes,
                incomplete=True,  # and no content key: the job is redone on the next run
            )
        )
    return tuple(entries)
