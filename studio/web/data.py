"""What the pages show, read from the campaign, the quarter's manifest and the review database.

A *render* is one deliverable in one language and one format (one revision of it): its main file (the
image, print PDF or video) and the files that come with it (proof, captions). Its status comes from the
standing review and from the bytes on disk now: an approval holds only while every file is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from studio.batch.manifest import MANIFEST_NAME, ManifestError, load_manifest, read_manifests
from studio.campaign import load_campaign
from studio.campaign.models import Campaign
from studio.files import sha256_of
from studio.quarters import Quarter, quarters_between
from studio.report.entries import FINAL_ROLES
from studio.review import Review, ReviewDB

STATUSES = ("pending", "approved", "changes", "changed")
_ROLE_ORDER = ("image", "print", "video", "audio", "proof", "captions")
_sha_cache: dict[tuple[str, int, int], str] = {}


def file_sha(path: Path) -> str | None:
    """The file's sha256, cached by size and modification time (pages hash every file they show)."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _sha_cache:
        _sha_cache[key] = sha256_of(path)
    return _sha_cache[key]


@dataclass
class Render:
    key: str  # the main file's path in the quarter folder: the render's address
    deliverable: str
    kind: str
    language: str
    format: str
    draft: bool
    revision: int
    superseded_by: str | None
    files: list[dict[str, Any]]
    main: dict[str, Any]
    status: str = "pending"
    review: Review | None = None
    current: dict[str, str] = field(default_factory=dict)  # path → sha256 on disk now

    @property
    def media(self) -> str:
        role = self.main.get("role")
        return {"image": "image", "proof": "image", "print": "print", "video": "video", "audio": "audio"}.get(
            str(role), "file"
        )

    def file(self, role: str) -> dict[str, Any] | None:
        return next((f for f in self.files if f.get("role") == role), None)

    def by_suffix(self, suffix: str) -> dict[str, Any] | None:
        return next((f for f in self.files if f["path"].endswith(suffix)), None)

    @property
    def thumb(self) -> str | None:
        """The image that stands for the render: itself, its print proof, its first page (booklets,
        infographic PDFs), or None (video: a frame)."""
        if self.media == "image":
            return self.key
        pages = sorted(f["path"] for f in self.files if f.get("role") == "preview")
        proof = self.file("proof")
        return proof["path"] if proof else (pages[0] if pages else None)


@dataclass(frozen=True)
class CampaignRef:
    id: str
    path: Path
    campaign: Campaign


def load_campaigns(paths: list[Path]) -> dict[str, CampaignRef]:
    refs = {}
    for path in paths:
        campaign = load_campaign(path)
        refs[campaign.id] = CampaignRef(campaign.id, Path(path), campaign)
    return refs


def read_manifest(quarter_dir: Path) -> dict[str, Any]:
    """The quarter's manifest as plain data for the pages (empty when there is none or it cannot be read)."""
    path = quarter_dir / MANIFEST_NAME
    try:
        return load_manifest(path).model_dump(mode="json") if path.is_file() else {"renders": []}
    except ManifestError:
        return {"renders": []}


def group_renders(entries: list[dict[str, Any]]) -> list[Render]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        key = (
            entry.get("deliverable"),
            entry.get("language"),
            entry.get("format"),
            bool(entry.get("draft")),
            int(entry.get("revision") or 1),
        )
        groups[key].append(entry)
    renders = []
    for (deliverable, language, fmt, draft, revision), files in groups.items():
        files.sort(key=lambda e: (_ROLE_ORDER.index(e["role"]) if e.get("role") in _ROLE_ORDER else 9, e["path"]))
        main = next((f for f in files if f.get("role") in FINAL_ROLES), files[0])
        renders.append(
            Render(
                key=main["path"],
                deliverable=str(deliverable),
                kind=str(main.get("kind", "")),
                language=str(language),
                format=str(fmt),
                draft=draft,
                revision=revision,
                superseded_by=main.get("superseded_by"),
                files=files,
                main=main,
            )
        )
    renders.sort(key=lambda r: (r.deliverable, r.language, r.format, r.draft, -r.revision))
    return renders


def with_status(renders: list[Render], quarter_dir: Path, reviews: Mapping[str, Review]) -> list[Render]:
    """Fill each render's status: approved only while every file still has the approved bytes."""
    for render in renders:
        render.current = {f["path"]: file_sha(quarter_dir / f["path"]) or "" for f in render.files}
        render.review = review = reviews.get(render.key)
        if review is None:
            render.status = "pending"
        elif review.decision == "approved":
            # An approval holds only while every file still has the approved bytes; otherwise it is void.
            same = all((r := reviews.get(p)) is not None and r.sha256 == sha for p, sha in render.current.items())
            render.status = "approved" if same else "changed"
        else:
            render.status = "changes" if review.sha256 == render.current.get(render.key) else "pending"
    return renders


def quarter_renders(db: ReviewDB, out_root: Path, campaign_id: str, quarter: str) -> list[Render]:
    quarter_dir = out_root / campaign_id / quarter
    # A manifest is a file on disk like any other: an entry naming a path outside the quarter is ignored.
    entries = [
        e
        for e in read_manifest(quarter_dir)["renders"]
        if isinstance(e, dict) and safe_relative(str(e.get("path", "")))
    ]
    return with_status(group_renders(entries), quarter_dir, db.latest(campaign_id, quarter))


@dataclass(frozen=True)
class QuarterSummary:
    quarter: str
    due: dt.date
    late: bool
    planned: int
    produced: int
    approved: int
    overdue: int
    overdue_items: tuple[str, ...]
    renders: int
    future: bool  # starts after today: nothing can be overdue in it yet


def campaign_quarters(ref: CampaignRef, out_root: Path, db: ReviewDB, today: dt.date) -> list[QuarterSummary]:
    """Each quarter of the campaign: planned, produced, approved (ready to publish), due date, overdue."""
    from studio.batch.approved import locked_files
    from studio.report import build_quarterly_report

    campaign = ref.campaign
    manifests = read_manifests(out_root, campaign.id)
    out = []
    for q in quarters_between(campaign.period.from_, campaign.period.to):
        folder = out_root / campaign.id / str(q)
        approved = locked_files(db.approved(campaign.id, str(q)), folder) if str(q) in manifests else {}
        report = build_quarterly_report(campaign, q, manifests, today, approved)
        rows = [r for r in report.rows if r.in_studio]
        future = q.first_day > today
        out.append(
            QuarterSummary(
                quarter=str(q),
                due=report.due,
                late=report.late and sum(r.planned_produced for r in rows) < sum(r.planned for r in rows),
                planned=sum(r.planned for r in rows),
                produced=sum(r.produced for r in rows),
                approved=sum(r.approved for r in rows),
                overdue=0 if future else sum(r.overdue for r in rows),
                overdue_items=() if future else tuple(f"{i.deliverable} ({i.language})" for i in report.overdue),
                renders=len(manifests[str(q)].renders) if str(q) in manifests else 0,
                future=future,
            )
        )
    return out


def parse_quarter(ref: CampaignRef, text: str) -> Quarter | None:
    try:
        q = Quarter.parse(text)
    except ValueError:
        return None
    period = ref.campaign.period
    return q if period.from_ <= q <= period.to and str(q) == text else None


def safe_relative(path: str) -> str | None:
    """``path`` when it is a plain relative path inside a folder; None for ``..``, absolute paths and odd parts."""
    if not path or "\\" in path or "\0" in path or path.startswith("/"):
        return None
    parts = PurePosixPath(path).parts
    if not parts or any(p in ("", ".", "..") or p.startswith(".") for p in parts) or ":" in parts[0]:
        return None
    return "/".join(parts)


def confined(root: Path, relative: str) -> Path | None:
    """The file ``root/relative`` if it exists and resolves inside ``root`` (no links out)."""
    clean = safe_relative(relative)
    if clean is None:
        return None
    root = root.resolve()
    target = (root / clean).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target
