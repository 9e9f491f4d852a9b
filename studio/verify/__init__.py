"""``studio verify``: every render read back and checked for the labels it must carry.

A synthetic render shows the visible badge (on every second of a video), a video opens with the spoken
disclosure, and the file declares itself synthetic in its XMP and in signed C2PA content credentials; its QR
code points where the manifest says. :func:`verify_paths` returns one :class:`FileReport` per file;
:func:`reports_table` and :func:`reports_json` render them for people and machines.
"""

from __future__ import annotations

from studio.verify.badge import BADGE_MIN_MATCH, BadgeStyle
from studio.verify.checks import DISCLOSURE_START_MAX_S
from studio.verify.model import CheckName, CheckResult, FileReport, Status, Summary, summarize
from studio.verify.output import reports_json, reports_table, summary_line
from studio.verify.run import VerifyOptions, expand_paths, verify_file, verify_paths

__all__ = [
    "BADGE_MIN_MATCH",
    "DISCLOSURE_START_MAX_S",
    "BadgeStyle",
    "CheckName",
    "CheckResult",
    "FileReport",
    "Status",
    "Summary",
    "VerifyOptions",
    "expand_paths",
    "reports_json",
    "reports_table",
    "summarize",
    "summary_line",
    "verify_file",
    "verify_paths",
]
