"""QR reporting codes: per-placement tracking and the module matrix. Pure.

Every code carries the campaign's reporting link tagged with where it was placed (deliverable,
format, language, quarter), so scans can be counted per placement:

- ``https://`` / ``http://`` links get query parameters ``src=qr&d=…&f=…&l=…&q=…``;
- Telegram bot links (``https://t.me/NAME`` or ``tg://resolve?domain=NAME``) get a ``start``
  payload (Telegram allows only ``A–Z a–z 0–9 _ -``, at most 64 characters), which the bot receives;
- ``tel:`` links cannot carry anything and are encoded as they are.

Every placement also has a short stable code, its tag (``placement_tag``): the Telegram payload, and
the ``qr_tag`` of its manifest entries. Links are encoded in their shortest safe form: an
internationalised host as punycode, other non-ASCII characters percent-encoded (phones read raw
UTF-8 in a QR code unreliably). A code's smallest size depends on its module count (``min_code_px``).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from studio.formats import Format

QUIET_ZONE_MODULES = 4
#: Telegram's limit on a ``start`` payload, and the characters it allows.
TELEGRAM_PAYLOAD_MAX = 64
_TELEGRAM_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
#: The module count the whole-code size rule (a tenth of the scanning distance) was set for: the studio's
#: own tagged links are version-6 codes (41 modules). A denser code needs proportionally more room, so
#: its modules are never smaller than that code's.
REFERENCE_MODULES = 41


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
        query.append(("start", placement_tag(placement)))
    else:
        query = [(k, v) for k, v in query if k not in ("src", "d", "f", "l", "q")]
        query += [
            ("src", "qr"),
            ("d", placement.deliverable),
            ("f", placement.format),
            ("l", placement.language),
            ("q", placement.quarter),
        ]
    return safe_url(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment)))


def placement_tag(placement: Placement) -> str:
    """A short stable code for a placement, unique per placement and at most 64 characters of
    ``A–Z a–z 0–9 _ -`` (what a Telegram ``start`` payload allows).

    ``deliverable-format-language-quarter`` when it fits; a longer one keeps its format, language and
    quarter, shortens the deliverable and adds six characters of a hash of the whole, so the Kyrgyz
    and Russian versions of one long deliverable never share a code.
    """
    parts = (placement.deliverable, placement.format, placement.language, placement.quarter)
    full = _TELEGRAM_UNSAFE.sub("_", "-".join(parts))
    if len(full) <= TELEGRAM_PAYLOAD_MAX:
        return full
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:6]
    rest = _TELEGRAM_UNSAFE.sub("_", "-".join((*parts[1:], digest)))
    room = max(1, TELEGRAM_PAYLOAD_MAX - len(rest) - 1)
    return f"{_TELEGRAM_UNSAFE.sub('_', placement.deliverable)[:room].rstrip('-_')}-{rest}"[:TELEGRAM_PAYLOAD_MAX]


# Characters kept as they are in a path, query or fragment: RFC 3986's unreserved and sub-delims, ":" "@"
# "/" "?", and "%" so what is already percent-encoded is not encoded twice.
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"


def safe_url(url: str) -> str:
    """``url`` in its shortest form every phone reads: punycode host, other non-ASCII percent-encoded.

    A plain ASCII link is returned exactly as given.
    """
    if url.isascii() and " " not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(host, safe="")
        netloc = f"{quote(userinfo, safe=':%')}{at}{host.lower()}{colon}{port}"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_SAFE_PATH),
            quote(parts.query, safe=_SAFE_QUERY),
            quote(parts.fragment, safe=_SAFE_QUERY),
        )
    )


def min_code_px(fmt: Format, modules: int) -> int:
    """The smallest width (modules only, in pixels) a code of ``modules`` modules may have in ``fmt``.

    A tenth of the scanning distance (print) or 16 % of the short side (screens) for the studio's own
    short links; a denser code keeps the module size that rule gives a version-6 code, so a long link
    is printed larger instead of with modules a phone cannot resolve.
    """
    return max(fmt.min_qr_px, math.ceil(fmt.min_qr_px / REFERENCE_MODULES * modules))


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
    """Encode ``data`` at exactly the requested error correction level (M, Q or H).

    The symbol is segno's, module for module: segno encodes it (with mask 0), and the mask segno would
    choose — the lowest ISO 18004 penalty of the eight — is scored here on whole arrays (``best_mask``),
    which segno does module by module in Python (5 of a 1080² ad's 7 ms of layout)."""
    import numpy as np
    import segno  # here, not at the top: the campaign loader needs the tagging helpers only
    from segno import encoder

    code = segno.make_qr(data, error=error_correction.lower(), boost_error=False, mask=0)
    matrix = np.array([bytearray(row) for row in code.matrix], dtype=np.uint8)
    template, region = _function_patterns(matrix.shape[0])
    masks = _mask_patterns(matrix.shape[0])
    unmasked = matrix ^ (masks[0] & region)
    mask = best_mask(unmasked, template, region)
    if mask:
        final = tuple(bytearray(row) for row in np.where(region, unmasked ^ masks[mask], matrix).tolist())
        encoder.add_format_info(final, int(code.version), encoder.normalize_errorlevel(error_correction), mask)
        matrix = np.array(final, dtype=np.uint8)
    rows = tuple(map(tuple, matrix.astype(bool).tolist()))
    return QRMatrix(data=data, error_correction=error_correction, version=int(code.version), rows=rows)


@lru_cache(maxsize=64)
def _function_patterns(width: int) -> tuple[Any, Any]:
    """segno's matrix before the data goes in (finder, timing, alignment patterns; format and version
    areas reserved as 0), and the encoding region a mask applies to."""
    import numpy as np
    from segno import encoder

    template = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(template, width, width)
    encoder.add_alignment_patterns(template, width, width)
    array = np.array([bytearray(row) for row in template], dtype=np.uint8)
    region = array == 0x2
    region[-8, 8] = False  # the dark module
    return np.where(region, 0, array).astype(np.uint8), region


@lru_cache(maxsize=64)
def _mask_patterns(width: int) -> tuple[Any, ...]:
    """The eight data masks of ISO/IEC 18004 (Table 10), as 0/1 arrays (i: row, j: column)."""
    import numpy as np

    i, j = np.indices((width, width))
    conditions = (
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0,
        ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        ((i + j) % 2 + (i * j) % 3) % 2 == 0,
    )
    return tuple(c.astype(np.uint8) for c in conditions)


def best_mask(unmasked: Any, template: Any, region: Any) -> int:
    """The mask segno chooses: the lowest penalty (N1 + N2 + N3 + N4, as segno counts them), the first
    of equals; scored on the symbol before its format and version information are added."""
    import numpy as np

    width = unmasked.shape[0]
    scores = []
    for pattern in _mask_patterns(width):
        m = np.where(region, unmasked ^ pattern, template).astype(np.uint8)
        n1 = _runs_penalty(m) + _runs_penalty(m.T)
        same = (m[1:, 1:] == m[1:, :-1]) & (m[1:, 1:] == m[:-1, 1:]) & (m[1:, 1:] == m[:-1, :-1])
        n2 = 3 * int(same.sum())
        n3 = sum(_n3_penalty(bytes(row), width) for row in m) + sum(_n3_penalty(bytes(col), width) for col in m.T)
        percent = float(int(m.sum())) / (width**2)
        n4 = 10 * int(abs(percent * 100 - 50) / 5)
        scores.append(n1 + n2 + n3 + n4)
    return int(np.argmin(scores))


def _runs_penalty(m: Any) -> int:
    """N1: every run of five or more equal modules along a row scores its length − 2."""
    import numpy as np

    rows, width = m.shape
    edges = np.ones((rows, width + 1), dtype=bool)
    edges[:, 1:-1] = m[:, 1:] != m[:, :-1]
    lengths = np.diff(np.flatnonzero(edges))
    long = lengths[lengths >= 5]
    return int((long - 2).sum())


_N3_PATTERN = bytes((1, 0, 1, 1, 1, 0, 1))


def _n3_penalty(seq: bytes, width: int) -> int:
    """N3 exactly as segno counts it: a 1:1:3:1:1 finder-like pattern with four light modules (or the
    symbol's edge) on either side, 40 each."""
    count = 0
    idx = seq.find(_N3_PATTERN)
    while idx != -1:
        offset = idx + 7
        if (
            idx in (0, width - 7)
            or not any(seq[max(idx - 4, 0) : min(idx, width)])
            or not any(seq[max(offset, 0) : min(offset + 4, width)])
        ):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_N3_PATTERN, offset)
    return count
