"""``studio preflight FILE.pdf``: what a print shop checks before it prints, for any PDF and in more
detail for the studio's own (their XMP carries the profile, the smallest text and the QR code).

Reads the page boxes (honouring /UserUnit), the output intent and the image with pypdf; measures ink
with Ghostscript (the ``ink_cov`` device for the mean, a CMYK rendering for the maximum and where it
is); decodes the QR code from that rendering with zxing-cpp and runs it through the simulated press.
Touches files and runs Ghostscript; ``report_rows`` turns the facts into words, purely.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from studio.errors import StudioError
from studio.press.profiles import POINT_MM, PROFILES
from studio.press.words import number, word

#: The preflight rendering's longest side: enough for the QR code, small enough for a billboard.
RENDER_LONG_SIDE_PX = 3000
MAX_RENDER_DPI = 300


@dataclass
class PreflightFacts:
    path: Path
    standard: str = ""
    media_mm: tuple[float, float] = (0.0, 0.0)
    trim_mm: tuple[float, float] | None = None
    bleed_mm: tuple[float, float, float, float] | None = None  # left, bottom, right, top
    user_unit: float = 1.0
    condition: str | None = None
    profile: str | None = None
    ink_limit: float | None = None
    ink_max: float = 0.0
    ink_max_at_mm: tuple[float, float] = (0.0, 0.0)  # from the trimmed sheet's top-left corner
    ink_mean: float = 0.0
    image_colors: list[str] = field(default_factory=list)
    image_ppi: list[float] = field(default_factory=list)
    min_text_pt: float | None = None
    min_text_limit_pt: float = 0.0
    qr_expected: str | None = None
    qr_found: list[str] = field(default_factory=list)
    qr_press: bool | None = None
    qr_press_name: str = ""
    synthetic: bool = False


def _gs() -> str:
    exe = shutil.which("gs")
    if exe is None:
        raise StudioError("preflight needs Ghostscript (the gs program): apt-get install ghostscript")
    return exe


def _pt_to_mm(v: float) -> float:
    return float(v) / 72 * 25.4


def inspect_pdf(path: Path) -> PreflightFacts:
    """Everything the preflight report says about ``path``."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        page = reader.pages[0]
    except (OSError, PdfReadError, IndexError, ValueError) as exc:
        raise StudioError(f"{path}: not a PDF that can be read ({exc})") from None
    facts = PreflightFacts(path)
    unit = float(page.get("/UserUnit", 1) or 1)
    facts.user_unit = unit

    def size(box) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        return (_pt_to_mm(float(box.width) * unit), _pt_to_mm(float(box.height) * unit))

    facts.media_mm = size(page.mediabox)
    if "/TrimBox" in page:
        trim, bleed = page.trimbox, page.bleedbox
        facts.trim_mm = size(trim)
        facts.bleed_mm = tuple(  # type: ignore[assignment]
            round(_pt_to_mm(abs(float(a) - float(b)) * unit), 2)
            for a, b in (
                (trim.left, bleed.left),
                (trim.bottom, bleed.bottom),
                (trim.right, bleed.right),
                (trim.top, bleed.top),
            )
        )
    root: Any = reader.trailer["/Root"]
    for intent in root.get("/OutputIntents", []) or []:
        intent = intent.get_object()
        facts.condition = str(intent.get("/OutputConditionIdentifier", "")) or None
    xmp = b""
    if "/Metadata" in root:
        xmp = root["/Metadata"].get_object().get_data()
        match = re.search(rb"<pdfxid:GTS_PDFXVersion>([^<]+)<", xmp)
        facts.standard = match.group(1).decode() if match else ""
        facts.synthetic = b"DigitalSourceType" in xmp
    if not facts.standard:
        facts.standard = f"PDF {reader.pdf_header[5:]}" if reader.pdf_header.startswith("%PDF-") else "PDF"
    if xmp:
        from studio.press.pdfx import read_facts

        taza = read_facts(xmp)
        facts.profile = taza.get("profile")
        if "ink_limit_pct" in taza:
            facts.ink_limit = float(taza["ink_limit_pct"])
        if "min_text_pt" in taza:
            facts.min_text_pt = float(taza["min_text_pt"])
        facts.qr_expected = taza.get("qr_url")
    if facts.profile in PROFILES:
        facts.min_text_limit_pt = PROFILES[facts.profile].min_text_pt
        if facts.ink_limit is None:
            facts.ink_limit = PROFILES[facts.profile].ink_limit
    _images(page, unit, facts)
    _render_checks(path, facts)
    return facts


def _images(page, unit: float, facts: PreflightFacts) -> None:  # type: ignore[no-untyped-def]
    """Each image's colour space and its resolution where it is placed (from the ``cm`` before ``Do``)."""
    from pypdf.generic import ContentStream

    xobjects = page["/Resources"].get("/XObject", {}) or {}
    matrix: list[float] | None = None
    stack: list[list[float] | None] = []
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"q":
            stack.append(matrix)
        elif op == b"Q":
            matrix = stack.pop() if stack else None
        elif op == b"cm":
            matrix = [float(v) for v in operands]
        elif op == b"Do":
            xobj = xobjects.get(operands[0])
            if xobj is None:
                continue
            xobj = xobj.get_object()
            if xobj.get("/Subtype") != "/Image":
                continue
            cs = xobj.get("/ColorSpace")
            cs = cs.get_object() if hasattr(cs, "get_object") else cs
            if isinstance(cs, list) and cs and cs[0] == "/ICCBased":
                n = cs[1].get_object().get("/N")
                name = {1: "ICCBased Gray", 3: "ICCBased RGB", 4: "ICCBased CMYK"}.get(n, "ICCBased")
            else:
                name = str(cs).lstrip("/")
            facts.image_colors.append(name)
            if matrix is not None and matrix[0]:
                inches = abs(matrix[0]) * unit / 72
                facts.image_ppi.append(float(xobj["/Width"]) / inches)


def _render_checks(path: Path, facts: PreflightFacts) -> None:
    gs = _gs()
    long_mm = max(facts.trim_mm or facts.media_mm)
    dpi = max(10, min(MAX_RENDER_DPI, int(RENDER_LONG_SIDE_PX / (long_mm / 25.4))))
    box = ["-dUseTrimBox"] if facts.trim_mm else []
    # Ghostscript scales pages by /UserUnit only when asked to.
    common = ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dUseUserUnit", *box]
    inkcov = subprocess.run(
        [gs, *common, "-sDEVICE=ink_cov", "-r50", "-o", "-", str(path)], capture_output=True, text=True, timeout=600
    )
    values = [float(v) for v in re.findall(r"(\d+\.\d+)", inkcov.stdout)[:4]]
    if inkcov.returncode != 0 or len(values) < 4:
        raise StudioError(f"{path}: Ghostscript could not measure the ink ({inkcov.stderr.strip()[:200]})")
    facts.ink_mean = sum(values)  # per cent of full coverage, per ink
    with tempfile.TemporaryDirectory() as tmp:
        tif = Path(tmp) / "page.tif"
        done = subprocess.run(
            [gs, *common, "-sDEVICE=tiff32nc", f"-r{dpi}", "-o", str(tif), str(path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise StudioError(f"{path}: Ghostscript could not render the page ({done.stderr.strip()[:200]})")
        with Image.open(tif) as im:
            cmyk = im.convert("CMYK")
            cmyk.load()
    arr = np.asarray(cmyk)
    total = arr.astype(np.uint16).sum(axis=2)
    # The maximum that matters is an area's, not one anti-aliased pixel's: 3 × 3 pixel means.
    k = 3 if min(total.shape) > 30 else 1
    h, w = (total.shape[0] // k) * k, (total.shape[1] // k) * k
    blocks = total[:h, :w].reshape(h // k, k, w // k, k).mean(axis=(1, 3), dtype=np.float32)
    row, col = divmod(int(np.argmax(blocks)), blocks.shape[1])
    facts.ink_max = max(float(blocks[row, col]) / 255 * 100, facts.ink_mean)
    px_mm = 25.4 / dpi * k
    facts.ink_max_at_mm = (col * px_mm, row * px_mm)
    _qr(cmyk, dpi, facts)


def _qr(cmyk: Image.Image, dpi: int, facts: PreflightFacts) -> None:
    import zxingcpp

    from studio.press.press import press_reads

    gray = cmyk.convert("RGB").convert("L")
    results = [
        r
        for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
        if r.valid
    ]
    facts.qr_found = [r.text for r in results]
    profile = PROFILES.get(facts.profile or "")
    if not results or profile is None or not profile.is_cmyk:
        return
    r = results[0]
    p = r.position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    code_px = max(xs) - min(xs)
    pad = code_px * 4 / 25  # about the quiet zone
    box = (
        max(0, int(min(xs) - pad)),
        max(0, int(min(ys) - pad)),
        min(cmyk.width, int(max(xs) + pad)),
        min(cmyk.height, int(max(ys) + pad)),
    )
    panel = cmyk.crop(box)
    mm = 25.4 / dpi
    facts.qr_press = press_reads(panel, panel.width * mm, code_px * mm, profile, r.text)
    facts.qr_press_name = f"{profile.name}, {profile.lpi} lpi, {profile.dot_gain:.0%}"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    ok: bool | None  # None: informative only


def report_rows(facts: PreflightFacts, lang: str) -> list[Row]:
    """The preflight report in ``lang`` (ky, ru or en): a label, a value and whether it passes."""
    mm = word(lang, "mm")

    def size(w_h: tuple[float, float]) -> str:
        return f"{number(lang, w_h[0])} × {number(lang, w_h[1])} {mm}"

    rows = [
        Row(word(lang, "file"), str(facts.path), None),
        Row(
            word(lang, "standard"),
            facts.standard + (f" (UserUnit {facts.user_unit:g})" if facts.user_unit != 1 else ""),
            None,
        ),
        Row(word(lang, "page"), size(facts.media_mm), None),
    ]
    rows.append(Row(word(lang, "trim"), size(facts.trim_mm) if facts.trim_mm else "—", facts.trim_mm is not None))
    if facts.bleed_mm is not None:
        sides = sorted(set(facts.bleed_mm))
        rows.append(Row(word(lang, "bleed"), " / ".join(f"{number(lang, v)} {mm}" for v in sides), None))
    profile = facts.condition or word(lang, "no_intent")
    if facts.profile in PROFILES:
        profile = f"{PROFILES[facts.profile].description[lang]} — {facts.condition}"
    rows.append(Row(word(lang, "profile"), profile, None))
    ink = f"{facts.ink_max:.0f} % / {facts.ink_mean:.0f} %"
    ink_ok: bool | None = None
    if facts.ink_limit is not None:
        ink_ok = facts.ink_max <= facts.ink_limit + 2  # a rendering's rounding
        ink += "; " + (
            word(lang, "ink_limit", limit=f"{facts.ink_limit:.0f}")
            if ink_ok
            else word(
                lang,
                "ink_over",
                limit=f"{facts.ink_limit:.0f}",
                where=word(lang, "where", x=f"{facts.ink_max_at_mm[0]:.0f}", y=f"{facts.ink_max_at_mm[1]:.0f}"),
            )
        )
    rows.append(Row(word(lang, "ink"), ink, ink_ok))
    if facts.min_text_pt is None:
        rows.append(Row(word(lang, "text"), word(lang, "text_unknown"), None))
    else:
        value = f"{number(lang, facts.min_text_pt)} pt ({number(lang, facts.min_text_pt * POINT_MM, 2)} {mm})"
        ok = facts.min_text_pt + 0.05 >= facts.min_text_limit_pt
        if not ok:
            value += "; " + word(lang, "text_under", min=number(lang, facts.min_text_limit_pt, 0))
        rows.append(Row(word(lang, "text"), value, ok))
    if facts.image_ppi:
        rows.append(Row(word(lang, "resolution"), ", ".join(f"{v:.0f} ppi" for v in facts.image_ppi), None))
    rows.append(Row(word(lang, "color"), ", ".join(facts.image_colors) or "—", None))
    if facts.qr_expected or facts.qr_found:
        if not facts.qr_found:
            rows.append(Row(word(lang, "qr"), word(lang, "qr_none"), False))
        else:
            text = facts.qr_found[0]
            ok = facts.qr_expected is None or facts.qr_expected in facts.qr_found
            if facts.qr_press is not None:
                key = "qr_press" if facts.qr_press else "qr_press_fail"
                text += "; " + word(lang, key, press=facts.qr_press_name)
                ok = ok and facts.qr_press
            rows.append(Row(word(lang, "qr"), text, ok))
    if facts.synthetic:
        rows.append(Row(word(lang, "synthetic"), word(lang, "ok"), True))
    return rows


def passed(rows: list[Row]) -> bool:
    return all(r.ok is not False for r in rows)
