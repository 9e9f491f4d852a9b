"""Batches under a race, on a full disk, and what the command line says about them."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from studio.batch.executors import LocalExecutor
from studio.batch.lock import quarter_lock
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.cli import failure_summary
from studio.errors import StudioError
from studio.kinds import RenderOptions
from studio.plan import Job, plan_jobs
from studio.quarters import Quarter
from studio.stills.render import render_job
from tests.cli_helpers import run_studio
from tests.conftest import SAMPLE

Q1 = Quarter.parse("2026Q1")


def test_lock_is_taken_before_the_write_probe_so_a_busy_folder_says_busy(tmp_path: Path) -> None:
    campaign = load_campaign(SAMPLE)
    jobs = plan_jobs(campaign, Q1, ["social"], ["ky"], ["story"])
    quarter_dir = tmp_path / "renders" / campaign.id / "2026Q1"
    quarter_dir.mkdir(parents=True)
    # What the winner of a race leaves for an instant: its own probe name taken, or a probe removed under the
    # loser's feet. A folder in the probe's place makes any probe fail, deterministically.
    import os

    (quarter_dir / f".write-test-{os.getpid()}.tmp").mkdir()
    (quarter_dir / ".write-test.tmp").mkdir()
    with quarter_lock(quarter_dir):
        with pytest.raises(StudioError) as info:
            run_batch(
                campaign, "2026Q1", jobs, tmp_path / "renders", LocalExecutor(1),
                RenderOptions(cache_dir=str(tmp_path / "speech")),
            )  # fmt: skip
    assert "another studio render is writing here" in str(info.value)
    assert "cannot write renders there" not in str(info.value)


# --- a full disk -----------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs of a chosen size (needs root, as the CI machine runs; skipped elsewhere)."""
    mounts: list[Path] = []

    def make(size_bytes: int) -> Path:
        where = tmp_path / f"disk{len(mounts)}"
        where.mkdir()
        pages = -(-size_bytes // 4096) * 4096
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={pages}", "tmpfs", str(where)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
        mounts.append(where)
        return where

    yield make
    for where in mounts:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_keeps_whole_files_in_the_manifest_and_the_pages_say_why(
    tmp_path: Path, small_disk, capsys, monkeypatch
) -> None:
    campaign = load_campaign(SAMPLE)
    job = Job(Q1, "men-para-berbeym-poster", "ky", "a4", "banner")
    sizes = {o.path.suffix: o.bytes for o in render_job(campaign, job, tmp_path / "probe")}
    # Room for the PDF and the small pages, not for the PNG proof written after it.
    disk = small_disk(sizes[".pdf"] + sizes[".png"] // 2)
    monkeypatch.chdir(tmp_path)
    result = run_studio(
        capsys, monkeypatch, "render", str(SAMPLE), "-q", "2026Q1", "--only", "banners", "--lang", "ky",
        "--format", "a4", "--out", str(disk),
    )  # fmt: skip
    assert result.code == 1
    quarter_dir = disk / campaign.id / "2026Q1"
    assert "No space left on device" in result.err
    assert "all 1 jobs failed; nothing was rendered" in result.err or "1 of" in result.err
    renders = json.loads((quarter_dir / "manifest.json").read_text(encoding="utf-8"))["renders"]
    [pdf] = renders
    assert pdf["path"] == "men-para-berbeym-poster/ky/a4.pdf" and pdf["incomplete"] is True
    assert pdf["content_key"] == "" and pdf["role"] == "print"
    assert pdf["sha256"] == hashlib.sha256((quarter_dir / pdf["path"]).read_bytes()).hexdigest()
    assert not (quarter_dir / "men-para-berbeym-poster" / "ky" / "a4.png").exists()
    assert not [p for p in quarter_dir.rglob("*") if p.name.endswith((".tmp", ".part"))]
    page = (quarter_dir / "index.html").read_text(encoding="utf-8")
    assert "Дискте орун калган жок" in page and "На диске нет места" in page
    assert "Толук эмес" in page  # the PDF's card says its job did not finish
    report = (quarter_dir / "report.ru.md").read_text(encoding="utf-8")
    missing = report.split("## Запланировано на квартал, но не подготовлено")[1].split("##")[0]
    assert "men-para-berbeym-poster (русский)" in missing or "men-para-berbeym-poster (кыргызский)" in missing


def test_failure_summary_says_nothing_was_rendered_when_every_job_failed() -> None:
    assert failure_summary(2, 2, 0, 0) == "all 2 jobs failed; nothing was rendered"
    assert failure_summary(1, 4, 2, 1) == "1 of 4 jobs failed; 2 were rendered and 1 was already up to date"
    assert failure_summary(2, 3, 0, 1) == "2 of 3 jobs failed; 1 was already up to date"
