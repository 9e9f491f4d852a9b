"""``kind: booklet`` — A5 booklets of 8, 12 or 16 pages and DL tri-fold leaflets, from a content file per
language: a tagged reader PDF, a print PDF imposed for saddle stitch or the tri-fold, and page previews."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.formats import BOOKLET_FORMATS
from studio.kinds.base import Kind, Output, RenderOptions
from studio.kinds.infographic import no_designs

if TYPE_CHECKING:
    from studio.campaign.models import Campaign
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.pages.render import render_booklet

    return render_booklet(campaign, job, quarter_dir, options)


def preflight(campaign: Campaign, index: int) -> list[tuple[tuple[str | int, ...], str]]:
    from studio.pages.preflight import check_pages

    return check_pages(campaign, index, "booklets")


KIND = Kind(
    name="booklet",
    group="pages",
    formats=BOOKLET_FORMATS,
    render=render,
    noun={"ky": "китепче", "ru": "буклет"},
    heading={"ky": "Китепче, баракча", "ru": "Буклеты, листовки"},
    designs=no_designs,
    cost_per_px=40,
    final_roles=("print",),
    content_folder="booklets",
    preflight=preflight,
)
