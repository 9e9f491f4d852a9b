"""Where each part of an audio programme goes: disclosure, ident, scenes, pauses, and the slot fit. Pure.

A programme opens with the spoken disclosure (within a third of a second), then the station ident, then
the script's scenes, then a short music tail. Radio spots last exactly their slot: the pauses between
sentences and scenes stretch or shrink within limits, the tail takes what is left, and a script that is
too long even at the shortest pauses is an error saying by how many seconds (the caller may first speak
it faster, within `MAX_SPEEDUP`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studio.errors import RenderError

#: Silence before the disclosure: a station's automation cuts from the previous item cleanly.
LEAD_IN_S = 0.3
#: The fastest a voice may be pushed to fit a slot (×1.15 its own pace is still comfortable to follow).
MAX_SPEEDUP = 1.15


@dataclass(frozen=True)
class Pauses:
    """Silences, in seconds: between sentences, between scenes, around the ident, and the music tail."""

    sentence_s: float
    scene_s: float
    ident_gap_s: float
    tail_s: float


NATURAL = Pauses(sentence_s=0.35, scene_s=0.7, ident_gap_s=0.35, tail_s=1.8)
SHORTEST = Pauses(sentence_s=0.18, scene_s=0.35, ident_gap_s=0.15, tail_s=0.6)
LONGEST = Pauses(sentence_s=0.6, scene_s=1.2, ident_gap_s=0.5, tail_s=float("inf"))


@dataclass(frozen=True)
class Placed:
    """One sentence (index into its part) placed at ``start_s``."""

    part: int  # 0: the disclosure; 1…: the scenes
    sentence: int
    start_s: float
    duration_s: float


@dataclass(frozen=True)
class Plan:
    """The programme's layout: every sentence's start, the ident's, each part's start, and the total length."""

    sentences: tuple[Placed, ...]
    ident_s: float
    part_starts_s: tuple[float, ...]  # part 0 (disclosure) starts at LEAD_IN_S
    duration_s: float
    pauses: Pauses

    @property
    def disclosure_s(self) -> tuple[float, float]:
        """When the spoken disclosure starts and ends."""
        said = [p for p in self.sentences if p.part == 0]
        return (said[0].start_s, said[-1].start_s + said[-1].duration_s)


def _layout(parts: Sequence[Sequence[float]], ident_s: float, pauses: Pauses) -> Plan:
    t = LEAD_IN_S
    placed: list[Placed] = []
    starts: list[float] = []
    ident_at = 0.0
    for index, sentences in enumerate(parts):
        if index == 1:
            t += pauses.ident_gap_s
            ident_at = t
            t += ident_s + pauses.ident_gap_s
        elif index > 1:
            t += pauses.scene_s
        starts.append(t)
        for j, length in enumerate(sentences):
            if j:
                t += pauses.sentence_s
            placed.append(Placed(index, j, t, length))
            t += length
    return Plan(tuple(placed), ident_at, tuple(starts), t + pauses.tail_s, pauses)


def natural_length_s(parts: Sequence[Sequence[float]], ident_s: float) -> float:
    return _layout(parts, ident_s, NATURAL).duration_s


def shortest_length_s(parts: Sequence[Sequence[float]], ident_s: float) -> float:
    return _layout(parts, ident_s, SHORTEST).duration_s


def fit_speed(parts: Sequence[Sequence[float]], ident_s: float, slot_s: float) -> float:
    """How much faster the voices must speak for ``parts`` to fit ``slot_s`` with the shortest pauses.

    1.0 when they fit as spoken. Speech shrinks by the factor (the pauses are already shortest); 2 %
    is added for the rounding of re-synthesised sentences. A script that would need more than
    `MAX_SPEEDUP` is an error saying how many seconds it is over.
    """
    shortest = shortest_length_s(parts, ident_s)
    if shortest <= slot_s:
        return 1.0
    over = shortest - slot_s
    speech_s = sum(sum(part) for part in parts)
    needed = speech_s / max(speech_s - over, 1e-6) * 1.02
    if needed > MAX_SPEEDUP:
        raise RenderError(
            f"the script is {over:.1f} s over the {slot_s:g} s slot with the shortest pauses "
            f"(too long even spoken {MAX_SPEEDUP:g}× faster); shorten it"
        )
    return round(needed, 3)


def plan(parts: Sequence[Sequence[float]], ident_s: float, slot_s: float | None = None) -> Plan:
    """Lay out ``parts`` (sentence durations: the disclosure first, then each scene).

    Without a slot the pauses are natural. With one, the result lasts exactly ``slot_s``: pauses are
    interpolated between shortest and longest so that speech fills the slot, the tail takes the rest.
    """
    if len(parts) < 2 or not all(parts):
        raise RenderError("an audio programme needs the disclosure and at least one scene, each with speech")
    natural = _layout(parts, ident_s, NATURAL)
    if slot_s is None:
        return natural
    shortest = _layout(parts, ident_s, SHORTEST)
    if shortest.duration_s > slot_s + 1e-9:
        over = shortest.duration_s - slot_s
        raise RenderError(f"the script is {over:.1f} s over the {slot_s:g} s slot even with the shortest pauses")
    if natural.duration_s <= slot_s:
        # Room to spare: natural pauses, a longer music tail.
        return _with_tail(parts, ident_s, NATURAL, slot_s)
    # Between shortest and natural: one fraction for every pause so the rhythm stays even.
    fixed = _layout(parts, ident_s, Pauses(0, 0, 0, 0)).duration_s
    spare_short = shortest.duration_s - fixed
    spare_natural = natural.duration_s - fixed
    k = (slot_s - fixed - spare_short) / (spare_natural - spare_short)
    mixed = Pauses(*(a + k * (b - a) for a, b in zip(_values(SHORTEST), _values(NATURAL), strict=True)))
    return _with_tail(parts, ident_s, mixed, slot_s)


def _values(pauses: Pauses) -> tuple[float, float, float, float]:
    return (pauses.sentence_s, pauses.scene_s, pauses.ident_gap_s, pauses.tail_s)


def _with_tail(parts: Sequence[Sequence[float]], ident_s: float, pauses: Pauses, slot_s: float) -> Plan:
    body = _layout(parts, ident_s, Pauses(pauses.sentence_s, pauses.scene_s, pauses.ident_gap_s, 0.0))
    tail = slot_s - body.duration_s
    final = Pauses(pauses.sentence_s, pauses.scene_s, pauses.ident_gap_s, tail)
    return Plan(body.sentences, body.ident_s, body.part_starts_s, slot_s, final)


def chapters(plan: Plan, titles: Sequence[str]) -> tuple[tuple[float, float, str], ...]:
    """One chapter per scene (start, end, title); the first also holds the disclosure and the ident."""
    starts = list(plan.part_starts_s[1:])
    if len(titles) != len(starts):
        raise RenderError(f"{len(titles)} chapter titles for {len(starts)} scenes")
    starts[0] = 0.0
    ends = [*starts[1:], plan.duration_s]
    return tuple((start, end, title) for start, end, title in zip(starts, ends, titles, strict=True))
