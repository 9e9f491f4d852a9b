"""``kind: newspaper`` — ads in the newspaper's own pages, sized by its module grid (``newspaper:`` in
the campaign), in colour and grayscale: a print PDF at the module's exact size and a PNG proof."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.kinds.base import Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.stills.render import render_job

    return render_job(campaign, job, quarter_dir, options.keys_dir)


KIND = Kind(
    name="newspaper",
    group="banners",
    formats=(),
    render=render,
    noun={"ky": "гезиттеги жарнама", "ru": "реклама в газете"},
    heading={"ky": "Гезиттеги жарнама", "ru": "Реклама в газете"},
    campaign_formats=True,
    final_roles=("print",),
)
