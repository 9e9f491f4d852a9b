"""``kind: infographic`` — one page from data: key numbers, charts, steps, a comparison and the QR block.

Social sizes give a PNG; A4 and A3 give a tagged reader PDF, a print PDF with bleed and crop marks,
and a PNG preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.formats import INFOGRAPHIC_FORMATS
from studio.kinds.base import Kind, Output, RenderOptions

if TYPE_CHECKING:
    from studio.campaign.models import Campaign, Deliverable
    from studio.plan import Job


def render(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    from studio.pages.render import render_infographic

    return render_infographic(campaign, job, quarter_dir, options)


def preflight(campaign: Campaign, index: int) -> list[tuple[tuple[str | int, ...], str]]:
    from studio.pages.preflight import check_pages

    return check_pages(campaign, index, "infographics")


def no_designs(deliverable: Deliverable) -> tuple[str, ...]:
    return ()  # page designs live in templates/pages/ and are checked by the preflight


KIND = Kind(
    name="infographic",
    group="pages",
    formats=INFOGRAPHIC_FORMATS,
    render=render,
    noun={"ky": "инфографика", "ru": "инфографика"},
    heading={"ky": "Инфографика", "ru": "Инфографика"},
    designs=no_designs,
    cost_per_px=4,
    final_roles=("image", "print"),
    content_folder="infographics",
    preflight=preflight,
)
