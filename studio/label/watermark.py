"""An invisible watermark in the luminance of synthetic stills and video frames. Pure (numpy, scipy, Pillow).

Design: a spread-spectrum pattern, tiled. A tile of ``CELLS`` × ``CELLS`` cells holds key-derived ±1 chips;
half of the cells are a fixed *pilot* (for synchronisation), the other half carry the payload's 64 coded
bits, each repeated over ``REPEATS`` cells of every tile. The tile is smoothly upsampled so that a cell is
``1 / UNITS_PER_SHORT_SIDE`` of the picture's short side (mid frequencies: fine enough to stay invisible
at a grey level or two, coarse enough to survive downscaling to 848 px and 1 Mbit/s H.264) and added to
the luminance.

Detection needs no original: the tiling makes the picture's autocorrelation peak at the tile period, which
gives the scale after any rescale or crop; the picture is then resampled so a tile is ``DETECT_TILE_PX``
pixels, folded (every tile summed onto one), and cross-correlated with the pilot, which gives the offset;
the payload's bits are read at that offset by correlation and checked by a CRC-16 (one or two unreliable
bits are corrected by trying them flipped). Frames of a video are read one by one and their soft bits summed.

Payload: 16 bits of organisation id and 32 bits of render id (:class:`Payload`), + CRC-16 = 64 bits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops

#: The public key every Taza Studio render is marked with (the mark tells where a copy came from; it is
#: not a secret: a forged mark still has to match the render's fingerprint).
DEFAULT_KEY = b"taza-studio/watermark/v1"
#: The mark's name in C2PA soft bindings and in the manifest.
ALGORITHM = "com.taza-studio.watermark.v1"

CELLS = 32  # a tile is CELLS x CELLS cells
UNITS_PER_SHORT_SIDE = 150  # cell size: the picture's short side / this (7.2 px on 1080 px)
PAYLOAD_BITS = 48
CODED_BITS = 64  # payload + CRC-16
REPEATS = (CELLS * CELLS // 2) // CODED_BITS  # cells per coded bit in each tile
DETECT_TILE_PX = 128  # a tile's size when it is read: 4 px a cell
#: The pattern's amplitude in grey levels (of 255): rounded, the mark changes a pixel by at most one level
#: (two where the smooth pattern overshoots). More on busy areas was measured to add nothing the detector
#: uses (it plays busy areas down) and cost a fifth of a still's render.
STRENGTH = 1.2
#: The pilot must stand out this many standard deviations from the rest of the correlation surface.
MIN_PILOT_Z = 6.0

Floats = npt.NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Payload:
    """What a mark carries: the organisation's 16-bit id and the render's 32-bit id."""

    organisation: int
    render: int

    def __post_init__(self) -> None:
        if not (0 <= self.organisation < 1 << 16 and 0 <= self.render < 1 << 32):
            raise ValueError(f"payload out of range: organisation {self.organisation}, render {self.render}")

    @property
    def render_hex(self) -> str:
        return f"{self.render:08x}"

    @property
    def organisation_hex(self) -> str:
        return f"{self.organisation:04x}"

    def to_bytes(self) -> bytes:
        return ((self.organisation << 32) | self.render).to_bytes(6, "big")

    @classmethod
    def from_bytes(cls, data: bytes) -> Payload:
        """The payload of :meth:`to_bytes` (6 bytes: organisation, render)."""
        value = int.from_bytes(data[:6], "big")
        return cls(value >> 32, value & 0xFFFFFFFF)

    def bits(self) -> npt.NDArray[np.int8]:
        value = (self.organisation << 32) | self.render
        data = value.to_bytes(6, "big")
        word = int.from_bytes(data + crc16(data).to_bytes(2, "big"), "big")
        return np.array([(word >> (CODED_BITS - 1 - i)) & 1 for i in range(CODED_BITS)], dtype=np.int8)

    @classmethod
    def from_bits(cls, bits: Sequence[int]) -> Payload | None:
        """The payload, or None when the CRC does not hold."""
        word = 0
        for b in bits:
            word = (word << 1) | int(b)
        raw = word.to_bytes(8, "big")
        if crc16(raw[:6]) != int.from_bytes(raw[6:], "big"):
            return None
        value = int.from_bytes(raw[:6], "big")
        return cls(value >> 32, value & 0xFFFFFFFF)


def payload_for(organisation: str, render: str) -> Payload:
    """The payload of a render: both ids are hashes of their names (same inputs, same mark)."""

    def h(text: str, nbytes: int) -> int:
        return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:nbytes], "big")

    return Payload(h(organisation, 2), h(render, 4))


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


@dataclass(frozen=True, eq=False)
class _Layout:
    """The key's tile: chips, which cells are pilot, and which coded bit each data cell carries."""

    chips: npt.NDArray[np.float64]  # CELLS x CELLS of ±1
    pilot: npt.NDArray[np.bool_]  # CELLS x CELLS
    bit_of: npt.NDArray[np.int64]  # CELLS x CELLS: the coded bit a data cell carries (-1 for pilot cells)


@lru_cache(maxsize=8)
def _layout(key: bytes) -> _Layout:
    seed = int.from_bytes(hashlib.sha256(b"layout:" + key).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    chips = rng.choice(np.array([-1.0, 1.0]), size=(CELLS, CELLS))
    order = rng.permutation(CELLS * CELLS)
    pilot = np.zeros(CELLS * CELLS, dtype=bool)
    pilot[order[: CELLS * CELLS // 2]] = True
    bit_of = np.full(CELLS * CELLS, -1, dtype=np.int64)
    bit_of[order[CELLS * CELLS // 2 :]] = np.arange(CELLS * CELLS // 2) % CODED_BITS
    return _Layout(chips, pilot.reshape(CELLS, CELLS), bit_of.reshape(CELLS, CELLS))


def _upsample(cells: Floats, size_px: int) -> Floats:
    """A periodic smooth upsampling of a CELLS x CELLS tile to size_px x size_px (wraps without a seam)."""
    wrapped = np.tile(cells, (3, 3)).astype(np.float32)
    big = Image.fromarray(wrapped).resize((3 * size_px, 3 * size_px), Image.Resampling.BICUBIC)
    return np.asarray(big, dtype=np.float64)[size_px : 2 * size_px, size_px : 2 * size_px]


def _tile_cells(key: bytes, payload: Payload) -> Floats:
    lay = _layout(key)
    signs = 2.0 * payload.bits().astype(np.float64) - 1.0
    data = np.where(lay.pilot, 1.0, signs[np.maximum(lay.bit_of, 0)])
    return lay.chips * data


def tile_px(size: tuple[int, int]) -> int:
    """The tile's size in pixels on a picture ``size`` big (width, height)."""
    return max(CELLS * 2, round(min(size) * CELLS / UNITS_PER_SHORT_SIDE))


def _blur(a: Floats, radius: int) -> Floats:
    """Two passes of a (2r+1) box blur in each direction (close to a Gaussian), edges mirrored."""
    from scipy.ndimage import uniform_filter

    if radius < 1:
        return a
    size = 2 * radius + 1
    return uniform_filter(uniform_filter(a, size, mode="reflect"), size, mode="reflect")


def _luma(rgb: npt.NDArray[np.uint8]) -> Floats:
    a = rgb.astype(np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


@lru_cache(maxsize=16)
def _tile(key: bytes, payload: Payload, size_px: int) -> npt.NDArray[np.float32]:
    return _upsample(_tile_cells(key, payload), size_px).astype(np.float32)


@lru_cache(maxsize=4)
def _planes(key: bytes, payload: Payload, size: tuple[int, int]) -> tuple[Image.Image, Image.Image, Image.Image]:
    """The mark for a picture ``size`` big as RGB images: what to add, the room that needs (255 minus it),
    what to subtract. Cached: every slide of a video has the same size and payload."""
    w, h = size
    t = tile_px(size)
    tile = np.rint(_tile(key, payload, t) * np.float32(STRENGTH)).astype(np.int16)
    rows, cols = np.arange(h) % t, np.arange(w) % t
    up = np.clip(tile, 0, 255).astype(np.uint8)
    down = np.clip(-tile, 0, 255).astype(np.uint8)
    planes = []
    for part in (up, 255 - up, down):
        grey = Image.fromarray(part.take(rows, axis=0).take(cols, axis=1))
        planes.append(Image.merge("RGB", (grey, grey, grey)))
    return planes[0], planes[1], planes[2]


def embed(image: Image.Image, payload: Payload, key: bytes = DEFAULT_KEY) -> Image.Image:
    """``image`` (RGB or RGBA) with the mark added to its luminance; same size and mode.

    The same change on R, G and B moves luminance only. Four 8-bit operations of Pillow's (twice as fast
    as numpy's here), clipped exactly: lower what would overflow, add; raise what would underflow, subtract.
    """
    mode = image.mode
    rgb = image if mode == "RGB" else image.convert("RGB")
    add, room, sub = _planes(key, payload, rgb.size)
    marked = ImageChops.add_modulo(ImageChops.darker(rgb, room), add)
    marked = ImageChops.subtract_modulo(ImageChops.lighter(marked, sub), sub)
    if mode == "RGBA":
        marked.putalpha(image.getchannel("A"))
        return marked
    return marked if mode == "RGB" else marked.convert(mode)


# ---------------------------------------------------------------- detection


@dataclass(frozen=True)
class FrameReading:
    """One picture read: the tile period found (px, in the picture as given), the pilot's z-score, the
    offset of the tile, and the soft value of every coded bit (positive: 1)."""

    period_px: tuple[float, float]
    pilot_z: float
    soft: Floats

    @property
    def synced(self) -> bool:
        return self.pilot_z >= MIN_PILOT_Z


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found: the payload (None when no mark reads back) and how sure it is.

    ``confidence``: 0-1, the share of coded bits that read unambiguously. ``period_px``: the tile's size in the
    copy (against :func:`tile_px` of the original's size it gives the copy's scale; None without sync).
    ``frames_synced`` of ``frames_read``.
    """

    payload: Payload | None
    confidence: float
    pilot_z: float
    period_px: float | None
    frames_read: int
    frames_synced: int


def _residual(luma: Floats, radius: int) -> Floats:
    """The picture's fine detail with its edges played down: what is left is mostly the mark.

    High-pass, then weighted down where the picture itself is busy (text edges, QR modules), where the
    picture's own detail would drown the mark, and clipped."""
    r = luma - _blur(luma, radius)
    spread = float(np.median(np.abs(r))) * 1.4826 + 0.5
    busy = np.sqrt(np.maximum(_blur(r * r, radius), 0.0))
    weighted = r / (1.0 + (busy / (2 * spread)) ** 2)
    return np.clip(weighted, -3 * spread, 3 * spread)


def _peak_1d(values: Floats, lo: int, hi: int) -> tuple[float, float]:
    """The highest value of ``values[lo:hi]``, its sub-sample position, and its height."""
    seg = values[lo:hi]
    i = int(np.argmax(seg))
    pos = float(lo + i)
    if 0 < i < len(seg) - 1:
        a, b, c = seg[i - 1], seg[i], seg[i + 1]
        denom = a - 2 * b + c
        if denom < 0:
            pos += 0.5 * (a - c) / denom
    return pos, float(seg[i])


def _period_candidates(res: Floats, expected: float, count: int = 4) -> list[float]:
    """Likely tile periods (px): the highest peaks of the residual's autocorrelation along both axes, summed
    (a copy keeps its aspect ratio), within 0.6-1.7 times the period expected from the picture's size."""
    spectrum = np.fft.rfft2(res - res.mean())
    # magnitude (not power) sharpens the tiling's lattice against the picture's own texture
    auto = np.fft.irfft2(np.abs(spectrum), s=res.shape)
    n = min(res.shape) // 2
    lo, hi = max(3, int(expected * 0.6)), min(n, int(expected * 1.7) + 2)
    if hi - lo < 3:
        return [expected]
    line = auto[:n, 0] + auto[0, :n]
    score = line.copy()
    found: list[float] = []
    seg = score[lo:hi].copy()
    for _ in range(count):
        i = int(np.argmax(seg))
        if seg[i] == -np.inf:
            break
        pos, _h = _peak_1d(score, lo + max(0, i - 1), lo + min(len(seg), i + 2))
        found.append(pos)
        seg[max(0, i - 3) : i + 4] = -np.inf
    return found


@lru_cache(maxsize=8)
def _references(key: bytes) -> tuple[Floats, Floats]:
    """The pilot tile and the matched filter of every coded bit, at DETECT_TILE_PX."""
    lay = _layout(key)
    size = DETECT_TILE_PX
    pilot = _upsample(np.where(lay.pilot, lay.chips, 0.0), size)
    filters = np.zeros((CODED_BITS, size * size))
    for bit in range(CODED_BITS):
        cells = np.where(lay.bit_of == bit, lay.chips, 0.0)
        filters[bit] = _upsample(cells, size).ravel()
    return pilot, filters


def _fold(res: Floats, size: int) -> Floats:
    """Every size x size tile of ``res`` summed onto one (partial tiles at the edges included)."""
    h, w = res.shape
    ny, nx = -(-h // size), -(-w // size)
    padded = np.zeros((ny * size, nx * size))
    padded[:h, :w] = res
    return padded.reshape(ny, size, nx, size).sum(axis=(0, 2))


def read_frame(image: Image.Image | npt.NDArray[np.uint8], key: bytes = DEFAULT_KEY) -> FrameReading:
    """Read one picture (Pillow image, or an RGB or grey array)."""
    luma: Floats
    if isinstance(image, Image.Image):
        luma = np.asarray(image.convert("L"), dtype=np.float64)
    elif image.ndim == 3:
        luma = _luma(image)
    else:
        luma = image.astype(np.float64)
    h, w = luma.shape
    expected = float(tile_px((w, h)))
    # read at about DETECT_TILE_PX / CELLS px a cell: finer holds nothing more of the mark and costs time
    shrink = min(1.0, DETECT_TILE_PX / expected * 1.15)
    if shrink < 1.0:
        small = (max(1, round(w * shrink)), max(1, round(h * shrink)))
        luma = np.asarray(
            Image.fromarray(luma.astype(np.float32)).resize(small, Image.Resampling.BOX), dtype=np.float64
        )
        expected *= shrink
    res = _residual(luma, max(1, round(expected / CELLS * 1.5)))
    best: FrameReading | None = None
    for period in _period_candidates(res, expected):
        reading = _read_at(res, period, key)
        if best is None or reading.pilot_z > best.pilot_z:
            best = reading
        if best.pilot_z >= 2 * MIN_PILOT_Z:
            break
    assert best is not None
    if best.pilot_z < MIN_PILOT_Z / 2:
        return FrameReading((best.period_px[0] / shrink, best.period_px[1] / shrink), best.pilot_z, best.soft)
    # the autocorrelation's peak is biased by the picture's own periodicities (a JPEG's 8 px grid): refine
    # the period by the pilot itself, whose peak drops fast once tiles drift apart
    for step in (0.004, 0.0015):
        centre = best.period_px[0]
        for k in (-2, -1, 1, 2):
            reading = _read_at(res, centre * (1 + k * step), key)
            if reading.pilot_z > best.pilot_z:
                best = reading
    return FrameReading((best.period_px[0] / shrink, best.period_px[1] / shrink), best.pilot_z, best.soft)


def _read_at(residual: Floats, period: float, key: bytes) -> FrameReading:
    """Read the mark from a picture's residual assuming a tile ``period`` px wide: resample so a tile is
    DETECT_TILE_PX, fold, find the pilot, read the bits."""
    h, w = residual.shape
    f = DETECT_TILE_PX / period
    size = (max(DETECT_TILE_PX, round(w * f)), max(DETECT_TILE_PX, round(h * f)))
    res = np.asarray(
        Image.fromarray(residual.astype(np.float32)).resize(size, Image.Resampling.BILINEAR), dtype=np.float64
    )
    folded = _fold(res, DETECT_TILE_PX)
    pilot, filters = _references(key)
    corr = np.fft.irfft2(np.fft.rfft2(folded) * np.conj(np.fft.rfft2(pilot)), s=folded.shape)
    iy, ix = np.unravel_index(int(np.argmax(corr)), corr.shape)
    z = float((corr[iy, ix] - corr.mean()) / (corr.std() + 1e-12))
    aligned = np.roll(folded, (-iy, -ix), axis=(0, 1))
    soft = filters @ aligned.ravel()
    return FrameReading((period, period), z, soft)


def combine(readings: Iterable[FrameReading]) -> Detection:
    """One verdict from several frames of the same video: synced frames' soft bits, normalised, summed."""
    readings = list(readings)
    synced = [r for r in readings if r.synced]
    if not synced:
        best = max((r.pilot_z for r in readings), default=0.0)
        return Detection(None, 0.0, best, None, len(readings), 0)
    total = sum((r.soft / (np.abs(r.soft).mean() + 1e-12) for r in synced), np.zeros(CODED_BITS))
    payload = _decode(total)
    margin = np.abs(total) / (np.abs(total).mean() + 1e-12)
    confidence = float(np.mean(margin > 0.2)) if payload is not None else 0.0
    z = float(np.sqrt(sum(r.pilot_z**2 for r in synced) / len(synced)))
    period = float(np.median([r.period_px[0] for r in synced]))
    return Detection(payload, confidence, z, period, len(readings), len(synced))


#: Chase decoding: when the CRC fails, the least reliable bits are flipped, up to this many at once ...
CHASE_FLIPS = 2
#: ... among this many weakest (1 + 8 + 28 = 37 tries: false acceptance of a synced picture ~ 37 / 65536).
CHASE_WEAKEST = 8


def _decode(soft: Floats) -> Payload | None:
    """The payload from soft bits: as read, else with one or two of the weakest bits flipped (a CRC-16
    detects every such pattern, so a payload that passes is the one embedded)."""
    from itertools import combinations

    bits = (soft > 0).astype(int)
    weakest = np.argsort(np.abs(soft))[:CHASE_WEAKEST]
    for flips in range(CHASE_FLIPS + 1):
        for chosen in combinations(weakest.tolist(), flips):
            trial = bits.copy()
            trial[list(chosen)] ^= 1
            payload = Payload.from_bits(trial.tolist())
            if payload is not None:
                return payload
    return None


def detect(
    image_or_frames: Image.Image | npt.NDArray[np.uint8] | Sequence[Image.Image | npt.NDArray[np.uint8]],
    key: bytes = DEFAULT_KEY,
    *,
    enough_frames: int = 3,
) -> Detection:
    """Read the mark from a picture or from several frames of a video.

    Frames are read in turn until ``enough_frames`` synced frames agree on a payload that passes its CRC
    (a video's mark is the same on every frame: more frames only cost time).
    """
    if isinstance(image_or_frames, Image.Image | np.ndarray) and (
        isinstance(image_or_frames, Image.Image) or image_or_frames.ndim == 2 or image_or_frames.shape[-1] in (3, 4)
    ):
        frames: Sequence[Image.Image | npt.NDArray[np.uint8]] = [image_or_frames]
    else:
        frames = cast(Sequence[Image.Image | npt.NDArray[np.uint8]], image_or_frames)
    readings: list[FrameReading] = []
    for frame in frames:
        readings.append(read_frame(frame, key))
        if sum(r.synced for r in readings) >= enough_frames:
            found = combine(readings)
            if found.payload is not None and found.confidence >= 0.9:
                return found
    return combine(readings)


def watermark_layers(images: Sequence[Image.Image], payload: Payload, key: bytes = DEFAULT_KEY) -> list[Image.Image]:
    """The still pictures a video's frames are made of, each marked.

    Call it where those pictures are produced, before motion, overlays and encoding: the mark then moves
    and scales with the picture, and every frame carries it.
    """
    return [embed(image, payload, key) for image in images]
