"""A quarter's batch: lock the folder, skip what is up to date, run the rest, keep the manifest true.

Crash safety comes from three rules: every file is written whole and renamed into place; the
manifest is rewritten (atomically) after every finished job, only listing files that are complete;
and a job is skipped only when every file the manifest lists for it exists with the recorded size,
sha256 and content key. A batch killed at any moment therefore resumes where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.batch.approved import locked_files, settle, staging_dir
from studio.batch.executors import Executor, Task
from studio.batch.keys import content_keys
from studio.batch.lock import quarter_lock, remove_leftovers
from studio.batch.manifest import MANIFEST_NAME, Manifest, ManifestEntry, read_manifest, read_manifests, write_manifest
from studio.batch.run import JobResult
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.files import sha256_of
from studio.kinds import RenderOptions
from studio.plan import Job
from studio.review import approved_files


@dataclass(frozen=True)
class BatchResult:
    quarter_dir: Path
    skipped: tuple[Job, ...]
    results: tuple[JobResult, ...]
    warnings: tuple[str, ...]
    entries: dict[str, ManifestEntry]
    review: tuple[Path, ...] = ()  # the gallery and report files this run wrote

    @property
    def failures(self) -> tuple[JobResult, ...]:
        return tuple(r for r in self.results if r.error)


@dataclass
class Progress:
    """Callbacks for the CLI's progress display (all optional)."""

    on_plan: Callable[[int, int], None] | None = None  # (to render, skipped)
    on_result: Callable[[JobResult], None] | None = None


def up_to_date(entries: dict[str, ManifestEntry], job: Job, key: str, quarter_dir: Path, draft: bool) -> bool:
    """Every file the manifest lists for ``job`` is there, whole, and rendered from the same inputs."""
    mine = [e for e in entries.values() if e.is_job(job, draft)]
    if not mine or any(e.content_key != key for e in mine):
        return False
    for entry in mine:
        path = quarter_dir / entry.path
        if not path.is_file() or path.stat().st_size != entry.bytes or sha256_of(path) != entry.sha256:
            return False
    return True


def ensure_writable(quarter_dir: Path) -> None:
    """A file can be created and removed in ``quarter_dir``: called under the quarter's lock, so another
    run's clean-up of temporary files cannot remove the probe and turn a busy folder into a false
    "cannot write" message."""
    try:
        probe = quarter_dir / f".write-test-{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StudioError(f"{quarter_dir}: cannot write renders there ({exc.strerror or exc})") from None


def make_folder(quarter_dir: Path) -> None:
    try:
        quarter_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(f"{quarter_dir}: cannot write renders there ({exc.strerror or exc})") from None


def run_batch(
    campaign: Campaign,
    quarter: str,
    jobs: Sequence[Job],
    out_root: Path,
    executor: Executor,
    options: RenderOptions,
    progress: Progress | None = None,
    after: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Render the ``jobs`` of one quarter into ``out_root/<campaign>/<quarter>/``.

    ``after`` is called with the result while the quarter is still locked, once everything is written."""
    progress = progress or Progress()
    quarter_dir = out_root / campaign.id / quarter
    make_folder(quarter_dir)
    warnings: list[str] = []
    # The lock first: a run that finds the folder busy says so, whatever the other run is doing there.
    with quarter_lock(quarter_dir):
        ensure_writable(quarter_dir)
        remove_leftovers(quarter_dir)
        entries, warning = read_manifest(quarter_dir)
        if warning:
            warnings.append(warning)
        locked = locked_files(approved_files(out_root, campaign.id, quarter), quarter_dir)
        staged: dict[Job, Path] = {}
        todo: list[Task] = []
        skipped: list[Job] = []
        for job, key in zip(jobs, content_keys(campaign, jobs, options.draft), strict=True):
            if up_to_date(entries, job, key, quarter_dir, options.draft):
                skipped.append(job)
            else:
                # A job with an approved file renders aside, so the approved bytes are never overwritten.
                target = staging_dir(job, quarter_dir, locked)
                if target:
                    staged[job] = target
                todo.append(Task(campaign, job, str((target or quarter_dir).resolve()), key, options))
        # Largest canvases first, so the long jobs do not finish last on an otherwise idle pool.
        todo.sort(key=lambda t: t.cost, reverse=True)
        if progress.on_plan:
            progress.on_plan(len(todo), len(skipped))
        results: list[JobResult] = []

        def save() -> None:
            """Rewrite the manifest; on a full disk say so and go on (the next job may free space)."""
            try:
                write_manifest(quarter_dir, campaign.id, quarter, entries.values())
            except StudioError as exc:
                note = f"the manifest could not be written: {exc}"
                if note not in warnings:
                    warnings.append(note)

        def finished(result: JobResult) -> None:
            results.append(result)
            if not result.error:
                new = result.entries
                if result.job in staged:
                    new = tuple(settle(result.job, staged[result.job], quarter_dir, new, locked, entries))
                for path in [p for p, e in entries.items() if e.is_job(result.job, options.draft)]:
                    del entries[path]
                for entry in new:
                    entries[entry.path] = entry
                save()
            elif result.entries and result.job not in staged:
                # Files the failed job wrote whole: listed (incomplete, no content key, so redone next run).
                # (A job rendered aside for an approval lock left its files in the staging folder: dropped.)
                for entry in result.entries:
                    entries[entry.path] = entry
                save()
            if progress.on_result:
                progress.on_result(result)

        if todo:
            executor.run(todo, finished)
        if not todo or not (quarter_dir / MANIFEST_NAME).exists():
            save()
        review: tuple[Path, ...] = ()
        try:
            so_far = BatchResult(quarter_dir, (), tuple(results), (), entries)
            review = write_review(campaign, quarter, out_root, so_far)
        except StudioError as exc:
            warnings.append(f"the review gallery or report could not be written: {exc}")
        result = BatchResult(quarter_dir, tuple(skipped), tuple(results), tuple(warnings), entries, review)
        if after:
            after(result)
    return result


def write_review(campaign: Campaign, quarter: str, out_root: Path, result: BatchResult) -> tuple[Path, ...]:
    """The quarter's review gallery (index.html) and its report (Markdown, HTML and CSV, in ky and ru)."""
    import datetime as dt

    from studio.quarters import Quarter
    from studio.report import build_quarterly_report, write_gallery, write_report

    manifests = read_manifests(out_root, campaign.id)
    on_disk = manifests.get(quarter) or Manifest(campaign=campaign.id, quarter=quarter)
    # This run's entries, even when the manifest could not be written (a full disk): the pages tell the truth.
    manifests[quarter] = on_disk.model_copy(
        update={"renders": tuple(result.entries[p] for p in sorted(result.entries))}
    )
    failures = [
        {
            "deliverable": r.job.deliverable,
            "language": r.job.language,
            "format": r.job.format,
            "error": r.error,
            "error_kind": r.error_kind,
        }
        for r in result.failures
    ]
    title = campaign.title.get("ky") or next(iter(campaign.title.values()))
    placeholder = campaign.reporting.url if campaign.reporting.placeholder else None
    gallery = write_gallery(result.quarter_dir, manifests[quarter], failures, title, placeholder_url=placeholder)
    approved = locked_files(approved_files(out_root, campaign.id, quarter), result.quarter_dir)
    report = build_quarterly_report(campaign, Quarter.parse(quarter), manifests, dt.date.today(), approved)
    return (gallery, *write_report(report, result.quarter_dir))
