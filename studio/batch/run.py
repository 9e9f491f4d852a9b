"""Running one job, anywhere: the function every executor calls. Errors come back as values."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from studio.batch.manifest import ManifestEntry
from studio.batch.partial import whole_files
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.kinds import RenderOptions, get_kind
from studio.plan import Job


@dataclass(frozen=True)
class JobResult:
    job: Job
    entries: tuple[ManifestEntry, ...]  # a failed job: the files it wrote whole, marked incomplete
    error: str | None
    detail: str | None  # a traceback, for errors that are bugs rather than bad input
    seconds: float
    notices: tuple[str, ...] = ()  # e.g. a voice that fell back to espeak
    error_kind: str | None = None  # the error's class (LayoutError, VoiceError, …) or "internal" for a bug


def run_one(campaign: Campaign, job: Job, quarter_dir: str, key: str, options: RenderOptions) -> JobResult:
    """Render one job and describe its files for the manifest; never raises for a job's failure.

    ``campaign`` is the very campaign the batch computed ``key`` from (passed, not re-read): a campaign
    file edited during a batch cannot put new words under an old content key."""
    start = time.perf_counter()
    started_ns = time.time_ns()
    try:
        outputs = get_kind(job.kind).render(campaign, job, Path(quarter_dir), options)
        entries = [ManifestEntry.of_output(job, out, Path(quarter_dir), key, options.draft) for out in outputs]
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


def _written(campaign: Campaign, job: Job, quarter_dir: str, since_ns: int) -> tuple[ManifestEntry, ...]:
    """What a failed job had written whole (listed as incomplete, so nothing on disk goes unaccounted)."""
    try:
        synthetic = campaign.deliverable(job.deliverable).is_synthetic
        return whole_files(job, Path(quarter_dir), since_ns, synthetic)
    except Exception:  # noqa: BLE001 — never let the account of a failure hide the failure itself
        return ()
