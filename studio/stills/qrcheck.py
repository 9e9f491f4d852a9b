"""Every QR code is decoded back from the encoded file with zxing-cpp before the file is kept.

Two reads, both must give exactly the intended text:
- the file as encoded, at full resolution or, for print rasters whose modules are larger than
  8 pixels, reduced to keep at least 8 pixels a module (JPEG's DCT scaling, or an integer box filter);
- a phone camera's view: the whole image scaled so the code is about 250 pixels wide.

``encode_checked`` reads the file back *while* it is being encoded: the encoder's bytes go to the
file's buffer and, as they come, to a decoder in a second thread (Pillow's encoders and decoders and
zxing-cpp run without Python's lock), so the whole file is decoded — every byte of it, in order —
about when the encoder finishes, instead of after it. There zxing-cpp reads the code's part of the
decoded pixels (``read_area``: the code, its quiet zone and half its width around it, at the file's
full resolution; the phone's view is that part scaled), which is where a phone finds it too.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, cast

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
    return _check(image, image.width / full_w, expected, qr_width_px, where)


class _Stream(io.RawIOBase):
    """Bytes one thread appends and another reads as they arrive (blocking until they have); the reader
    may seek anywhere within them, as Pillow's decoders do."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()
        self._pos = 0
        self._ended = False
        self._arrived = threading.Condition()

    def append(self, chunk: bytes) -> None:
        with self._arrived:
            self.data += chunk
            self._arrived.notify_all()

    def end(self) -> None:
        with self._arrived:
            self._ended = True
            self._arrived.notify_all()

    def _until(self, size: int | None) -> int:
        """Wait until ``size`` bytes (None: all of them) have arrived; the number there is."""
        with self._arrived:
            while not self._ended and (size is None or len(self.data) < size):
                self._arrived.wait()
            return len(self.data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        end = self._until(None if size is None or size < 0 else self._pos + size)
        stop = end if size is None or size < 0 else min(end, self._pos + size)
        with self._arrived:
            chunk = bytes(self.data[self._pos : stop])
        self._pos += len(chunk)
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: None}[whence]
        self._pos = max(0, (self._until(None) if base is None else base) + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


class _Tee:
    """The file object an encoder writes to: every write goes to the stream (no ``fileno``: Pillow then
    encodes exactly as into a BytesIO)."""

    def __init__(self, stream: _Stream) -> None:
        self._stream = stream

    def write(self, chunk: bytes) -> int:
        self._stream.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        pass


def encode_checked(
    encode: Callable[[IO[bytes]], None],
    image_format: str,
    expected: str,
    qr_width_px: int,
    module_px: int,
    where: str,
    area: tuple[int, int, int, int] | None = None,
) -> tuple[bytes, QRCheck]:
    """Encode a file with ``encode(fp)`` and read its QR code back as ``check_qr_bytes`` does, decoding
    the bytes while they are written. Returns the file's bytes; raises QRError as ``check_qr_bytes``.

    The whole file is decoded; with ``area`` (left, top, right, bottom: the code, its quiet zone and a
    margin, see ``read_area``) zxing-cpp reads that part of the decoded pixels, not all of them."""
    file_scale = min(1.0, FILE_MODULE_PX / module_px)
    if file_scale < 1:  # a reduced read (JPEG's DCT scaling) needs the whole file first
        buf = io.BytesIO()
        encode(buf)
        data = buf.getvalue()
        return data, check_qr_bytes(data, expected, qr_width_px, module_px, where)
    stream = _Stream()
    decoded: list[Image.Image] = []
    failed: list[BaseException] = []

    def read_back() -> None:
        try:
            with _own_render():
                with Image.open(cast(IO[bytes], stream), formats=[image_format]) as encoded:
                    encoded.load()
                    decoded.append((encoded.crop(area) if area else encoded).convert("L"))
        except BaseException as exc:  # noqa: BLE001 — handed to the encoding thread, raised there
            failed.append(exc)  # (the encoder goes on writing: nothing ever waits for this reader)

    reader = threading.Thread(target=read_back, name="qr-read-back", daemon=True)
    reader.start()
    try:
        encode(cast(IO[bytes], _Tee(stream)))
    finally:
        stream.end()
        reader.join()
    if failed:
        raise failed[0]
    return bytes(stream.data), _check(decoded[0], 1.0, expected, qr_width_px, where)


def read_area(x: int, y: int, width: int, module_px: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """What zxing-cpp reads of a code at (``x``, ``y``), ``width`` pixels wide, in an image of ``size``:
    the code, its 4-module quiet zone and as much again around it as half the code (within the image),
    so the finder patterns are found as in the whole picture and a phone's view of it is honest."""
    margin = 4 * module_px + width // 2
    w, h = size
    return max(0, x - margin), max(0, y - margin), min(w, x + width + margin), min(h, y + width + margin)


def _check(image: Image.Image, scale: float, expected: str, qr_width_px: int, where: str) -> QRCheck:
    """Both reads of a decoded (grey) file, ``scale`` of its pixels a file pixel: as encoded, and as a
    phone sees it."""
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
