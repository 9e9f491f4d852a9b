"""EBU R128 loudness: measured by ffmpeg's ``ebur128`` meter, reached by gain and a true-peak limiter.

Targets are integrated loudness in LUFS (−23 for radio, −16 for podcasts and voice notes) with a
true-peak ceiling in dBTP. The limiter works on a 4× oversampled signal, so inter-sample peaks
(what a DAC or an MP3 decoder makes of the samples) stay under the ceiling too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.audio.encode import pcm_wav
from studio.encode.ffmpeg import ffmpeg_exe
from studio.errors import EncodeError

#: Loudness targets a deliverable may ask for: quieter is inaudible on air, louder cannot keep its peaks.
TARGET_RANGE_LUFS = (-31.0, -9.0)

Signal = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Loudness:
    """Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP) of a programme."""

    integrated_lufs: float
    range_lu: float
    true_peak_dbtp: float


def check_target(lufs: float, where: str = "loudness") -> float:
    low, high = TARGET_RANGE_LUFS
    if not low <= lufs <= high:
        raise EncodeError(f"{where}: {lufs:g} LUFS is outside {low:g} … {high:g} LUFS")
    return lufs


_SUMMARY = re.compile(
    r"Integrated loudness:\s*I:\s*(?P<i>-?[\d.]+|-inf)\s*LUFS.*?Loudness range:\s*LRA:\s*(?P<lra>-?[\d.]+)\s*LU"
    r".*?True peak:\s*Peak:\s*(?P<tp>-?[\d.]+|-inf)\s*dBFS",
    re.S,
)


def parse_ebur128(log: str) -> Loudness:
    """The summary ffmpeg's ebur128 filter prints at the end of its log."""
    match = _SUMMARY.search(log[log.rfind("Summary:") :] if "Summary:" in log else log)
    if match is None:
        raise EncodeError("the loudness meter printed no summary")

    def number(text: str) -> float:
        return float("-inf") if text == "-inf" else float(text)

    return Loudness(number(match["i"]), number(match["lra"]), number(match["tp"]))


def measure_file(path: Path, ffmpeg: str | None = None) -> Loudness:
    """Loudness of any audio file ffmpeg reads (its first audio stream)."""
    import subprocess

    exe = ffmpeg_exe(ffmpeg)
    command = [exe, "-hide_banner", "-nostdin", "-nostats", "-i", str(path), "-map", "0:a:0"]
    command += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        raise EncodeError(f"{path}: cannot measure loudness: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return parse_ebur128(done.stderr.decode("utf-8", "replace"))


def measure(signal: Signal, rate_hz: int, ffmpeg: str | None = None) -> Loudness:
    """Loudness of samples in memory (float, −1 … 1; mono or (samples, channels))."""
    import subprocess

    exe = ffmpeg_exe(ffmpeg)
    command = [exe, "-hide_banner", "-nostats", "-f", "wav", "-i", "pipe:0"]
    command += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    done = subprocess.run(command, input=pcm_wav(signal, rate_hz), capture_output=True, check=False)
    if done.returncode != 0:
        raise EncodeError(f"cannot measure loudness: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return parse_ebur128(done.stderr.decode("utf-8", "replace"))


def oversampled_peaks(signal: Signal, factor: int = 4, taps_per_phase: int = 24) -> npt.NDArray[np.float64]:
    """Per-sample absolute peak of the ``factor``× oversampled signal, over all channels.

    Polyphase interpolation with a Kaiser-windowed sinc (as a true-peak meter does, ITU-R BS.1770):
    each phase is one short convolution, much cheaper than an FFT of the whole programme.
    """
    data = signal.reshape(signal.shape[0], -1).astype(np.float64)
    n = data.shape[0]
    half = taps_per_phase // 2
    peaks = np.abs(data).max(axis=1)
    for phase in range(1, factor):
        offset = phase / factor
        k = np.arange(-half + 1, half + 1) - offset
        taps = np.sinc(k) * np.kaiser(taps_per_phase, 8.0)
        for channel in range(data.shape[1]):
            # value between sample i and i+1 at i + offset: sum_j x[i+j] * sinc(j - offset), j in -half+1..half
            full = np.convolve(data[:, channel], taps[::-1], mode="full")
            between = full[taps_per_phase - half - 1 : taps_per_phase - half - 1 + n]
            np.maximum(peaks, np.abs(between), out=peaks)
    return peaks


def limit(
    signal: Signal,
    rate_hz: int,
    ceiling_dbtp: float,
    lookahead_s: float = 0.005,
    release_s: float = 0.08,
    peaks: npt.NDArray[np.float64] | None = None,
) -> Signal:
    """Gain that keeps every (inter-sample) peak under ``ceiling_dbtp``: instant attack over a short
    look-ahead, smooth release. Leaves a signal already under the ceiling untouched. ``peaks``: the
    signal's `oversampled_peaks`, when already known."""
    ceiling = 10 ** (ceiling_dbtp / 20)
    if peaks is None:
        peaks = np.maximum(oversampled_peaks(signal), np.abs(signal.reshape(signal.shape[0], -1)).max(axis=1))
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if need.min() >= 1.0:
        return signal
    window = max(1, round(lookahead_s * rate_hz))
    # Each sample's gain is the smallest needed within the look-ahead window around it.
    padded = np.concatenate([np.ones(window), need, np.ones(window)])
    strided = np.lib.stride_tricks.sliding_window_view(padded, 2 * window + 1)
    gain = strided.min(axis=1)
    # Release: a one-pole rise per 1 ms block (a Python loop over blocks, not samples), never above what
    # each sample needs, so the attack stays instant and no peak passes the ceiling.
    block = max(1, rate_hz // 1000)
    blocks = -(-gain.size // block)
    padded_gain = np.ones(blocks * block)
    padded_gain[: gain.size] = gain
    per_block = padded_gain.reshape(blocks, block).min(axis=1)
    alpha = 1.0 - np.exp(-block / (release_s * rate_hz))
    released = np.empty(blocks)
    level = 1.0
    for i, goal in enumerate(per_block.tolist()):
        level = goal if goal < level else level + (goal - level) * alpha
        released[i] = level
    # Each block's level holds from its start; interpolating from block starts keeps it at or below
    # the block's own need at the block's samples only when followed by `np.minimum` with `gain`.
    centres = np.arange(blocks) * block
    smooth = np.minimum(np.interp(np.arange(gain.size), centres, released), gain)
    shape = (-1,) + (1,) * (signal.ndim - 1)
    return (signal * smooth.reshape(shape)).astype(np.float32)


def normalise(
    signal: Signal, rate_hz: int, target_lufs: float, ceiling_dbtp: float, ffmpeg: str | None = None
) -> tuple[Signal, Loudness]:
    """``signal`` brought to ``target_lufs`` (±0.15 LU) with its true peak under ``ceiling_dbtp``.

    Gain, then the limiter (0.3 dB inside the ceiling, for the meter's and codecs' rounding), then
    measure again and correct: the limiter takes a little loudness away, so it converges in a few rounds.
    """
    check_target(target_lufs)
    source = signal.astype(np.float32)
    result = measure(source, rate_hz, ffmpeg)
    if not np.isfinite(result.integrated_lufs):
        raise EncodeError("the programme is silent: nothing to bring to a loudness target")
    # Peaks scale with the gain: oversample once, not every round.
    peaks = np.maximum(oversampled_peaks(source), np.abs(source.reshape(source.shape[0], -1)).max(axis=1))
    gain_db = target_lufs - result.integrated_lufs
    inner = ceiling_dbtp - 0.3
    for _ in range(8):
        gain = 10 ** (gain_db / 20)
        out = limit((source * np.float32(gain)).astype(np.float32), rate_hz, inner, peaks=peaks * gain)
        result = measure(out, rate_hz, ffmpeg)
        loud_ok = abs(result.integrated_lufs - target_lufs) <= 0.15  # the meter prints tenths
        if loud_ok and result.true_peak_dbtp <= ceiling_dbtp:
            return out, result
        gain_db += target_lufs - result.integrated_lufs
        if result.true_peak_dbtp > ceiling_dbtp:
            # The meter's own oversampling sees a little more than ours: aim lower next round.
            inner -= result.true_peak_dbtp - ceiling_dbtp + 0.1
    raise EncodeError(
        f"could not bring the programme to {target_lufs:g} LUFS under {ceiling_dbtp:g} dBTP "
        f"(reached {result.integrated_lufs:.1f} LUFS, {result.true_peak_dbtp:.1f} dBTP)"
    )
