"""The media types that carry labels, told apart by their first bytes rather than by file names."""

from __future__ import annotations

from studio.label.errors import LabelError

PNG = "image/png"
JPEG = "image/jpeg"
MP4 = "video/mp4"
PDF = "application/pdf"
MEDIA_TYPES = (PNG, JPEG, MP4, PDF)


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its first 12 bytes, or None when it is none of ours."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def check_media_type(head: bytes, media_type: str | None, where: str) -> str:
    """``media_type`` if the bytes agree with it (or the sniffed type when it is None); else a LabelError.

    A mismatch is an error rather than a guess: a PNG chunk written into a JPEG would corrupt it.
    """
    found = sniff_media_type(head)
    if media_type is not None and media_type not in MEDIA_TYPES:
        raise LabelError(f'{where}: unsupported media type "{media_type}"; supported: {", ".join(MEDIA_TYPES)}')
    if found is None:
        raise LabelError(f"{where}: not a PNG, JPEG, MP4 or PDF file (starts with {head[:12]!r})")
    if media_type is not None and media_type != found:
        raise LabelError(f'{where}: declared "{media_type}" but the bytes are "{found}"')
    return found
