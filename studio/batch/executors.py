"""Where jobs run: a local process pool (the default) or a Dask cluster. Same jobs, same files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from studio.batch.run import JobResult, run_one
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.kinds import RenderOptions, get_kind
from studio.plan import Job

if TYPE_CHECKING:
    from studio.encode.encoder import SegmentRun
    from studio.encode.ffmpeg import Progress


@dataclass(frozen=True)
class Task:
    campaign: Campaign  # the validated campaign the job keys were computed from
    job: Job
    quarter_dir: str
    key: str
    options: RenderOptions

    @property
    def cost(self) -> int:
        """Its relative cost: the format's pixels times its kind's cost per pixel, and the kind's cost per job."""
        width, height = self.campaign.format(self.job.format).canvas_px
        kind = get_kind(self.job.kind)
        return width * height * kind.cost_per_px + kind.cost_per_job


OnResult = Callable[[JobResult], None]


class Executor(Protocol):
    name: str

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        """Run every task, calling ``on_result`` (in this process) as each one finishes."""
        ...


def cores_per_job(workers: int, jobs: int) -> int:
    """The cores each job of a batch may use: a video alone in its batch is encoded on every worker's
    core at once (in segments); a full batch gives each job one."""
    return max(1, workers // max(1, min(workers, jobs)))


def together(tasks: Sequence[Task], workers: int) -> list[tuple[Task, ...]]:
    """The units a pool of ``workers`` runs, longest first: a deliverable's languages in one format
    together where its kind shares what it draws for that canvas (``Kind.languages_together``), so
    one worker draws it once; apart where together they would outweigh a worker's fair share of the
    batch and leave the other workers idle at the end."""
    fair = sum(t.cost for t in tasks) / max(1, workers)
    units: dict[object, list[Task]] = {}
    for i, task in enumerate(tasks):
        shared = get_kind(task.job.kind).languages_together
        units.setdefault((task.job.deliverable, task.job.format) if shared else i, []).append(task)
    out: list[tuple[Task, ...]] = []
    for unit in units.values():
        if len(unit) > 1 and sum(t.cost for t in unit) > fair:
            out.extend((t,) for t in unit)
        else:
            out.append(tuple(unit))
    return sorted(out, key=lambda u: sum(t.cost for t in u), reverse=True)


def _call(task: Task) -> JobResult:
    return run_one(task.campaign, task.job, task.quarter_dir, task.key, task.options)


def _call_all(unit: tuple[Task, ...]) -> list[JobResult]:
    return [_call(task) for task in unit]


class LocalExecutor:
    """A pool of worker processes on this machine (every core by default)."""

    name = "local"

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        share = cores_per_job(self.workers, len(tasks))
        tasks = [replace(t, options=replace(t.options, video_segments=share)) for t in tasks]
        if self.workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                on_result(_call(task))
            return
        units = together(tasks, self.workers)
        with ProcessPoolExecutor(max_workers=min(self.workers, len(units))) as pool:
            pending: dict[Future[list[JobResult]], tuple[Task, ...]] = {pool.submit(_call_all, u): u for u in units}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    unit = pending.pop(future)
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        # A worker died (killed, out of memory): report it, the rest are lost with it.
                        died = "the worker process died"
                        results = [JobResult(t.job, (), f"{t.job.label}: {died}", None, 0.0) for t in unit]
                    for result in results:
                        on_result(result)


class DaskExecutor:
    """Jobs on a Dask distributed cluster; every worker must see the project and output folders."""

    name = "dask"

    def __init__(self, scheduler: str, connect_timeout_s: float = 10.0) -> None:
        self.scheduler = scheduler
        self.connect_timeout_s = connect_timeout_s

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise StudioError("--executor dask needs the Dask extra: pip install 'taza-studio[dask]'") from None
        try:
            client = Client(self.scheduler, timeout=f"{self.connect_timeout_s}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise StudioError(
                f"--scheduler {self.scheduler}: no Dask scheduler answered within {self.connect_timeout_s:g} s "
                f"({type(exc).__name__}: {exc}); check the address (tcp://HOST:PORT) and that the scheduler runs"
            ) from None
        try:
            # a video gets its share of the cluster's threads: its segments are tasks of their own
            share = cores_per_job(sum(client.nthreads().values()), len(tasks))
            tasks = [replace(t, options=replace(t.options, video_segments=share, segments_on="dask")) for t in tasks]
            futures = [client.submit(_call, task, pure=False) for task in tasks]
            with client.as_current():  # as_completed looks the client up; it is not the process default
                for future in as_completed(futures):
                    on_result(future.result())
        finally:
            client.close()


def run_segments_on_dask(runs: Sequence[SegmentRun], progress: Progress | None) -> None:
    """A video's segments as tasks on the Dask cluster the job itself runs on (called in that job's
    task: the job leaves its thread to them while it waits)."""
    from distributed import as_completed, worker_client

    from studio.encode.encoder import run_segment

    with worker_client() as client:
        futures = client.map(run_segment, list(runs), pure=False)
        done = 0
        for future in as_completed(futures):
            future.result()
            done += 1
            if progress is not None:
                progress(done / len(runs))
