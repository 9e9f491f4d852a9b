"""The words a design may show, resolved for one deliverable in one language. Pure.

Designs name text fields (``headline``, ``date``, ``place``…); this is the one table of what each field
says. Dates are written the way each language's newspapers write them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from studio.campaign.models import Campaign, Deliverable

_MONTHS = {
    # Kyrgyz: the month in the nominative after an ordinal day, "15-май"
    "ky": (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
    # Russian: the genitive after the day, "15 мая"
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_YEAR = {"ky": "{y}-ж.", "ru": "{y} г.", "en": "{y}"}
_CREDIT = {"ky": "Сүрөт: {c}", "ru": "Фото: {c}", "en": "Photo: {c}"}
_UNTIL = {"ky": "{d} чейин", "ru": "до {d}", "en": "until {d}"}


def date_words(day: dt.date, lang: str) -> str:
    """ "15-май, 2026-ж." / "15 мая 2026 г." / "15 May 2026"."""
    month = _MONTHS[lang][day.month - 1]
    year = _YEAR[lang].format(y=day.year)
    if lang == "ky":
        return f"{day.day}-{month}, {year}"
    return f"{day.day} {month} {year}"


@dataclass(frozen=True)
class Words:
    """The resolved words of one deliverable in one language: what the design's text layers may show."""

    texts: Mapping[str, str]  # design text field → text ("" when the deliverable has none)
    hashtags: tuple[str, ...]
    contacts: tuple[str, ...]  # printed under the QR code for people who type instead of scan
    language: str = "ky"  # picks a design's per-language prefixes ("Кайда:" / "Где:")


def resolve_words(campaign: Campaign, deliverable: Deliverable, language: str) -> Words:
    """Every text field a design can name, in ``language``; the call to action falls back to the campaign's."""
    copy = deliverable.text[language]
    reporting = campaign.reporting
    event, contest, photo = deliverable.event, deliverable.contest, deliverable.photo
    credit = copy.credit or (photo.credit if photo else None)
    texts = {
        "headline": copy.headline,
        "body": copy.body or "",
        "call_to_action": copy.call_to_action or reporting.call_to_action[language],
        "organisation": campaign.organisation[language],
        "title": campaign.title[language],
        "kicker": copy.kicker or "",
        "date": date_words(event.date, language) if event else "",
        "time": event.time or "" if event else "",
        "place": copy.place or "",
        "organiser": copy.organiser or "",
        "deadline": _UNTIL[language].format(d=date_words(contest.deadline, language)) if contest else "",
        "categories": copy.categories or "",
        "prizes": copy.prizes or "",
        "how_to_submit": copy.how_to_submit or "",
        "name": copy.name or "",
        "role": copy.role or "",
        "number": copy.number or "",
        "source": copy.source or "",
        "credit": _CREDIT[language].format(c=credit) if credit else "",
    }
    if deliverable.link is not None:  # the QR code leads to the event's or contest's own page
        contacts: tuple[str, ...] = (deliverable.link.short_text,)
    else:
        contacts = tuple(x for x in (reporting.short_text, reporting.phone) if x)
    return Words(texts, deliverable.hashtags, contacts, language)
