"""The layout engine: text fits its box and is never clipped, one design adapts to every format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from studio.campaign import load_campaign, load_design
from studio.errors import LayoutError
from studio.fonts import PillowMeasure
from studio.formats import FORMATS, PRINT_FORMATS, SOCIAL_FORMATS, get_format
from studio.layout.design import shape_of
from studio.layout.engine import DrawText, LayoutInput, Words, build_layout
from studio.layout.text import fit_text, wrap
from studio.qr import QUIET_ZONE_MODULES
from tests.conftest import REPO, SAMPLE

BOLD = REPO / "assets" / "fonts" / "NotoSans-Bold.ttf"
MEASURE = PillowMeasure()


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(SAMPLE)


def layout(campaign, deliverable_id: str, fmt: str, lang: str = "ky", url: str = "https://tash-komur.example/r"):
    d = campaign.deliverable(deliverable_id)
    spec = LayoutInput.of(campaign, d, lang, get_format(fmt), load_design(campaign.root, d.design), url)
    return build_layout(spec, MEASURE)


def test_wrap_breaks_by_measured_width() -> None:
    lines = wrap("Коррупцияга туш болдуңузбу? Кабарлаңыз!", 600, BOLD, 60, MEASURE)
    assert lines is not None and len(lines) >= 2
    assert all(MEASURE.width(BOLD, 60, line) <= 600 for line in lines)
    assert " ".join(lines) == "Коррупцияга туш болдуңузбу? Кабарлаңыз!"


def test_fit_shrinks_until_it_fits_and_no_further() -> None:
    text = "Мамлекеттик кызмат — сиздин укугуңуз, соода эмес."
    fitted = fit_text(text, 500, 160, BOLD, 120, 20, MEASURE)
    assert fitted is not None and 20 <= fitted.size_px < 120
    assert fitted.height_px <= 160
    bigger = fit_text(text, 500, 160, BOLD, fitted.size_px + 1, fitted.size_px + 1, MEASURE, balance=False)
    assert bigger is None  # one pixel larger would not fit: it shrank no more than needed


def test_fit_gives_up_below_the_minimum() -> None:
    assert fit_text("Пара " * 200, 300, 100, BOLD, 80, 28, MEASURE) is None


def test_balanced_wrap_avoids_a_lonely_last_word() -> None:
    text = "Таза Кыргызстан ар бирибизден башталат"
    greedy = fit_text(text, 1300, 600, BOLD, 110, 110, MEASURE, balance=False)
    balanced = fit_text(text, 1300, 600, BOLD, 110, 110, MEASURE, balance=True)
    assert greedy and balanced and len(greedy.lines) == len(balanced.lines) == 3
    widths = [MEASURE.width(BOLD, 110, line) for line in balanced.lines]
    greedy_widths = [MEASURE.width(BOLD, 110, line) for line in greedy.lines]
    assert max(widths) - min(widths) < max(greedy_widths) - min(greedy_widths)


@pytest.mark.parametrize(
    ("fmt", "shape"),
    [
        ("story", "portrait"),
        ("a3", "portrait"),
        ("instagram-post", "square"),
        ("facebook-link", "landscape"),
        ("billboard-6x3m", "landscape"),
        ("street-banner-3x1m", "wide"),
    ],
)
def test_each_format_picks_the_variant_of_its_safe_area(fmt: str, shape: str) -> None:
    f = get_format(fmt)
    s = f.safe_px
    assert shape_of(f.width_px - s.left - s.right, f.height_px - s.top - s.bottom) == shape


@pytest.mark.parametrize("fmt", SOCIAL_FORMATS + PRINT_FORMATS)
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_text_line_lies_inside_its_box_and_the_safe_area(campaign, fmt: str, lang: str) -> None:
    kind = "men-para-berbeym-social" if fmt in SOCIAL_FORMATS else "report-street-banner"
    result = layout(campaign, kind, fmt, lang)
    texts = [item for item in result.items if isinstance(item, DrawText)]
    assert {t.role for t in texts} >= {"headline", "hashtags", "call to action", "reporting contacts"}
    safe = result.safe
    for text in texts:
        assert text.size_px >= FORMATS[fmt].min_text_px
        for line in text.lines:
            assert safe.x - 1 <= line.x and line.x + line.width_px <= safe.right + 1, (text.role, line.text)
            assert safe.y <= line.baseline_y <= safe.bottom, (text.role, line.text)


@pytest.mark.parametrize("fmt", SOCIAL_FORMATS + PRINT_FORMATS)
def test_qr_code_meets_the_scanning_distance_rule(campaign, fmt: str) -> None:
    kind = "men-para-berbeym-social" if fmt in SOCIAL_FORMATS else "report-street-banner"
    qr = layout(campaign, kind, fmt).qr
    assert qr is not None
    assert qr.modules_box.w >= FORMATS[fmt].min_qr_px
    # The light panel around the code leaves a full 4-module quiet zone on every side.
    assert qr.panel.w == qr.panel.h == (qr.matrix.size + 2 * QUIET_ZONE_MODULES) * qr.module_px
    assert qr.origin == (qr.panel.x + 4 * qr.module_px, qr.panel.y + 4 * qr.module_px)


def test_print_qr_size_rule_is_a_tenth_of_the_scanning_distance() -> None:
    a3 = get_format("a3")
    assert a3.px_to_mm(a3.min_qr_px) == pytest.approx(60, abs=0.2)  # scanned from 0.6 m
    banner = get_format("street-banner-3x1m")
    assert banner.px_to_mm(banner.min_qr_px) == pytest.approx(300, abs=0.5)  # scanned from 3 m


def test_qr_block_too_small_is_an_error_naming_the_job(campaign, tmp_path: Path) -> None:
    design = load_design(campaign.root, "hashtag-poster")
    portrait = design.variants["portrait"]
    layers = tuple(
        layer.model_copy(update={"box": (0.0, 0.715, 1.0, 0.05)}) if layer.type == "qr" else layer
        for layer in portrait.layers
    )
    small = design.model_copy(
        update={"variants": {**design.variants, "portrait": portrait.model_copy(update={"layers": layers})}}
    )
    d = campaign.deliverable("men-para-berbeym-poster")
    spec = LayoutInput.of(campaign, d, "ru", get_format("a3"), small, "https://tash-komur.example/r")
    with pytest.raises(
        LayoutError,
        match=r'deliverable "men-para-berbeym-poster" \(ru, a3\): the QR code would be '
        r"\d+ mm wide, but scanning it from 0.6 m needs at least 60 mm",
    ):
        build_layout(spec, MEASURE)


def test_low_contrast_text_is_an_error(campaign) -> None:
    bad = campaign.model_copy(
        update={
            "brand": campaign.brand.model_copy(
                update={"colors": {**campaign.brand.colors, "light": (200, 210, 230), "dark": (150, 170, 200)}}
            )
        }
    )
    d = campaign.deliverable("report-qr-social")  # solid "dark" background
    spec = LayoutInput.of(
        bad, d, "ky", get_format("instagram-post"), load_design(campaign.root, d.design), "https://x.kg"
    )
    with pytest.raises(LayoutError, match=r"contrast 1\.\d:1, below the \d\.\d:1 needed"):
        build_layout(spec, MEASURE)


def test_a_text_field_the_words_lack_is_an_error_not_the_campaign_title() -> None:
    """The layout once fell back to the campaign title for a field it did not know."""
    campaign = load_campaign(SAMPLE)
    d = campaign.deliverable("men-para-berbeym-poster")
    spec = LayoutInput.of(campaign, d, "ky", get_format("a4"), load_design(campaign.root, d.design), "https://x.kg")
    only_headline = replace(spec, words=Words({"headline": "Мен пара бербейм"}, spec.words.hashtags, ()))
    with pytest.raises(LayoutError, match=r'names the text field "\w+"; known fields: headline$'):
        build_layout(only_headline, MEASURE)
