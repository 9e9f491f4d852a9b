"""Chart data: CSV tables and the chart a content block describes, checked value by value. Pure but for reading.

A table is a UTF-8 CSV with a header row, separated by commas. A chart names the table, its label column
``x`` (``x: label`` picks ``label_ky`` or ``label_ru`` when the table has one per language) and its value
columns ``y``; or it gives its values inline (``x: 2024; 2025`` and ``y: 12; 30``, series separated by
``|``). Every problem names the file and the line or row: a wrong delimiter, a file not in UTF-8, a row
with too few or too many values, an empty cell, text in a number column, series of different lengths.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import SpecError


@dataclass(frozen=True)
class Table:
    display: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_lines: tuple[int, ...]  # the file line of each row

    def column(self, name: str) -> list[str]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSpec:
    """One chart, ready to draw: categories along x, one or more series of numbers."""

    type: str  # bar, line, pie
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""

    def alt_text(self) -> str:
        """What the chart shows, in words, for screen readers."""
        parts = []
        for s in self.series:
            pairs = ", ".join(f"{c}: {format_number(v)}" for c, v in zip(self.categories, s.values, strict=True))
            parts.append(f"{s.name} — {pairs}" if len(self.series) > 1 or s.name else pairs)
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.title}{unit}. " + "; ".join(parts)


def format_number(value: float) -> str:
    """12345.5 → "12 345,5": the Kyrgyz and Russian way (a narrow space between thousands, a decimal comma)."""
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")


def read_table(path: Path, display: str) -> Table:
    """Read a CSV table; one SpecError line for any problem, naming the row."""
    from studio.pages.content import read_bounded

    raw = read_bounded(path, display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise SpecError(
            f"{display}:{row}: not UTF-8 text (byte 0x{raw[exc.start]:02X} in row {row}); save the file as CSV UTF-8"
        ) from None
    from studio.letters import fold_lookalikes

    reader = csv.reader(io.StringIO(fold_lookalikes(text), newline=""))
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    header: tuple[str, ...] | None = None
    for record in _records(reader, display):
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        cells = tuple(cell.strip() for cell in record)
        if header is None:
            if len(cells) == 1:
                for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
                    if sep in cells[0]:
                        raise SpecError(
                            f"{display}:{line}: the columns are separated by {name}, not commas; "
                            "save the file as CSV with commas"
                        )
            if any(not c for c in cells):
                raise SpecError(f"{display}:{line}: the header row has an empty column name")
            header = cells
            continue
        if len(cells) != len(header):
            raise SpecError(
                f"{display}:{line}: row {line} has {len(cells)} values, the header has {len(header)} "
                f"({', '.join(header)})"
            )
        rows.append(cells)
        lines.append(line)
    if header is None or not rows:
        raise SpecError(f"{display}: no data (a header row and at least one row of values)")
    return Table(display, header, tuple(rows), tuple(lines))


def _records(reader: Any, display: str) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise SpecError(f"{display}:{reader.line_num}: not valid CSV ({exc})") from None


def _number(text: str, where: str) -> float:
    cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise SpecError(f'{where}: "{text}" is not a number') from None


def chart_from_block(
    chart_type: str,
    fields: dict[str, tuple[str, int]],
    tables: dict[str, Table],
    language: str,
    display: str,
    line: int,
) -> ChartSpec:
    """The chart a ``::: chart`` block describes, its values checked; errors name the file and line or row."""
    known = {"data", "x", "y", "series", "title", "unit"}
    for key, (_, n) in fields.items():
        if key not in known:
            raise SpecError(f'{display}:{n}: unknown chart field "{key}"; known: {", ".join(sorted(known))}')
    if "x" not in fields or "y" not in fields:
        raise SpecError(f"{display}:{line}: a chart needs x (labels) and y (values)")
    title = fields.get("title", ("", line))[0]
    unit = fields.get("unit", ("", line))[0]
    x_text, x_line = fields["x"]
    y_text, y_line = fields["y"]
    names_text, names_line = fields.get("series", ("", line))
    names = [n.strip() for n in names_text.split(";")] if names_text else []
    if "data" in fields:
        name, n = fields["data"]
        if name not in tables:
            known_tables = ", ".join(tables) or "none; list them under the deliverable's data:"
            raise SpecError(f'{display}:{n}: unknown data table "{name}"; known: {known_tables}')
        table = tables[name]
        x_col = f"{x_text}_{language}" if f"{x_text}_{language}" in table.columns else x_text
        if x_col not in table.columns:
            raise SpecError(f'{display}:{x_line}: table {table.display} has no column "{x_text}"')
        categories = table.column(x_col)
        for cell, row_line in zip(categories, table.row_lines, strict=True):
            if not cell:
                raise SpecError(f'{table.display}:{row_line}: column "{x_col}" is empty in row {row_line}')
        series = []
        for col in (c.strip() for c in y_text.split(",")):
            if col not in table.columns:
                raise SpecError(f'{display}:{y_line}: table {table.display} has no column "{col}"')
            values = []
            for cell, row_line in zip(table.column(col), table.row_lines, strict=True):
                where = f'{table.display}:{row_line}: column "{col}"'
                if not cell:
                    raise SpecError(f"{where} has no value in row {row_line}; every point of a chart needs one")
                values.append(_number(cell, where))
            series.append(values)
    else:
        categories = [c.strip() for c in x_text.split(";")]
        series = []
        for k, chunk in enumerate(y_text.split("|")):
            cells = [c.strip() for c in chunk.split(";")]
            values = []
            for j, cell in enumerate(cells):
                where = f"{display}:{y_line}: y, series {k + 1}, value {j + 1}"
                if not cell:
                    raise SpecError(f"{where} is missing; every point of a chart needs a value")
                values.append(_number(cell, where))
            if len(values) != len(categories):
                raise SpecError(
                    f"{display}:{y_line}: series {k + 1} has {len(values)} values but x has "
                    f"{len(categories)} labels ({'; '.join(categories)}); give one value per label"
                )
            series.append(values)
    if names and len(names) != len(series):
        raise SpecError(f"{display}:{names_line}: {len(names)} series names for {len(series)} series")
    if chart_type == "pie":
        if len(series) != 1:
            raise SpecError(f"{display}:{y_line}: a pie chart shows one series, not {len(series)}")
        if any(v < 0 for v in series[0]):
            raise SpecError(f"{display}:{y_line}: a pie chart cannot show negative values")
    built = tuple(Series(names[k] if names else "", tuple(v)) for k, v in enumerate(series))
    return ChartSpec(chart_type, title, tuple(categories), built, unit)
