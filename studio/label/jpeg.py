"""XMP in JPEG: one APP1 segment headed ``http://ns.adobe.com/xap/1.0/\\0``, after the JFIF/Exif segments.

Pure byte-level code: segments before the scan are rewritten, the entropy-coded data is copied untouched,
so the image is not re-encoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from studio.label.errors import LabelError

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\0"
#: the continuation segments of a packet too large for one segment; they belong to the old packet
EXTENDED_XMP_HEADER = b"http://ns.adobe.com/xmp/extension/\0"
EXIF_HEADER = b"Exif\0\0"
APP0, APP1, SOS, EOI = 0xE0, 0xE1, 0xDA, 0xD9
#: markers that stand alone, with no length field
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
#: a segment's length field counts itself, so 65535 - 2 bytes remain for the header and the packet
MAX_PACKET_BYTES = 0xFFFF - 2 - len(XMP_HEADER)


@dataclass(frozen=True)
class Segment:
    """One marker segment before the scan: its marker and its bytes (marker and length included)."""

    marker: int
    raw: bytes

    @property
    def payload(self) -> bytes:
        return self.raw[4:]


def split_segments(data: bytes) -> tuple[list[Segment], bytes]:
    """The header segments after SOI, and the rest of the file from the first SOS (or EOI) on."""
    if not data.startswith(b"\xff\xd8"):
        raise LabelError("not a JPEG file (no SOI marker)")
    segments: list[Segment] = []
    pos = 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise LabelError(f"JPEG marker expected at byte {pos}")
        while pos + 1 < len(data) and data[pos + 1] == 0xFF:  # fill bytes before a marker
            pos += 1
        marker = data[pos + 1]
        if marker in (SOS, EOI):
            return segments, data[pos:]
        if marker in _STANDALONE:
            segments.append(Segment(marker, data[pos : pos + 2]))
            pos += 2
            continue
        if pos + 4 > len(data):
            raise LabelError(f"JPEG truncated at byte {pos}")
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2 or pos + 2 + length > len(data):
            raise LabelError(f"JPEG segment 0x{marker:02X} at byte {pos} runs past the end of the file")
        segments.append(Segment(marker, data[pos : pos + 2 + length]))
        pos += 2 + length


def xmp_segment(packet: bytes) -> bytes:
    if len(packet) > MAX_PACKET_BYTES:
        raise LabelError(f"XMP packet of {len(packet)} bytes does not fit one JPEG segment ({MAX_PACKET_BYTES} max)")
    body = XMP_HEADER + packet
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _is_xmp(segment: Segment) -> bool:
    return segment.marker == APP1 and segment.payload.startswith((XMP_HEADER, EXTENDED_XMP_HEADER))


def _leads(segment: Segment) -> bool:
    """JFIF (APP0) and Exif (APP1) come first by convention; XMP follows them."""
    return segment.marker == APP0 or (segment.marker == APP1 and segment.payload.startswith(EXIF_HEADER))


def jpeg_with_xmp(data: bytes, packet: bytes) -> bytes:
    """``data`` with its XMP replaced by ``packet`` (old standard and extended XMP segments dropped)."""
    segments, rest = split_segments(data)
    kept = [s for s in segments if not _is_xmp(s)]
    at = 0
    while at < len(kept) and _leads(kept[at]):
        at += 1
    head = [s.raw for s in kept[:at]] + [xmp_segment(packet)] + [s.raw for s in kept[at:]]
    return b"\xff\xd8" + b"".join(head) + rest


def jpeg_xmp(data: bytes) -> bytes | None:
    """The (standard) XMP packet of a JPEG, or None when it has none."""
    for segment in split_segments(data)[0]:
        if segment.marker == APP1 and segment.payload.startswith(XMP_HEADER):
            return segment.payload[len(XMP_HEADER) :]
    return None
