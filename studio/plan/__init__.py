"""Planning: which jobs (deliverable × language × format) are due in a quarter. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studio.campaign.models import Campaign
from studio.errors import StudioError
from studio.kinds import groups
from studio.quarters import Quarter


@dataclass(frozen=True, order=True)
class Job:
    """One deliverable in one language and one format for one quarter: the unit a batch runs."""

    quarter: Quarter
    deliverable: str
    language: str
    format: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.deliverable} ({self.language}, {self.format})"

    @property
    def folder(self) -> str:
        """Where its files go, relative to the quarter's folder."""
        return f"{self.deliverable}/{self.language}"


def parse_groups(only: str | None) -> tuple[str, ...]:
    """``"banners,social"`` → kinds; raises StudioError naming an unknown group."""
    table = groups()
    if not only:
        return tuple(kind for kinds in table.values() for kind in kinds)
    kinds: list[str] = []
    for name in (part.strip() for part in only.split(",") if part.strip()):
        if name not in table:
            raise StudioError(f'--only: unknown group "{name}"; known: {", ".join(table)}')
        kinds += table[name]
    return tuple(kinds)


def plan_jobs(
    campaign: Campaign,
    quarter: Quarter,
    kinds: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
) -> list[Job]:
    """Every job due in ``quarter``, optionally narrowed by kind, language and format."""
    kinds = set(kinds) if kinds is not None else None
    languages = set(languages) if languages is not None else None
    formats = set(formats) if formats is not None else None
    jobs = []
    for d in campaign.deliverables:
        if quarter not in d.due_quarters or (kinds is not None and d.kind not in kinds):
            continue
        for lang in campaign.deliverable_languages(d):
            if languages is not None and lang not in languages:
                continue
            for fmt in d.formats:
                if formats is None or fmt in formats:
                    jobs.append(Job(quarter, d.id, lang, fmt, d.kind))
    return jobs
