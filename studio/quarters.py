"""Quarters as written on the command line and in file names: ``2026Q1`` … ``2027Q4``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``2026Q1``; raise ValueError with the accepted form otherwise."""
        match = _QUARTER_RE.match(str(text).strip().upper())
        if not match:
            raise ValueError(f'"{text}" is not a quarter; write it like 2026Q1 (year, Q, 1 to 4)')
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def report_due(self) -> dt.date:
        """The quarter's report is due by the 1st of the following month."""
        return self.next().first_day


def quarters_between(first: Quarter, last: Quarter) -> tuple[Quarter, ...]:
    """Every quarter from ``first`` to ``last``, both included."""
    out: list[Quarter] = []
    q = first
    while q <= last:
        out.append(q)
        q = q.next()
    return tuple(out)
