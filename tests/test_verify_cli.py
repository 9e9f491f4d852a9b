"""``studio verify`` as a user runs it: a table or JSON, exit 0 only when every check passes."""

from __future__ import annotations

import json
from pathlib import Path

from studio.batch.executors import LocalExecutor
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from tests.cli_helpers import run_studio


def test_verify_passes_a_fresh_render_and_fails_a_tampered_copy(
    capsys, monkeypatch, tiny_video_campaign: Path, keys_dir: Path, tmp_path: Path
) -> None:
    campaign = load_campaign(tiny_video_campaign)
    jobs = plan_jobs(campaign, Quarter.parse("2026Q1"), None, ["ky"], ["square"])
    options = RenderOptions(cache_dir=str(tmp_path / "speech"), draft=True, keys_dir=str(keys_dir))
    result = run_batch(campaign, "2026Q1", jobs, tmp_path / "out", LocalExecutor(1), options)
    video = result.quarter_dir / "tiny-video" / "ky" / "square.draft.mp4"

    good = run_studio(capsys, monkeypatch, "verify", str(video), "--trust", str(keys_dir), "--json")
    assert good.code == 0, good.out
    report = json.loads(good.out)
    assert json.dumps(report)

    data = bytearray(video.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte of the picture, after signing
    video.write_bytes(bytes(data))
    bad = run_studio(capsys, monkeypatch, "verify", str(video), "--trust", str(keys_dir))
    assert bad.code == 1
    assert "fail" in bad.out and "c2pa" in bad.out
