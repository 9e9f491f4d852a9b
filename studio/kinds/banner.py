"""``kind: banner`` — posters, street banners and billboards: a print PDF with bleed and a PNG proof."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.formats import PRINT_FORMATS
from studio.kinds.base import PRINT_JOB_COST, Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.stills.render import render_job

    return render_job(campaign, job, quarter_dir, options.keys_dir)


KIND = Kind(
    name="banner",
    group="banners",
    formats=PRINT_FORMATS,
    render=render,
    noun={"ky": "баннер", "ru": "баннер"},
    heading={"ky": "Баннер, плакат", "ru": "Баннеры, плакаты"},
    final_roles=("print",),
    languages_together=True,
    cost_per_job=PRINT_JOB_COST,
)
