"""Running jobs: in this process or a local process pool, one failure never stopping the others."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.formats import get_format
from studio.plan import Job
from studio.render.banners import render_job
from studio.render.manifest import manifest_entry
from studio.spec import load_campaign
from studio.spec.models import Campaign


@dataclass(frozen=True)
class JobResult:
    job: Job
    entries: tuple[dict[str, Any], ...]
    error: str | None
    detail: str | None  # a traceback, for errors that are bugs rather than bad input
    seconds: float


@lru_cache(maxsize=4)
def _campaign(path: str, mtime_ns: int) -> Campaign:
    return load_campaign(path)


def run_one(campaign_path: str, job: Job, quarter_dir: str) -> JobResult:
    """Render one job; errors come back as values so the batch goes on."""
    start = time.perf_counter()
    try:
        campaign = _campaign(campaign_path, os.stat(campaign_path).st_mtime_ns)
        outputs = render_job(campaign, job, Path(quarter_dir))
        entries = tuple(manifest_entry(job, out, Path(quarter_dir)) for out in outputs)
        return JobResult(job, entries, None, None, time.perf_counter() - start)
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


def _pixels(format_name: str) -> int:
    w, h = get_format(format_name).canvas_px
    return w * h


def run_jobs(
    campaign_path: Path,
    jobs: Sequence[Job],
    quarter_dir: Path,
    workers: int,
    on_start: Callable[[Job], None] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
) -> list[JobResult]:
    """Run ``jobs``, largest first so the long ones do not finish last; report each as it ends."""
    results: list[JobResult] = []
    path, folder = str(campaign_path), str(quarter_dir)
    jobs = sorted(jobs, key=lambda j: -_pixels(j.format))
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            if on_start:
                on_start(job)
            result = run_one(path, job, folder)
            results.append(result)
            if on_result:
                on_result(result)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future[JobResult], Job] = {}
        for job in jobs:
            pending[pool.submit(run_one, path, job, folder)] = job
            if on_start:
                on_start(job)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.pop(future)
                result = future.result()
                results.append(result)
                if on_result:
                    on_result(result)
    return results
