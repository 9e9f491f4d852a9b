"""Checks across a whole campaign that need more than its fields: every placement's scan tag."""

from __future__ import annotations

from studio.campaign.models import Campaign
from studio.campaign.yamlpos import Loc
from studio.qr import TELEGRAM_PAYLOAD_MAX, Placement, placement_tag, tag_url

#: The longest tagged link: a longer one makes a code too dense to print at a sensible size.
MAX_QR_URL = 512


def placement_checks(campaign: Campaign) -> list[tuple[Loc, str]]:
    """Every placement (deliverable × language × format × quarter) has its own scan tag, within the
    channel's limits: a tag shared by two placements would make their scans impossible to tell apart."""
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, Placement] = {}
    for i, d in enumerate(campaign.deliverables):
        here: Loc = ("deliverables", i, "id")
        link = d.link.url if d.link is not None else campaign.reporting.url
        telegram = "start=" in tag_url(link, Placement("x", "a4", "ky", "2026Q1"))
        for q in d.due_quarters:
            for lang in campaign.deliverable_languages(d):
                for fmt in d.formats:
                    placement = Placement(d.id, fmt, lang, str(q))
                    tag = placement_tag(placement)
                    other = seen.get(tag)
                    if other is not None and other != placement:
                        problems.append(
                            (
                                here,
                                f'scan tag "{tag}" of {d.id} ({lang}, {fmt}, {q}) is also the tag of '
                                f"{other.deliverable} ({other.language}, {other.format}, {other.quarter}): their "
                                "scans could not be told apart; rename one deliverable",
                            )
                        )
                    seen.setdefault(tag, placement)
                    if telegram and (
                        len(tag) > TELEGRAM_PAYLOAD_MAX or not tag.replace("-", "").replace("_", "").isalnum()
                    ):
                        problems.append((here, f'scan tag "{tag}" is not a valid Telegram start payload'))
                    url = tag_url(link, placement)
                    if len(url) > MAX_QR_URL:
                        problems.append(
                            (
                                ("deliverables", i, "link", "url")
                                if link != campaign.reporting.url
                                else ("reporting", "url"),
                                f"the tagged reporting link is {len(url)} characters long (at most {MAX_QR_URL}); "
                                "its QR code would be too dense: use a shorter link",
                            )
                        )
                        return problems
    return problems
