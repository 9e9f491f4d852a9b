"""Batches under a race, on a full disk, and what the command line says about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.batch.executors import LocalExecutor
from studio.batch.lock import quarter_lock
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.errors import StudioError
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
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
                campaign, SAMPLE, "2026Q1", jobs, tmp_path / "renders", LocalExecutor(1),
                RenderOptions(cache_dir=str(tmp_path / "speech")),
            )  # fmt: skip
    assert "another studio render is writing here" in str(info.value)
    assert "cannot write renders there" not in str(info.value)
