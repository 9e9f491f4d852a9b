"""The quarterly report as Markdown, HTML (in Kyrgyz and in Russian) and one CSV; a writer that saves them all."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from studio.errors import StudioError
from studio.files import write_atomic
from studio.report.html import template
from studio.report.i18n import REPORT_LANGUAGES, date_text, quarter_long, text, text_or
from studio.report.quarterly import ItemStatus, QuarterlyReport, ReportRow

#: The CSV's columns: stable English names that spreadsheets and scripts can rely on.
CSV_COLUMNS = (
    "campaign",
    "quarter",
    "type",
    "language",
    "planned",
    "produced",
    "approved",
    "planned_produced",
    "produced_year",
    "target_year",
    "overdue",
    "in_studio",
    "report_due",
    "late",
)


@dataclass(frozen=True)
class _Sheet:
    """The report in one language, as the Markdown and HTML writers show it."""

    lang: str
    heading: str
    facts: tuple[tuple[str, str], ...]  # label, value
    status: str
    late: bool
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    rule: str
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # heading, items
    notice: str | None = None  # the reporting channels are sample placeholders


def _in(lang: str, texts: Mapping[str, str], fallback: str) -> str:
    """A campaign text in ``lang``, or in any language the campaign gave it in."""
    return texts.get(lang) or next(iter(texts.values()), fallback)


def _status(report: QuarterlyReport, lang: str) -> str:
    if report.late:
        return text(lang, "status.late", days=-report.days_to_due)
    if report.days_to_due == 0:
        return text(lang, "status.due_today")
    return text(lang, "status.days_left", days=report.days_to_due)


def _row_cells(row: ReportRow, lang: str) -> tuple[str, ...]:
    notes = []
    if not row.in_studio:
        notes.append(text(lang, "note.outside_studio"))
    if row.target_year is None:
        notes.append(text(lang, "note.no_target"))
    return (
        text(lang, f"type.{row.type}"),
        text_or(lang, f"lang.{row.language}", row.language),
        str(row.planned),
        str(row.produced),
        str(row.approved),
        str(row.planned_produced),
        str(row.produced_year),
        "—" if row.target_year is None else str(row.target_year),
        str(row.overdue),
        "; ".join(notes),
    )


def _item(item: ItemStatus, lang: str) -> str:
    parts = [item.deliverable, f"({text_or(lang, f'lang.{item.language}', item.language)})"]
    if item.headline:
        parts.append(f"«{item.headline}»")
    if item.quarters:
        parts.append(f"— {text(lang, 'col.due_quarters')}: {', '.join(str(q) for q in item.quarters)}")
    return " ".join(parts)


def _sheet(report: QuarterlyReport, lang: str) -> _Sheet:
    if lang not in REPORT_LANGUAGES:
        known = ", ".join(REPORT_LANGUAGES)
        raise StudioError(f'no report wording for language "{lang}"; reports are written in {known}')
    q = report.quarter
    quarter_words = quarter_long(lang, q.year, q.number)
    return _Sheet(
        lang=lang,
        heading=f"{text(lang, 'report_title')}: {quarter_words}",
        facts=(
            (text(lang, "campaign"), _in(lang, report.title, report.campaign_id)),
            (text(lang, "organisation"), _in(lang, report.organisation, "")),
            (text(lang, "quarter"), f"{quarter_words} ({q})"),
            (text(lang, "due_date"), date_text(report.due)),
            (text(lang, "prepared_on"), date_text(report.today)),
        ),
        status=_status(report, lang),
        late=report.late,
        columns=tuple(
            text(lang, key)
            for key in (
                "col.type",
                "col.language",
                "col.planned",
                "col.produced",
                "col.approved",
                "col.planned_produced",
                "col.produced_year",
                "col.target_year",
                "col.overdue",
                "col.note",
            )
        ),
        rows=tuple(_row_cells(row, lang) for row in report.rows),
        rule=text(lang, "rule", year=q.year),
        lists=(
            (text(lang, "produced_heading"), tuple(_item(i, lang) for i in report.produced)),
            (text(lang, "missing_heading"), tuple(_item(i, lang) for i in report.missing)),
            (text(lang, "overdue_heading"), tuple(_item(i, lang) for i in report.overdue)),
        )
        + (((text(lang, "ignored_heading"), report.unknown),) if report.unknown else ()),
        notice=text(lang, "placeholder", url=report.placeholder_url) if report.placeholder_url else None,
    )


def _md(value: str) -> str:
    """A Markdown table cell or list item: pipes and markup characters taken literally, one line."""
    out = " ".join(value.split())
    for ch in "\\|*_`[]<>":
        out = out.replace(ch, "\\" + ch)
    return out


def build_report_markdown(report: QuarterlyReport, lang: str) -> str:
    """The report in ``lang`` ("ky" or "ru") as Markdown."""
    sheet = _sheet(report, lang)
    lines = [f"# {_md(sheet.heading)}", ""]
    if sheet.notice:
        lines += [f"> **{_md(sheet.notice)}**", ""]
    lines += [f"- **{_md(label)}:** {_md(value)}" for label, value in sheet.facts]
    lines += [f"- **{_md(text(lang, 'status'))}:** {_md(sheet.status)}", ""]
    lines += [f"## {_md(text(lang, 'table_heading'))}", ""]
    lines.append("| " + " | ".join(_md(c) for c in sheet.columns) + " |")
    lines.append("|" + "|".join("---:" if 2 <= i <= 7 else "---" for i in range(len(sheet.columns))) + "|")
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in sheet.rows]
    lines += ["", _md(sheet.rule), ""]
    for heading, items in sheet.lists:
        lines += [f"## {_md(heading)}", ""]
        lines += [f"- {_md(item)}" for item in items] or [f"- {_md(text(lang, 'none'))}"]
        lines.append("")
    return "\n".join(lines)


_REPORT_HTML = """{% extends "page.html" %}
{% block title %}{{ sheet.heading }}{% endblock %}
{% block style %}
body { max-width: 1100px; margin: 0 auto; background: #fff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.rule { color: var(--muted); max-width: 900px; }
@page { size: A4 landscape; margin: 15mm; }
{% endblock %}
{% block body %}
<h1>{{ sheet.heading }}</h1>
{% if sheet.notice %}<p class="notice warn" role="alert">{{ sheet.notice }}</p>{% endif %}
<dl>
{% for label, value in sheet.facts %}
<dt>{{ label }}</dt><dd>{{ value }}</dd>
{% endfor %}
<dt>{{ status_label }}</dt><dd class="{{ 'warn' if sheet.late else 'ok' }}">{{ sheet.status }}</dd>
</dl>
<h2>{{ table_heading }}</h2>
<table>
<thead><tr>{% for c in sheet.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in sheet.rows %}
<tr>{% for cell in row %}<td{% if 2 <= loop.index0 <= 7 %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
<p class="rule">{{ sheet.rule }}</p>
{% for heading, items in sheet.lists %}
<h2>{{ heading }}</h2>
<ul>
{% for item in items %}<li>{{ item }}</li>
{% else %}<li>{{ nothing }}</li>
{% endfor %}
</ul>
{% endfor %}
{% endblock %}
"""


def build_report_html(report: QuarterlyReport, lang: str) -> str:
    """The report in ``lang`` ("ky" or "ru") as a self-contained HTML page (prints on A4 landscape)."""
    sheet = _sheet(report, lang)
    return template(_REPORT_HTML).render(
        lang=lang,
        sheet=sheet,
        status_label=text(lang, "status"),
        table_heading=text(lang, "table_heading"),
        nothing=text(lang, "none"),
    )


def build_report_csv(report: QuarterlyReport) -> str:
    """One row per type and language, with the ``CSV_COLUMNS`` names; counts as integers, flags as true/false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(
            (
                report.campaign_id,
                str(report.quarter),
                row.type,
                row.language,
                row.planned,
                row.produced,
                row.approved,
                row.planned_produced,
                row.produced_year,
                "" if row.target_year is None else row.target_year,
                row.overdue,
                str(row.in_studio).lower(),
                report.due.isoformat(),
                str(report.late).lower(),
            )
        )
    return out.getvalue()


def report_files(report: QuarterlyReport) -> dict[str, str]:
    """Every file of the report by name: ``report.ky.md``, ``report.ru.md``, ``report.ky.html``, … ``report.csv``."""
    files = {f"report.{lang}.md": build_report_markdown(report, lang) for lang in REPORT_LANGUAGES}
    files |= {f"report.{lang}.html": build_report_html(report, lang) for lang in REPORT_LANGUAGES}
    files["report.csv"] = build_report_csv(report)
    return files


def write_report(report: QuarterlyReport, folder: Path) -> tuple[Path, ...]:
    """Write every report file into ``folder`` (each atomically, UTF-8); returns their paths."""
    paths = []
    for name, body in report_files(report).items():
        path = folder / name
        write_atomic(path, body.encode("utf-8"))
        paths.append(path)
    return tuple(paths)
