"""Facts about an MP4, read from its boxes: no ffprobe needed.

Reads the top-level box order (faststart: ``moov`` before ``mdat``) and, inside ``moov``, each
track's handler, timescale, edit list, sample table and sample entry (``avc1`` with its SPS for the
pixel format, ``mp4a`` with its ``esds`` for the audio codec).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from studio.errors import EncodeError

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}
_VIDEO_CODECS = {b"avc1": "h264", b"avc3": "h264", b"hvc1": "hevc", b"hev1": "hevc", b"av01": "av1", b"vp09": "vp9"}
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
_CHROMA = {0: "gray", 1: "yuv420p", 2: "yuv422p", 3: "yuv444p"}


@dataclass(frozen=True)
class VideoFacts:
    codec: str
    width: int
    height: int
    fps: float  # the frame rate a player shows: one over the shortest time a frame is shown
    frames: int  # frames stored; fewer than shown_frames where a frame is shown for longer
    pix_fmt: str
    duration_s: float
    profile: int
    shown_frames: int = 0  # frames a player shows at ``fps``


@dataclass(frozen=True)
class AudioFacts:
    codec: str
    sample_rate_hz: int
    channels: int
    duration_s: float


@dataclass(frozen=True)
class MediaFacts:
    """What an MP4 holds. ``duration_s`` is the longest track as presented (edit lists applied)."""

    duration_s: float
    faststart: bool
    video: VideoFacts | None
    audio: AudioFacts | None
    top_level_boxes: tuple[str, ...]


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in ``data[start:end]``."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise EncodeError(f"malformed MP4 box {kind!r} at byte {pos}")
        yield kind, pos + header, pos + size
        pos += size


def _find(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for box, s, e in _boxes(data, start, end):
        if box == kind:
            return s, e
    return None


def _path(data: bytes, start: int, end: int, *kinds: bytes) -> tuple[int, int] | None:
    span: tuple[int, int] | None = (start, end)
    for kind in kinds:
        if span is None:
            return None
        span = _find(data, span[0], span[1], kind)
    return span


class _Bits:
    """Reader of an H.264 RBSP (emulation-prevention bytes removed) for exp-Golomb fields."""

    def __init__(self, nal: bytes) -> None:
        self.data = nal.replace(b"\x00\x00\x03", b"\x00\x00")
        self.pos = 0

    def bit(self) -> int:
        byte = self.data[self.pos >> 3]
        value = (byte >> (7 - (self.pos & 7))) & 1
        self.pos += 1
        return value

    def bits(self, n: int) -> int:
        value = 0
        for _ in range(n):
            value = (value << 1) | self.bit()
        return value

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
        return (1 << zeros) - 1 + self.bits(zeros)


def _sps_pix_fmt(sps: bytes) -> tuple[int, str]:
    """(profile_idc, pixel format) from an H.264 sequence parameter set NAL."""
    bits = _Bits(sps[1:])
    profile = bits.bits(8)
    bits.bits(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    chroma, depth = 1, 8
    if profile in _HIGH_PROFILES:
        chroma = bits.ue()
        if chroma == 3:
            bits.bit()
        depth = bits.ue() + 8
    name = _CHROMA.get(chroma, f"chroma{chroma}")
    return profile, name if depth == 8 else f"{name}{depth}le"


def _avc_config(data: bytes, start: int, end: int) -> tuple[int, str]:
    span = _find(data, start, end, b"avcC")
    if span is None:
        return 0, "unknown"
    s, _ = span
    count = data[s + 5] & 0x1F
    if count == 0:
        return data[s + 1], "unknown"
    (length,) = struct.unpack_from(">H", data, s + 6)
    return _sps_pix_fmt(data[s + 8 : s + 8 + length])


def _descriptor(payload: bytes, pos: int) -> tuple[int, int]:
    """(tag, position after the tag's variable-length size field) of an MPEG-4 descriptor."""
    tag = payload[pos]
    pos += 1
    for _ in range(4):
        more = payload[pos] & 0x80
        pos += 1
        if not more:
            break
    return tag, pos


def _esds_codec(data: bytes, start: int, end: int) -> str:
    span = _find(data, start, end, b"esds")
    if span is None:
        return "mp4a"
    payload = data[span[0] + 4 : span[1]]
    try:
        tag, pos = _descriptor(payload, 0)
        if tag == 0x03:
            flags = payload[pos + 2]
            pos += 3
            if flags & 0x80:
                pos += 2
            if flags & 0x40:
                pos += 1 + payload[pos]
            if flags & 0x20:
                pos += 2
            tag, pos = _descriptor(payload, pos)
        if tag != 0x04:
            return "mp4a"
        oti = payload[pos]
    except IndexError:
        return "mp4a"
    return {0x40: "aac", 0x66: "aac", 0x67: "aac", 0x68: "aac", 0x69: "mp3", 0x6B: "mp3"}.get(oti, f"mp4a-{oti:#x}")


def _track(data: bytes, start: int, end: int, movie_timescale: int) -> VideoFacts | AudioFacts | None:
    hdlr = _path(data, start, end, b"mdia", b"hdlr")
    mdhd = _path(data, start, end, b"mdia", b"mdhd")
    stbl = _path(data, start, end, b"mdia", b"minf", b"stbl")
    if hdlr is None or mdhd is None or stbl is None:
        return None
    handler = data[hdlr[0] + 8 : hdlr[0] + 12]
    version = data[mdhd[0]]
    if version == 1:
        timescale, media_duration = struct.unpack_from(">IQ", data, mdhd[0] + 20)
    else:
        timescale, media_duration = struct.unpack_from(">II", data, mdhd[0] + 12)
    duration_s = media_duration / timescale if timescale else 0.0
    elst = _path(data, start, end, b"edts", b"elst")
    if elst is not None and movie_timescale:
        version = data[elst[0]]
        (count,) = struct.unpack_from(">I", data, elst[0] + 4)
        total = 0
        pos = elst[0] + 8
        for _ in range(count):
            if version == 1:
                segment, media_time = struct.unpack_from(">Qq", data, pos)
                pos += 20
            else:
                segment, media_time = struct.unpack_from(">Ii", data, pos)
                pos += 12
            if media_time != -1:
                total += segment
        if total:
            # no longer than the samples last: a re-encoder (ffmpeg) may end the edit at a reordered
            # frame's time plus the gap after it in decode order, past the last frame
            duration_s = min(total / movie_timescale, duration_s) if duration_s else total / movie_timescale
    stsd = _find(data, stbl[0], stbl[1], b"stsd")
    if stsd is None:
        return None
    entry = next(_boxes(data, stsd[0] + 8, stsd[1]), None)
    if entry is None:
        return None
    kind, es, ee = entry
    if handler == b"vide":
        width, height = struct.unpack_from(">HH", data, es + 24)
        frames, ticks, step = 0, 0, 0
        stts = _find(data, stbl[0], stbl[1], b"stts")
        if stts is not None:
            (count,) = struct.unpack_from(">I", data, stts[0] + 4)
            for k in range(count):
                n, delta = struct.unpack_from(">II", data, stts[0] + 8 + 8 * k)
                frames += n
                ticks += n * delta
                step = delta if delta and (not step or delta < step) else step
        fps = timescale / step if step else 0.0
        shown = round(ticks / step) if step else 0
        profile, pix_fmt = _avc_config(data, es + 78, ee) if kind in (b"avc1", b"avc3") else (0, "unknown")
        codec = _VIDEO_CODECS.get(kind, kind.decode("latin-1"))
        return VideoFacts(codec, width, height, fps, frames, pix_fmt, duration_s, profile, shown)
    if handler == b"soun":
        channels = struct.unpack_from(">H", data, es + 16)[0]
        rate = struct.unpack_from(">I", data, es + 24)[0] >> 16
        codec = _esds_codec(data, es + 28, ee) if kind == b"mp4a" else kind.decode("latin-1").strip().lower()
        return AudioFacts(codec, rate or timescale, channels, duration_s)
    return None


def _read_top_level(stream: BinaryIO) -> tuple[list[str], bytes]:
    order: list[str] = []
    moov = b""
    while True:
        header = stream.read(8)
        if len(header) < 8:
            break
        size, kind = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            (size,) = struct.unpack(">Q", stream.read(8))
            header_size = 16
        order.append(kind.decode("latin-1"))
        if size == 0:
            if kind == b"moov":
                moov = stream.read()
            break
        if size < header_size:
            raise EncodeError(f"malformed MP4: box {kind!r} of size {size}")
        if kind == b"moov":
            moov = stream.read(size - header_size)
        else:
            stream.seek(size - header_size, 1)
    return order, moov


def probe_mp4(source: str | Path | BinaryIO) -> MediaFacts:
    """Read duration, size, frame rate, codecs, pixel format, audio rate and faststart from an MP4."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise EncodeError(f"{path}: no such file")
        with path.open("rb") as stream:
            order, moov = _read_top_level(stream)
        name = str(path)
    else:
        order, moov = _read_top_level(source)
        name = "stream"
    if not moov:
        raise EncodeError(f"{name}: not an MP4 (no moov box; top-level boxes: {', '.join(order) or 'none'})")
    mvhd = _find(moov, 0, len(moov), b"mvhd")
    movie_timescale, movie_duration = 0, 0
    if mvhd is not None:
        if moov[mvhd[0]] == 1:
            movie_timescale, movie_duration = struct.unpack_from(">IQ", moov, mvhd[0] + 20)
        else:
            movie_timescale, movie_duration = struct.unpack_from(">II", moov, mvhd[0] + 12)
    video: VideoFacts | None = None
    audio: AudioFacts | None = None
    for kind, s, e in _boxes(moov):
        if kind != b"trak":
            continue
        facts = _track(moov, s, e, movie_timescale)
        if isinstance(facts, VideoFacts) and video is None:
            video = facts
        elif isinstance(facts, AudioFacts) and audio is None:
            audio = facts
    durations = [t.duration_s for t in (video, audio) if t is not None]
    duration = max(durations) if durations else (movie_duration / movie_timescale if movie_timescale else 0.0)
    faststart = "moov" in order and "mdat" in order and order.index("moov") < order.index("mdat")
    return MediaFacts(duration, faststart, video, audio, tuple(order))
