"""The quarterly report's counts against a small hand-made plan, and its Markdown, HTML and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from studio.batch.manifest import Manifest, parse_manifest
from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.quarters import Quarter
from studio.report import (
    CSV_COLUMNS,
    QuarterlyReport,
    ReportRow,
    build_quarterly_report,
    build_report_csv,
    build_report_html,
    build_report_markdown,
    write_report,
)
from studio.report.i18n import TEXT

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


def _copy(ky: str, ru: str) -> dict[str, Any]:
    return {"ky": {"headline": ky}, "ru": {"headline": ru}}


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    """Four deliverables: a poster due twice, a post due every quarter, a video, and a Kyrgyz-only story."""
    common = {"design": "hashtag-poster", "hashtags": ["#ТазаКыргызстан"], "background": {"color": "dark"}}
    data = {
        "id": "test-city",
        "title": {"ky": "Таза шаар", "ru": "Чистый город"},
        "organisation": {"ky": "Шаардын мэриясы", "ru": "Мэрия города"},
        "languages": ["ky", "ru"],
        "period": {"from": "2026Q1", "to": "2027Q4"},
        "brand": {
            "colors": {"primary": "#0B5FA5", "dark": "#0B1F3A", "accent": "#F2B705", "light": "#FFFFFF"},
            "fonts": {"headline": "assets/fonts/NotoSans-Bold.ttf", "body": "assets/fonts/NotoSans-Regular.ttf"},
        },
        "hashtags": ["#ТазаКыргызстан"],
        "reporting": {
            "url": "https://city.example/report",
            "short_text": "city.example/report",
            "call_to_action": {"ky": "Кабарлаңыз", "ru": "Сообщите"},
        },
        "targets": {2026: {"banner": 2, "social": 2, "video": 1, "booklet": 5}, 2027: {"social": 4}},
        "deliverables": [
            {
                "id": "poster",
                "kind": "banner",
                "formats": ["a4", "a3"],
                "quarters": ["2026Q1", "2026Q3"],
                "text": _copy("Мен пара бербейм!", "Я не даю взяток!"),
                **common,
            },
            {
                "id": "post",
                "kind": "social",
                "formats": ["instagram-post", "story"],
                "quarters": {"from": "2026Q1", "to": "2027Q4"},
                "text": _copy("Кабарлаңыз", "Сообщите"),
                **common,
            },
            {
                "id": "explainer",
                "kind": "video",
                "design": "explainer",
                "script": "what-is-a-bribe",
                "formats": ["youtube"],
                "quarters": ["2026Q2"],
                "hashtags": ["#ТазаКыргызстан"],
                "background": {"color": "dark"},
                "text": _copy("Пара деген эмне?", "Что такое взятка?"),
            },
            {
                "id": "ky-story",
                "kind": "social",
                "formats": ["story"],
                "quarters": ["2026Q2"],
                "languages": ["ky"],
                "text": {"ky": {"headline": "Таза Кыргызстан"}},
                **common,
            },
        ],
    }
    return Campaign.model_validate(data, context={"root": REPO})


ROLES = {"banner": "print", "social": "image", "video": "video"}
EXT = {"print": "pdf", "image": "png", "video": "mp4", "proof": "png"}


def _files(
    deliverable: str, kind: str, lang: str, formats: list[str], role: str | None = None, **extra: Any
) -> list[dict[str, Any]]:
    role = role or ROLES[kind]
    return [
        {
            "path": f"{deliverable}/{lang}/{fmt}.{EXT[role]}",
            "kind": kind,
            "role": role,
            "deliverable": deliverable,
            "language": lang,
            "format": fmt,
            "media_type": "application/octet-stream",
            "sha256": "0" * 64,
            "bytes": 1,
            "synthetic": kind == "video",
            "disclosure": [],
        }
        | extra
        for fmt in formats
    ]


def _manifest(quarter: str, *groups: list[dict[str, Any]]) -> Manifest:
    renders = [dict(entry, quarter=quarter) for group in groups for entry in group]
    data = {"campaign": "test-city", "quarter": quarter, "studio_version": "0.1.0", "renders": renders}
    return parse_manifest(data, f"{quarter}/manifest.json")


def poster(lang: str) -> list[dict[str, Any]]:
    return _files("poster", "banner", lang, ["a4", "a3"])


def post(lang: str) -> list[dict[str, Any]]:
    return _files("post", "social", lang, ["instagram-post", "story"])


def _row(report: QuarterlyReport, kind: str, lang: str) -> ReportRow:
    [row] = [r for r in report.rows if r.type == kind and r.language == lang]
    return row


def test_a_deliverable_missing_one_format_is_not_produced(campaign: Campaign) -> None:
    # Kyrgyz: the A4 print and only a proof of the A3 (a proof alone is not the print file).
    ky = _files("poster", "banner", "ky", ["a4"]) + _files("poster", "banner", "ky", ["a3"], role="proof")
    manifests = {"2026Q1": _manifest("2026Q1", ky, poster("ru"), _files("post", "social", "ky", ["story"]))}
    report = build_quarterly_report(campaign, Quarter(2026, 1), manifests, TODAY)
    assert (_row(report, "banner", "ky").produced, _row(report, "banner", "ru").produced) == (0, 1)
    assert _row(report, "banner", "ky").planned == 1
    assert _row(report, "social", "ky").produced == 0  # instagram-post is missing
    assert {(i.deliverable, i.language) for i in report.missing} == {("poster", "ky"), ("post", "ky"), ("post", "ru")}


def test_approved_renders_count_as_ready_to_publish(campaign: Campaign) -> None:
    manifests = {"2026Q1": _manifest("2026Q1", poster("ky"), poster("ru"), post("ky"))}
    approved = {"poster/ky/a4.pdf", "poster/ky/a3.pdf", "poster/ru/a4.pdf", "post/ky/story.png"}
    report = build_quarterly_report(campaign, Quarter(2026, 1), manifests, TODAY, approved)
    # Russian poster: only A4 approved, so not ready; the post lacks its instagram-post approval.
    assert [_row(report, "banner", lang).approved for lang in ("ky", "ru")] == [1, 0]
    assert _row(report, "social", "ky").approved == 0 and _row(report, "social", "ky").produced == 1
    assert "| 1 | 1 |" in build_report_markdown(report, "ky")  # produced, approved side by side
    assert "Бекитилди (жарыялоого даяр)" in build_report_markdown(report, "ky")
    assert "Утверждено (готово к публикации)" in build_report_markdown(report, "ru")


def test_drafts_do_not_count(campaign: Campaign) -> None:
    by_name = _files("explainer", "video", "ky", ["youtube"])
    by_name[0]["path"] = "explainer/ky/youtube.draft.mp4"
    by_flag = _files("explainer", "video", "ru", ["youtube"], draft=True)
    report = build_quarterly_report(
        campaign, Quarter(2026, 2), {"2026Q2": _manifest("2026Q2", by_name, by_flag)}, TODAY
    )
    assert (_row(report, "video", "ky").produced, _row(report, "video", "ru").produced) == (0, 0)
    final = _files("explainer", "video", "ky", ["youtube"])
    report = build_quarterly_report(campaign, Quarter(2026, 2), {"2026Q2": _manifest("2026Q2", by_name, final)}, TODAY)
    assert _row(report, "video", "ky").produced == 1
    assert _row(report, "video", "ky").planned_produced == 1


def test_overdue_from_a_past_quarter_until_caught_up(campaign: Campaign) -> None:
    q1 = _manifest("2026Q1", post("ky"), post("ru"))  # the poster due in Q1 is not made
    report = build_quarterly_report(campaign, Quarter(2026, 2), {"2026Q1": q1}, TODAY)
    assert _row(report, "banner", "ky").overdue == 1 and _row(report, "banner", "ru").overdue == 1
    late = [i for i in report.overdue if i.deliverable == "poster"]
    assert [(i.language, i.quarters) for i in late] == [("ky", (Quarter(2026, 1),)), ("ru", (Quarter(2026, 1),))]
    assert late[0].headline == "Мен пара бербейм!" and late[1].headline == "Я не даю взяток!"
    # The post was due in Q1 and made then: not overdue, though nothing is made in Q2 yet.
    assert _row(report, "social", "ky").overdue == 0
    assert _row(report, "banner", "ky").planned == 0  # the poster is not due in Q2

    # Made late, in Q2 (in Kyrgyz only): the Q1 due is met from then on.
    q2 = _manifest("2026Q2", poster("ky"))
    report = build_quarterly_report(campaign, Quarter(2026, 3), {"2026Q1": q1, "2026Q2": q2}, TODAY)
    assert _row(report, "banner", "ky").overdue == 0 and _row(report, "banner", "ru").overdue == 1
    # Q2's post, Q2's video and Q2's Kyrgyz story were not made: each is overdue once.
    assert _row(report, "social", "ky").overdue == 2 and _row(report, "social", "ru").overdue == 1
    assert _row(report, "video", "ru").overdue == 1


def test_overdue_counts_each_deliverable_once_with_every_missed_quarter(campaign: Campaign) -> None:
    report = build_quarterly_report(campaign, Quarter(2026, 4), {}, TODAY)
    [post_ky] = [i for i in report.overdue if i.deliverable == "post" and i.language == "ky"]
    assert post_ky.quarters == (Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3))
    assert _row(report, "social", "ky").overdue == 2  # post and ky-story
    assert _row(report, "social", "ru").overdue == 1  # ky-story has no Russian


def test_cumulative_within_a_year_not_across_years(campaign: Campaign) -> None:
    manifests = {
        "2026Q1": _manifest("2026Q1", poster("ky"), post("ky")),
        "2026Q2": _manifest("2026Q2", post("ky"), _files("ky-story", "social", "ky", ["story"])),
        "2026Q3": _manifest("2026Q3", post("ky")),
        "2027Q1": _manifest("2027Q1", post("ru")),
    }
    q3 = build_quarterly_report(campaign, Quarter(2026, 3), manifests, TODAY)
    social = _row(q3, "social", "ky")
    assert (social.produced, social.produced_year, social.target_year) == (1, 2, 2)  # post counted once
    assert _row(q3, "banner", "ky").produced_year == 1 and _row(q3, "banner", "ky").produced == 0
    assert _row(q3, "social", "ru").produced_year == 0  # 2027's render is not counted before its time

    q2 = build_quarterly_report(campaign, Quarter(2026, 2), manifests, TODAY)
    assert _row(q2, "social", "ky").produced_year == 2
    assert _row(q2, "social", "ru").planned == 1  # ky-story speaks Kyrgyz only

    next_year = build_quarterly_report(campaign, Quarter(2027, 1), manifests, TODAY)
    assert _row(next_year, "social", "ky").produced_year == 0
    assert _row(next_year, "social", "ru").produced_year == 1
    assert _row(next_year, "social", "ru").target_year == 4
    assert _row(next_year, "banner", "ky").target_year is None


def test_infographics_and_booklets_are_studio_kinds_with_their_targets(campaign: Campaign) -> None:
    report = build_quarterly_report(campaign, Quarter(2026, 1), {}, TODAY)
    booklet = _row(report, "booklet", "ky")
    assert (booklet.in_studio, booklet.target_year, booklet.produced, booklet.produced_year) == (True, 5, 0, 0)
    assert [r.type for r in report.rows][::2] == [
        "banner",
        "social",
        "video",
        "audio",
        "newspaper",
        "infographic",
        "booklet",
    ]
    assert "Taza Studio'до даярдалбайт" not in build_report_markdown(report, "ky")
    assert "Не производится в Taza Studio" not in build_report_markdown(report, "ru")


@pytest.mark.parametrize(
    ("quarter", "today", "due", "late", "days"),
    [
        (Quarter(2026, 4), dt.date(2026, 12, 20), dt.date(2027, 1, 1), False, 12),
        (Quarter(2026, 4), dt.date(2027, 1, 1), dt.date(2027, 1, 1), False, 0),
        (Quarter(2026, 4), dt.date(2027, 1, 3), dt.date(2027, 1, 1), True, -2),
        (Quarter(2026, 1), dt.date(2026, 4, 1), dt.date(2026, 4, 1), False, 0),
    ],
)
def test_due_date_is_the_first_of_the_next_month(
    campaign: Campaign, quarter: Quarter, today: dt.date, due: dt.date, late: bool, days: int
) -> None:
    report = build_quarterly_report(campaign, quarter, {}, today)
    assert (report.due, report.late, report.days_to_due) == (due, late, days)
    markdown = build_report_markdown(report, "ky")
    assert f"**Тапшыруу мөөнөтү:** {due:%d.%m.%Y}" in markdown
    assert ("кечикти" in markdown) is late


def test_csv_parses_back_with_the_csv_module(campaign: Campaign) -> None:
    manifests = {"2026Q1": _manifest("2026Q1", poster("ky"), post("ky"), post("ru"))}
    report = build_quarterly_report(campaign, Quarter(2026, 1), manifests, dt.date(2026, 4, 2))
    rows = list(csv.DictReader(io.StringIO(build_report_csv(report), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 14  # seven types (every kind, then infographics and booklets) in two languages
    by_key = {(r["type"], r["language"]): r for r in rows}
    assert by_key[("banner", "ky")] == {
        "campaign": "test-city",
        "quarter": "2026Q1",
        "type": "banner",
        "language": "ky",
        "planned": "1",
        "produced": "1",
        "approved": "0",
        "planned_produced": "1",
        "produced_year": "1",
        "target_year": "2",
        "overdue": "0",
        "in_studio": "true",
        "report_due": "2026-04-01",
        "late": "true",
    }
    assert by_key[("infographic", "ru")]["target_year"] == "" and by_key[("booklet", "ru")]["in_studio"] == "true"
    for row in report.rows:
        assert int(by_key[(row.type, row.language)]["produced"]) == row.produced


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ky",
            [
                "Чейрек",
                "Пландалган",
                "Даярдалды",
                "Мөөнөтү өткөн",
                "Жылдык план",
                "Тапшыруу мөөнөтү",
                "Таза шаар",
                "Шаардын мэриясы",
                "2026-жылдын III чейреги",
            ],
        ),
        (
            "ru",
            [
                "Квартал",
                "Запланировано",
                "Подготовлено",
                "Просрочено",
                "Годовой план",
                "Срок представления",
                "Чистый город",
                "Мэрия города",
                "III квартал 2026 года",
            ],
        ),
    ],
)
def test_report_is_written_in_kyrgyz_and_in_russian(campaign: Campaign, lang: str, words: list[str]) -> None:
    manifests = {"2026Q3": _manifest("2026Q3", post(lang))}
    report = build_quarterly_report(campaign, Quarter(2026, 3), manifests, TODAY)
    markdown, html = build_report_markdown(report, lang), build_report_html(report, lang)
    parsed = _Tags()
    parsed.feed(html)
    text = " ".join(parsed.text)
    for word in words:
        assert word in markdown and word in text, word
    assert ("html", {"lang": lang}) in parsed.tags
    # Self-contained: nothing loaded from anywhere.
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "img", "iframe", "object")]
    assert all(attrs.get("href") == "data:," for tag, attrs in parsed.tags if tag == "link")
    assert markdown.count("\n| ") == 15  # header and fourteen rows
    # In the first quarter nothing can be overdue: an empty list says so in words.
    empty = build_report_html(build_quarterly_report(campaign, Quarter(2026, 1), {}, TODAY), lang)
    assert f"<li>{TEXT[lang]['none']}</li>" in empty and "None" not in empty


def test_campaign_text_cannot_break_the_report_markup(campaign: Campaign) -> None:
    hostile = campaign.model_copy(update={"title": {"ky": "<script>x</script> | *а*", "ru": "Город"}})
    report = build_quarterly_report(hostile, Quarter(2026, 1), {}, TODAY)
    assert "<script>" not in build_report_html(report, "ky")
    assert "&lt;script&gt;" in build_report_html(report, "ky")
    assert "\\<script\\>x\\</script\\> \\| \\*а\\*" in build_report_markdown(report, "ky")


def test_write_report_saves_every_file(campaign: Campaign, tmp_path: Path) -> None:
    report = build_quarterly_report(campaign, Quarter(2026, 1), {}, TODAY)
    paths = write_report(report, tmp_path / "reports" / "2026Q1")
    assert sorted(p.name for p in paths) == [
        "report.csv",
        "report.ky.html",
        "report.ky.md",
        "report.ru.html",
        "report.ru.md",
    ]
    assert "Чейректик отчет" in (tmp_path / "reports" / "2026Q1" / "report.ky.md").read_text(encoding="utf-8")
    assert not [p for p in paths[0].parent.iterdir() if p.name.endswith(".tmp")]


def test_later_quarters_and_unknown_deliverables(campaign: Campaign) -> None:
    manifests = {
        "2026Q1": _manifest("2026Q1", _files("old-flyer", "social", "ky", ["story"])),
        "2026Q3": _manifest("2026Q3", poster("ky")),  # after the reported quarter: ignored
    }
    report = build_quarterly_report(campaign, Quarter(2026, 2), manifests, TODAY)
    assert report.unknown == ("old-flyer",)
    assert _row(report, "banner", "ky").produced_year == 0 and _row(report, "banner", "ky").overdue == 1
    assert "old-flyer" in build_report_markdown(report, "ru")


@pytest.mark.parametrize(
    ("quarter", "manifests", "message"),
    [
        (Quarter(2025, 4), {}, "outside the campaign's period (2026Q1 to 2027Q4)"),
        (
            Quarter(2026, 2),
            {"2026Q1": Manifest(campaign="test-city", quarter="2026Q2")},
            'manifest for 2026Q1: it says quarter "2026Q2"',
        ),
        (
            Quarter(2026, 2),
            {"2026Q1": Manifest(campaign="other", quarter="2026Q1")},
            'it is for campaign "other"',
        ),
        (Quarter(2026, 2), {"2026-1": Manifest(campaign="test-city", quarter="2026Q1")}, '"2026-1" is not a quarter'),
    ],
)
def test_bad_input_is_named(campaign: Campaign, quarter: Quarter, manifests: dict[str, Any], message: str) -> None:
    with pytest.raises(StudioError, match=re.escape(message)):
        build_quarterly_report(campaign, quarter, manifests, TODAY)


def test_sample_campaign_report(tmp_path: Path) -> None:
    """The shipped campaign: targets for every type, the explainers due in 2026Q1."""
    from studio.campaign import load_campaign

    sample = load_campaign(REPO / "campaigns" / "tash-komur-2026.yaml")
    report = build_quarterly_report(sample, Quarter(2026, 1), {}, dt.date(2026, 3, 31))
    assert _row(report, "video", "ky").planned == 1 and _row(report, "video", "ky").target_year == 3
    assert _row(report, "banner", "ru").planned == 2 and _row(report, "social", "ru").planned == 2
    assert _row(report, "infographic", "ky").target_year == 10 and not report.late
