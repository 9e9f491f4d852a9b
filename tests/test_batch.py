"""Quarterly batches: incremental, crash-safe, locked, parallel locally or on Dask."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from studio.batch.executors import DaskExecutor, LocalExecutor
from studio.batch.lock import quarter_lock
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from tests.cli_helpers import run_studio

Q1 = Quarter.parse("2026Q1")


def social(campaign, fmt: str | None = None):
    return plan_jobs(campaign, Q1, ["social"], None, [fmt] if fmt else None)


def options(tmp_path: Path) -> RenderOptions:
    return RenderOptions(cache_dir=str(tmp_path / "speech"))


def manifest(quarter_dir: Path) -> dict:
    return json.loads((quarter_dir / "manifest.json").read_text(encoding="utf-8"))


def check_manifest_matches_files(quarter_dir: Path) -> list[dict]:
    renders = manifest(quarter_dir)["renders"]
    for entry in renders:
        data = (quarter_dir / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    assert not [p for p in quarter_dir.rglob("*") if p.name.endswith((".tmp", ".part"))]
    return renders


def test_unchanged_jobs_are_skipped_and_a_changed_text_rerenders_only_its_jobs(project: Path, tmp_path: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    campaign = load_campaign(path)
    out = tmp_path / "renders"
    jobs = social(campaign, "story")
    first = run_batch(campaign, "2026Q1", jobs, out, LocalExecutor(1), options(tmp_path))
    assert len(first.results) == len(jobs) == 4 and not first.failures and not first.skipped
    stamps = {p: p.stat().st_mtime_ns for p in first.quarter_dir.rglob("*.png")}

    again = run_batch(campaign, "2026Q1", jobs, out, LocalExecutor(1), options(tmp_path))
    assert len(again.skipped) == 4 and not again.results
    assert {p: p.stat().st_mtime_ns for p in first.quarter_dir.rglob("*.png")} == stamps

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["deliverables"][4]["text"]["ru"]["headline"] = "Вымогают взятку? Сообщите"  # report-qr-social, ru
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = load_campaign(path)
    third = run_batch(changed, "2026Q1", jobs, out, LocalExecutor(1), options(tmp_path))
    assert [r.job.label for r in third.results] == ["report-qr-social (ru, story)"]
    assert len(third.skipped) == 3
    check_manifest_matches_files(first.quarter_dir)


def test_a_deleted_or_damaged_file_is_rendered_again(tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    campaign = load_campaign(SAMPLE)
    out = tmp_path / "renders"
    jobs = social(campaign, "facebook-link")
    result = run_batch(campaign, "2026Q1", jobs, out, LocalExecutor(1), options(tmp_path))
    victim = result.quarter_dir / "report-qr-social" / "ky" / "facebook-link.png"
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")  # same size, different bytes
    again = run_batch(campaign, "2026Q1", jobs, out, LocalExecutor(1), options(tmp_path))
    assert [r.job.label for r in again.results] == ["report-qr-social (ky, facebook-link)"]
    check_manifest_matches_files(result.quarter_dir)


def test_one_failing_job_does_not_stop_the_others(capsys, monkeypatch, write_campaign, project: Path) -> None:
    long = " ".join(["Коррупцияга каршы биргелешип күрөшөбүз"] * 40)
    path = write_campaign(lambda d: d["deliverables"][4]["text"]["ky"].update(headline=long))
    out = project / "renders"
    result = run_studio(capsys, monkeypatch, "render", str(path), "-q", "2026Q1", "--only", "social", "--out", str(out))
    assert result.code == 1
    failed = [line for line in result.err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 3 and all('"report-qr-social" (ky,' in line for line in failed)
    assert "13 rendered" in result.out and "3 failed" in result.out
    renders = check_manifest_matches_files(out / "tash-komur-2026" / "2026Q1")
    assert len(renders) == 13


def test_a_second_batch_on_the_same_folder_refuses(capsys, monkeypatch, tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    quarter_dir = tmp_path / "renders" / "tash-komur-2026" / "2026Q1"
    with quarter_lock(quarter_dir):
        result = run_studio(
            capsys,
            monkeypatch,
            "render",
            str(SAMPLE),
            "-q",
            "2026Q1",
            "--only",
            "social",
            "--out",
            str(tmp_path / "renders"),
        )
    assert result.code == 1
    assert "another studio render is writing here (pid" in result.err
    assert not (quarter_dir / "manifest.json").exists()


@pytest.mark.slow
def test_resume_after_sigkill(tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    out = tmp_path / "renders"
    quarter_dir = out / "tash-komur-2026" / "2026Q1"
    cmd = [
        sys.executable,
        "-m",
        "studio.cli",
        "render",
        str(SAMPLE),
        "-q",
        "2026Q1",
        "--only",
        "banners,social",
        "--out",
        str(out),
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (quarter_dir / "manifest.json").exists() and len(manifest(quarter_dir)["renders"]) >= 6:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-render
    proc.wait()
    partial = len(manifest(quarter_dir)["renders"])
    assert 6 <= partial < 36, "the batch should have been killed half way"

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    renders = check_manifest_matches_files(quarter_dir)
    assert len(renders) == 36  # 26 jobs: 10 print jobs (6 posters and banners, 4 newspaper ads) write a PDF and a proof


def test_dask_executor_gives_the_same_bytes_as_the_local_pool(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from tests.conftest import SAMPLE

    campaign = load_campaign(SAMPLE)
    jobs = social(campaign, "instagram-post")
    local = run_batch(campaign, "2026Q1", jobs, tmp_path / "local", LocalExecutor(2), options(tmp_path))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        dask = run_batch(
            campaign,
            "2026Q1",
            jobs,
            tmp_path / "dask",
            DaskExecutor(cluster.scheduler_address),
            options(tmp_path),
        )
    assert not local.failures and not dask.failures and len(dask.results) == 4
    for path, entry in local.entries.items():
        assert dask.entries[path].sha256 == entry.sha256, path


def test_dask_scheduler_that_does_not_answer_is_a_clear_error(capsys, monkeypatch, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from tests.conftest import SAMPLE

    start = time.monotonic()
    result = run_studio(
        capsys,
        monkeypatch,
        "render",
        str(SAMPLE),
        "-q",
        "2026Q1",
        "--only",
        "social",
        "--executor",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
        "--out",
        str(tmp_path / "r"),
    )
    assert result.code == 1
    assert "--scheduler tcp://127.0.0.1:9: no Dask scheduler answered within 10 s" in result.err
    assert time.monotonic() - start < 30


def test_plan_lists_jobs_and_what_exists(capsys, monkeypatch, tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    out = tmp_path / "renders"
    run_studio(
        capsys,
        monkeypatch,
        "render",
        str(SAMPLE),
        "-q",
        "2026Q1",
        "--only",
        "social",
        "--format",
        "story",
        "--out",
        str(out),
    )
    result = run_studio(capsys, monkeypatch, "plan", str(SAMPLE), "-q", "2026Q1", "--out", str(out))
    assert result.code == 0
    assert "4 rendered" in result.out and "to do" in result.out
    assert "what-is-a-bribe-video" in result.out


def test_a_video_alone_in_its_batch_gets_every_worker() -> None:
    from studio.batch.executors import cores_per_job

    assert cores_per_job(2, 1) == 2  # one video re-rendered: both cores encode it, in two segments
    assert cores_per_job(2, 46) == 1  # a quarter: one job per core
    assert cores_per_job(8, 3) == 2
    assert cores_per_job(1, 1) == 1  # --workers 1 is one core, also for a lone video


@pytest.mark.slow
def test_a_video_on_dask_is_encoded_in_segments_on_the_cluster(tmp_path: Path, keys_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from studio.encode import probe_mp4
    from studio.verify import CheckName, Status, verify_paths
    from tests.conftest import SAMPLE

    campaign = load_campaign(SAMPLE)
    jobs = plan_jobs(campaign, Q1, ["video"], ["ky"], ["square"])[:1]
    assert len(jobs) == 1
    draft = RenderOptions(cache_dir=str(tmp_path / "speech"), draft=True, keys_dir=str(keys_dir))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as stream,
    ):
        result = run_batch(campaign, "2026Q1", jobs, tmp_path / "dask", DaskExecutor(cluster.scheduler_address), draft)
    assert not result.failures, result.failures
    keys = [str(task["key"]) for task in stream.data]
    assert sum("run_segment" in key for key in keys) == 2, keys  # one video, two workers: two segments
    (video,) = [p for p in result.entries if p.endswith(".mp4")]
    path = tmp_path / "dask" / campaign.id / "2026Q1" / video
    facts = probe_mp4(path)
    assert facts.video is not None and facts.audio is not None
    duration = result.entries[video].duration_s
    assert duration is not None and facts.video.shown_frames == round(duration * facts.video.fps)
    (report,) = verify_paths([path], trust_anchors=keys_dir)
    for name in (CheckName.XMP, CheckName.C2PA):
        check = report.check(name)
        assert check is not None and check.status == Status.PASS
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no scratch left beside it


def _tasks(groups: str) -> list:
    from studio.batch.executors import Task
    from studio.plan import parse_groups
    from tests.conftest import SAMPLE

    campaign = load_campaign(SAMPLE)
    jobs = plan_jobs(campaign, Q1, parse_groups(groups))
    tasks = [Task(campaign, job, "/nowhere", "key", RenderOptions(cache_dir="/nowhere")) for job in jobs]
    return sorted(tasks, key=lambda t: t.cost, reverse=True)


def test_a_deliverables_languages_share_a_worker_where_they_share_a_canvas() -> None:
    """In a quarter's stills, the Kyrgyz and Russian files of one deliverable and format go to one
    worker, one after the other: what is drawn for that canvas (background, logo separations) is
    drawn once. The 3 × 1 m banner's pair, the longest, starts first."""
    from studio.batch.executors import together

    tasks = _tasks("banners,social")
    units = together(tasks, 2)
    assert sorted(t.job for u in units for t in u) == sorted(t.job for t in tasks)  # each job once
    assert all(len({(t.job.deliverable, t.job.format) for t in u}) == 1 for u in units)
    assert [sorted(t.job.language for t in u) for u in units] == [["ky", "ru"]] * len(units)
    assert units[0][0].job.format == "street-banner-3x1m"
    costs = [sum(t.cost for t in u) for u in units]
    assert costs == sorted(costs, reverse=True)


def test_languages_stay_apart_where_together_they_would_leave_a_worker_idle() -> None:
    from studio.batch.executors import together

    banner = [t for t in _tasks("banners") if t.job.format == "street-banner-3x1m"]
    assert len(banner) == 2
    assert together(banner, 2) == [(banner[0],), (banner[1],)]  # two workers: one language each
    assert together(banner, 1) == [tuple(banner)]
    # videos share nothing between languages: never together, even in a full quarter
    units = together(_tasks("banners,social,videos,pages,audio"), 2)
    assert all(len(u) == 1 for u in units if u[0].job.kind == "video")
    assert any(len(u) == 2 for u in units if u[0].job.kind == "banner")


def test_a_worker_that_dies_is_reported_for_every_job_it_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pool whose workers exit in the middle of a unit of two languages: every job gets
    exactly one result, and it says the worker died."""
    import studio.batch.executors as executors

    tasks = [t for t in _tasks("social") if t.job.format in ("instagram-post", "story")]
    assert len(tasks) == 8  # four units of two languages

    def die(*args: object) -> object:
        os._exit(3)  # the worker process ends at once, as when it is killed

    monkeypatch.setattr(executors, "run_one", die)  # the pool's processes are forked after this
    results: list = []
    LocalExecutor(2).run(tasks, results.append)
    assert sorted(r.job for r in results) == sorted(t.job for t in tasks)
    assert all(r.error and r.error.endswith("the worker process died") for r in results)
