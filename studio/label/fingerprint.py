"""Perceptual fingerprints of renders: what a copy still shares with its render once every byte has changed.

Pictures: a 64-bit DCT hash (pHash) of the whole picture and of its centre with 10 % cropped off, so a
copy that was cropped still finds its render; a video has one pair a half second. Sound: an energy-band
hash (after Haitsma and Kalker): 15 bits every 64 ms, each the sign of how the energy difference of two
neighbouring bands changes over time — unchanged by re-encoding and level, changed by new words.

Pure: decoding files to pixels and samples is the caller's (``studio.verify.copies``, ``studio.video``).
Fingerprints are stored in the manifest and in the C2PA manifest's soft binding as :meth:`to_dict`.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

#: The thumbnail pictures are hashed from (squashed to a square: a copy keeps its aspect ratio).
THUMB_PX = 128
#: The centre variant: this fraction of width and height cropped off (half on each side).
CROP_VARIANT = 0.10
#: Frames a second in a video's fingerprint.
FRAME_HZ = 2.0
#: Sound: samples per second, frame and hop (128 ms windows every 64 ms), band edges.
AUDIO_RATE_HZ = 8000
AUDIO_FRAME = 1024
AUDIO_HOP = 512
AUDIO_BANDS = np.geomspace(250.0, 3500.0, 17)

Gray = npt.NDArray[np.uint8]

#: Two pictures match when their hashes differ in at most this many of 64 bits (unrelated: ~32).
PICTURE_MATCH_BITS = 14
#: Two sounds match when at most this share of their bits differ at the best alignment (unrelated: ~0.5).
AUDIO_MATCH_BER = 0.33


def thumbnail(image: Image.Image | Gray) -> Gray:
    """A picture as the grey THUMB_PX square its hashes are computed from."""
    pic = image if isinstance(image, Image.Image) else Image.fromarray(image)
    return np.asarray(pic.convert("L").resize((THUMB_PX, THUMB_PX), Image.Resampling.BOX))


def _dct_matrix(n: int) -> npt.NDArray[np.float64]:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    return np.cos(np.pi * (2 * x + 1) * k / (2 * n))


_DCT32 = _dct_matrix(32)


def phash(thumb: Gray) -> int:
    """64-bit pHash: the signs of the 8 x 8 lowest DCT coefficients of a 32 x 32 picture, against their median."""
    small = np.asarray(Image.fromarray(thumb).resize((32, 32), Image.Resampling.BOX), dtype=np.float64)
    coeffs = (_DCT32 @ small @ _DCT32.T)[:8, :8].ravel()
    median = np.median(coeffs[1:])
    value = 0
    for bit in coeffs > median:
        value = (value << 1) | int(bit)
    return value


def picture_hashes(thumb: Gray) -> tuple[int, int]:
    """The hash of the whole picture and of its centre (CROP_VARIANT cropped off)."""
    edge = round(THUMB_PX * CROP_VARIANT / 2)
    centre = np.asarray(
        Image.fromarray(thumb).resize(
            (THUMB_PX, THUMB_PX), Image.Resampling.BILINEAR, box=(edge, edge, THUMB_PX - edge, THUMB_PX - edge)
        )
    )
    return phash(thumb), phash(centre)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def picture_distance(copy: Sequence[int], render: Sequence[int]) -> int:
    """Bits differing between a copy's and a render's hashes: the best pairing of whole and centre (a crop
    of the render looks like its centre; a crop of the copy's centre does not happen)."""
    full, centre = copy[0], copy[1]
    return min(hamming(full, render[0]), hamming(full, render[1]), hamming(centre, render[1]))


# ---------------------------------------------------------------- sound


def audio_bits(samples: npt.NDArray[np.float32], offset: int = 0) -> npt.NDArray[np.bool_]:
    """The sound's bits, one row of 15 per hop (``samples`` mono at AUDIO_RATE_HZ), starting at ``offset``."""
    x = samples[offset:].astype(np.float64)
    n = 1 + (len(x) - AUDIO_FRAME) // AUDIO_HOP if len(x) >= AUDIO_FRAME else 0
    if n < 2:
        return np.zeros((0, len(AUDIO_BANDS) - 2), dtype=bool)
    idx = np.arange(AUDIO_FRAME)[None, :] + AUDIO_HOP * np.arange(n)[:, None]
    frames = x[idx] * np.hanning(AUDIO_FRAME)[None, :]
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(AUDIO_FRAME, 1.0 / AUDIO_RATE_HZ)
    band = np.digitize(freqs, AUDIO_BANDS) - 1
    energy = np.stack([power[:, band == b].sum(axis=1) for b in range(len(AUDIO_BANDS) - 1)], axis=1)
    energy = np.log(energy + 1e-9)
    diff = energy[:, :-1] - energy[:, 1:]
    return (diff[1:] - diff[:-1]) > 0


def audio_silent(samples: npt.NDArray[np.float32]) -> bool:
    return len(samples) == 0 or float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) < 1e-3


def audio_ber(copy: npt.NDArray[np.bool_], render: npt.NDArray[np.bool_], min_overlap: int = 40) -> tuple[float, int]:
    """The lowest bit error rate of ``copy`` against ``render`` over every alignment with at least
    ``min_overlap`` rows in common, and the render row the copy starts at (the copy may be trimmed)."""
    if len(copy) == 0 or len(render) == 0:
        return 1.0, 0
    best, at = 1.0, 0
    overlap_min = min(min_overlap, len(copy), len(render))
    for shift in range(-(len(copy) - overlap_min), len(render) - overlap_min + 1):
        c0, r0 = max(0, -shift), max(0, shift)
        m = min(len(copy) - c0, len(render) - r0)
        if m < overlap_min:
            continue
        ber = float(np.mean(copy[c0 : c0 + m] != render[r0 : r0 + m]))
        if ber < best:
            best, at = ber, shift
    return best, at


# ---------------------------------------------------------------- a render's fingerprint


@dataclass(frozen=True)
class Fingerprint:
    """A render's fingerprint: picture hashes (one pair for a still, one pair a frame for a video at
    ``frame_hz``) and, for a video with sound, its audio bits."""

    pictures: tuple[tuple[int, int], ...]
    frame_hz: float | None = None
    audio: npt.NDArray[np.bool_] | None = None

    @property
    def is_video(self) -> bool:
        return self.frame_hz is not None

    def to_dict(self) -> dict[str, object]:
        """The manifest's form: hex hashes, base64 audio bits."""
        data: dict[str, object] = {
            "algorithm": "taza-phash64+centre/v1",
            "pictures": "".join(f"{a:016x}{b:016x}" for a, b in self.pictures),
        }
        if self.frame_hz is not None:
            data["frame_hz"] = self.frame_hz
        if self.audio is not None:
            rows, cols = self.audio.shape
            data["audio"] = {
                "algorithm": "taza-energy-bands/v1",
                "rate_hz": AUDIO_RATE_HZ,
                "hop": AUDIO_HOP,
                "rows": rows,
                "bits": base64.b64encode(np.packbits(self.audio.ravel()).tobytes()).decode("ascii"),
            }
            assert cols == len(AUDIO_BANDS) - 2
        return data

    @classmethod
    def from_dict(cls, data: object) -> Fingerprint | None:
        """A fingerprint read back from the manifest; None when the data is missing or not one."""
        if not isinstance(data, dict) or not isinstance(data.get("pictures"), str):
            return None
        text = data["pictures"]
        try:
            pictures = tuple(
                (int(text[i : i + 16], 16), int(text[i + 16 : i + 32], 16)) for i in range(0, len(text), 32)
            )
            audio = None
            raw = data.get("audio")
            if isinstance(raw, dict):
                cols = len(AUDIO_BANDS) - 2
                rows = int(raw["rows"])
                bits = np.unpackbits(np.frombuffer(base64.b64decode(raw["bits"]), dtype=np.uint8))
                audio = bits[: rows * cols].reshape(rows, cols).astype(bool)
            hz = data.get("frame_hz")
            return cls(pictures, float(hz) if isinstance(hz, int | float) else None, audio)
        except (ValueError, KeyError, TypeError):
            return None


def still_fingerprint(image: Image.Image | Gray) -> Fingerprint:
    return Fingerprint((picture_hashes(thumbnail(image)),))


def video_fingerprint(thumbs: Sequence[Gray], frame_hz: float, audio: npt.NDArray[np.float32] | None) -> Fingerprint:
    """From a video's frames (thumbnails at ``frame_hz``) and its mono sound at AUDIO_RATE_HZ."""
    bits = None if audio is None or audio_silent(audio) else audio_bits(audio)
    return Fingerprint(tuple(picture_hashes(t) for t in thumbs), frame_hz, bits)


@dataclass(frozen=True)
class VideoMatch:
    """How a copy's frames and sound compare with a render's.

    ``picture_bits``: the mean bits differing per frame at the best alignment (0-64). ``offset_s``: where
    in the render the copy starts. ``audio_ber``: None when either has no sound.
    """

    picture_bits: float
    offset_s: float
    frames_compared: int
    audio_ber: float | None
    audio_offset_s: float | None

    @property
    def pictures_match(self) -> bool:
        return self.frames_compared > 0 and self.picture_bits <= PICTURE_MATCH_BITS

    @property
    def audio_matches(self) -> bool | None:
        return None if self.audio_ber is None else self.audio_ber <= AUDIO_MATCH_BER


def compare_videos(copy: Fingerprint, render: Fingerprint, copy_audio: Sequence[npt.NDArray[np.bool_]]) -> VideoMatch:
    """Align the copy's frames on the render's (the copy may be trimmed at either end) and compare sounds.

    ``copy_audio``: the copy's audio bits at a few sub-hop offsets (the copy's cut rarely falls on a hop).
    """
    hz = render.frame_hz or FRAME_HZ
    best, best_shift, count = 64.0, 0, 0
    n_copy, n_render = len(copy.pictures), len(render.pictures)
    need = max(1, min(n_copy, n_render) * 2 // 3)
    for shift in range(-(n_copy - need), n_render - need + 1):
        pairs = [(copy.pictures[i], render.pictures[i + shift]) for i in range(n_copy) if 0 <= i + shift < n_render]
        if len(pairs) < need:
            continue
        mean = float(np.mean([picture_distance(c, r) for c, r in pairs]))
        if mean < best:
            best, best_shift, count = mean, shift, len(pairs)
    ber = offset = None
    if render.audio is not None and copy_audio:
        found = [audio_ber(bits, render.audio) for bits in copy_audio]
        ber, shift_rows = min(found)
        offset = shift_rows * AUDIO_HOP / AUDIO_RATE_HZ
    return VideoMatch(best, best_shift / hz, count, ber, offset)
