"""Caches that live as long as a worker process must notice files edited between batches."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from PIL import Image, ImageChops

from studio.campaign import load_campaign
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills.raster import render_layout
from studio.stills.render import layout_job

JOB = Job(Quarter.parse("2026Q1"), "men-para-berbeym-social", "ky", "instagram-post", "social")


def test_replaced_logo_is_drawn_not_the_cached_one(project: Path) -> None:
    campaign = load_campaign(project / "campaigns" / "tash-komur-2026.yaml")
    before = render_layout(layout_job(campaign, JOB))
    logo = project / "assets" / "logo" / "taza-tash-komur.png"
    stat = logo.stat()
    Image.new("RGBA", Image.open(logo).size, (255, 0, 0, 255)).save(logo)
    os.utime(logo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = render_layout(layout_job(campaign, JOB))
    assert ImageChops.difference(before, after).getbbox() is not None


def test_edited_design_is_used_not_the_cached_one(project: Path) -> None:
    campaign = load_campaign(project / "campaigns" / "tash-komur-2026.yaml")
    before = layout_job(campaign, JOB)
    path = project / "templates" / "designs" / "hashtag-poster.yaml"
    design = yaml.safe_load(path.read_text(encoding="utf-8"))
    for layer in design["variants"]["square"]["layers"]:
        if layer.get("field") == "headline":
            layer["align"] = "right"
    stat = path.stat()
    path.write_text(yaml.safe_dump(design, allow_unicode=True, sort_keys=False), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = layout_job(campaign, JOB)
    headline = [t for t in after.texts() if t.role == "headline"][0]
    old = [t for t in before.texts() if t.role == "headline"][0]
    assert headline.lines[0].x > old.lines[0].x
