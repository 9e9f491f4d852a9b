"""``manifest.json``: one entry per rendered file, written atomically after every finished job."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from studio import __version__
from studio.files import write_atomic
from studio.kinds.base import Output
from studio.plan import Job
from studio.qr import Placement, placement_tag

MANIFEST_NAME = "manifest.json"


def manifest_entry(job: Job, out: Output, quarter_dir: Path) -> dict[str, Any]:
    """What the manifest says of one file (the fields DESIGN.md lists, plus size and role)."""
    entry = {
        "path": out.path.relative_to(quarter_dir).as_posix(),
        "kind": job.kind,
        "role": out.role,
        "media_type": out.media_type,
        "deliverable": job.deliverable,
        "language": job.language,
        "format": job.format,
        "quarter": str(job.quarter),
        "sha256": out.sha256,
        "bytes": out.bytes,
        "width_px": out.width_px,
        "height_px": out.height_px,
        "dpi": out.dpi,
        "synthetic": False,  # set, with the labels it carries, by renders of synthetic content
        "disclosure": [],
        "qr_url": out.qr_url,
        "voice_engine": None,
        "duration_s": None,
    }
    if out.qr_url and not out.qr_url.startswith("tel:"):
        # The placement's short code, as its scans report it (the Telegram payload, the d/f/l/q query).
        entry["qr_tag"] = placement_tag(Placement(job.deliverable, job.format, job.language, str(job.quarter)))
    entry.update(out.extra)
    return entry


def read_manifest(quarter_dir: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Existing entries by path, and a warning when the file could not be read as a manifest."""
    path = quarter_dir / MANIFEST_NAME
    if not path.exists():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {e["path"]: e for e in data["renders"]}
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        return {}, f"{path}: not a valid manifest ({exc}); it is rebuilt from this run's renders"
    # Keep only entries whose file is still there.
    return {p: e for p, e in entries.items() if (quarter_dir / p).is_file()}, None


def write_manifest(quarter_dir: Path, campaign_id: str, quarter: str, entries: dict[str, dict[str, Any]]) -> Path:
    path = quarter_dir / MANIFEST_NAME
    body = {
        "campaign": campaign_id,
        "quarter": quarter,
        "studio_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "renders": [entries[p] for p in sorted(entries)],
    }
    write_atomic(path, (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
