"""The design library: every design in every shape and language, photos done right, automatic legibility.

Golden images are kept at a reduced size (GOLDEN_LONG_SIDE_PX) to keep the repository small; the
comparison uses the same tolerance as tests/test_golden.py. Regenerate with ``pytest --regen-golden``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from studio.campaign import load_campaign
from studio.colors import contrast_ratio
from studio.errors import LayoutError, SpecError
from studio.formats import get_format
from studio.layout.engine import DrawText, Layout, PlacePhoto
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills.raster import render_layout
from studio.stills.render import layout_job, render_job
from tests.conftest import SAMPLE, make_project
from tests.test_golden import MISMATCH_RATIO, mismatches

GOLDEN = Path(__file__).parent / "golden" / "designs"
GOLDEN_LONG_SIDE_PX = 400
Q = Quarter.parse("2026Q1")
DESIGN_SAMPLES = {  # a sample deliverable for each new design
    "photo-hero": "city-services-photo",
    "event": "youth-forum-event",
    "contest": "school-poster-contest",
    "quote": "resident-quote",
    "stat": "free-certificate-stat",
    "typographic": "hashtag-street-banner",
}
SHAPES = {"portrait": "story", "square": "instagram-post", "landscape": "facebook-link"}


@pytest.fixture(scope="module")
def campaign() -> Any:
    return load_campaign(SAMPLE)


def _job(campaign: Any, deliverable: str, lang: str, fmt: str) -> Job:
    return Job(Q, deliverable, lang, fmt, campaign.deliverable(deliverable).kind)


def _as_social(campaign: Any, deliverable: str) -> Any:
    """The sample deliverable, allowed in every social format (the shapes the design serves)."""
    d = campaign.deliverable(deliverable)
    if d.kind == "social":
        return campaign
    changed = d.model_copy(update={"kind": "social", "formats": tuple(SHAPES.values())})
    deliverables = tuple(changed if x.id == deliverable else x for x in campaign.deliverables)
    copy = campaign.model_copy(update={"deliverables": deliverables})
    copy._source, copy._root = campaign.source, campaign.root
    return copy


def _compare(image: Image.Image, name: str, regen: bool, tmp_path: Path) -> None:
    small = image.copy()
    small.thumbnail((GOLDEN_LONG_SIDE_PX, GOLDEN_LONG_SIDE_PX), Image.Resampling.LANCZOS)
    golden = GOLDEN / name
    if regen:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        small.save(golden, optimize=True)
        pytest.skip(f"regenerated {golden.name}")
    assert golden.is_file(), f"no golden image {golden}; run pytest --regen-golden"
    bad = mismatches(small, Image.open(golden))
    if float(bad.mean()) > MISMATCH_RATIO:
        diff = np.asarray(small.convert("RGB")).copy() // 3
        diff[bad] = (255, 0, 0)
        Image.fromarray(diff).save(tmp_path / f"diff-{name}")
        pytest.fail(f"{name}: {bad.mean():.2%} of pixels differ; diff in {tmp_path}")


def _check_qr(image: Image.Image, layout: Layout) -> None:
    assert layout.qr is not None
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert layout.qr.matrix.data in found, found


def _check_text_contrast(layout: Layout, min_text_px: int) -> None:
    """Every text block reads on the rendered pixels: the same layout is drawn without its texts, and the
    text colour against the background pixels under each line's ink area (5th percentile) reaches WCAG AA
    (3:1 for large text, 4.5:1 otherwise)."""
    bare = render_layout(replace(layout, items=tuple(i for i in layout.items if not isinstance(i, DrawText))))
    rgb = np.asarray(bare, dtype=np.int64)
    for text in layout.texts():
        pixels = []
        for line in text.lines:
            top, bottom = round(line.baseline_y - 0.75 * text.size_px), round(line.baseline_y + 0.2 * text.size_px)
            left, right = round(line.x), round(line.x + line.width_px)
            pixels.append(rgb[max(0, top) : bottom, max(0, left) : right].reshape(-1, 3))
        under = np.concatenate(pixels)[::7]
        ratios = [contrast_ratio(text.color, (int(r), int(g), int(b))) for r, g, b in under]
        worst = float(np.percentile(ratios, 5))
        need = 3.0 if text.size_px >= 2 * min_text_px else 4.5  # as the layout rules: large text needs less
        assert worst >= need, f"{text.role}: contrast {worst:.1f}:1 on the rendered pixels (need {need})"


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("design", list(DESIGN_SAMPLES))
def test_design_renders_in_each_shape(
    campaign: Any, design: str, shape: str, lang: str, regen_golden: bool, tmp_path: Path
) -> None:
    deliverable = DESIGN_SAMPLES[design]
    social = _as_social(campaign, deliverable)
    layout = layout_job(social, Job(Q, deliverable, lang, SHAPES[shape], "social"))
    image = render_layout(layout)
    _check_qr(image, layout)
    _check_text_contrast(layout, get_format(SHAPES[shape]).min_text_px)
    _compare(image, f"{design}-{shape}-{lang}.png", regen_golden, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("design", list(DESIGN_SAMPLES))
def test_design_renders_wide_on_a_street_banner(campaign: Any, design: str, regen_golden: bool, tmp_path: Path) -> None:
    deliverable = DESIGN_SAMPLES[design]
    d = campaign.deliverable(deliverable)
    changed = d.model_copy(update={"kind": "banner", "formats": ("street-banner-3x1m",)})
    wide = campaign.model_copy(
        update={"deliverables": tuple(changed if x.id == d.id else x for x in campaign.deliverables)}
    )
    wide._source, wide._root = campaign.source, campaign.root
    layout = layout_job(wide, Job(Q, deliverable, "ky", "street-banner-3x1m", "banner"))
    image = render_layout(layout)
    small = image.resize((image.width // 4, image.height // 4), Image.Resampling.BOX)
    _check_qr(small, layout)
    _compare(image, f"{design}-wide-ky.png", regen_golden, tmp_path)


# -- photos ------------------------------------------------------------------------------------------


def _marked_photo(path: Path, size: tuple[int, int], mark: tuple[float, float], exif_rotate: bool = False) -> None:
    """A grey photo with a red square (the subject) centred at ``mark`` (fractions of the upright image)."""
    w, h = size
    arr = np.full((h, w, 3), 120, dtype=np.uint8)
    arr += (np.arange(w, dtype=np.uint16)[None, :, None] * 60 // w).astype(np.uint8)  # some texture
    cx, cy, r = int(mark[0] * w), int(mark[1] * h), int(0.05 * min(w, h))
    arr[cy - r : cy + r, cx - r : cx + r] = (220, 20, 20)
    image = Image.fromarray(arr)
    if exif_rotate:
        # Stored rotated, with EXIF orientation 6 ("rotate 90° clockwise to view"): upright is ``size``.
        stored = image.transpose(Image.Transpose.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
        stored.save(path, quality=92, exif=exif)
    else:
        image.save(path, quality=92)


def _photo_campaign(project: Path, photo: dict[str, Any], design: str = "photo-hero") -> Path:
    import yaml

    path = project / "campaigns" / "tash-komur-2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for d in data["deliverables"]:
        if d["id"] == "city-services-photo":
            d["photo"] = photo
            d["design"] = design
            d["formats"] = ["instagram-post", "story", "facebook-link"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("exif_rotate", [False, True])
def test_the_subject_stays_in_every_crop(tmp_path: Path, exif_rotate: bool) -> None:
    project = make_project(tmp_path / "p")
    (project / "assets" / "photos" / "marked.jpg").unlink(missing_ok=True)
    _marked_photo(project / "assets" / "photos" / "marked.jpg", (2400, 1600), (0.82, 0.3), exif_rotate)
    path = _photo_campaign(project, {"image": "assets/photos/marked.jpg", "focus": [0.82, 0.3]})
    campaign = load_campaign(path)
    for fmt in ("instagram-post", "story", "facebook-link"):
        layout = layout_job(campaign, _job(campaign, "city-services-photo", "ky", fmt))
        [photo] = [item for item in layout.items if isinstance(item, PlacePhoto)]
        assert photo.photo.size_px == (2400, 1600)  # upright, whatever the file stores
        mark = (0.82 * 2400 - 80, 0.3 * 1600 - 80, 0.82 * 2400 + 80, 0.3 * 1600 + 80)
        c = photo.crop
        assert c.x <= mark[0] and c.y <= mark[1] and mark[2] <= c.right and mark[3] <= c.bottom, (fmt, c)
        # and on the rendered pixels: the red subject is there, in the upper part of the photo box
        image = np.asarray(render_layout(layout), dtype=np.int16)
        box = photo.box
        region = image[box.y : box.bottom, box.x : box.right]
        red = (region[..., 0] > 180) & (region[..., 1] < 80) & (region[..., 2] < 80)
        assert red.sum() > 200, fmt


def test_a_photo_too_small_names_the_pixels_needed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    _marked_photo(project / "assets" / "photos" / "small.jpg", (500, 400), (0.5, 0.5))
    path = _photo_campaign(project, {"image": "assets/photos/small.jpg"})
    campaign = load_campaign(path)
    with pytest.raises(
        LayoutError, match=r'photo "[^"]*assets/photos/small.jpg" is 500×400 px; format story needs at least \d+×\d+ px'
    ):
        layout_job(campaign, _job(campaign, "city-services-photo", "ky", "story"))


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ({"image": "assets/photos/resident-portrait.jpg", "person": True}, "needs their consent"),
        (
            {"image": "assets/photos/resident-portrait.jpg", "person": True, "consent": True},
            "consent: yes needs a consent_note",
        ),
        ({"image": "assets/photos/town-square.jpg", "focus": [1.2, 0.5]}, r"focus \[1.2, 0.5\] must be two fractions"),
        ({"image": "assets/photos/missing.jpg"}, 'asset "assets/photos/missing.jpg" not found'),
    ],
)
def test_bad_photos_are_refused_at_validate(tmp_path: Path, photo: dict[str, Any], message: str) -> None:
    project = make_project(tmp_path / "p")
    path = _photo_campaign(project, photo)
    with pytest.raises(SpecError, match=r"tash-komur-2026.yaml:\d+: deliverables\[\d+\]\.photo.*" + message):
        load_campaign(path)


def test_a_corrupt_photo_is_refused_at_validate(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    good = (project / "assets" / "photos" / "town-square.jpg").read_bytes()
    (project / "assets" / "photos" / "broken.jpg").write_bytes(good[:2000])
    path = _photo_campaign(project, {"image": "assets/photos/broken.jpg"})
    with pytest.raises(SpecError, match=r'photo\.image: "[^"]*assets/photos/broken.jpg" is damaged or cut short'):
        load_campaign(path)


def test_a_cmyk_photo_is_converted_and_said(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    Image.open(project / "assets" / "photos" / "town-square.jpg").convert("CMYK").save(
        project / "assets" / "photos" / "cmyk.jpg", quality=90
    )
    path = _photo_campaign(project, {"image": "assets/photos/cmyk.jpg", "focus": [0.5, 0.55]})
    campaign = load_campaign(path)
    job = _job(campaign, "city-services-photo", "ru", "instagram-post")
    outputs = render_job(campaign, job, tmp_path / "out")
    notices = outputs[0].extra.get("notices", [])
    assert any("CMYK" in n and "converted" in n for n in notices), notices
    with Image.open(outputs[0].path) as im:
        assert im.mode == "RGB"


# -- events and contests -----------------------------------------------------------------------------


def _edit(project: Path, deliverable: str, **fields: Any) -> Path:
    import yaml

    path = project / "campaigns" / "tash-komur-2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for d in data["deliverables"]:
        if d["id"] == deliverable:
            for key, value in fields.items():
                if value is None:
                    d.pop(key, None)
                else:
                    d[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event": None}, r'event: design "event" shows the date, and ky has none: give event: \{date:'),
        ({"event": {"date": "2029-05-15"}}, r"event\.date: 2029-05-15 is outside the campaign period 2026Q1–2027Q4"),
        ({"event": {"date": "2026-05-15", "time": "25:00"}}, r"event\.time: .*should match pattern"),
    ],
)
def test_event_mistakes_are_named(tmp_path: Path, fields: dict[str, Any], message: str) -> None:
    path = _edit(make_project(tmp_path / "p"), "youth-forum-event", **fields)
    with pytest.raises(SpecError, match=message):
        load_campaign(path)


def test_a_contest_deadline_before_its_quarter_is_refused(tmp_path: Path) -> None:
    path = _edit(make_project(tmp_path / "p"), "school-poster-contest", contest={"deadline": "2026-06-30"})
    with pytest.raises(
        SpecError, match=r"contest\.deadline: 2026-06-30 is before quarter 2026Q3 starts \(2026-07-01\)"
    ):
        load_campaign(path)


def test_dates_are_written_as_each_language_writes_them(campaign: Any) -> None:
    ky = layout_job(campaign, _job(campaign, "youth-forum-event", "ky", "a3"))
    ru = layout_job(campaign, _job(campaign, "youth-forum-event", "ru", "a3"))
    words = {t.role: " ".join(line.text for line in t.lines) for t in ky.texts()}
    assert words["date"] == "15-май, 2026-ж." and words["time"] == "10:00"
    assert {t.role: " ".join(line.text for line in t.lines) for t in ru.texts()}["date"] == "15 мая 2026 г."
    assert ky.qr is not None and ky.qr.matrix.data.startswith("https://tash-komur.example/forum?")


# -- automatic legibility ------------------------------------------------------------------------------


def test_unreadable_text_takes_the_brands_other_text_colour_and_says_so(campaign: Any) -> None:
    """The kicker is gold by design; on the bright part of a gradient the layout draws it in white instead."""
    social = _as_social(campaign, "youth-forum-event")
    layout = layout_job(social, Job(Q, "youth-forum-event", "ky", "story", "social"))
    kicker = next(t for t in layout.texts() if t.role == "kicker")
    assert kicker.color == campaign.brand.colors["light"] != campaign.brand.colors["accent"]
    assert any(
        n.startswith("kicker: colour #F2B705") and "drawn in the brand's light colour" in n for n in layout.notes
    )


def test_every_shipped_design_serves_every_shape() -> None:
    from studio.campaign import load_design

    root = SAMPLE.parent.parent
    for design in DESIGN_SAMPLES:
        assert set(load_design(root, design).variants) == {"portrait", "square", "landscape", "wide"}, design
