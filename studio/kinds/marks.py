"""Synthetic-media marks on rendered files: XMP digital source type, then a signed C2PA manifest."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio import __version__, disclosure
from studio.errors import RenderError

if TYPE_CHECKING:  # importing studio.label loads c2pa (~0.1 s): only where files are marked
    from studio.campaign.models import Campaign
    from studio.label import SigningKeys, SoftBinding, SyntheticLabel
    from studio.label.fingerprint import Fingerprint
    from studio.label.watermark import Payload
    from studio.plan import Job

#: What each kind of synthetic render carries, as the manifest lists it.
STILL_DISCLOSURE = ("visible-badge", "watermark", "xmp", "c2pa")
VIDEO_DISCLOSURE = ("visible-badge", "spoken", "watermark", "xmp", "c2pa")
PRINT_DISCLOSURE = ("visible-badge", "watermark")  # print PDFs: the badge and mark; their PNG proof the metadata


def software_agent() -> str:
    return f"Taza Studio {__version__}"


def synthetic_label(title: str, soft_bindings: tuple[SoftBinding, ...] = ()) -> SyntheticLabel:
    """The label every synthetic render gets: mixed real and synthetic parts (designed slides,
    synthetic voice or imagery), the bilingual disclosure, and the studio as software agent."""
    from studio.label import DigitalSourceType, SyntheticLabel

    return SyntheticLabel(
        source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        disclosure_text=disclosure.BADGE_TEXT,
        software_agent=software_agent(),
        disclosure_by_language=tuple(disclosure.SPOKEN.items()),
        title=title,
        soft_bindings=soft_bindings,
    )


@lru_cache(maxsize=4)
def signing_keys(keys_dir: str | None) -> SigningKeys:
    """The organisation's signing keys; a clear error when they have not been made yet."""
    from studio.label import default_keys_folder, load_signing_keys

    folder = Path(keys_dir) if keys_dir else default_keys_folder()
    try:
        return load_signing_keys(folder)
    except Exception as exc:  # LabelError or OSError: both mean no usable keys
        raise RenderError(
            f"synthetic renders must be signed, and the signing keys in {folder} cannot be used ({exc}); "
            "run `studio keys init` once on this machine"
        ) from None


def render_name(campaign_id: str, job_quarter: str, deliverable: str, language: str, fmt: str) -> str:
    """The name a render's watermark id is a hash of: the same job always carries the same mark."""
    return f"{campaign_id}/{job_quarter}/{deliverable}/{language}/{fmt}"


def render_payload(campaign: Campaign, job: Job) -> Payload:
    """What the invisible watermark of ``job``'s render carries: the organisation and the render."""
    from studio.label.watermark import payload_for

    name = render_name(campaign.id, str(job.quarter), job.deliverable, job.language, job.format)
    return payload_for(campaign.organisation["ky"], name)


def provenance(payload: Payload, fingerprint: Fingerprint) -> tuple[tuple[SoftBinding, ...], dict[str, Any]]:
    """The C2PA soft bindings and the manifest fields that lead a stripped copy back to its render."""
    import base64
    import json

    from studio.label import SoftBinding
    from studio.label.watermark import ALGORITHM

    print_ = fingerprint.to_dict()
    marks = (
        SoftBinding(ALGORITHM, base64.b64encode(payload.to_bytes()).decode("ascii")),
        SoftBinding(
            str(print_["algorithm"]),
            base64.b64encode(json.dumps(print_, separators=(",", ":")).encode("utf-8")).decode("ascii"),
        ),
    )
    fields = {
        "watermark": {"algorithm": ALGORITHM, "organisation": payload.organisation_hex, "render": payload.render_hex},
        "fingerprint": print_,
    }
    return marks, fields
