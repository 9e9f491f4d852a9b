"""Narration over a music bed: ducking gain curve, fades, looping and peak normalisation.

Pure numpy, no I/O. Signals are float32 in -1 .. 1, shaped (samples,) for mono or
(samples, channels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.errors import EncodeError


@dataclass(frozen=True)
class MixSettings:
    """How narration and music are balanced.

    The music plays at ``gap_db`` while no one speaks and sinks to ``speech_db`` under speech. It
    starts sinking ``lookahead_s`` before speech, reaches its level within about ``attack_s``, holds
    through pauses shorter than ``hold_s`` (so it does not pump between words) and rises back within
    about ``release_s``.
    """

    speech_db: float = -18.0
    gap_db: float = -8.0
    attack_s: float = 0.08
    release_s: float = 0.6
    hold_s: float = 0.35
    lookahead_s: float = 0.12
    #: Speech is what lies above this level, in dB below the narration's loudest 10 ms block.
    speech_range_db: float = 35.0
    block_s: float = 0.01
    fade_in_s: float = 1.5
    fade_out_s: float = 2.5
    #: The narration is scaled so its peak sits here.
    narration_peak_db: float = -3.0
    #: The whole mix is scaled down if its peak would exceed this.
    ceiling_db: float = -1.0
    #: Crossfade at each loop point of the music; 0 for beds made to loop seamlessly.
    loop_crossfade_s: float = 0.0

    def __post_init__(self) -> None:
        if self.speech_db > 0 or self.gap_db > 0:
            raise EncodeError(f"music gains must be <= 0 dB, got {self.speech_db} and {self.gap_db}")
        if min(self.attack_s, self.release_s, self.block_s) <= 0:
            raise EncodeError("attack, release and block times must be positive")
        if min(self.hold_s, self.lookahead_s, self.fade_in_s, self.fade_out_s, self.loop_crossfade_s) < 0:
            raise EncodeError("hold, look-ahead, fade and loop crossfade times must be >= 0")
        if self.ceiling_db > 0:
            raise EncodeError(f"ceiling {self.ceiling_db} dBFS must be <= 0")


def db_to_gain(db: np.ndarray | float) -> np.ndarray:
    return np.power(10.0, np.asarray(db, dtype=np.float64) / 20.0)


def envelope_db(signal: np.ndarray, rate_hz: int, block_s: float) -> np.ndarray:
    """RMS level of each ``block_s`` block in dBFS (mono; channels are averaged first)."""
    mono = signal.mean(axis=1) if signal.ndim == 2 else signal
    block = max(1, round(block_s * rate_hz))
    blocks = -(-mono.shape[0] // block)
    padded = np.zeros(blocks * block, dtype=np.float64)
    padded[: mono.shape[0]] = mono
    rms = np.sqrt(np.mean(padded.reshape(blocks, block) ** 2, axis=1))
    return np.asarray(20.0 * np.log10(np.maximum(rms, 1e-9)))


def speech_blocks(level_db: np.ndarray, settings: MixSettings) -> np.ndarray:
    """Which blocks count as speech: within ``speech_range_db`` of the loudest, widened by the
    look-ahead before and the hold after so the music moves ahead of speech and not between words."""
    if level_db.size == 0:
        return np.zeros(0, dtype=bool)
    loud = level_db > max(level_db.max() - settings.speech_range_db, -70.0)
    ahead = round(settings.lookahead_s / settings.block_s)
    hold = round(settings.hold_s / settings.block_s)
    widened = loud.copy()
    for shift in range(1, ahead + 1):
        widened[:-shift] |= loud[shift:]
    for shift in range(1, hold + 1):
        widened[shift:] |= loud[:-shift]
    return widened


def duck_gain_db(speech: np.ndarray, settings: MixSettings) -> np.ndarray:
    """Music gain per block in dB: ``speech_db`` under speech, ``gap_db`` elsewhere, moving towards
    each with a one-pole attack (going down) or release (coming up)."""
    target = np.where(speech, settings.speech_db, settings.gap_db)
    down = 1.0 - np.exp(-settings.block_s / settings.attack_s)
    up = 1.0 - np.exp(-settings.block_s / settings.release_s)
    gain = np.empty(target.shape, dtype=np.float64)
    level = settings.gap_db
    for i, goal in enumerate(target.tolist()):
        level += (goal - level) * (down if goal < level else up)
        gain[i] = level
    return gain


def gain_per_sample(block_gain_db: np.ndarray, block_s: float, rate_hz: int, n_samples: int) -> np.ndarray:
    """Linear gain for each sample (float32), interpolated between block centres (no zipper steps)."""
    if block_gain_db.size == 0:
        return np.ones(n_samples, dtype=np.float32)
    centres = (np.arange(block_gain_db.size) + 0.5) * block_s * rate_hz
    db = np.interp(np.arange(n_samples, dtype=np.float32), centres, block_gain_db).astype(np.float32)
    db *= np.float32(np.log(10.0) / 20.0)
    return np.exp(db, out=db)


def fade_curve(n_samples: int, rate_hz: int, fade_in_s: float, fade_out_s: float) -> np.ndarray:
    """Gain rising over ``fade_in_s`` from 0 and falling over ``fade_out_s`` to 0 (raised cosine)."""
    curve = np.ones(n_samples, dtype=np.float32)
    for length, rising in ((round(fade_in_s * rate_hz), True), (round(fade_out_s * rate_hz), False)):
        length = min(length, n_samples)
        if length <= 0:
            continue
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, length))
        if rising:
            curve[:length] *= ramp
        else:
            curve[n_samples - length :] *= ramp[::-1]
    return curve


def fit_length(signal: np.ndarray, n_samples: int, rate_hz: int, crossfade_s: float = 0.0) -> np.ndarray:
    """``signal`` looped (with an optional equal-power crossfade at each seam) or trimmed to ``n_samples``."""
    if signal.shape[0] == 0:
        raise EncodeError("the music is empty")
    overlap = min(round(crossfade_s * rate_hz), signal.shape[0] // 2)
    if overlap == 0:
        reps = -(-n_samples // signal.shape[0])
        return np.asarray(np.concatenate([signal] * reps)[:n_samples], dtype=np.float32)
    out = np.zeros((n_samples, *signal.shape[1:]), dtype=np.float32)
    shape = (-1,) + (1,) * (signal.ndim - 1)
    t = np.linspace(0.0, np.pi / 2, overlap).reshape(shape)
    fade_in, fade_out = np.sin(t), np.cos(t)
    position = 0
    while position < n_samples:
        end = min(n_samples, position + signal.shape[0])
        piece = signal[: end - position].astype(np.float32)  # a fresh copy each time round
        if position > 0:
            head = min(overlap, piece.shape[0])
            piece[:head] *= fade_in[:head]
        if end == position + signal.shape[0] and end < n_samples:
            piece[-overlap:] *= fade_out
        out[position:end] += piece
        position += signal.shape[0] - overlap
    return out


def trim_narration(narration: np.ndarray, n_samples: int, rate_hz: int, silence_db: float = -50.0) -> np.ndarray:
    """Narration padded with silence or trimmed to ``n_samples``; refuses to cut off audible speech."""
    if narration.shape[0] <= n_samples:
        out = np.zeros((n_samples, *narration.shape[1:]), dtype=np.float32)
        out[: narration.shape[0]] = narration
        return out
    tail = narration[n_samples:]
    peak = float(np.max(np.abs(tail))) if tail.size else 0.0
    if peak > float(db_to_gain(silence_db)):
        raise EncodeError(
            f"narration is {narration.shape[0] / rate_hz:.2f} s but the video is {n_samples / rate_hz:.2f} s, "
            f"and the cut-off part is not silent (peak {20 * np.log10(peak):.1f} dBFS): lengthen the slides"
        )
    return np.asarray(narration[:n_samples], dtype=np.float32)


def mix_tracks(
    narration: np.ndarray | None,
    music: np.ndarray | None,
    n_samples: int,
    rate_hz: int,
    settings: MixSettings,
    channels: int = 2,
) -> np.ndarray:
    """The final mix, ``(n_samples, channels)`` float32: narration (mono) normalised and centred,
    music ducked under it, faded in and out, looped or trimmed; scaled down if it would clip."""
    # float32 throughout, in place: a minute of stereo is 23 MB a copy
    mix = np.zeros((n_samples, channels), dtype=np.float32)
    speech_level = np.full(0, -120.0)
    if narration is not None:
        mono = narration.reshape(narration.shape[0], -1)
        voice = trim_narration(mono[:, 0] if mono.shape[1] == 1 else mono.mean(axis=1), n_samples, rate_hz)
        peak = float(np.max(np.abs(voice))) if voice.size else 0.0
        if peak > 0:
            voice = voice * np.float32(float(db_to_gain(settings.narration_peak_db)) / peak)
        mix += voice[:, None]
        speech_level = envelope_db(voice, rate_hz, settings.block_s)
    if music is not None:
        bed = fit_length(music.reshape(music.shape[0], -1), n_samples, rate_hz, settings.loop_crossfade_s)
        if bed.shape[1] != channels:
            bed = np.repeat(bed.mean(axis=1, keepdims=True), channels, axis=1)
        blocks = -(-n_samples // max(1, round(settings.block_s * rate_hz)))
        speech = np.zeros(blocks, dtype=bool)
        if speech_level.size:
            speech[: speech_level.size] = speech_blocks(speech_level, settings)[:blocks]
        gain = gain_per_sample(duck_gain_db(speech, settings), settings.block_s, rate_hz, n_samples)
        gain *= fade_curve(n_samples, rate_hz, settings.fade_in_s, settings.fade_out_s)
        bed *= gain[:, None]
        mix += bed
    peak = float(max(mix.max(), -mix.min())) if mix.size else 0.0
    ceiling = float(db_to_gain(settings.ceiling_db))
    if peak > ceiling:
        mix *= np.float32(ceiling / peak)
    return mix
