"""Small pure pieces: quarters, colours, formats, fonts."""

from __future__ import annotations

import datetime as dt

import pytest

from studio.colors import contrast_ratio, parse_color
from studio.fonts import missing_glyphs
from studio.formats import FORMATS, get_format
from studio.quarters import Quarter, quarters_between
from tests.conftest import REPO

FONTS = sorted((REPO / "assets" / "fonts").glob("*.ttf"))


def test_quarter_report_is_due_on_the_first_of_the_next_month() -> None:
    assert Quarter.parse("2026Q1").report_due == dt.date(2026, 4, 1)
    assert Quarter.parse("2026q4").report_due == dt.date(2027, 1, 1)


def test_quarters_between_spans_years() -> None:
    span = quarters_between(Quarter.parse("2026Q3"), Quarter.parse("2027Q2"))
    assert [str(q) for q in span] == ["2026Q3", "2026Q4", "2027Q1", "2027Q2"]


@pytest.mark.parametrize("bad", ["2025Q5", "2026Q0", "2026-Q1", "Q1", ""])
def test_bad_quarters_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a quarter"):
        Quarter.parse(bad)


def test_colours_and_contrast() -> None:
    assert parse_color("#fff") == (255, 255, 255)
    assert parse_color("#0B5FA5") == (11, 95, 165)
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    with pytest.raises(ValueError, match='"blue" is not a colour'):
        parse_color("blue")


def test_print_formats_have_bleed_and_the_resolution_for_their_size() -> None:
    for name in ("a4", "a3", "a2"):
        assert get_format(name).dpi == 300 and get_format(name).bleed_mm == 3
    for name in ("street-banner-3x1m", "billboard-6x3m"):
        assert 100 <= get_format(name).dpi <= 150
    assert get_format("a4").trim_mm == pytest.approx((210, 297), abs=0.1)
    with pytest.raises(KeyError, match='unknown format "a5"'):
        get_format("a5")
    assert {"instagram-post", "story", "facebook-link", "x-post", "youtube"} <= set(FORMATS)


@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.name)
def test_bundled_fonts_cover_kyrgyz_and_russian(font) -> None:
    alphabet = "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя№«»—–#"
    assert missing_glyphs(font, alphabet) == []
    assert missing_glyphs(font, "Мен ✋ 中") == ["✋", "中"]


def test_fonts_ship_with_their_licence() -> None:
    licence = (REPO / "assets" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and FONTS
