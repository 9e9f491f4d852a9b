"""Golden frames: a frame from the middle of every scene kind, in every shape, against a stored PNG.

Frames are composed from the plan (studio.video.preview) at draft size, so a change in any
picture — a card, a character, a counter, a chart, a caption plate, the badge — shows here. The
tolerance (mean absolute difference, 0–255) absorbs font hinting and resampling, not a moved or
missing layer. Regenerate after an intended change with ``pytest --regen-golden``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.campaign.models import Campaign
from studio.video.explainer import VideoOptions, painter_for, plan_video
from studio.video.paint import badge_position, drawer
from studio.video.plan import LitCard
from studio.video.preview import compose_frame, scene_middle_frames
from tests.video.conftest import scenes_job

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "video"
TOLERANCE = 4.0  # mean absolute difference per channel, 0–255
SHAPES = ("youtube", "story", "square")


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean())


@pytest.fixture(scope="module", params=SHAPES)
def frames(request: pytest.FixtureRequest, scenes_campaign: Campaign, speech_cache: Path) -> tuple[str, list]:
    fmt = request.param
    job = scenes_job("ky", fmt)
    _script, voiced, plan, settings, qr_url = plan_video(scenes_campaign, job, VideoOptions(speech_cache, draft=True))
    painter = painter_for(scenes_campaign, job, voiced, settings, qr_url)
    picture = drawer(plan, painter)
    positions = {s.picture: badge_position(painter) for s in plan.stills}
    return fmt, [(kind, compose_frame(plan, picture, frame, positions)) for kind, frame in scene_middle_frames(plan)]


def test_every_scene_kind_matches_its_golden_frame(frames: tuple[str, list], regen_golden: bool) -> None:
    fmt, shots = frames
    kinds = [kind for kind, _ in shots]
    assert kinds == ["intro", "title", "bullets", "presenter", "dialogue", "steps", "stat", "chart", "chart", "end"]
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for i, (kind, frame) in enumerate(shots):
        path = GOLDEN / f"{fmt}-{i:02d}-{kind}.png"
        if regen_golden or not path.exists():
            frame.save(path, optimize=True)
            continue
        golden = Image.open(path).convert("RGB")
        assert golden.size == frame.size, (path.name, golden.size, frame.size)
        diff = mean_abs_diff(golden, frame)
        assert diff <= TOLERANCE, f"{path.name}: mean absolute difference {diff:.2f} > {TOLERANCE}"


def test_the_comparison_catches_a_missing_layer(frames: tuple[str, list]) -> None:
    """The tolerance is tight enough to see the caption plate or a character go missing."""
    _fmt, shots = frames
    dialogue = dict(shots)["dialogue"]
    title = dict(shots)["title"]
    assert mean_abs_diff(dialogue, title) > TOLERANCE * 3


@pytest.mark.parametrize("fmt", ["story", "youtube"])
def test_a_drafts_lit_cards_match_the_final_videos(fmt: str, scenes_campaign: Campaign, speech_cache: Path) -> None:
    """A draft draws its cards at the format's full size and its sprites at draft size: the light
    behind whoever speaks, drawn into a card, is enlarged to the card and lies where the final
    video has it (it once lay at half its place, over the title band of a tall frame)."""
    job = scenes_job("ky", fmt)
    lit: dict[bool, list[Image.Image]] = {}
    for draft in (False, True):
        options = VideoOptions(speech_cache, draft=draft)
        _script, voiced, plan, settings, qr_url = plan_video(scenes_campaign, job, options)
        picture = drawer(plan, painter_for(scenes_campaign, job, voiced, settings, qr_url))
        lit[draft] = [picture(key) for key, spec in plan.pictures.items() if isinstance(spec, LitCard)]
    assert lit[False] and len(lit[True]) == len(lit[False])
    for final, draft in zip(lit[False], lit[True], strict=True):
        assert draft.size == final.size
        assert mean_abs_diff(final, draft) < 0.5


LEGENDS = [("QR-код", "Телефон", "Кат"), ("QR-код аркылуу", "Телефон менен", "Электрондук почта")]


@pytest.mark.parametrize("labels", LEGENDS)
def test_a_pie_legend_is_never_cut_at_the_edge(
    labels: tuple[str, ...], scenes_campaign: Campaign, speech_cache: Path
) -> None:
    """In a story's narrow content box the legend beside the pie once ran off the right edge
    ("QR-ко", "Телеф"): it now fits, beside the pie or under it, in every frame of the sweep."""
    from studio.video.paint import draw
    from studio.video.plan import BarsPicture, PiePicture
    from studio.video.script import Datum

    job = scenes_job("ky", "story")
    _script, voiced, plan, settings, qr_url = plan_video(scenes_campaign, job, VideoOptions(speech_cache))
    painter = painter_for(scenes_campaign, job, voiced, settings, qr_url)
    # the story's content box at full size, where the scenes' charts are drawn
    charts = [plan.pictures[c.picture] for t in plan.sprites if t.role == "chart" for c in t.clips]
    (size,) = {chart.size_px for chart in charts if isinstance(chart, PiePicture | BarsPicture)}
    data = tuple(Datum(label, value) for label, value in zip(labels, (60, 24, 12), strict=True))
    for progress in (0.3, 1.0):
        image = draw(PiePicture(data, "", progress, size), painter)
        alpha = np.asarray(image.getchannel("A"))
        drawn = np.flatnonzero(alpha.max(axis=0) > 0)
        assert drawn.size and drawn[-1] < image.width - 2, (labels, progress, int(drawn[-1]), image.width)
