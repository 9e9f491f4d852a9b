"""``kind: video`` — AI-voiced explainers: a labelled, signed MP4 with SRT and WebVTT captions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.formats import VIDEO_FORMATS
from studio.kinds.base import Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign, Deliverable
    from studio.plan import Job

#: A video deliverable's design NAME stands for three designs: its title card, its scenes, its end card.
VIDEO_DESIGN_PARTS = ("intro", "scene", "end")


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.video.explainer import VideoOptions, render_video_job

    runner = None
    if options.segments_on == "dask":
        from studio.batch.executors import run_segments_on_dask

        runner = run_segments_on_dask
    video = VideoOptions(Path(options.cache_dir), options.draft, segments=options.video_segments, runner=runner)
    return render_video_job(campaign, job, quarter_dir, video, options.keys_dir)


def designs(deliverable: Deliverable) -> tuple[str, ...]:
    return tuple(f"{deliverable.design}-{part}" for part in VIDEO_DESIGN_PARTS)


KIND = Kind(
    name="video",
    group="videos",
    formats=VIDEO_FORMATS,
    render=render,
    noun={"ky": "видео", "ru": "видео"},
    heading={"ky": "Түшүндүрмө видео", "ru": "Разъясняющие видео"},
    always_synthetic=True,
    scripted=True,
    designs=designs,
    cost_per_px=60,
    final_roles=("video",),
)
