"""XMP in PNG: one ``iTXt`` chunk with the keyword ``XML:com.adobe.xmp``, placed right after ``IHDR``.

Pure byte-level code. Pillow's PNG writer cannot add XMP, so the chunk is spliced into the encoded bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from studio.label.errors import LabelError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"


@dataclass(frozen=True)
class Chunk:
    """One chunk: where it starts in the file, its type and its data (length and CRC excluded)."""

    offset: int
    type: bytes
    data: bytes

    @property
    def end(self) -> int:
        return self.offset + 12 + len(self.data)


def iter_chunks(data: bytes) -> Iterator[Chunk]:
    """The chunks of a PNG up to and including ``IEND``."""
    if not data.startswith(SIGNATURE):
        raise LabelError("not a PNG file (bad signature)")
    pos = len(SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise LabelError(f"PNG truncated at byte {pos}: no IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        if pos + 12 + length > len(data):
            raise LabelError(f"PNG chunk {kind!r} at byte {pos} runs past the end of the file")
        chunk = Chunk(pos, kind, data[pos + 8 : pos + 8 + length])
        yield chunk
        if kind == b"IEND":
            return
        pos = chunk.end


def encode_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def xmp_chunk(packet: bytes) -> bytes:
    """An uncompressed ``iTXt`` chunk carrying ``packet`` (no language tag, no translated keyword)."""
    return encode_chunk(b"iTXt", XMP_KEYWORD + b"\0\0\0\0\0" + packet)


def _itxt_text(data: bytes) -> tuple[bytes, bytes]:
    """Keyword and text of an ``iTXt`` chunk's data, inflating the text when it is compressed."""
    keyword, sep, rest = data.partition(b"\0")
    if not sep or len(rest) < 2:
        raise LabelError("malformed PNG iTXt chunk")
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    if compressed:
        try:
            text = zlib.decompress(text)
        except zlib.error as exc:
            raise LabelError(f"PNG iTXt chunk {keyword!r}: cannot inflate ({exc})") from None
    return keyword, text


def _is_xmp(chunk: Chunk) -> bool:
    return chunk.type == b"iTXt" and chunk.data.startswith(XMP_KEYWORD + b"\0")


def png_with_xmp(data: bytes, packet: bytes) -> bytes:
    """``data`` with its XMP replaced by ``packet``: any old XMP chunk dropped, the new one after ``IHDR``.

    XMP must come before ``IDAT`` for readers that stop at the image data; right after the header is safe.
    Bytes after ``IEND`` are dropped.
    """
    parts = [SIGNATURE]
    for chunk in iter_chunks(data):
        if _is_xmp(chunk):
            continue
        parts.append(data[chunk.offset : chunk.end])
        if chunk.type == b"IHDR":
            parts.append(xmp_chunk(packet))
    if len(parts) < 2 or not parts[1][4:8] == b"IHDR":
        raise LabelError("PNG does not start with an IHDR chunk")
    return b"".join(parts)


def png_xmp(data: bytes) -> bytes | None:
    """The XMP packet of a PNG, or None when it has none."""
    for chunk in iter_chunks(data):
        if _is_xmp(chunk):
            return _itxt_text(chunk.data)[1]
    return None
