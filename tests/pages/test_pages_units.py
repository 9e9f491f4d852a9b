"""Content files, data tables, charts' data, imposition order and Typst strings: fast checks, real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from studio.charts.data import chart_from_block, format_number, read_table
from studio.errors import SpecError
from studio.pages import content as c
from studio.pages.impose import saddle_stitch, trifold
from studio.pages.typst_source import string

REPO = Path(__file__).resolve().parents[2]


def parse(text: str) -> c.Content:
    return c.parse_content(text, Path("x.md"), "templates/booklets/x.ky.md")


def test_blocks_of_a_content_file() -> None:
    content = parse(
        "# Бөлүм\n\nБиринчи сап\nэкинчи сап **калың**.\n\n- бир\n- эки\n\n1. биринчи\n2. экинчи\n\n"
        '> Цитата\n> — Автор\n\n![Сүрөт](assets/pictures/service-counter.png "Түшүндүрмө")\n\n---\n\n'
        "::: stats\n225 | кайрылуу | report\n:::\n\n::: infographic your-rights\n"
    )
    kinds = [type(b).__name__ for b in content.blocks]
    assert kinds == [
        "Heading", "Paragraph", "ListBlock", "ListBlock", "Quote", "Picture", "PageBreak", "Stats", "EmbedInfographic"
    ]  # fmt: skip
    para = content.blocks[1]
    assert isinstance(para, c.Paragraph)
    assert [(r.text, r.bold) for r in para.runs] == [("Биринчи сап экинчи сап ", False), ("калың", True), (".", False)]
    quote = content.blocks[4]
    assert isinstance(quote, c.Quote) and (quote.text, quote.who) == ("Цитата", "Автор")
    assert isinstance(content.blocks[3], c.ListBlock) and content.blocks[3].ordered
    assert content.blocks[7].line == 19


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("::: chart bar\nx: a\n", r"x\.ky\.md:1: \"::: chart\" is never closed"),
        ("\n::: table\n:::\n", r":2: unknown block \"::: table\"; known: stats, steps"),
        ("![](a.png)\n", r':1: picture "a.png" has no description'),
        ("::: stats\n225\n:::\n", r':2: "225": a key number is written VALUE \| LABEL \| ICON'),
        ("::: chart area\n:::\n", r":1: \"::: chart area\": the chart type is one of bar, line, pie"),
        (":::\n", r':1: ":::" closes a block, but no block is open'),
    ],
)
def test_content_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse(text)


def test_content_not_in_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.ky.md"
    path.write_bytes("# Башы\n\nТекст\n".encode() + "Кабар\n".encode("cp1251"))
    with pytest.raises(SpecError, match=r"x\.ky\.md:4: not UTF-8 text"):
        c.read_content(path, "x.ky.md")


# ---------------------------------------------------------------- data tables


def write(tmp_path: Path, data: bytes | str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_table_and_chart_from_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "label_ky,label_ru,n\nМаалымкат,Справки,14\nКаттоо,Регистрация,9\n")
    table = read_table(path, "data/t.csv")
    assert table.columns == ("label_ky", "label_ru", "n") and table.row_lines == (2, 3)
    fields = {"data": ("t", 2), "x": ("label", 3), "y": ("n", 4), "title": ("Кызматтар", 5)}
    chart = chart_from_block("pie", fields, {"t": table}, "ru", "x.ru.md", 1)
    assert chart.categories == ("Справки", "Регистрация") and chart.series[0].values == (14.0, 9.0)
    assert "Справки: 14" in chart.alt_text()


def test_csv_with_semicolons_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"data/t\.csv:1: the columns are separated by semicolons, not commas"):
        read_table(write(tmp_path, "quarter;received\n2025 I;38\n"), "data/t.csv")


def test_csv_not_in_utf8_names_the_row(tmp_path: Path) -> None:
    data = b"quarter,received\n2025 I,38\n" + "Кварта,52\n".encode("cp1251")
    with pytest.raises(SpecError, match=r"data/t\.csv:3: not UTF-8 text \(byte 0xCA in row 3\)"):
        read_table(write(tmp_path, data), "data/t.csv")


def test_csv_row_with_too_few_values(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"data/t\.csv:3: row 3 has 1 values, the header has 2"):
        read_table(write(tmp_path, "quarter,received\n2025 I,38\n2025 II\n"), "data/t.csv")


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("q,n\n2025 I,38\n2025 II,\n", r'data/t\.csv:3: column "n" has no value in row 3'),
        ("q,n\n2025 I,38\n2025 II,52a\n", r'data/t\.csv:3: column "n": "52a" is not a number'),
    ],
)
def test_chart_values_checked_by_row(tmp_path: Path, csv: str, message: str) -> None:
    table = read_table(write(tmp_path, csv), "data/t.csv")
    with pytest.raises(SpecError, match=message):
        chart_from_block("bar", {"data": ("t", 2), "x": ("q", 3), "y": ("n", 4)}, {"t": table}, "ky", "x.ky.md", 1)


def test_inline_series_of_different_lengths() -> None:
    fields = {"x": ("2024; 2025; 2026", 3), "y": ("12; 30", 4)}
    with pytest.raises(SpecError, match=r"x\.ky\.md:4: series 1 has 2 values but x has 3 labels"):
        chart_from_block("line", fields, {}, "ky", "x.ky.md", 2)


def test_unknown_table_and_column() -> None:
    with pytest.raises(SpecError, match=r'x\.ky\.md:2: unknown data table "rep"'):
        chart_from_block("bar", {"data": ("rep", 2), "x": ("q", 3), "y": ("n", 4)}, {}, "ky", "x.ky.md", 1)


def test_numbers_are_written_the_local_way() -> None:
    assert format_number(12345) == "12\u202f345"
    assert format_number(12.5) == "12,5"


# ---------------------------------------------------------------- imposition


def test_saddle_stitch_puts_the_last_page_beside_the_first() -> None:
    sides = saddle_stitch(8, 148)
    order = [(s.sheet, s.face, tuple(p.page for p in s.panels)) for s in sides]
    assert order == [(1, "front", (8, 1)), (1, "back", (2, 7)), (2, "front", (6, 3)), (2, "back", (4, 5))]
    sixteen = saddle_stitch(16, 148)
    assert len(sixteen) == 8 and [p.page for p in sixteen[0].panels] == [16, 1]
    # Every page once, and the two pages of a side always add up to n + 1.
    assert sorted(p.page for s in sixteen for p in s.panels) == list(range(1, 17))
    assert {sum(p.page for p in s.panels) for s in sixteen} == {17}


def test_saddle_stitch_needs_a_multiple_of_four() -> None:
    with pytest.raises(ValueError, match="multiple of 4 pages, not 10"):
        saddle_stitch(10, 148)


def test_trifold_panels_and_the_narrower_flap() -> None:
    outside, inside = trifold()
    assert [p.page for p in outside.panels] == [2, 6, 1] and [p.page for p in inside.panels] == [3, 4, 5]
    assert [p.width_mm for p in outside.panels] == [97, 100, 100]
    assert sum(p.width_mm for p in inside.panels) == 297  # an A4 sheet


# ---------------------------------------------------------------- text reaches Typst as text


def test_any_character_is_set_as_written(tmp_path: Path) -> None:
    """Markup characters in the words (#, *, $, quotes, a backslash) print as themselves, never run."""
    import typst

    words = 'Баасы #set page(width: 1pt) *калың* $x$ "тырмакча" \\ ң ө ү'
    source = f'#set text(font: "Noto Sans")\n#{string(words)}\n'
    pdf = typst.compile(source.encode(), font_paths=[str(REPO / "assets" / "fonts")], ignore_system_fonts=True)
    (tmp_path / "t.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True).stdout
    assert " ".join(text.split()) == words


def test_charts_are_svg_with_live_text_in_the_brand_font() -> None:
    from studio.charts.data import ChartSpec, Series
    from studio.charts.render import render_chart_svg

    fonts = (REPO / "assets/fonts/NotoSans-Regular.ttf", REPO / "assets/fonts/NotoSans-Bold.ttf")
    palette = ((11, 95, 165), (242, 183, 5))
    for kind in ("bar", "line", "pie"):
        spec = ChartSpec(kind, "Кайрылуулар", ("Маалымкат", "Каттоо"), (Series("Кабыл алынды", (14.0, 9.0)),))
        svg = render_chart_svg(spec, (300, 180), fonts, palette, (30, 36, 44), 9)
        assert svg.startswith("<?xml") and "Noto Sans" in svg
        assert "Маалымкат" in svg and "#0B5FA5" in svg.upper()
        assert render_chart_svg(spec, (300, 180), fonts, palette, (30, 36, 44), 9) == svg  # same bytes each time


def test_look_alike_letters_become_kyrgyz_ones(tmp_path: Path) -> None:
    path = tmp_path / "x.ky.md"
    path.write_text("# Кабарлаҥыз\n\nӨтүнүч: ѳз укугуңузду билиӊиз.\n", encoding="utf-8")
    content = c.read_content(path, "x.ky.md")
    assert [t for _, t in content.texts()] == ["Кабарлаңыз", "Өтүнүч: өз укугуңузду билиңиз."]
