"""What a process keeps between stills (gradient backgrounds, rendered lines of text) changes no pixel."""

from __future__ import annotations

from PIL import Image, ImageDraw

from studio.campaign import load_campaign
from studio.fonts import pillow_font
from studio.layout.engine import DrawText
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills import raster
from studio.stills.raster import draw_line, render_layout
from studio.stills.render import layout_job
from tests.conftest import SAMPLE

JOBS = [
    ("men-para-berbeym-social", "ky", "instagram-post"),
    ("men-para-berbeym-social", "ru", "instagram-post"),
    ("report-qr-social", "ky", "instagram-post"),
    ("men-para-berbeym-social", "ky", "story"),
]


def forget() -> None:
    raster._TEXT_MASKS = raster._TextMasks(raster.TEXT_CACHE_BYTES)
    raster._cached_blend.cache_clear()


def test_renders_with_and_without_what_was_kept_are_identical() -> None:
    campaign = load_campaign(SAMPLE)
    layouts = [layout_job(campaign, Job(Quarter.parse("2026Q1"), d, lang, fmt, "social")) for d, lang, fmt in JOBS]
    fresh = []
    for layout in layouts:
        forget()
        fresh.append(render_layout(layout).tobytes())
    forget()
    kept = [render_layout(layout).tobytes() for layout in layouts * 2]  # the second round draws from what was kept
    assert raster._TEXT_MASKS.used > 0 and raster._cached_blend.cache_info().hits > 0
    assert kept == fresh * 2
    # The background kept is never drawn on: the next render starts from the same gradient.
    tile = raster._cached_blend(layouts[0].items[0])
    assert tile.tobytes() == raster._blend(layouts[0].items[0]).tobytes()


def test_a_line_is_drawn_exactly_as_pillow_draws_it() -> None:
    campaign = load_campaign(SAMPLE)
    layout = layout_job(campaign, Job(Quarter.parse("2026Q1"), *JOBS[0], "social"))
    texts = [item for item in layout.items if isinstance(item, DrawText)]
    assert texts
    for item in texts:
        for line in item.lines:
            for x, y in ((line.x, line.baseline_y), (line.x + 0.25, line.baseline_y + 0.5)):
                ours, pillows = (
                    Image.new("RGB", (1080, 1080), (11, 31, 58)),
                    Image.new("RGB", (1080, 1080), (11, 31, 58)),
                )
                draw_line(ImageDraw.Draw(ours), item.font, item.size_px, x, y, line.text, item.color)
                draw_line(ImageDraw.Draw(ours), item.font, item.size_px, x, y + 120, line.text, item.color)  # kept
                font = pillow_font(item.font, item.size_px)
                ImageDraw.Draw(pillows).text((x, y), line.text, font=font, fill=item.color, anchor="ls")
                ImageDraw.Draw(pillows).text((x, y + 120), line.text, font=font, fill=item.color, anchor="ls")
                assert ours.tobytes() == pillows.tobytes(), line.text


def test_the_text_cache_keeps_within_its_budget() -> None:
    masks = raster._TextMasks(budget=100_000)
    for i in range(50):
        mask = Image.new("L", (100, 100)).im
        masks.put(("font", 10, str(i), (0.0, 0.0)), mask, (0, 0))
    assert masks.used <= 100_000
    assert masks.get(("font", 10, "49", (0.0, 0.0))) is not None
    assert masks.get(("font", 10, "0", (0.0, 0.0))) is None
