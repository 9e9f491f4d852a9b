"""The line breaker never splits a number, a number and its unit, "№" and its number, or initials and a
surname, in Kyrgyz or Russian: on banners, slides and captions alike (all wrap through one function)."""

from __future__ import annotations

import pytest

from studio.fonts import PillowMeasure
from studio.layout.breaks import units
from studio.layout.text import fit_text, wrap
from tests.conftest import REPO

MEASURE = PillowMeasure()
FONT = REPO / "assets" / "fonts" / "NotoSans-Bold.ttf"

CASES = [
    ("ru", "Штраф за взятку — до 1 000 000 сом и срок", "1 000 000 сом"),
    ("ky", "Пара алганга 1 000 000 сомго чейин айып салынат", "1 000 000 сомго"),
    ("ru", "Ущерб бюджету составил 15 % или 3 млн. за год", "15 %"),
    ("ky", "Арыз № 125 мэрияга 2026 жылы берилди", "№ 125"),
    ("ru", "Обращение подписал мэр А. Б. Осмонов лично", "А. Б. Осмонов"),
    ("ky", "Кат Осмонов А. Б. тарабынан жазылды бүгүн", "Осмонов А. Б."),
]


@pytest.mark.parametrize(("lang", "text", "unit"), CASES)
def test_numbers_units_and_initials_never_break_across_lines(lang: str, text: str, unit: str) -> None:
    size = 40
    assert unit in units(text)
    broke_somewhere = False
    # Every box width from just wider than the widest unit to the whole line: the unit stays on one line.
    full = MEASURE.width(FONT, size, text)
    width = max(MEASURE.width(FONT, size, u) for u in units(text)) + 1
    while width < full:
        lines = wrap(text, width, FONT, size, MEASURE)
        assert lines is not None
        assert any(unit in line for line in lines), (width, lines)
        broke_somewhere |= len(lines) > 1
        width += 7
    assert broke_somewhere


def test_one_million_som_never_wraps_as_one_then_the_rest() -> None:
    text = "Пара үчүн айып 1 000 000 сом"
    for width in range(120, 900, 5):
        lines = wrap(text, width, FONT, 40, MEASURE)
        if lines is None:
            continue
        for line in lines:
            assert not line.endswith(" 1") and not line.startswith("000"), lines


def test_an_unbreakable_unit_shrinks_the_text_rather_than_splitting() -> None:
    fitted = fit_text("1 000 000 сом", 300, 400, FONT, 120, 10, MEASURE)
    assert fitted is not None and fitted.lines == ("1 000 000 сом",)


def test_no_break_spaces_typed_by_the_user_are_kept() -> None:
    assert units("до 50\u00a0000 сом") == ["до", "50\u00a0000 сом"]
    assert wrap("Пара\u00a0бербейм", 10_000, FONT, 40, MEASURE) == ("Пара\u00a0бербейм",)


def test_ordinary_words_still_break() -> None:
    assert units("Мен пара бербейм, 2026 жылы 100 адам келди") == [
        "Мен",
        "пара",
        "бербейм,",
        "2026 жылы",
        "100 адам",
        "келди",
    ]
