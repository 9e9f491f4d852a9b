"""`studio verify` on a full-size final render (1920×1080, 30 fps, x264 veryfast with B-frames) and on the
half-size copy a platform's transcoder would make of it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

from studio.batch.executors import LocalExecutor
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from studio.verify import BadgeStyle, CheckName, Status, reports_table, summarize, verify_paths
from tests.conftest import make_project, make_tiny_video_campaign

pytestmark = pytest.mark.slow
VIDEO = "tiny-video/ky/youtube.mp4"


@pytest.fixture(scope="module")
def final(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path) -> tuple[Path, BadgeStyle]:
    from studio.batch.runner import run_batch

    base = tmp_path_factory.mktemp("verify-full")
    path = make_tiny_video_campaign(make_project(base / "project"))
    campaign = load_campaign(path)
    jobs = plan_jobs(campaign, Quarter.parse("2026Q1"), ["video"], ["ky"], ["youtube"])
    options = RenderOptions(cache_dir=str(base / "speech"), keys_dir=str(keys_dir))
    result = run_batch(campaign, "2026Q1", jobs, base / "out", LocalExecutor(1), options)
    assert not result.failures, result.failures
    return result.quarter_dir / VIDEO, BadgeStyle.of(campaign)


def test_final_render_passes_every_check_with_the_campaigns_badge(
    final: tuple[Path, BadgeStyle], keys_dir: Path
) -> None:
    video, badge = final
    (report,) = verify_paths([video], trust_anchors=keys_dir, badge=badge)
    assert report.status == Status.PASS and report.format == "youtube", reports_table([report])
    visible = report.check(CheckName.VISIBLE_LABEL)
    assert visible is not None and visible.facts["lowest_match"] > 0.95
    assert report.duration_s is not None and visible.facts["sampled"] >= int(report.duration_s) + 1
    assert summarize([report]).seconds_per_video_minute is not None


def test_a_transcoded_half_size_copy_keeps_its_badge_and_qr(final: tuple[Path, BadgeStyle], tmp_path: Path) -> None:
    video, _ = final
    copy = tmp_path / "transcoded.mp4"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(video), "-vf", "scale=960:540", "-crf", "30"]
        + ["-preset", "veryfast", str(copy)],
        check=True,
    )
    (report,) = verify_paths([copy])
    assert report.format == "youtube" and report.format_from == "frame size"
    for name in (CheckName.VISIBLE_LABEL, CheckName.SPOKEN_DISCLOSURE, CheckName.QR):
        check = report.check(name)
        assert check is not None and check.status == Status.PASS, reports_table([report])
    assert report.status == Status.FAIL  # the transcode dropped XMP and C2PA
