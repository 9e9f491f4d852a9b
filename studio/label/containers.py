"""XMP in each container, by media type: the one place that picks the PNG, JPEG, MP4, WAV or PDF code. Pure.

MP3 files carry their label in ID3 tags (written when they are encoded) and C2PA, not XMP.
"""

from __future__ import annotations

import io

from studio.label import bmff, jpeg, pdf, png, riff
from studio.label.errors import LabelError
from studio.label.media import JPEG, MP3, PDF, PNG, WAV, check_media_type


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
    if kind == WAV:
        return riff.wav_with_xmp(data, packet)
    if kind == MP3:
        raise LabelError(f"{where}: MP3 carries its label in ID3 tags, not XMP")
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
    if kind == WAV:
        return riff.wav_xmp(data)
    if kind == MP3:
        return None
    return bmff.read_xmp(io.BytesIO(data))
