"""Is this audio speech? Measures that tell narration from silence, noise or a tone.

Used by tests here and by the video tests on extracted soundtracks. Four checks, each
aimed at a different failure:

- level: RMS above a floor (catches silence and near-silence);
- envelope: the loudness contour rises and falls at syllable rate, ~2–9 peaks a second
  (catches tones, steady noise and silence, whose envelopes are flat);
- spectrum: flatness between a pure line and white noise (catches tones and noise,
  including ones amplitude-modulated at a syllable rate);
- pace: seconds per written character in a plausible range (catches truncated or
  runaway audio for the text it should carry).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ENVELOPE_FRAME_S = 0.01  # 100 envelope values a second: modulation up to 50 Hz
SPEECH_BAND_HZ = (100.0, 4000.0)


@dataclass(frozen=True)
class SpeechCriteria:
    """Ranges speech falls in. Defaults fit espeak-ng, gTTS and RHVoice at 120–220 words a minute.

    RHVoice's voices are far more harmonic than espeak's buzz: their flatness runs 0.004–0.06 (Nazgul
    lowest), while a tone or a chord of harmonics stays below 0.0001.
    """

    min_rms_dbfs: float = -45.0
    syllable_rate_hz: tuple[float, float] = (2.0, 9.0)
    spectral_flatness: tuple[float, float] = (0.002, 0.75)
    seconds_per_char: tuple[float, float] = (0.03, 0.2)


@dataclass(frozen=True)
class SpeechMeasures:
    """What `measure_speech` found; rates in Hz, level in dBFS."""

    duration_s: float
    rms_dbfs: float
    syllable_rate_hz: float
    spectral_flatness: float
    seconds_per_char: float | None


def _as_float(samples: npt.NDArray[np.generic]) -> npt.NDArray[np.float64]:
    """Samples scaled to [-1, 1]: int16 from engines and files, floats as they are."""
    array = np.asarray(samples)
    if array.ndim == 2:  # (frames, channels) from a decoder: mix down
        array = array.mean(axis=1)
    if np.issubdtype(array.dtype, np.integer):
        return array.astype(np.float64) / float(np.iinfo(array.dtype).max + 1)
    return array.astype(np.float64)


def rms_dbfs(samples: npt.NDArray[np.generic]) -> float:
    """Root-mean-square level relative to full scale; -inf for digital silence."""
    x = _as_float(samples)
    rms = float(np.sqrt(np.mean(x**2))) if len(x) else 0.0
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


def loudness_envelope(samples: npt.NDArray[np.generic], sample_rate_hz: int) -> npt.NDArray[np.float64]:
    """RMS in consecutive 10 ms frames."""
    x = _as_float(samples)
    hop = max(1, round(sample_rate_hz * ENVELOPE_FRAME_S))
    frames = x[: len(x) // hop * hop].reshape(-1, hop)
    return np.sqrt(np.mean(frames**2, axis=1)) if len(frames) else np.zeros(0)


def syllable_rate_hz(
    samples: npt.NDArray[np.generic],
    sample_rate_hz: int,
    prominence_db: float = 4.0,
    floor_db: float = 35.0,
) -> float:
    """Loudness peaks per second: the envelope's modulation rate, syllables for speech.

    Peaks of the smoothed (40 ms) envelope count when they stand `prominence_db` above the
    dips on both sides (searched within ±0.5 s) and within `floor_db` of the loudest
    frame. Speech gives ~3–7 a second; a tone, steady noise or silence gives 0.
    """
    envelope = loudness_envelope(samples, sample_rate_hz)
    if len(envelope) < 3:
        return 0.0
    smooth = np.convolve(envelope, np.ones(4) / 4, mode="same")
    level = 20 * np.log10(np.maximum(smooth, 1e-6))
    inner = level[1:-1]
    candidates = (inner > level[:-2]) & (inner >= level[2:]) & (inner > level.max() - floor_db)
    reach = round(0.5 / ENVELOPE_FRAME_S)
    count = 0
    for index in np.flatnonzero(candidates) + 1:
        peak = level[index]
        sides = (level[max(0, index - reach) : index][::-1], level[index + 1 : index + 1 + reach])
        bases = []
        for side in sides:
            higher = np.flatnonzero(side > peak)  # a valley ends where the level climbs past the peak
            valley = side[: higher[0]] if len(higher) else side
            bases.append(float(valley.min()) if len(valley) else peak)
        if peak - max(bases) >= prominence_db:
            count += 1
    return count / (len(samples) / sample_rate_hz)


def spectral_flatness(
    samples: npt.NDArray[np.generic], sample_rate_hz: int, band_hz: tuple[float, float] = SPEECH_BAND_HZ
) -> float:
    """Geometric over arithmetic mean of the averaged power spectrum within `band_hz`.

    0 for a tone or chord (a few lines), ~1 for white noise; speech sits near 0.2–0.4.
    Only the telephone band counts, so MP3/AAC low-pass filtering and resampling do not
    change the answer.
    """
    x = _as_float(samples)
    segment = 1 << round(np.log2(sample_rate_hz * 0.025))  # ~25 ms: resolves voice harmonics
    count = len(x) // segment
    if count == 0:
        return 1.0
    frames = x[: count * segment].reshape(count, segment) * np.hanning(segment)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(segment, d=1 / sample_rate_hz)
    low, high = band_hz
    power = power[(freqs >= low) & (freqs <= high)] + 1e-20  # keep the log finite on silence
    return float(np.exp(np.mean(np.log(power))) / np.mean(power))


def measure_speech(samples: npt.NDArray[np.generic], sample_rate_hz: int, text: str | None = None) -> SpeechMeasures:
    """Measure audio; with `text`, also its pace in seconds per non-space character."""
    duration_s = len(samples) / sample_rate_hz
    chars = len("".join(text.split())) if text else 0
    return SpeechMeasures(
        duration_s=duration_s,
        rms_dbfs=rms_dbfs(samples),
        syllable_rate_hz=syllable_rate_hz(samples, sample_rate_hz),
        spectral_flatness=spectral_flatness(samples, sample_rate_hz),
        seconds_per_char=duration_s / chars if chars else None,
    )


def speech_problems(
    samples: npt.NDArray[np.generic],
    sample_rate_hz: int,
    text: str | None = None,
    criteria: SpeechCriteria | None = None,
) -> tuple[str, ...]:
    """Why this audio does not look like speech of `text`; empty when it does."""
    limits = criteria or SpeechCriteria()
    m = measure_speech(samples, sample_rate_hz, text)
    problems: list[str] = []
    if not m.rms_dbfs >= limits.min_rms_dbfs:
        problems.append(f"level {m.rms_dbfs:.1f} dBFS below {limits.min_rms_dbfs} dBFS (silent?)")
    low, high = limits.syllable_rate_hz
    if not low <= m.syllable_rate_hz <= high:
        problems.append(
            f"loudness envelope peaks {m.syllable_rate_hz:.1f} times a second, outside the syllable "
            f"range {low}–{high} Hz (steady tone, noise or silence?)"
        )
    low, high = limits.spectral_flatness
    if not low <= m.spectral_flatness <= high:
        problems.append(f"spectral flatness {m.spectral_flatness:.3f} outside {low}–{high} (pure tone or white noise?)")
    if m.seconds_per_char is not None:
        low, high = limits.seconds_per_char
        if not low <= m.seconds_per_char <= high:
            problems.append(f"{m.seconds_per_char:.3f} s per character outside {low}–{high} s (truncated or runaway?)")
    return tuple(problems)


def estimate_pitch_hz(samples: npt.NDArray[np.generic], sample_rate_hz: int) -> float:
    """Median fundamental frequency of the voiced 40 ms frames (autocorrelation, 60–400 Hz).

    Enough to tell a low male voice from a high female one; 0.0 when nothing is voiced.
    """
    x = _as_float(samples)
    frame, hop = round(0.04 * sample_rate_hz), round(0.02 * sample_rate_hz)
    min_lag, max_lag = sample_rate_hz // 400, sample_rate_hz // 60
    if len(x) < frame:
        return 0.0
    starts = range(0, len(x) - frame, hop)
    levels = np.array([np.sqrt(np.mean(x[s : s + frame] ** 2)) for s in starts])
    loud = levels > 0.3 * levels.max() if levels.max() > 0 else np.zeros(len(levels), dtype=bool)
    pitches: list[float] = []
    for start, is_loud in zip(starts, loud, strict=True):
        if not is_loud:
            continue
        chunk = x[start : start + frame] - x[start : start + frame].mean()
        corr = np.correlate(chunk, chunk, mode="full")[frame - 1 :]
        if corr[0] <= 0:
            continue
        lag = min_lag + int(np.argmax(corr[min_lag:max_lag]))
        if corr[lag] / corr[0] > 0.5:  # clearly periodic: voiced
            pitches.append(sample_rate_hz / lag)
    return float(np.median(pitches)) if pitches else 0.0
