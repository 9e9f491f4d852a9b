"""Content keys: a job's fingerprint over everything its files depend on.

Same key, same files: an unchanged job is skipped. The key covers the job itself, the campaign's
shared settings (brand, reporting, QR, voices, pronunciation, names), the deliverable, the design and
script templates, every asset file (fonts, logo, pictures, music), the disclosure wording, the
studio version and, for voiced kinds, whether RHVoice is installed (and its version). Any change to
any of them re-renders the job.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studio import __version__, disclosure
from studio.files import sha256_of
from studio.kinds import get_kind

if TYPE_CHECKING:  # the key version is read before any model is loaded (studio.batch.noop)
    from studio.campaign.models import Campaign
    from studio.plan import Job

#: 3: AI mark in the badge, invisible watermark, CMYK print, newspaper module sizes; 2: badge on stills
KEY_VERSION = "3"


@lru_cache(maxsize=1024)
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    return sha256_of(path)


def file_digest(path: Path) -> str:
    """sha256 of a file, remembered while its size and modification time stay the same."""
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


def _tree_digest(folder: Path) -> list[tuple[str, str]]:
    if not folder.is_dir():
        return []
    return [
        (p.relative_to(folder).as_posix(), file_digest(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]


@lru_cache(maxsize=1)
def _voices_available() -> str:
    from studio.voice import rhvoice

    version = rhvoice.engine_version()
    return f"rhvoice {version}" if version else "espeak only"


def content_key(campaign: Campaign, job: Job, draft: bool = False) -> str:
    """The fingerprint of ``job``'s inputs (hex sha256)."""
    return content_keys(campaign, [job], draft)[0]


def content_keys(campaign: Campaign, jobs: Sequence[Job], draft: bool = False) -> list[str]:
    """The fingerprints of ``jobs``' inputs, in order; the shared parts (campaign settings, template
    and asset trees) are computed once for all of them."""
    shared = {
        "key_version": KEY_VERSION,
        "studio": __version__,
        "campaign": campaign.model_dump(mode="json", exclude={"deliverables", "targets"}),
        # Templates and assets are few and small; hashing them all keeps the key simple and safe.
        "templates": _tree_digest(campaign.root / "templates"),
        "assets": _tree_digest(campaign.root / "assets"),
    }
    keys = []
    for job in jobs:
        deliverable = campaign.deliverable(job.deliverable)
        parts = {
            **shared,
            "job": [str(job.quarter), job.deliverable, job.language, job.format, job.kind, draft],
            # Only this language's words: editing the Russian text leaves the Kyrgyz renders alone.
            "deliverable": deliverable.model_dump(mode="json", exclude={"text"}),
            "text": deliverable.text[job.language].model_dump(mode="json"),
            # Data tables may live anywhere in the project (campaigns/data/ by default): hash the ones it reads.
            "data": sorted((name, file_digest(path)) for name, path in deliverable.data.items()),
            "disclosure": [
                disclosure.BADGE_TEXT,
                disclosure.SPOKEN.get(job.language, ""),
                disclosure.SPOKEN_AUDIO.get(job.language, ""),
            ],
        }
        if get_kind(job.kind).scripted:
            # Voiced kinds: installing RHVoice (or a new version of it) re-renders them with the better voices.
            parts["voices"] = _voices_available()
        blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        keys.append(hashlib.sha256(blob).hexdigest())
    return keys
