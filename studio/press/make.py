"""A CMYK print file for one job: separate the layout for the press, read the QR code back from the
encoded image and after a simulated press, then write PDF/X-4 and a colour-managed PNG proof."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageStat

from studio import disclosure
from studio.campaign.models import Campaign, PrintSettings
from studio.errors import RenderError
from studio.formats import Format
from studio.kinds.marks import software_agent
from studio.layout.engine import Layout
from studio.plan import Job
from studio.press.icc import INTENT, OutputProfile, apply, check_icc
from studio.press.pdfx import OutputIntent, PdfxDocument, build_pdfx
from studio.press.press import check_press
from studio.press.profiles import PrintProfile
from studio.press.separate import Separator, separate
from studio.stills.images import srgb_icc
from studio.stills.pdf import PrintPage, sheet_facts
from studio.stills.qrcheck import check_qr_bytes, check_qr_decoded, file_scale, grey, open_scaled

CMYK_JPEG_QUALITY = 92


@dataclass(frozen=True)
class PrintFile:
    pdf: bytes
    proof: Image.Image  # RGB, the trimmed sheet as the press will print it
    preflight: dict[str, Any]  # the facts in the file's XMP, and the gallery's summary (trim, mean ink, QR)


def icc_for(campaign: Campaign, settings: PrintSettings, profile: PrintProfile) -> OutputProfile:
    """The checked ICC file of a print setting: its own ``icc`` or the profile's file in assets/icc/."""
    assert profile.icc_file is not None
    path = settings.icc or campaign.root / "assets" / "icc" / profile.icc_file
    return check_icc(path, f"print profile {profile.name}")


@lru_cache(maxsize=8)
def _cmyk_to_srgb(icc: OutputProfile) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(icc.data)),
        ImageCms.ImageCmsProfile(io.BytesIO(srgb_icc())),
        "CMYK",
        "RGB",
        INTENT,
    )


def encode_cmyk_jpeg(image: Image.Image, dpi: int) -> bytes:
    """CMYK JPEG, every channel at full resolution (Adobe-style inverted samples, as Pillow writes)."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=CMYK_JPEG_QUALITY, subsampling=0, optimize=False, dpi=(dpi, dpi))
    return buf.getvalue()


def make_print_file(
    campaign: Campaign,
    job: Job,
    fmt: Format,
    layout: Layout,
    settings: PrintSettings,
    profile: PrintProfile,
    proof_long_side: int,
) -> PrintFile:
    icc = icc_for(campaign, settings, profile)
    limit = settings.ink_limit or profile.ink_limit
    sep = Separator(profile, icc, fmt, limit)
    try:
        canvas = separate(layout, sep)
    except RenderError as exc:
        raise RenderError(f"{job.label}: {exc}") from None
    jpeg = encode_cmyk_jpeg(canvas, fmt.dpi)
    qr = layout.qr
    facts: dict[str, Any] = {
        "profile": profile.name,
        "output_condition": profile.condition,
        "grayscale": fmt.grayscale,
        "ink_limit_pct": limit,
        "ink_max_pct": round(sep.report.max_pct, 1),
        "ink_max_where": sep.report.where,
        **sheet_facts(layout, fmt),
    }
    t = layout.trim
    scale = min(1.0, proof_long_side / max(t.w, t.h))
    # Large sheets: the proof comes from the print image as encoded, decoded once at the smallest DCT
    # scale that still covers both the proof's pixels and the 8 pixels a module the file's QR read
    # needs (1/8 for a street banner: a fraction of the work of resampling the full-size sheet), and
    # the QR read uses that same decode.
    needed = max(scale, file_scale(qr.module_px) if qr is not None else 0.0)
    decoded, full_w = open_scaled(jpeg, needed, "CMYK") if needed <= 0.5 else (canvas, canvas.width)
    if qr is not None:
        where = f"{job.label} print PDF image"
        if decoded is canvas:
            check_qr_bytes(jpeg, qr.matrix.data, qr.modules_box.w, qr.module_px, where)
        else:
            # Down to the read's 8 pixels a module in CMYK first, as a DCT-scaled decode would be,
            # then grey: step² times fewer pixels to convert.
            step = int(decoded.width / full_w / file_scale(qr.module_px))
            read = decoded.reduce(step) if step > 1 else decoded
            check_qr_decoded(grey(read), full_w, qr.matrix.data, qr.modules_box.w, qr.module_px, where)
        module_mm = fmt.px_to_mm(qr.module_px)
        p = qr.panel
        result = check_press(
            canvas.crop((p.x, p.y, p.right, p.bottom)), qr.matrix, module_mm, profile, f"{job.label} print PDF"
        )
        facts.update(
            qr_url=qr.matrix.data,
            qr_mm=round(result.code_mm, 1),
            qr_module_mm=round(module_mm, 2),
            qr_press=f"{profile.name} {profile.lpi} lpi {profile.dot_gain:.0%}",
        )
    page = PrintPage(
        fmt.trim_mm,
        fmt.bleed_mm,
        canvas.size,
        f"{campaign.id} / {job.deliverable} / {job.language} / {job.format} / {job.quarter} / {profile.name}",
    )
    deliverable = campaign.deliverable(job.deliverable)
    synthetic_xmp = ""
    if deliverable.is_synthetic:
        from xml.sax.saxutils import escape

        from studio.label.xmp import DigitalSourceType

        alts = "".join(
            f'<rdf:li xml:lang="{lang}">{escape(text)}</rdf:li>'
            for lang, text in (("x-default", disclosure.BADGE_TEXT), *disclosure.SPOKEN.items())
        )
        synthetic_xmp = (
            f"<Iptc4xmpExt:DigitalSourceType>{DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA}"
            f"</Iptc4xmpExt:DigitalSourceType><dc:description><rdf:Alt>{alts}</rdf:Alt></dc:description>"
        )
    # The quarter's first day, not the clock: the same inputs give the same bytes.
    created = dt.datetime.combine(job.quarter.first_day, dt.time(), dt.UTC)
    doc = PdfxDocument(
        title=f"{deliverable.text[job.language].headline} ({job.language}, {fmt.description})",
        created=created,
        producer=software_agent(),
        facts=facts,
        synthetic_xmp=synthetic_xmp,
        standard=settings.standard,
    )
    intent = OutputIntent(profile.condition, profile.description["en"], icc.data)
    try:
        pdf = build_pdfx(jpeg, "DCTDecode", page, intent, doc, Path(campaign.brand.fonts["body"]))
    except ValueError as exc:
        raise RenderError(f"{job.label}: {exc}") from None
    f = 1 / round(full_w / decoded.width)  # DCT scaling: exactly 1/1, 1/2, 1/4 or 1/8, the last block padded
    # Bicubic (Pillow's, antialiased): 110 ms against Lanczos's 156 ms for an A4 sheet, and a proof
    # 51.9 dB from Lanczos's, the same to the eye.
    small = decoded.resize(
        (round(t.w * scale), round(t.h * scale)),
        Image.Resampling.BICUBIC,
        box=(t.x * f, t.y * f, t.right * f, t.bottom * f),
        reducing_gap=3.0,
    )
    proof = apply(_cmyk_to_srgb(icc), small)
    # The gallery's preflight summary: the facts in the file, and what the render measured besides.
    # The mean ink comes from the proof-size sheet (resampling keeps the mean), not another full pass.
    means = ImageStat.Stat(small).mean
    summary = {
        "trim_mm": [round(v, 2) for v in fmt.trim_mm],
        "bleed_mm": fmt.bleed_mm,
        "ink_mean_pct": round(sum(means) / 255 * 100, 1),
    }
    if qr is not None:  # both reads passed, or the render stopped above with the reason
        summary.update(qr_file_read=True, qr_press_read=True)
    return PrintFile(pdf, proof, {**facts, **summary})
