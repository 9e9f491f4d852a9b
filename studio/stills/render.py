"""Rendering one banner or social-ad job: layout, raster, encode, QR read-back, atomic write."""

from __future__ import annotations

import ctypes
import hashlib
import sys
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from studio.campaign import cached_design, display_path
from studio.campaign.models import Campaign
from studio.files import write_atomic
from studio.fonts import PillowMeasure
from studio.formats import Format
from studio.kinds.base import Output
from studio.kinds.marks import (
    PRINT_DISCLOSURE,
    STILL_DISCLOSURE,
    provenance,
    render_payload,
    signing_keys,
    synthetic_label,
)
from studio.layout.engine import Layout, LayoutInput, build_layout
from studio.plan import Job
from studio.press.profiles import get_profile
from studio.qr import Placement, tag_url
from studio.stills.images import encode_jpeg, encode_png, encode_social, save_social, social_extension
from studio.stills.pdf import PrintPage, build_print_pdf, sheet_facts
from studio.stills.qrcheck import check_qr_bytes, encode_checked, read_area
from studio.stills.raster import render_layout

if TYPE_CHECKING:
    from studio.label import SoftBinding

PROOF_LONG_SIDE_PX = 2000
PRINT_JPEG_QUALITY = 90


#: glibc malloc settings for a process that renders stills (``mallopt`` parameter numbers).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: Blocks up to this size come from the heap and are reused: a 1080×1920 canvas is 8.3 MB; Pillow
#: splits larger images into 16 MB blocks, which still go straight back to the system.
HEAP_BLOCK_MAX = 12 << 20
#: Freed heap kept for the next still rather than returned to the system (and faulted in again).
HEAP_KEEP = 64 << 20


@cache
def steady_memory() -> bool:
    """Let the images of one still reuse the memory of the previous one (glibc only; else nothing).

    By default glibc returns a freed multi-megabyte image to the system, so the next image touches
    fresh memory page by page: ~2,500 page faults, ~5 ms of a 1080² ad's ~60 ms of CPU."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, HEAP_BLOCK_MAX) and libc.mallopt(_M_TRIM_THRESHOLD, HEAP_KEEP))
    except (OSError, AttributeError):  # another C library (musl): keep its defaults
        return False


def job_format(campaign: Campaign, job: Job) -> Format:
    """The job's format, with the smallest text its paper holds (newsprint: 8 pt) as a floor."""
    fmt = campaign.format(job.format)
    if fmt.is_print:
        profile = get_profile(campaign.print_settings(campaign.deliverable(job.deliverable)).profile)
        if profile.min_text_mm > fmt.min_text_mm:
            fmt = replace(fmt, min_text_mm=profile.min_text_mm)
    return fmt


def layout_job(campaign: Campaign, job: Job, fmt: Format | None = None) -> Layout:
    """The layout of one job (pure apart from reading the design file and font metrics).

    ``fmt`` replaces the job's format, e.g. a print format at screen resolution for a quick preview."""
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
        fmt or job_format(campaign, job),
        cached_design(campaign.root, deliverable.design),
        url,
        photo=photo,
        synthetic=deliverable.is_synthetic,
    )
    return build_layout(spec, PillowMeasure())


def render_job(campaign: Campaign, job: Job, quarter_dir: Path, keys_dir: str | None = None) -> list[Output]:
    """Render ``job`` into ``quarter_dir``; every file is QR-checked (and, when synthetic, labelled and
    signed) before any is written."""
    steady_memory()
    fmt = job_format(campaign, job)
    deliverable = campaign.deliverable(job.deliverable)
    synthetic = deliverable.is_synthetic
    layout = layout_job(campaign, job)
    settings = campaign.print_settings(deliverable)
    profile = get_profile(settings.profile)
    if fmt.is_print and profile.is_cmyk:
        return _render_cmyk(campaign, job, fmt, layout, quarter_dir, keys_dir)
    image = render_layout(layout)
    provenance_fields: dict[str, Any] = {}
    soft_bindings: tuple[SoftBinding, ...] = ()
    if synthetic:
        # the invisible mark goes into the pixels before any encoding, so every file of the job carries it
        from studio.label.fingerprint import still_fingerprint
        from studio.label.watermark import embed

        payload = render_payload(campaign, job)
        image = embed(image, payload)
        soft_bindings, provenance_fields = provenance(payload, still_fingerprint(image))
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
        # The gallery's preflight summary of an RGB print file: no inks to count, no press to simulate.
        preflight: dict[str, Any] = {
            "profile": profile.name,
            "trim_mm": [round(v, 2) for v in fmt.trim_mm],
            "bleed_mm": fmt.bleed_mm,
            **sheet_facts(layout, fmt),
        }
        if qr is not None:
            preflight["qr_file_read"] = True  # check() above read it from the file's image, or raised
        encoded.append(
            (
                pdf_path,
                build_print_pdf(jpeg, page),
                Output(
                    pdf_path,
                    "print",
                    "application/pdf",
                    image.width,
                    image.height,
                    fmt.dpi,
                    qr_url,
                    extra={"preflight": preflight},
                ),
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
        background = deliverable.background
        photographic = (background is not None and background.image is not None) or deliverable.photo is not None
        ext = social_extension(photographic)
        if qr is None:
            data, ext = encode_social(image, photographic)
        else:  # read back while it is encoded: the same check of the same bytes, sooner
            data, _ = encode_checked(
                partial(save_social, image, photographic),
                "JPEG" if ext == "jpg" else "PNG",
                qr.matrix.data,
                qr.modules_box.w,
                qr.module_px,
                f"{job.label} {ext.upper()}",
                read_area(qr.modules_box.x, qr.modules_box.y, qr.modules_box.w, qr.module_px, image.size),
            )
        path = folder / f"{job.format}.{ext}"
        media = "image/png" if ext == "png" else "image/jpeg"
        encoded.append((path, data, Output(path, "image", media, image.width, image.height, None, qr_url)))

    return _finish(encoded, campaign, job, layout, keys_dir, soft_bindings, provenance_fields)


def _render_cmyk(
    campaign: Campaign, job: Job, fmt: Format, layout: Layout, quarter_dir: Path, keys_dir: str | None
) -> list[Output]:
    """A print job for a CMYK press: PDF/X and a colour-managed PNG proof, both checked, then written.

    A synthetic job's invisible mark goes into the proof (the RGB file); the PDF/X carries the badge,
    XMP and the signed manifest."""
    from studio.press.make import make_print_file

    deliverable = campaign.deliverable(job.deliverable)
    settings = campaign.print_settings(deliverable)
    made = make_print_file(campaign, job, fmt, layout, settings, get_profile(settings.profile), PROOF_LONG_SIDE_PX)
    folder = quarter_dir / job.folder
    qr = layout.qr
    qr_url = qr.matrix.data if qr else None
    proof = made.proof
    provenance_fields: dict[str, Any] = {}
    soft_bindings: tuple[SoftBinding, ...] = ()
    if deliverable.is_synthetic:
        from studio.label.fingerprint import still_fingerprint
        from studio.label.watermark import embed

        payload = render_payload(campaign, job)
        proof = embed(proof, payload)
        soft_bindings, provenance_fields = provenance(payload, still_fingerprint(proof))
    pdf_path = folder / f"{job.format}.pdf"
    w, h = fmt.canvas_px
    extra = {"preflight": made.preflight}
    encoded = [(pdf_path, made.pdf, Output(pdf_path, "print", "application/pdf", w, h, fmt.dpi, qr_url, extra=extra))]
    proof_png = encode_png(proof, compress_level=6)
    if qr is not None:
        scale = proof.width / layout.trim.w
        check_qr_bytes(
            proof_png,
            qr.matrix.data,
            round(qr.modules_box.w * scale),
            max(1, round(qr.module_px * scale)),
            f"{job.label} PNG proof",
        )
    proof_path = folder / f"{job.format}.png"
    encoded.append((proof_path, proof_png, Output(proof_path, "proof", "image/png", *proof.size, None, qr_url)))
    return _finish(encoded, campaign, job, layout, keys_dir, soft_bindings, provenance_fields)


def _finish(
    encoded: list[tuple[Path, bytes, Output]],
    campaign: Campaign,
    job: Job,
    layout: Layout,
    keys_dir: str | None,
    soft_bindings: tuple[SoftBinding, ...],
    provenance_fields: dict[str, Any],
) -> list[Output]:
    """Label synthetic files, then write every file atomically, with the layout's notices."""
    deliverable = campaign.deliverable(job.deliverable)
    if deliverable.is_synthetic:
        encoded = [
            (path, *_marked(data, out, job, keys_dir, soft_bindings, provenance_fields)) for path, data, out in encoded
        ]
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


def _marked(
    data: bytes,
    out: Output,
    job: Job,
    keys_dir: str | None,
    soft_bindings: tuple[SoftBinding, ...],
    provenance_fields: dict[str, Any],
) -> tuple[bytes, Output]:
    """A synthetic still: PNG/JPEG get XMP and a signed C2PA manifest over it (with the watermark and the
    fingerprint as soft bindings); every file has the badge and the invisible mark."""
    if out.role == "print":
        if (out.extra.get("preflight") or {}).get("output_condition"):
            # PDF/X (an output condition, for a CMYK press): XMP written with the file; the signed manifest goes last
            from studio.label.credentials import sign_pdf_bytes

            label = synthetic_label(f"{job.deliverable} ({job.language}, {job.format})")
            signed = sign_pdf_bytes(
                data,
                signing_keys(keys_dir),
                source_type=label.source_type,
                software_agent=label.software_agent,
                title=label.title,
            )
            # The invisible mark is in the proof's pixels, not in the CMYK image.
            marks = ("visible-badge", "xmp", "c2pa")
            extra = {**out.extra, "synthetic": True, "disclosure": list(marks), **provenance_fields}
            return signed, replace(out, extra=extra)
        # An RGB PDF carries the badge and the invisible mark; its PNG proof the metadata.
        extra = {**out.extra, "synthetic": True, "disclosure": list(PRINT_DISCLOSURE), **provenance_fields}
        return data, replace(out, extra=extra)
    label = synthetic_label(f"{job.deliverable} ({job.language}, {job.format})", soft_bindings)
    from studio.label import mark_synthetic_bytes

    signed = mark_synthetic_bytes(data, out.media_type, label, signing_keys(keys_dir))
    return signed, replace(out, extra={"synthetic": True, "disclosure": list(STILL_DISCLOSURE), **provenance_fields})
