"""``manifest.json``: the contract between the batch, the gallery, the report, ``studio plan`` and verify.

One model (``Manifest`` of ``ManifestEntry``), one reader (``read_manifest``), one writer
(``write_manifest``). Each entry is one rendered file; "same job" and "draft" are decided here and
nowhere else. Manifests written before the schema had a version (version 1: the same fields, a draft
marked by a flag or by a ``FORMAT.draft.EXT`` name) are read and upgraded; a manifest from a newer
studio, or one that is not a manifest, is never misread: the reader says why and the batch rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from studio import __version__
from studio.errors import StudioError
from studio.files import write_atomic

if TYPE_CHECKING:
    from studio.kinds.base import Output
    from studio.plan import Job

MANIFEST_NAME = "manifest.json"
#: 2: typed entries and a ``schema_version`` field; 1: the untyped manifests of studio 0.1.
SCHEMA_VERSION = 2


class ManifestError(StudioError):
    """A manifest that cannot be read as one (the message names the file and why)."""


class Watermark(BaseModel):
    """The invisible watermark of a synthetic render: its algorithm and the ids it carries (hex)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    algorithm: str
    organisation: str
    render: str


class ManifestEntry(BaseModel):
    """What the manifest says of one rendered file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # relative to the quarter folder, POSIX
    kind: str
    role: str  # "image", "print", "proof", "video", "captions", … (a kind's final_roles count as produced)
    media_type: str
    deliverable: str
    language: str
    format: str
    quarter: str
    sha256: str
    bytes: int
    width_px: int = 0
    height_px: int = 0
    dpi: int | None = None
    content_key: str = ""  # the job's inputs fingerprint (studio.batch.keys)
    #: The trimmed size of a format the campaign defines (a newspaper module), for readers without it.
    trim_mm: tuple[float, float] | None = None
    draft: bool = False
    synthetic: bool = False
    disclosure: tuple[str, ...] = ()  # the labels it carries: visible-badge, spoken, watermark, xmp, c2pa
    qr_url: str | None = None
    qr_tag: str | None = None  # the placement's short code, as its scans report it (studio.qr.placement_tag)
    voice_engine: str | None = None
    notices: tuple[str, ...] = ()  # e.g. a voice that fell back to espeak
    # Time-based media
    duration_s: float | None = None
    fps: int | None = None
    captions: tuple[str, ...] = ()  # caption files beside a video, by name
    captions_burned_in: bool | None = None
    spoken_disclosure_s: tuple[float, float] | None = None
    scenes: tuple[str, ...] = ()  # an explainer's scene kinds, in order (title, dialogue, steps, …)
    characters: tuple[str, ...] = ()  # the characters on screen in an explainer
    # Print files for a CMYK press: the preflight summary (studio.press.make: profile, ink, text, QR;
    # trim_mm, bleed_mm, ink_mean_pct, qr_file_read, qr_press_read for the gallery)
    preflight: dict[str, Any] | None = None
    # Paged media (booklets, leaflets, infographics)
    pages: int | None = None  # pages of the document (reader and print PDFs)
    page: int | None = None  # which page a preview shows (1-based)
    sheets: int | None = None  # printed sheets of an imposed print PDF
    imposition: str | None = None  # "saddle-stitch" or "tri-fold"
    #: Written whole by a job that then failed (a full disk): shown, not counted as produced, redone next run.
    incomplete: bool = False
    # Audio (radio spots, podcasts, voice notes): loudness measured on the delivered file (EBU R128),
    # the target it was made for, the slot and the pace that fitted it, podcast chapters (start, end, title)
    loudness_lufs: float | None = None
    loudness_target_lufs: float | None = None
    true_peak_dbtp: float | None = None
    slot_s: float | None = None
    speed: float | None = None
    chapters: tuple[tuple[float, float, str], ...] = ()
    # Synthetic renders: what leads a copy whose metadata is gone back to this entry (studio verify --against)
    watermark: Watermark | None = None
    fingerprint: dict[str, Any] | None = None  # studio.label.fingerprint.Fingerprint.to_dict()
    # Approval locks (studio.batch.approved): a later render of an approved file is a revision beside it.
    revision: int = 1  # 2 for FORMAT.r2.EXT, …
    superseded_by: str | None = None  # set on an approved file kept when a later render changed it

    @model_validator(mode="before")
    @classmethod
    def _draft_by_name(cls, data: Any) -> Any:
        # Version 1 marked some drafts only by their name (FORMAT.draft.mp4): one rule from now on.
        if isinstance(data, Mapping) and ".draft" in PurePosixPath(str(data.get("path", ""))).suffixes:
            return {**data, "draft": True}
        return data

    def is_job(self, job: Job, draft: bool) -> bool:
        """Whether this is one of ``job``'s current files (its final render, or its draft).

        An approved file kept when a later render changed it (``superseded_by``) is no longer the job's.
        """
        return (
            self.superseded_by is None
            and self.deliverable == job.deliverable
            and self.language == job.language
            and self.format == job.format
            and self.draft == draft
        )

    @property
    def is_final(self) -> bool:
        """A file that counts towards "produced": a kind's main file (not a proof or sidecar), not a draft, not
        left by a job that failed before writing all its files."""
        from studio.report.entries import FINAL_ROLES

        return self.role in FINAL_ROLES and not self.draft and not self.incomplete

    @classmethod
    def of_output(cls, job: Job, out: Output, quarter_dir: Path, content_key: str, draft: bool) -> ManifestEntry:
        """The entry for a file a job wrote; ``out.extra`` must name only fields of this model."""
        try:
            return cls(
                path=out.path.relative_to(quarter_dir).as_posix(),
                kind=job.kind,
                role=out.role,
                media_type=out.media_type,
                deliverable=job.deliverable,
                language=job.language,
                format=job.format,
                quarter=str(job.quarter),
                sha256=out.sha256,
                bytes=out.bytes,
                width_px=out.width_px,
                height_px=out.height_px,
                dpi=out.dpi,
                qr_url=out.qr_url,
                qr_tag=_qr_tag(job, out.qr_url),
                content_key=content_key,
                draft=draft,
                **out.extra,
            )
        except ValidationError as exc:  # a renderer's bug, not bad input: name the field
            raise StudioError(f"{job.label}: manifest entry for {out.path.name}: {_first_problem(exc)}") from None


def _qr_tag(job: Job, qr_url: str | None) -> str | None:
    """The placement's short code for a file with a QR code (a ``tel:`` link carries none)."""
    if not qr_url or qr_url.startswith("tel:"):
        return None
    from studio.qr import Placement, placement_tag

    return placement_tag(Placement(job.deliverable, job.format, job.language, str(job.quarter)))


class Manifest(BaseModel):
    """Every file rendered for one campaign and quarter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION
    campaign: str
    quarter: str
    studio_version: str = ""
    generated_at: str = ""
    renders: tuple[ManifestEntry, ...] = ()

    def by_path(self) -> dict[str, ManifestEntry]:
        return {e.path: e for e in self.renders}

    def job_entries(self, job: Job, draft: bool) -> list[ManifestEntry]:
        return [e for e in self.renders if e.is_job(job, draft)]


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def parse_manifest(data: Any, where: str) -> Manifest:
    """A manifest from parsed JSON; ``ManifestError`` naming ``where`` when it is not one."""
    if not isinstance(data, dict):
        raise ManifestError(f"{where}: not a manifest (not a JSON object)")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ManifestError(f"{where}: schema_version {version!r} is not a number")
    if version > SCHEMA_VERSION:
        raise ManifestError(
            f"{where}: written by a newer Taza Studio (manifest schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); update Taza Studio"
        )
    try:
        return Manifest.model_validate({**data, "schema_version": SCHEMA_VERSION})
    except ValidationError as exc:
        raise ManifestError(f"{where}: not a valid manifest ({_first_problem(exc)})") from None


def load_manifest(path: Path) -> Manifest:
    """Read one ``manifest.json``; ``ManifestError`` when it cannot be read as a manifest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not a valid manifest ({exc})") from None
    return parse_manifest(data, str(path))


def read_manifest(quarter_dir: Path) -> tuple[dict[str, ManifestEntry], str | None]:
    """A quarter's entries by path (only those whose file is still there), and a warning when the file
    could not be read as a manifest (the batch then rebuilds it from this run's renders)."""
    path = quarter_dir / MANIFEST_NAME
    if not path.exists():
        return {}, None
    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        return {}, f"{exc}; it is rebuilt from this run's renders"
    return {p: e for p, e in manifest.by_path().items() if (quarter_dir / p).is_file()}, None


def read_manifests(out_root: Path, campaign_id: str) -> dict[str, Manifest]:
    """Every quarter's manifest of a campaign under ``out_root`` (unreadable ones are left out)."""
    manifests = {}
    for path in sorted((out_root / campaign_id).glob(f"*/{MANIFEST_NAME}")):
        try:
            manifests[path.parent.name] = load_manifest(path)
        except ManifestError:
            continue
    return manifests


def write_manifest(quarter_dir: Path, campaign_id: str, quarter: str, entries: Iterable[ManifestEntry]) -> Path:
    """Write the quarter's manifest atomically, entries sorted by path."""
    path = quarter_dir / MANIFEST_NAME
    manifest = Manifest(
        campaign=campaign_id,
        quarter=quarter,
        studio_version=__version__,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        renders=tuple(sorted(entries, key=lambda e: e.path)),
    )
    # pydantic's own JSON: the same text as json.dumps(..., ensure_ascii=False, indent=2), five times
    # faster (the manifest is written again after every job, while the workers render)
    body = manifest.model_dump_json(indent=2) + "\n"
    write_atomic(path, body.encode("utf-8"))
    return path
