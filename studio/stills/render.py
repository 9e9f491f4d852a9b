"""Rendering one banner or social-ad job: layout, raster, encode, QR read-back, atomic write."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from PIL import Image

from studio.campaign import cached_design, display_path
from studio.campaign.models import Campaign
from studio.files import write_atomic
from studio.fonts import PillowMeasure
from studio.formats import get_format
from studio.kinds.base import Output
from studio.kinds.marks import PRINT_DISCLOSURE, STILL_DISCLOSURE, signing_keys, synthetic_label
from studio.layout.engine import Layout, LayoutInput, build_layout
from studio.plan import Job
from studio.qr import Placement, tag_url
from studio.stills.images import encode_jpeg, encode_png, encode_social
from studio.stills.pdf import PrintPage, build_print_pdf
from studio.stills.qrcheck import check_qr_bytes
from studio.stills.raster import render_layout

PROOF_LONG_SIDE_PX = 2000
PRINT_JPEG_QUALITY = 90


def layout_job(campaign: Campaign, job: Job) -> Layout:
    """The layout of one job (pure apart from reading the design file and font metrics)."""
    deliverable = campaign.deliverable(job.deliverable)
    target = deliverable.link.url if deliverable.link else campaign.reporting.url
    url = tag_url(target, Placement(job.deliverable, job.format, job.language, str(job.quarter)))
    photo = None
    if deliverable.photo is not None:
        from studio.stills.photos import photo_info

        p = deliverable.photo
        photo = photo_info(p.image, display_path(p.image), p.focus, p.duotone)
    spec = LayoutInput.of(
        campaign,
        deliverable,
        job.language,
        get_format(job.format),
        cached_design(campaign.root, deliverable.design),
        url,
        photo=photo,
        synthetic=deliverable.is_synthetic,
    )
    return build_layout(spec, PillowMeasure())


def render_job(campaign: Campaign, job: Job, quarter_dir: Path, keys_dir: str | None = None) -> list[Output]:
    """Render ``job`` into ``quarter_dir``; every file is QR-checked (and, when synthetic, labelled and
    signed) before any is written."""
    fmt = get_format(job.format)
    deliverable = campaign.deliverable(job.deliverable)
    synthetic = deliverable.is_synthetic
    layout = layout_job(campaign, job)
    image = render_layout(layout)
    folder = quarter_dir / job.folder
    qr = layout.qr
    qr_url = qr.matrix.data if qr else None
    encoded: list[tuple[Path, bytes, Output]] = []

    def check(data: bytes, scale: float, what: str) -> None:
        if qr is not None:
            check_qr_bytes(
                data,
                qr.matrix.data,
                round(qr.modules_box.w * scale),
                max(1, round(qr.module_px * scale)),
                f"{job.label} {what}",
            )

    if fmt.is_print:
        jpeg = encode_jpeg(image, quality=PRINT_JPEG_QUALITY, dpi=fmt.dpi, subsampling=2)
        check(jpeg, 1.0, "print PDF image")
        page = PrintPage(
            fmt.trim_mm,
            fmt.bleed_mm,
            image.size,
            f"{campaign.id} / {job.deliverable} / {job.language} / {job.format} / {job.quarter}",
        )
        pdf_path = folder / f"{job.format}.pdf"
        encoded.append(
            (
                pdf_path,
                build_print_pdf(jpeg, page, None if synthetic else _designed_xmp(job)),
                Output(pdf_path, "print", "application/pdf", image.width, image.height, fmt.dpi, qr_url),
            )
        )
        t = layout.trim
        scale = min(1.0, PROOF_LONG_SIDE_PX / max(t.w, t.h))
        # The proof shows the sheet as trimmed: resize straight from the trim box, no full-size copy.
        proof = image.resize(
            (round(t.w * scale), round(t.h * scale)),
            Image.Resampling.LANCZOS,
            box=(t.x, t.y, t.right, t.bottom),
            reducing_gap=3.0,
        )
        proof_png = encode_png(proof, compress_level=6)
        check(proof_png, scale, "PNG proof")
        proof_path = folder / f"{job.format}.png"
        encoded.append(
            (proof_path, proof_png, Output(proof_path, "proof", "image/png", proof.width, proof.height, None, qr_url))
        )
    else:
        photographic = deliverable.background.image is not None or deliverable.photo is not None
        data, ext = encode_social(image, photographic)
        check(data, 1.0, ext.upper())
        path = folder / f"{job.format}.{ext}"
        media = "image/png" if ext == "png" else "image/jpeg"
        encoded.append((path, data, Output(path, "image", media, image.width, image.height, None, qr_url)))

    if synthetic:
        encoded = [(path, *_marked(data, out, job, keys_dir)) for path, data, out in encoded]
    notices = list(layout.notes)
    if deliverable.photo is not None:
        from studio.stills.photos import load_photo

        notices += load_photo(deliverable.photo.image)[1]
    outputs = []
    for path, data, out in encoded:
        write_atomic(path, data)
        extra = {**out.extra, "notices": notices} if notices else out.extra
        outputs.append(replace(out, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), extra=extra))
    return outputs


def _designed_xmp(job: Job) -> bytes:
    """The XMP of a print PDF that holds nothing synthetic: made by people with digital tools."""
    from studio.kinds.marks import software_agent
    from studio.label import build_xmp_packet

    iptc = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation"
    return build_xmp_packet(iptc, f"{job.deliverable} ({job.language}, {job.format})", software_agent())


def _marked(data: bytes, out: Output, job: Job, keys_dir: str | None) -> tuple[bytes, Output]:
    """A synthetic still: every file (PNG, JPEG, print PDF) has the badge, then XMP and a signed C2PA manifest."""
    label = synthetic_label(f"{job.deliverable} ({job.language}, {job.format})")
    from studio.label import mark_synthetic_bytes

    signed = mark_synthetic_bytes(data, out.media_type, label, signing_keys(keys_dir))
    marks = PRINT_DISCLOSURE if out.role == "print" else STILL_DISCLOSURE
    return signed, replace(out, extra={"synthetic": True, "disclosure": list(marks)})
