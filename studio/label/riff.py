"""XMP in WAV: a RIFF ``_PMX`` chunk holding the packet (as Adobe and exiftool read it).

The chunk is appended after the audio and the RIFF size updated; an older ``_PMX`` chunk is dropped.
Any C2PA chunk must be written after this (signing comes last).
"""

from __future__ import annotations

import struct

from studio.label.errors import LabelError

XMP_CHUNK = b"_PMX"


def _chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(id, body start, body size) of each top-level chunk of a RIFF/WAVE file."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise LabelError("not a WAV file (no RIFF/WAVE header)")
    found = []
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        body = offset + 8
        if body + size > len(data):
            raise LabelError(f"WAV chunk {chunk_id!r} runs past the end of the file")
        found.append((chunk_id, body, size))
        offset = body + size + (size % 2)
    return found


def wav_xmp(data: bytes) -> bytes | None:
    """The XMP packet of a WAV file, or None."""
    for chunk_id, body, size in _chunks(data):
        if chunk_id == XMP_CHUNK:
            return data[body : body + size]
    return None


def wav_with_xmp(data: bytes, packet: bytes) -> bytes:
    """``data`` with its XMP chunk replaced by (or added as) ``packet``."""
    out = bytearray(data[:12])
    for chunk_id, body, size in _chunks(data):
        if chunk_id != XMP_CHUNK:
            out += data[body - 8 : body + size + (size % 2)]
    out += XMP_CHUNK + struct.pack("<I", len(packet)) + packet + (b"\0" if len(packet) % 2 else b"")
    struct.pack_into("<I", out, 4, len(out) - 8)
    return bytes(out)
