"""XMP in MP4: a top-level ``uuid`` box with the XMP UUID, appended at the end of the file.

Appending leaves every existing byte where it was, so the sample offsets in ``moov`` stay valid and the
video needs no re-muxing. An older XMP box is dropped when it is last, else turned into a ``free`` box of
the same size. Works on a seekable binary stream (a file or ``io.BytesIO``) and reads only box headers,
so a large video is never loaded whole.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from studio.label.errors import LabelError

XMP_UUID = uuid.UUID("BE7ACFCB-97A9-42E8-9C71-999491E3AFAC").bytes
_ZERO_BLOCK = bytes(1 << 16)


@dataclass(frozen=True)
class Box:
    """A top-level box: where it starts, its whole size, its type, header length, and UUID when ``uuid``."""

    offset: int
    size: int
    type: bytes
    header_size: int
    user_type: bytes | None = None
    #: size 0 in the file ("runs to the end"): appending after it needs an explicit size first
    open_ended: bool = False

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def is_xmp(self) -> bool:
        return self.type == b"uuid" and self.user_type == XMP_UUID


def top_level_boxes(stream: BinaryIO) -> list[Box]:
    """The top-level boxes of an ISO BMFF (MP4) stream, from their headers."""
    end = stream.seek(0, 2)
    boxes: list[Box] = []
    offset = 0
    while offset < end:
        stream.seek(offset)
        header = stream.read(8)
        if len(header) < 8:
            raise LabelError(f"MP4 truncated: {end - offset} stray bytes at offset {offset}")
        size, kind = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            large = stream.read(8)
            if len(large) < 8:
                raise LabelError(f"MP4 truncated in the header of box {kind!r} at offset {offset}")
            (size,) = struct.unpack(">Q", large)
            header_size = 16
        open_ended = size == 0
        if open_ended:
            size = end - offset
        user_type = None
        if kind == b"uuid":
            user_type = stream.read(16)
            header_size += 16
        if size < header_size or offset + size > end:
            raise LabelError(f"MP4 box {kind!r} at offset {offset} has size {size}, past the end ({end})")
        boxes.append(Box(offset, size, kind, header_size, user_type, open_ended))
        offset += size
    if not boxes or boxes[0].type != b"ftyp":
        raise LabelError("not an MP4 file (no leading ftyp box)")
    return boxes


def xmp_box(packet: bytes) -> bytes:
    return struct.pack(">I4s", 8 + 16 + len(packet), b"uuid") + XMP_UUID + packet


def append_xmp(stream: BinaryIO, packet: bytes) -> None:
    """Replace the XMP of the MP4 in ``stream`` (opened for reading and writing) by ``packet``, in place."""
    boxes = top_level_boxes(stream)
    while boxes and boxes[-1].is_xmp:
        boxes.pop()
    new_end = boxes[-1].end
    for box in boxes:
        if box.is_xmp:
            _blank_to_free(stream, box)
    last = boxes[-1]
    if last.open_ended:
        if last.size > 0xFFFFFFFF:
            raise LabelError(f"MP4 box {last.type!r} runs to the end of a file over 4 GiB; cannot append after it")
        stream.seek(last.offset)
        stream.write(struct.pack(">I", last.size))
    stream.seek(new_end)
    stream.truncate()
    stream.write(xmp_box(packet))


def _blank_to_free(stream: BinaryIO, box: Box) -> None:
    """Turn an XMP ``uuid`` box into a ``free`` box of the same size, zeroing the old packet and UUID."""
    stream.seek(box.offset + 4)  # the type follows the 32-bit size; a 64-bit size comes after the type
    stream.write(b"free")
    start = box.offset + box.header_size - 16  # the UUID is no longer a header field of a free box
    stream.seek(start)
    remaining = box.end - start
    while remaining > 0:
        step = min(remaining, len(_ZERO_BLOCK))
        stream.write(_ZERO_BLOCK[:step])
        remaining -= step


def read_xmp(stream: BinaryIO) -> bytes | None:
    """The XMP packet of the MP4 in ``stream`` (its last top-level XMP box), or None when it has none."""
    found = [box for box in top_level_boxes(stream) if box.is_xmp]
    if not found:
        return None
    box = found[-1]
    stream.seek(box.offset + box.header_size)
    return stream.read(box.size - box.header_size)
