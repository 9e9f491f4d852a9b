"""Every QR code is decoded back from the encoded file with zxing-cpp before the file is kept.

Two reads, both must give exactly the intended text:
- the file as encoded, at full resolution or, for print rasters whose modules are larger than
  8 pixels, reduced to keep at least 8 pixels a module (JPEG's DCT scaling, or an integer box filter);
- a phone camera's view: the whole image scaled so the code is about 250 pixels wide.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import zxingcpp
from PIL import Image

from studio.errors import QRError

PHONE_QR_PX = 250
FILE_MODULE_PX = 8


@dataclass(frozen=True)
class QRCheck:
    """What the file read back said."""

    file_text: str
    phone_text: str
    phone_scale: float


def decode_qr(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp reads in ``image`` (valid ones only), as text."""
    return _decode(image)


def _decode(image: Image.Image) -> list[str]:
    gray = image if image.mode == "L" else image.convert("L")
    results = zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode), try_rotate=False, try_invert=False
    )
    return [r.text for r in results if r.valid]


@contextmanager
def _own_render() -> Iterator[None]:
    """Our own freshly drawn canvas may exceed Pillow's decompression-bomb limit (a billboard is
    280 Mpx); the limit guards against untrusted files, which campaign assets are checked against."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _open(data: bytes, target_scale: float) -> tuple[Image.Image, int]:
    """Decode image bytes to grey, at a reduced scale when allowed; returns the image and full width."""
    encoded, full_w = open_scaled(data, target_scale, "L")
    return grey(encoded), full_w


def grey(image: Image.Image) -> Image.Image:
    """``image`` as 8-bit grey, as a reader sees it. CMYK goes through RGB: the same bytes as Pillow's
    own CMYK → L, in two thirds of its time."""
    if image.mode == "L":
        return image
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image.convert("L")


def open_scaled(data: bytes, target_scale: float, mode: str) -> tuple[Image.Image, int]:
    """Decode image bytes (loaded, in ``mode`` where the decoder gives it), a JPEG at the smallest DCT
    scale (1/2, 1/4 or 1/8) that is still at least ``target_scale``; returns the image and full width."""
    with _own_render():
        encoded = Image.open(io.BytesIO(data))
        full_w = encoded.width
        if encoded.format == "JPEG" and target_scale < 1:
            # DCT scaling: decodes at 1/2, 1/4 or 1/8 size directly, no full-size pass.
            size = (max(1, int(encoded.width * target_scale)), max(1, int(encoded.height * target_scale)))
            encoded.draft(mode, size)
        encoded.load()
    return encoded, full_w


def file_scale(module_px: int) -> float:
    """The scale the file read needs: at least 8 pixels a module."""
    return min(1.0, FILE_MODULE_PX / module_px)


def check_qr_bytes(data: bytes, expected: str, qr_width_px: int, module_px: int, where: str) -> QRCheck:
    """Decode the QR code in encoded image ``data``; raise QRError unless both reads give ``expected``.

    ``qr_width_px`` and ``module_px`` are the code's size in the encoded image's own pixels.
    """
    image, full_w = _open(data, file_scale(module_px))
    return check_qr_decoded(image, full_w, expected, qr_width_px, module_px, where)


def check_qr_decoded(
    image: Image.Image, full_w: int, expected: str, qr_width_px: int, module_px: int, where: str
) -> QRCheck:
    """``check_qr_bytes`` on a file already decoded (grey; at full width ``full_w`` or reduced, with at
    least 8 pixels a module), for a caller that needs the decoded pixels for something else too."""
    reduce_by = int((image.width / full_w) / file_scale(module_px))
    if reduce_by > 1:  # not a JPEG, or draft stopped short: box-filter down by an integer factor
        image = image.reduce(reduce_by)
    scale = image.width / full_w
    texts = _decode(image)
    if expected not in texts:
        raise QRError(_failure(where, "the file", texts, expected))

    factor = PHONE_QR_PX / (qr_width_px * scale)
    if factor >= 1:  # the code is already no larger than a phone sees it: the read above was that view
        return QRCheck(file_text=expected, phone_text=expected, phone_scale=scale)
    phone = image.resize(
        (max(1, round(image.width * factor)), max(1, round(image.height * factor))), Image.Resampling.BILINEAR
    )
    phone_texts = _decode(phone)
    if expected not in phone_texts:
        raise QRError(_failure(where, f"a phone's view (code {PHONE_QR_PX} px wide)", phone_texts, expected))
    return QRCheck(file_text=expected, phone_text=expected, phone_scale=scale * factor)


def _failure(where: str, view: str, texts: list[str], expected: str) -> str:
    if not texts:
        return f"{where}: the QR code does not decode from {view}; it must, or citizens cannot report"
    return f'{where}: the QR code in {view} decodes to "{texts[0]}", not to "{expected}"'
