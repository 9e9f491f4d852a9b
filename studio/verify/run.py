"""``studio verify PATH...``: read each render back and check every label it must carry.

Each file is found in the nearest manifest above it (what it is, its format, whether it is synthetic,
its QR URL, where its spoken disclosure is); a copy with no manifest is checked with what the file shows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import zxingcpp
from PIL import Image

from studio.batch.manifest import ManifestEntry
from studio.disclosure import SPOKEN
from studio.errors import StudioError
from studio.files import sha256_of
from studio.formats import (
    FORMATS,
    GRAY_SUFFIX,
    NEWSPAPER_PREFIX,
    PRINT_FORMATS,
    SOCIAL_FORMATS,
    VIDEO_FORMATS,
    Format,
    newspaper_format,
)
from studio.verify.badge import (
    BadgeStyle,
    Placement,
    aspect_matches,
    badge_match,
    formats_for_size,
    placements,
    union_box,
)
from studio.verify.checks import (
    NO_MANIFEST_WINDOW_S,
    BadgeSamples,
    c2pa_result,
    manifest_result,
    qr_result,
    spoken_result,
    visible_label_result,
    xmp_result,
)
from studio.verify.decode import AUDIO_RATE_HZ, END_CARD_FPS, END_CARD_S, audio_start, video_samples
from studio.verify.entry import Lookup, find_entry
from studio.verify.model import CheckName, CheckResult, FileReport, Status

if TYPE_CHECKING:  # studio.label loads c2pa (~0.1 s): imported where files are read
    from studio.label import Credentials, XmpLabel

#: What a folder given to ``verify`` is searched for: media are checked, the rest reported as not checked.
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".mp4", ".wav", ".mp3", ".ogg", ".pdf")
UNCHECKED_SUFFIXES = (".srt", ".vtt")
#: PDF pages are rasterised for their QR code at 150 dpi, the longest side at most this many pixels.
PDF_QR_DPI = 150
PDF_MAX_SIDE_PX = 6000
#: A PDF larger than this holds a street banner's or billboard's raster (hundreds of megapixels to decode):
#: its QR code is read from the PNG proof beside it instead.
PDF_MAX_RASTER_BYTES = 25_000_000
#: Sound decoded past the end of the spoken disclosure (or of the first seconds): a margin for rounding.
AUDIO_AFTER_S = 0.5
STILL_FORMATS = SOCIAL_FORMATS + PRINT_FORMATS


@dataclass(frozen=True)
class VerifyOptions:
    """``trust_anchors``: PEM CA certificates (bytes, a file or a keys folder); with them only a signer under
    them passes. ``badge``: the campaign's badge font and plate. ``ffmpeg``: the binary (default: bundled)."""

    trust_anchors: bytes | Path | None = None
    badge: BadgeStyle = BadgeStyle()
    ffmpeg: str | None = None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for every render below it (hidden and temporary files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in MEDIA_SUFFIXES + UNCHECKED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def verify_paths(
    paths: Sequence[Path | str],
    *,
    trust_anchors: bytes | Path | None = None,
    badge: BadgeStyle | None = None,
    ffmpeg: str | None = None,
) -> list[FileReport]:
    """Verify every file in ``paths`` (folders: every render below them), one report each, in order.

    Never raises for a bad file: what cannot be read is a failed check. The overall verdict is
    ``summarize(reports).ok``.
    """
    options = VerifyOptions(trust_anchors, badge or BadgeStyle(), ffmpeg)
    return [verify_file(path, options) for path in expand_paths(Path(p) for p in paths)]


def verify_file(path: Path, options: VerifyOptions = VerifyOptions()) -> FileReport:
    """Run every check that applies to one file."""
    from studio.label.media import JPEG, MP3, MP4, OGG, PDF, PNG, WAV, sniff_media_type

    start = time.perf_counter()
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        problem = CheckResult(CheckName.FILE, Status.FAIL, f"cannot read the file ({exc.strerror or exc})")
        return FileReport(path, None, (problem,), time.perf_counter() - start)
    media = sniff_media_type(head)
    if media in (WAV, MP3, OGG):
        from studio.verify.audio import verify_audio

        lookup = find_entry(path)
        manifest_check = manifest_result(lookup, sha256_of(path), path.stat().st_size)
        heard = verify_audio(path, media, lookup, options)
        return FileReport(
            path,
            media,
            (manifest_check, *heard.checks),
            time.perf_counter() - start,
            manifest=lookup.manifest,
            format=heard.format,
            format_from=heard.format_from,
            duration_s=heard.duration_s,
            synthetic=heard.synthetic,
        )
    if media not in (PNG, JPEG, MP4, PDF):
        note = "not checked: not a PNG, JPEG, MP4, WAV, MP3, Ogg or PDF (captions carry no label)"
        return FileReport(path, None, (), time.perf_counter() - start, note=note)
    lookup = find_entry(path)
    checks = [manifest_result(lookup, sha256_of(path), path.stat().st_size)]
    if media == MP4:
        report = _verify_video(path, lookup, options)
    elif media == PDF:
        report = _verify_pdf(path, lookup, options)
    else:
        report = _verify_still(path, media, lookup, options)
    return FileReport(
        path,
        media,
        tuple(checks) + report.checks,
        time.perf_counter() - start,
        manifest=lookup.manifest,
        format=report.format,
        format_from=report.format_from,
        duration_s=report.duration_s,
        synthetic=report.synthetic,
    )


@dataclass(frozen=True)
class _Partial:
    checks: tuple[CheckResult, ...]
    format: str | None = None
    format_from: str | None = None
    duration_s: float | None = None
    synthetic: bool | None = None


@dataclass(frozen=True)
class _Marks:
    """The file's XMP label and C2PA credentials as read, or why each could not be read."""

    xmp: XmpLabel | None
    credentials: Credentials | None
    xmp_error: str | None
    c2pa_error: str | None
    trust_checked: bool

    @property
    def xmp_type(self) -> str | None:
        return None if self.xmp is None else self.xmp.digital_source_type

    @property
    def claims_synthetic(self) -> bool:
        from studio.label.mark import SYNTHETIC_SOURCE_TYPES

        declared = () if self.credentials is None else self.credentials.digital_source_types
        return self.xmp_type in SYNTHETIC_SOURCE_TYPES or any(t in SYNTHETIC_SOURCE_TYPES for t in declared)

    def results(self, synthetic: bool | None) -> tuple[CheckResult, CheckResult]:
        """The XMP and C2PA checks. A file with no manifest (``synthetic`` None) is held to what it
        claims: a synthetic mark in either makes it synthetic."""
        from studio.label.mark import SYNTHETIC_SOURCE_TYPES as TYPES

        expect = synthetic if synthetic is not None else (True if self.claims_synthetic else None)
        return (
            xmp_result(self.xmp, self.xmp_error, expect, TYPES),
            c2pa_result(self.credentials, self.c2pa_error, expect, self.trust_checked, self.xmp_type, TYPES),
        )


def _read_marks(path: Path, media: str, options: VerifyOptions) -> _Marks:
    """XMP and C2PA read separately (as ``verify_label`` does), so a broken XMP packet cannot hide C2PA's verdict."""
    from studio.label import read_credentials, read_xmp_label

    xmp = credentials = None
    xmp_error = c2pa_error = None
    try:
        xmp = read_xmp_label(path, media)
    except StudioError as exc:
        xmp_error = str(exc)
    try:
        credentials = read_credentials(path, media, options.trust_anchors)
    except StudioError as exc:
        c2pa_error = str(exc)
    return _Marks(xmp, credentials, xmp_error, c2pa_error, options.trust_anchors is not None)


def _candidates(lookup: Lookup, size_px: tuple[int, int], names: tuple[str, ...]) -> tuple[tuple[Format, ...], str]:
    """The formats to look for the badge as, and where they came from; empty with the reason when none fits."""
    entry = lookup.entry
    if entry is not None and entry.format is not None:
        fmt = FORMATS.get(entry.format)
        if fmt is None and entry.trim_mm is not None and entry.format.startswith(NEWSPAPER_PREFIX):
            # A module of the campaign's newspaper grid, sized as the manifest records it.
            fmt = newspaper_format(entry.format, *entry.trim_mm, entry.format.endswith(GRAY_SUFFIX))
        if fmt is None:
            return (), f'the manifest\'s format "{entry.format}" is not a known format'
        if not aspect_matches(fmt, size_px):
            return (), (
                f"the picture is {size_px[0]}×{size_px[1]}, not the shape of its manifest format {fmt.name} "
                f"({fmt.width_px}×{fmt.height_px})"
            )
        return (fmt,), "manifest"
    found = formats_for_size(size_px, names)
    if not found:
        return (), f"the picture size {size_px[0]}×{size_px[1]} fits no format ({', '.join(names)})"
    return found, "frame size"


def _decode_qr(gray: npt.NDArray[np.uint8]) -> list[str]:
    return [
        r.text
        for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
        if r.valid
    ]


def _best(samples: Sequence[BadgeSamples]) -> BadgeSamples:
    """The format under which the badge matched best (the median over samples, then the lowest)."""
    return max(samples, key=lambda s: (float(np.median(s.scores)) if s.scores else 0.0, min(s.scores, default=0.0)))


def _verify_still(path: Path, media: str, lookup: Lookup, options: VerifyOptions) -> _Partial:
    entry = lookup.entry
    try:
        with Image.open(path) as image:
            gray = np.asarray(image.convert("L"))
    except (OSError, Image.DecompressionBombError) as exc:
        problem = CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, f"the picture cannot be decoded ({exc})")
        return _Partial((problem,))
    size = (gray.shape[1], gray.shape[0])
    formats, source = _candidates(lookup, size, STILL_FORMATS)
    samples = [
        BadgeSamples(f.name, (0.0,), (badge_match(gray, (0, 0), placements(f, size, options.badge)),)) for f in formats
    ]
    best = _best(samples) if samples else None
    marks = _read_marks(path, media, options)
    synthetic = entry.synthetic if entry is not None else None
    if synthetic is None and (marks.claims_synthetic or (best is not None and best.shown)):
        synthetic = True  # the badge or a mark says so: hold it to every label
    xmp, c2pa = marks.results(synthetic)
    if best is None:
        visible = CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, f"cannot look for the badge: {source}")
    else:
        visible = visible_label_result(best, synthetic, video=False)
    qr = qr_result(_decode_qr(gray), None if entry is None else entry.qr_url, entry is not None, "the picture")
    return _Partial(
        (visible, xmp, c2pa, qr),
        format=None if best is None else best.format,
        format_from=source if best is not None else None,
        synthetic=synthetic,
    )


def _verify_pdf(path: Path, lookup: Lookup, options: VerifyOptions) -> _Partial:
    """A PDF: its XMP and C2PA marks, and its QR code read from the pages rasterised at 150 dpi."""
    from studio.label import PDF

    entry = lookup.entry
    marks = _read_marks(path, PDF, options)
    synthetic = entry.synthetic if entry is not None else (True if marks.claims_synthetic else None)
    if entry is not None and entry.synthetic and "c2pa" not in entry.disclosure:
        # An RGB print PDF of a synthetic poster carries the badge; its PNG proof carries XMP and C2PA.
        why = "this print PDF carries the visible badge; its PNG proof carries the machine-readable label"
        xmp = CheckResult(CheckName.XMP, Status.SKIP, why)
        c2pa = CheckResult(CheckName.C2PA, Status.SKIP, why)
    else:
        xmp, c2pa = marks.results(synthetic)
    visible = CheckResult(
        CheckName.VISIBLE_LABEL, Status.SKIP, "not looked for in PDFs (their PNG previews carry the same page)"
    )
    if path.stat().st_size > PDF_MAX_RASTER_BYTES:
        qr = CheckResult(CheckName.QR, Status.SKIP, "not rasterised (a very large print): its PNG proof has the code")
        return _Partial((visible, xmp, c2pa, qr), synthetic=synthetic)
    try:
        decoded = [text for page in _pdf_pages(path) for text in _decode_qr(page)]
    except StudioError as exc:
        qr = CheckResult(CheckName.QR, Status.FAIL, f"the pages cannot be rasterised ({exc})")
    else:
        qr = qr_result(decoded, None if entry is None else entry.qr_url, entry is not None, "a page")
    return _Partial((visible, xmp, c2pa, qr), synthetic=synthetic)


def _pdf_pages(path: Path) -> list[npt.NDArray[np.uint8]]:
    """Every page of a PDF as grey pixels, at 150 dpi (less for a page too large for that)."""
    import io

    import pikepdf

    from studio.pages.engine import rasterise_pdf

    try:
        with pikepdf.open(path) as doc:
            boxes = [tuple(float(v) for v in page.mediabox) for page in doc.pages]
    except pikepdf.PdfError as exc:
        raise StudioError(f"not a readable PDF ({exc})") from None
    longest_in = max(max(b[2] - b[0], b[3] - b[1]) for b in boxes) / 72
    ppi = min(PDF_QR_DPI, PDF_MAX_SIDE_PX / longest_in)
    pages = rasterise_pdf(path, len(boxes), ppi)
    return [np.asarray(Image.open(io.BytesIO(png)).convert("L")) for png in pages]


def _verify_video(path: Path, lookup: Lookup, options: VerifyOptions) -> _Partial:
    from studio.encode import probe_mp4
    from studio.label import MP4

    entry = lookup.entry
    # Every explainer is AI-voiced: a video with no manifest is held to the synthetic labels.
    synthetic = entry.synthetic if entry is not None else True
    xmp, c2pa = _read_marks(path, MP4, options).results(synthetic)
    try:
        facts = probe_mp4(path)
    except StudioError as exc:
        problem = CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, f"not a readable MP4: {exc}")
        return _Partial((problem, xmp, c2pa), synthetic=synthetic)
    duration = facts.duration_s
    if facts.video is None:
        checks: list[CheckResult] = [CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, "the MP4 has no video track")]
        best = None
        source = None
        end: npt.NDArray[np.uint8] | None = None
    else:
        size = (facts.video.width, facts.video.height)
        formats, source = _candidates(lookup, size, VIDEO_FORMATS)
        visible, best, end = _video_badge(path, size, duration, formats, source, synthetic, options)
        checks = [visible]
    checks.append(_video_spoken(path, entry, facts.audio is not None, synthetic, options))
    checks += [xmp, c2pa]
    if end is None:
        checks.append(CheckResult(CheckName.QR, Status.FAIL, "no end card could be decoded to look for the QR code"))
    else:
        decoded = [text for frame in end for text in _decode_qr(frame)]
        checks.append(qr_result(decoded, None if entry is None else entry.qr_url, entry is not None, "the end card"))
    return _Partial(
        tuple(checks),
        format=None if best is None else best.format,
        format_from=source if best is not None else None,
        duration_s=duration,
        synthetic=synthetic,
    )


def _video_badge(
    path: Path,
    size: tuple[int, int],
    duration_s: float,
    formats: tuple[Format, ...],
    source: str,
    synthetic: bool,
    options: VerifyOptions,
) -> tuple[CheckResult, BadgeSamples | None, npt.NDArray[np.uint8] | None]:
    """The badge on one frame a second and on the end card; also returns the end card's frames."""
    if not formats:
        # the end card is still worth reading for its QR code: take it through the whole frame
        formats_to_read: dict[str, tuple[Placement, ...]] = {}
        crop = (0, 0, min(16, size[0]), min(16, size[1]))
    else:
        formats_to_read = {f.name: placements(f, size, options.badge) for f in formats}
        crop = union_box(tuple(p for ps in formats_to_read.values() for p in ps), size)
    try:
        frames = video_samples(path, crop, size, duration_s, options.ffmpeg)
    except StudioError as exc:
        return CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, str(exc)), None, None
    if not formats:
        problem = CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, f"cannot look for the badge: {source}")
        return problem, None, frames.end_card
    origin = (crop[0], crop[1])
    end_from = max(0.0, duration_s - END_CARD_S)
    times = tuple(float(t) for t in range(len(frames.per_second)))
    times += tuple(round(end_from + i / END_CARD_FPS, 2) for i in range(len(frames.end_card)))
    samples = []
    for name, candidates in formats_to_read.items():
        scores = [badge_match(frame, origin, candidates) for frame in frames.per_second]
        scores += [badge_match(frame, (0, 0), candidates) for frame in frames.end_card]
        samples.append(BadgeSamples(name, times, tuple(scores)))
    best = _best(samples)
    result = visible_label_result(best, synthetic, video=True)
    # one frame a second should cover the video: fewer means the stream stops early or cannot be decoded
    if len(frames.per_second) < int(duration_s) or not len(frames.end_card):
        result = CheckResult(
            CheckName.VISIBLE_LABEL,
            Status.FAIL,
            f"only {len(frames.per_second)} frames (one a second) and {len(frames.end_card)} end-card frames "
            f"decode from a {duration_s:.1f} s video; {result.detail}",
            result.facts,
        )
    return result, best, frames.end_card


def _video_spoken(
    path: Path, entry: ManifestEntry | None, has_audio: bool, synthetic: bool, options: VerifyOptions
) -> CheckResult:
    """The disclosure where the manifest places it, in the narration's language; else the first seconds."""
    window = None if entry is None else entry.spoken_disclosure_s
    language = None if entry is None else entry.language
    if not has_audio:
        return spoken_result(None, AUDIO_RATE_HZ, window, None, synthetic)
    read_s = (window[1] if window else NO_MANIFEST_WINDOW_S) + AUDIO_AFTER_S
    try:
        audio = audio_start(path, read_s, options.ffmpeg)
    except StudioError as exc:
        return CheckResult(CheckName.SPOKEN_DISCLOSURE, Status.FAIL, str(exc))
    text = SPOKEN.get(language) if window is not None and language else None
    return spoken_result(audio, AUDIO_RATE_HZ, window, text, synthetic)
