"""QR reporting codes: per-placement tracking and the module matrix. Pure.

Every code carries the campaign's reporting link tagged with where it was placed (deliverable,
format, language, quarter), so scans can be counted per placement:

- ``https://`` / ``http://`` links get query parameters ``src=qr&d=…&f=…&l=…&q=…``;
- Telegram bot links (``https://t.me/NAME`` or ``tg://resolve?domain=NAME``) get a ``start``
  payload (Telegram allows only ``A–Z a–z 0–9 _ -``, at most 64 characters), which the bot receives;
- ``tel:`` links cannot carry anything and are encoded as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno

QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class Placement:
    deliverable: str
    format: str
    language: str
    quarter: str


def tag_url(url: str, placement: Placement) -> str:
    """The reporting ``url`` tagged with its placement, in the form its scheme allows."""
    parts = urlsplit(url)
    if parts.scheme == "tel":
        return url
    is_telegram = parts.scheme == "tg" or parts.netloc.lower() in ("t.me", "telegram.me")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "start"]
    if is_telegram:
        payload = "-".join((placement.deliverable, placement.format, placement.language, placement.quarter))
        payload = re.sub(r"[^A-Za-z0-9_-]", "_", payload)[:64]
        query.append(("start", payload))
    else:
        query = [(k, v) for k, v in query if k not in ("src", "d", "f", "l", "q")]
        query += [
            ("src", "qr"),
            ("d", placement.deliverable),
            ("f", placement.format),
            ("l", placement.language),
            ("q", placement.quarter),
        ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


@dataclass(frozen=True)
class QRMatrix:
    """Dark (True) and light modules, quiet zone not included."""

    data: str
    error_correction: str
    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.rows)


def build_qr(data: str, error_correction: str = "M") -> QRMatrix:
    """Encode ``data`` at exactly the requested error correction level (M, Q or H)."""
    code = segno.make_qr(data, error=error_correction.lower(), boost_error=False)
    rows = tuple(tuple(bool(v) for v in row) for row in code.matrix)
    return QRMatrix(data=data, error_correction=error_correction, version=int(code.version), rows=rows)
