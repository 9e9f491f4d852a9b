"""Audio mix: ducking curve, fades, looping, normalisation (pure numpy)."""

from __future__ import annotations

import numpy as np
import pytest

from studio.encode.mix import (
    MixSettings,
    duck_gain_db,
    envelope_db,
    fade_curve,
    fit_length,
    mix_tracks,
    speech_blocks,
    trim_narration,
)
from studio.errors import EncodeError

RATE = 8_000


def gated_voice(seconds: float, on: list[tuple[float, float]]) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    voice = np.zeros_like(t)
    for start, end in on:
        mask = (t >= start) & (t < end)
        voice[mask] = 0.5 * np.sin(2 * np.pi * 200 * t[mask])
    return voice.astype(np.float32)


def level_db(signal: np.ndarray, start_s: float, end_s: float) -> float:
    part = signal[int(start_s * RATE) : int(end_s * RATE)]
    return float(20 * np.log10(np.sqrt(np.mean(part.astype(np.float64) ** 2))))


def test_music_ducks_under_speech_and_comes_back_in_gaps() -> None:
    settings = MixSettings(fade_in_s=0.0, fade_out_s=0.0, narration_peak_db=-3.0)
    voice = gated_voice(10.0, [(2.0, 5.0)])
    music = np.full((10 * RATE, 2), 0.1, dtype=np.float32)  # DC-free enough: we only read its gain
    mixed = mix_tracks(voice, music, 10 * RATE, RATE, settings)
    alone = mix_tracks(None, music, 10 * RATE, RATE, settings)
    bed_in_mix = mixed - mix_tracks(voice, None, 10 * RATE, RATE, settings)
    gap_db = level_db(alone[:, 0], 0.5, 1.5) - 20 * np.log10(0.1)
    speech_db = level_db(bed_in_mix[:, 0], 3.0, 4.8) - 20 * np.log10(0.1)
    after_db = level_db(bed_in_mix[:, 0], 7.5, 9.5) - 20 * np.log10(0.1)
    assert gap_db == pytest.approx(-8.0, abs=0.3)
    assert speech_db == pytest.approx(-18.0, abs=0.5)
    assert after_db == pytest.approx(-8.0, abs=0.5)


def test_gain_curve_moves_with_attack_release_and_look_ahead() -> None:
    settings = MixSettings()
    speech = np.zeros(600, dtype=bool)
    speech[200:400] = True
    gain = duck_gain_db(speech, settings)
    assert gain[150] == pytest.approx(-8.0)
    assert gain[200 + 30] == pytest.approx(-18.0, abs=0.3)  # attack ~80 ms: down within 0.3 s
    assert gain[420] < -15.0  # release ~600 ms: still low just after speech
    assert gain[599] > -9.0  # ... and back up two seconds later
    assert np.all(np.diff(gain[200:400]) <= 1e-12)  # monotone while going down


def test_speech_detection_widens_ahead_and_holds_over_short_pauses() -> None:
    settings = MixSettings()
    voice = gated_voice(4.0, [(1.0, 1.5), (1.7, 2.2)])  # a 0.2 s pause between words
    blocks = speech_blocks(envelope_db(voice, RATE, settings.block_s), settings)
    assert blocks[int(0.92 / 0.01)]  # look-ahead: on before speech starts
    assert blocks[int(1.6 / 0.01)]  # held through the short pause
    assert not blocks[int(3.5 / 0.01)]  # off in the long gap


def test_fades_and_peak_ceiling() -> None:
    curve = fade_curve(RATE * 4, RATE, 1.0, 2.0)
    assert curve[0] == 0.0 and curve[-1] == 0.0 and curve[RATE + 10] == 1.0
    assert np.all(np.diff(curve[:RATE]) >= 0) and np.all(np.diff(curve[-2 * RATE :]) <= 0)
    loud = np.ones((RATE, 2), dtype=np.float32)
    mixed = mix_tracks(np.ones(RATE, dtype=np.float32), loud, RATE, RATE, MixSettings(gap_db=0.0, speech_db=0.0))
    assert np.max(np.abs(mixed)) == pytest.approx(10 ** (-1 / 20), rel=1e-4)


def test_music_loops_and_trims_to_length() -> None:
    bed = np.arange(10, dtype=np.float32)[:, None]
    assert fit_length(bed, 25, RATE)[:, 0].tolist() == [*range(10), *range(10), *range(5)]
    assert fit_length(bed, 4, RATE)[:, 0].tolist() == [0, 1, 2, 3]
    smooth = fit_length(np.ones((RATE, 1), dtype=np.float32), 3 * RATE, RATE, crossfade_s=0.1)
    assert smooth.shape == (3 * RATE, 1)
    # equal-power seams: no dropout; identical material adds up to at most sqrt(2) mid-seam
    assert smooth.min() >= 0.99 and smooth.max() <= np.sqrt(2) + 1e-3


def test_narration_longer_than_video_is_refused_unless_the_rest_is_silent() -> None:
    voice = gated_voice(3.0, [(0.0, 2.9)])
    with pytest.raises(EncodeError, match="narration is 3.00 s but the video is 2.00 s"):
        trim_narration(voice, 2 * RATE, RATE)
    quiet_tail = gated_voice(3.0, [(0.0, 1.5)])
    assert trim_narration(quiet_tail, 2 * RATE, RATE).shape == (2 * RATE,)
    assert trim_narration(quiet_tail, 4 * RATE, RATE).shape == (4 * RATE,)
