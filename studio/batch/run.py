"""Running one job, anywhere: the function every executor calls. Errors come back as values."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from studio.batch.manifest import ManifestEntry
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.kinds import RenderOptions, get_kind
from studio.plan import Job


@dataclass(frozen=True)
class JobResult:
    job: Job
    entries: tuple[ManifestEntry, ...]
    error: str | None
    detail: str | None  # a traceback, for errors that are bugs rather than bad input
    seconds: float
    notices: tuple[str, ...] = ()  # e.g. a voice that fell back to espeak


def run_one(campaign: Campaign, job: Job, quarter_dir: str, key: str, options: RenderOptions) -> JobResult:
    """Render one job and describe its files for the manifest; never raises for a job's failure.

    ``campaign`` is the very campaign the batch computed ``key`` from (passed, not re-read): a campaign
    file edited during a batch cannot put new words under an old content key."""
    start = time.perf_counter()
    try:
        outputs = get_kind(job.kind).render(campaign, job, Path(quarter_dir), options)
        entries = [ManifestEntry.of_output(job, out, Path(quarter_dir), key, options.draft) for out in outputs]
        notices = tuple(n for out in outputs for n in out.extra.get("notices", ()))
        return JobResult(job, tuple(entries), None, None, time.perf_counter() - start, tuple(dict.fromkeys(notices)))
    except StudioError as exc:
        return JobResult(job, (), str(exc), None, time.perf_counter() - start)
    except Exception as exc:  # a bug: keep the batch going, report it with its traceback
        return JobResult(
            job,
            (),
            f"{job.label}: internal error {type(exc).__name__}: {exc}",
            traceback.format_exc(),
            time.perf_counter() - start,
        )
