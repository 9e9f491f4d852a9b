"""Verification reports as a table for people and as a JSON-able dict for machines. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from studio.verify.model import FileReport, Status, Summary, summarize

_LABELS = {Status.PASS: "pass", Status.FAIL: "FAIL", Status.SKIP: "skip"}


def _describe(report: FileReport) -> str:
    parts = []
    if report.media:
        parts.append("audio" if report.media.startswith("audio/") else "video" if report.is_video else "still")
    if report.format:
        parts.append(f"{report.format} (from {report.format_from})" if report.format_from else report.format)
    if report.duration_s is not None:
        parts.append(f"{report.duration_s:.1f} s")
    parts.append(f"verified in {report.seconds:.2f} s")
    return " · ".join(parts)


def summary_line(summary: Summary) -> str:
    line = (
        f"{summary.files} file{'s' if summary.files != 1 else ''}: {summary.passed} passed, "
        f"{summary.failed} failed, {summary.skipped} not checked"
    )
    per_minute = summary.seconds_per_video_minute
    if per_minute is not None:
        line += (
            f" · {summary.video_s / 60:.2f} min of video verified in {summary.video_seconds:.1f} s"
            f" ({per_minute:.1f} s per minute of video)"
        )
    return line


def reports_table(reports: Sequence[FileReport]) -> str:
    """One block per file: its verdict and path, then one line per check; a summary line last."""
    width = max((len(c.name) for r in reports for c in r.checks), default=8)
    lines: list[str] = []
    for report in reports:
        lines.append(f"{_LABELS[report.status]:<4}  {report.path}  ({_describe(report)})")
        if report.note:
            lines.append(f"      {report.note}")
        for check in report.checks:
            lines.append(f"      {_LABELS[check.status]:<4}  {check.name:<{width}}  {check.detail}")
    lines.append(summary_line(summarize(reports)))
    return "\n".join(lines)


def reports_json(reports: Sequence[FileReport]) -> dict[str, Any]:
    """Everything in the reports as plain JSON types (``--json``); ``ok`` is false when any file failed."""
    summary = summarize(reports)
    per_minute = summary.seconds_per_video_minute
    return {
        "ok": summary.ok,
        "summary": {
            "files": summary.files,
            "passed": summary.passed,
            "failed": summary.failed,
            "not_checked": summary.skipped,
            "seconds": round(summary.seconds, 3),
            "video_s": round(summary.video_s, 3),
            "seconds_per_video_minute": None if per_minute is None else round(per_minute, 3),
        },
        "files": [
            {
                "path": str(r.path),
                "status": str(r.status),
                "media_type": r.media,
                "kind": None if r.media is None else ("video" if r.is_video else "still"),
                "format": r.format,
                "format_from": r.format_from,
                "synthetic": r.synthetic,
                "manifest": None if r.manifest is None else str(r.manifest),
                "duration_s": r.duration_s,
                "seconds": round(r.seconds, 3),
                "note": r.note,
                "checks": [
                    {"name": str(c.name), "status": str(c.status), "detail": c.detail, "facts": dict(c.facts)}
                    for c in r.checks
                ],
            }
            for r in reports
        ],
    }
