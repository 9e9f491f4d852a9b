"""XMP in each container, by media type: the one place that picks the PNG, JPEG, MP4 or PDF code. Pure."""

from __future__ import annotations

import io

from studio.label import bmff, jpeg, pdf, png
from studio.label.media import JPEG, PDF, PNG, check_media_type


def embed_xmp(data: bytes, packet: bytes, media_type: str | None = None, where: str = "data") -> bytes:
    """``data`` with its XMP packet replaced by ``packet`` (added when it had none).

    ``where`` names the data in errors (a file name, a job).
    """
    kind = check_media_type(data[:12], media_type, where)
    if kind == PNG:
        return png.png_with_xmp(data, packet)
    if kind == JPEG:
        return jpeg.jpeg_with_xmp(data, packet)
    if kind == PDF:
        return pdf.pdf_with_xmp(data, packet)
    stream = io.BytesIO(data)
    bmff.append_xmp(stream, packet)
    return stream.getvalue()


def extract_xmp(data: bytes, media_type: str | None = None, where: str = "data") -> bytes | None:
    """The XMP packet of a PNG, JPEG or MP4, or None when it has none."""
    kind = check_media_type(data[:12], media_type, where)
    if kind == PNG:
        return png.png_xmp(data)
    if kind == JPEG:
        return jpeg.jpeg_xmp(data)
    if kind == PDF:
        return pdf.pdf_xmp(data)
    return bmff.read_xmp(io.BytesIO(data))
