"""The quarterly report: what the studio produced in a quarter against the plan and the year's targets. Pure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from studio.batch.manifest import Manifest
from studio.campaign.models import PLAN_TYPES, Campaign, Deliverable
from studio.errors import StudioError
from studio.kinds import KIND_MODULES
from studio.quarters import Quarter

#: The types Taza Studio renders; the rest of ``PLAN_TYPES`` (infographics, booklets) are made elsewhere.
STUDIO_TYPES = tuple(KIND_MODULES)


@dataclass(frozen=True)
class ReportRow:
    """One type in one language. Every count is of distinct deliverables."""

    type: str
    language: str
    planned: int  # due this quarter
    produced: int  # produced this quarter, whenever they were due (catching up counts here too)
    planned_produced: int  # of those due this quarter, how many were produced this quarter
    produced_year: int  # produced in any quarter of this year up to and including this one
    target_year: int | None  # the year's target from the campaign file; None when none is set
    overdue: int  # due in an earlier quarter and not produced then or since
    in_studio: bool  # False for types the studio does not render: their counts stay 0
    approved: int = 0  # produced this quarter with every format's final file approved: ready to publish


@dataclass(frozen=True)
class ItemStatus:
    """One deliverable in one language, for the report's lists."""

    deliverable: str
    type: str
    language: str
    headline: str  # its headline in that language, so readers recognise it
    quarters: tuple[Quarter, ...] = ()  # for overdue items: the quarters it was due and missed


@dataclass(frozen=True)
class QuarterlyReport:
    campaign_id: str
    title: Mapping[str, str]  # by language
    organisation: Mapping[str, str]
    quarter: Quarter
    today: dt.date
    languages: tuple[str, ...]  # the campaign's languages: one row per type and language
    rows: tuple[ReportRow, ...]
    produced: tuple[ItemStatus, ...]  # produced this quarter
    missing: tuple[ItemStatus, ...]  # due this quarter and not produced in it
    overdue: tuple[ItemStatus, ...]
    unknown: tuple[str, ...]  # deliverables found in the manifests but not in the campaign (not counted)
    placeholder_url: str | None = None  # the reporting link, while it is still a sample placeholder

    @property
    def due(self) -> dt.date:
        """When the mayoralty must have the report: the 1st of the month after the quarter."""
        return self.quarter.report_due

    @property
    def days_to_due(self) -> int:
        """Days left until the due date; negative once it has passed."""
        return (self.due - self.today).days

    @property
    def late(self) -> bool:
        return self.today > self.due


def produced_items(
    campaign: Campaign, manifest: Manifest, only: Collection[str] | None = None
) -> frozenset[tuple[str, str]]:
    """(deliverable, language) pairs with a final file for every one of their formats in ``manifest``.

    With ``only`` (paths, e.g. the approved files), only those files count.
    """
    formats_found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in manifest.renders:
        if entry.is_final and (only is None or entry.path in only):
            formats_found[(entry.deliverable, entry.language)].add(entry.format)
    return frozenset(
        (d.id, lang)
        for d in campaign.deliverables
        for lang in campaign.deliverable_languages(d)
        if set(d.formats) <= formats_found.get((d.id, lang), set())
    )


def _manifests_by_quarter(
    campaign: Campaign, manifests: Mapping[str, Manifest], upto: Quarter
) -> dict[Quarter, Manifest]:
    """Parse the keys, check each manifest is for this campaign and quarter, drop quarters after ``upto``."""
    out: dict[Quarter, Manifest] = {}
    for key, manifest in manifests.items():
        try:
            quarter = Quarter.parse(key)
        except ValueError as exc:
            raise StudioError(f"manifests: {exc}") from None
        where = f"manifest for {quarter}"
        # A manifest copied into the wrong folder would count renders twice or in the wrong quarter.
        if manifest.quarter != str(quarter):
            raise StudioError(f'{where}: it says quarter "{manifest.quarter}"')
        if manifest.campaign != campaign.id:
            raise StudioError(f'{where}: it is for campaign "{manifest.campaign}", not "{campaign.id}"')
        if quarter <= upto:
            out[quarter] = manifest
    return out


def _headline(deliverable: Deliverable, lang: str) -> str:
    copy = deliverable.text.get(lang)
    return copy.headline if copy else ""


def build_quarterly_report(
    campaign: Campaign,
    quarter: Quarter,
    manifests: Mapping[str, Manifest],
    today: dt.date,
    approved: Collection[str] = (),
) -> QuarterlyReport:
    """Count what was produced in ``quarter`` against the plan, the year's targets and earlier dues.

    ``manifests`` maps quarters ("2026Q1") to the manifest of each quarter that has renders.
    A deliverable is produced in a language in a quarter when every one of its formats has a final file
    (image, print or video, not a draft) in that quarter's manifest; it is ready to publish when each of
    those files is among ``approved`` (paths in this quarter's folder whose approval still holds).
    """
    period = campaign.period
    if not period.from_ <= quarter <= period.to:
        raise StudioError(f"{quarter} is outside the campaign's period ({period.from_} to {period.to})")
    by_quarter = _manifests_by_quarter(campaign, manifests, quarter)
    produced = {q: produced_items(campaign, m) for q, m in by_quarter.items()}
    now = produced.get(quarter, frozenset())
    ready = produced_items(campaign, by_quarter[quarter], set(approved)) if quarter in by_quarter else frozenset()
    year_so_far: frozenset[tuple[str, str]] = frozenset().union(
        *(items for q, items in produced.items() if q.year == quarter.year)
    )

    known = {d.id for d in campaign.deliverables}
    unknown = sorted(
        {entry.deliverable for m in by_quarter.values() for entry in m.renders if entry.deliverable not in known}
    )

    def produced_between(item: tuple[str, str], first: Quarter) -> bool:
        return any(item in items for q, items in produced.items() if first <= q <= quarter)

    items_produced: list[ItemStatus] = []
    items_missing: list[ItemStatus] = []
    items_overdue: list[ItemStatus] = []
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in campaign.deliverables:
        for lang in campaign.deliverable_languages(d):
            item = (d.id, lang)
            count = counts[(d.kind, lang)]
            status = ItemStatus(d.id, d.kind, lang, _headline(d, lang))
            due_now = quarter in d.due_quarters
            count["planned"] += due_now
            count["produced"] += item in now
            count["approved"] += item in ready
            count["planned_produced"] += due_now and item in now
            count["produced_year"] += item in year_so_far
            if item in now:
                items_produced.append(status)
            elif due_now:
                items_missing.append(status)
            # Each earlier due is met by a render in its own quarter or any later one up to now.
            missed = tuple(q for q in d.due_quarters if period.from_ <= q < quarter and not produced_between(item, q))
            if missed:
                count["overdue"] += 1
                items_overdue.append(ItemStatus(d.id, d.kind, lang, status.headline, missed))

    targets = campaign.targets.get(quarter.year, {})
    # A deliverable may speak a language the campaign does not list for all of its content.
    languages = tuple(
        dict.fromkeys(
            [*campaign.languages, *(lang for d in campaign.deliverables for lang in campaign.deliverable_languages(d))]
        )
    )
    rows = tuple(
        ReportRow(
            type=kind,
            language=lang,
            planned=counts[(kind, lang)]["planned"],
            produced=counts[(kind, lang)]["produced"],
            planned_produced=counts[(kind, lang)]["planned_produced"],
            produced_year=counts[(kind, lang)]["produced_year"],
            target_year=targets.get(kind),
            overdue=counts[(kind, lang)]["overdue"],
            in_studio=kind in STUDIO_TYPES,
            approved=counts[(kind, lang)]["approved"],
        )
        for kind in PLAN_TYPES
        for lang in languages
    )
    return QuarterlyReport(
        campaign_id=campaign.id,
        title=dict(campaign.title),
        organisation=dict(campaign.organisation),
        quarter=quarter,
        today=today,
        languages=languages,
        rows=rows,
        produced=tuple(items_produced),
        missing=tuple(items_missing),
        overdue=tuple(items_overdue),
        unknown=tuple(unknown),
        placeholder_url=campaign.reporting.url if campaign.reporting.placeholder else None,
    )
