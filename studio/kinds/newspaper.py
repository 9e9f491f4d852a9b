"""``kind: newspaper`` — ads in the newspaper's own pages, sized by its module grid (``newspaper:`` in
the campaign), in colour and grayscale: a print PDF at the module's exact size and a PNG proof."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.kinds.base import PRINT_JOB_COST, Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from dataclasses import replace

    from studio.stills.render import render_job

    # The module's size goes in the manifest: `studio verify` has no campaign to look the grid up in.
    trim_mm = tuple(round(v, 2) for v in campaign.format(job.format).trim_mm)
    outputs = render_job(campaign, job, quarter_dir, options.keys_dir)
    return [replace(out, extra={**out.extra, "trim_mm": trim_mm}) for out in outputs]


KIND = Kind(
    name="newspaper",
    group="banners",
    formats=(),
    render=render,
    noun={"ky": "гезиттеги жарнама", "ru": "реклама в газете"},
    heading={"ky": "Гезиттеги жарнама", "ru": "Реклама в газете"},
    campaign_formats=True,
    final_roles=("print",),
    languages_together=True,
    cost_per_job=PRINT_JOB_COST,
)
