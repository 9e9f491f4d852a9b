"""Renders started from the browser: the CLI's batch engine in a background thread, one per quarter.

The quarter lock (``studio.batch.lock``) is the single source of truth for "a render is running": a
render from the CLI, another server or this one holds it, so a second start is refused and shown.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from studio.batch.lock import LOCK_NAME
from studio.errors import StudioError
from studio.web.data import CampaignRef


@dataclass
class RenderState:
    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    running: bool = True
    error: str | None = None
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    who: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "done": self.done,
            "skipped": self.skipped,
            "failed": self.failed,
            "running": self.running,
            "error": self.error,
            "failures": self.failures[-5:],
            "who": self.who,
        }


def lock_holder(quarter_dir: Path) -> str | None:
    """Who holds the quarter's render lock ("pid 123, started …"), or None when nobody renders there."""
    path = quarter_dir / LOCK_NAME
    if not path.exists():
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "?"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class RenderJobs:
    """Background renders by (campaign, quarter)."""

    def __init__(self, out_root: Path, workers: int = 0, keys_dir: str | None = None) -> None:
        self.out_root = out_root
        self.workers = workers
        self.keys_dir = keys_dir
        self.states: dict[tuple[str, str], RenderState] = {}
        self._lock = threading.Lock()

    def state(self, campaign_id: str, quarter: str) -> RenderState | None:
        return self.states.get((campaign_id, quarter))

    def start(self, ref: CampaignRef, quarter: str, deliverable: str | None, who: str) -> RenderState:
        """Start rendering ``quarter`` (all of it, or one deliverable); raise StudioError when one is running."""
        from studio.plan import plan_jobs
        from studio.quarters import Quarter

        quarter_dir = self.out_root / ref.id / quarter
        with self._lock:
            current = self.states.get((ref.id, quarter))
            if current and current.running:
                raise StudioError(f"{ref.id} {quarter}: a render started by {current.who} is running")
            holder = lock_holder(quarter_dir)
            if holder:
                raise StudioError(f"{ref.id} {quarter}: another studio render is writing here ({holder})")
            # The campaign is read again: the file may have been edited since the server started.
            from studio.campaign import load_campaign

            campaign = load_campaign(ref.path)
            jobs = plan_jobs(campaign, Quarter.parse(quarter))
            if deliverable:
                jobs = [j for j in jobs if j.deliverable == deliverable]
                if not jobs:
                    raise StudioError(f'{ref.id} {quarter}: "{deliverable}" is not due in this quarter')
            state = RenderState(total=len(jobs), who=who)
            self.states[(ref.id, quarter)] = state
        thread = threading.Thread(
            target=self._run, args=(campaign, ref.path, quarter, jobs, state), daemon=True, name=f"render {quarter}"
        )
        thread.start()
        return state

    def _run(self, campaign, campaign_path: Path, quarter: str, jobs, state: RenderState) -> None:  # type: ignore[no-untyped-def]
        from studio.batch.executors import LocalExecutor
        from studio.batch.runner import Progress, run_batch
        from studio.kinds import RenderOptions

        def on_plan(todo: int, skipped: int) -> None:
            state.skipped = skipped
            state.done = skipped

        def on_result(result) -> None:  # type: ignore[no-untyped-def]
            state.done += 1
            if result.error:
                state.failed += 1
                state.failures.append(result.error)

        options = RenderOptions(cache_dir=str((self.out_root / ".cache" / "speech").resolve()), keys_dir=self.keys_dir)
        try:
            run_batch(
                campaign,
                quarter,
                jobs,
                self.out_root,
                LocalExecutor(self.workers),
                options,
                Progress(on_plan, on_result),
            )
        except StudioError as exc:
            state.error = str(exc)
        except Exception as exc:  # a bug: shown on the page rather than lost in a thread
            state.error = f"internal error {type(exc).__name__}: {exc}"
        finally:
            state.running = False
            state.finished = time.time()
