"""``kind: audio`` — radio spots, podcast episodes and messenger voice notes, from the same scripts as videos."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.formats import AUDIO_FORMATS
from studio.kinds.base import Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign, Deliverable
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.audio.render import AudioOptions, render_audio_job

    return render_audio_job(campaign, job, quarter_dir, AudioOptions(Path(options.cache_dir)), options.keys_dir)


def no_designs(deliverable: Deliverable) -> tuple[str, ...]:
    return ()


KIND = Kind(
    name="audio",
    group="audio",
    formats=AUDIO_FORMATS,
    render=render,
    noun={"ky": "аудио", "ru": "аудио"},
    heading={"ky": "Радио ролик, подкаст, үн билдирүү", "ru": "Радиоролики, подкасты, голосовые сообщения"},
    always_synthetic=True,
    scripted=True,
    designs=no_designs,
    drawn=False,
    final_roles=("audio",),
)
