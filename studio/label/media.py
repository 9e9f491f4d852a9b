"""The media types that carry labels, told apart by their first bytes rather than by file names."""

from __future__ import annotations

from studio.label.errors import LabelError

PNG = "image/png"
JPEG = "image/jpeg"
MP4 = "video/mp4"
WAV = "audio/wav"
MP3 = "audio/mpeg"
#: Ogg (Opus voice notes): recognised, but C2PA cannot sign it; its labels are Vorbis comments.
OGG = "audio/ogg"
PDF = "application/pdf"
MEDIA_TYPES = (PNG, JPEG, MP4, WAV, MP3, PDF)


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
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head.startswith(b"OggS"):
        return OGG
    return None


def check_media_type(head: bytes, media_type: str | None, where: str) -> str:
    """``media_type`` if the bytes agree with it (or the sniffed type when it is None); else a LabelError.

    A mismatch is an error rather than a guess: a PNG chunk written into a JPEG would corrupt it.
    """
    found = sniff_media_type(head)
    if media_type is not None and media_type not in MEDIA_TYPES:
        raise LabelError(f'{where}: unsupported media type "{media_type}"; supported: {", ".join(MEDIA_TYPES)}')
    if found is None or found not in MEDIA_TYPES:
        raise LabelError(f"{where}: not a PNG, JPEG, MP4, WAV or MP3 file (starts with {head[:12]!r})")
    if media_type is not None and media_type != found:
        raise LabelError(f'{where}: declared "{media_type}" but the bytes are "{found}"')
    return found
