"""What `studio verify` finds: one report per file, one result per check. Pure data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"  # not applicable, or nothing to hold the file to; never a failure


class CheckName(StrEnum):
    """The checks, in the order they are reported."""

    FILE = "file"  # the file can be read at all (only reported when it cannot)
    MANIFEST = "manifest"  # the file is the one its manifest lists
    VISIBLE_LABEL = "visible-label"  # the badge, on the still or on every sampled frame
    SPOKEN_DISCLOSURE = "spoken-disclosure"  # the narration opens with the disclosure
    XMP = "xmp"  # IPTC digital source type in the file's XMP
    C2PA = "c2pa"  # signed content credentials
    QR = "qr"  # the reporting QR code decodes to the manifest's URL
    LOUDNESS = "loudness"  # audio: EBU R128 loudness and true peak on target
    SLOT_LENGTH = "slot-length"  # radio spots: exactly the slot's length


@dataclass(frozen=True)
class CheckResult:
    """One check of one file: its verdict, a sentence saying why, and the measured values for machines."""

    name: CheckName
    status: Status
    detail: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileReport:
    """Every check run on one file.

    ``media``: the sniffed media type (None when it is not a PNG, JPEG or MP4). ``format``: the format the
    file was checked as, and ``format_from`` where that came from ("manifest" or "frame size").
    ``seconds``: wall time spent verifying it; ``duration_s``: the video's length.
    """

    path: Path
    media: str | None
    checks: tuple[CheckResult, ...]
    seconds: float
    manifest: Path | None = None
    format: str | None = None
    format_from: str | None = None
    duration_s: float | None = None
    synthetic: bool | None = None  # as the manifest says, or as the file shows when there is no manifest
    note: str | None = None  # why nothing was checked, e.g. a PDF

    @property
    def status(self) -> Status:
        """FAIL if any check failed; PASS if at least one passed; SKIP when nothing could be checked."""
        statuses = {c.status for c in self.checks}
        if Status.FAIL in statuses:
            return Status.FAIL
        return Status.PASS if Status.PASS in statuses else Status.SKIP

    @property
    def is_video(self) -> bool:
        return self.duration_s is not None and not (self.media or "").startswith("audio/")

    def check(self, name: CheckName) -> CheckResult | None:
        return next((c for c in self.checks if c.name == name), None)


@dataclass(frozen=True)
class Summary:
    files: int
    passed: int
    failed: int
    skipped: int
    seconds: float
    video_s: float  # total length of the videos verified
    video_seconds: float  # time spent on them

    @property
    def ok(self) -> bool:
        """True when no file failed: what ``studio verify`` exits 0 on."""
        return self.failed == 0

    @property
    def seconds_per_video_minute(self) -> float | None:
        return self.video_seconds / (self.video_s / 60) if self.video_s > 0 else None


def summarize(reports: Iterable[FileReport]) -> Summary:
    reports = list(reports)
    videos = [r for r in reports if r.duration_s]
    return Summary(
        files=len(reports),
        passed=sum(r.status == Status.PASS for r in reports),
        failed=sum(r.status == Status.FAIL for r in reports),
        skipped=sum(r.status == Status.SKIP for r in reports),
        seconds=sum(r.seconds for r in reports),
        video_s=sum(r.duration_s or 0.0 for r in videos),
        video_seconds=sum(r.seconds for r in videos),
    )
