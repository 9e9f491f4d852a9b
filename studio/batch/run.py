"""Running one job, anywhere: the function every executor calls. Errors come back as values."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from studio.batch.manifest import manifest_entry
from studio.batch.partial import whole_files
from studio.campaign import load_campaign
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.kinds import RenderOptions, get_kind
from studio.plan import Job


@dataclass(frozen=True)
class JobResult:
    job: Job
    entries: tuple[dict[str, Any], ...]  # a failed job: the files it wrote whole, marked incomplete
    error: str | None
    detail: str | None  # a traceback, for errors that are bugs rather than bad input
    seconds: float
    notices: tuple[str, ...] = ()  # e.g. a voice that fell back to espeak
    error_kind: str | None = None  # the error's class (LayoutError, VoiceError, …) or "internal" for a bug


def _written(campaign: Campaign | None, job: Job, quarter_dir: str, since_ns: int) -> tuple[dict[str, Any], ...]:
    """What a failed job had written whole (listed as incomplete, so nothing on disk goes unaccounted)."""
    synthetic = campaign is not None and campaign.deliverable(job.deliverable).is_synthetic
    return whole_files(job, Path(quarter_dir), since_ns, synthetic)


@lru_cache(maxsize=4)
def _campaign(path: str, mtime_ns: int) -> Campaign:
    return load_campaign(path)


def run_one(campaign_path: str, job: Job, quarter_dir: str, key: str, options: RenderOptions) -> JobResult:
    """Render one job and describe its files for the manifest; never raises for a job's failure."""
    start = time.perf_counter()
    started_ns = time.time_ns()
    campaign: Campaign | None = None
    try:
        campaign = _campaign(campaign_path, os.stat(campaign_path).st_mtime_ns)
        outputs = get_kind(job.kind).render(campaign, job, Path(quarter_dir), options)
        entries = []
        for out in outputs:
            entry = manifest_entry(job, out, Path(quarter_dir))
            entry["content_key"] = key
            if options.draft:
                entry["draft"] = True
            entries.append(entry)
        notices = tuple(n for out in outputs for n in out.extra.get("notices", ()))
        return JobResult(job, tuple(entries), None, None, time.perf_counter() - start, tuple(dict.fromkeys(notices)))
    except StudioError as exc:
        written = _written(campaign, job, quarter_dir, started_ns)
        return JobResult(job, written, str(exc), None, time.perf_counter() - start, error_kind=type(exc).__name__)
    except Exception as exc:  # a bug: keep the batch going, report it with its traceback
        return JobResult(
            job,
            _written(campaign, job, quarter_dir, started_ns),
            f"{job.label}: internal error {type(exc).__name__}: {exc}",
            traceback.format_exc(),
            time.perf_counter() - start,
            error_kind="internal",
        )
