"""The speech checks pass real narration and fail crafted tones, noise and silence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from studio.voice import EspeakEngine, EspeakLibrary, Voice
from studio.voice.analysis import (
    SpeechCriteria,
    measure_speech,
    rms_dbfs,
    spectral_flatness,
    speech_problems,
    syllable_rate_hz,
)

RATE_HZ = 22_050
TEXT = "Сообщайте о коррупции по телефону горячей линии. Каждый звонок конфиденциален."
CRITERIA = SpeechCriteria()
Signal = Callable[[], npt.NDArray[np.int16]]


def _int16(signal: npt.NDArray[np.float64]) -> npt.NDArray[np.int16]:
    return (np.clip(signal, -1, 1) * 32767).astype(np.int16)


def _time(duration_s: float) -> npt.NDArray[np.float64]:
    return np.arange(round(duration_s * RATE_HZ)) / RATE_HZ


def pure_tone(duration_s: float = 5.0, hz: float = 220.0) -> npt.NDArray[np.int16]:
    return _int16(0.5 * np.sin(2 * np.pi * hz * _time(duration_s)))


def white_noise(duration_s: float = 5.0) -> npt.NDArray[np.int16]:
    return _int16(np.random.default_rng(7).normal(0, 0.2, round(duration_s * RATE_HZ)))


def silence(duration_s: float = 5.0) -> npt.NDArray[np.int16]:
    return np.zeros(round(duration_s * RATE_HZ), dtype=np.int16)


def syllable_beeps(duration_s: float = 5.0) -> npt.NDArray[np.int16]:
    """A tone switched on and off four times a second: speech-like envelope, not speech."""
    t = _time(duration_s)
    return _int16(0.5 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)))


@pytest.fixture(scope="module")
def narration(espeak_library: EspeakLibrary) -> npt.NDArray[np.int16]:
    return EspeakEngine(espeak_library).synthesize(TEXT, Voice("ru")).samples


def test_real_narration_passes_every_check(narration: npt.NDArray[np.int16]) -> None:
    assert speech_problems(narration, RATE_HZ, TEXT) == ()
    measured = measure_speech(narration, RATE_HZ, TEXT)
    assert 2.0 <= measured.syllable_rate_hz <= 9.0
    assert measured.rms_dbfs > -30


def test_level_check_fails_on_silence() -> None:
    assert rms_dbfs(silence()) == float("-inf")
    assert any("dBFS" in problem for problem in speech_problems(silence(), RATE_HZ))


@pytest.mark.parametrize("signal", [pure_tone, white_noise, silence], ids=lambda f: f.__name__)
def test_envelope_check_fails_on_tone_noise_and_silence(signal: Signal) -> None:
    samples = signal()
    assert syllable_rate_hz(samples, RATE_HZ) < CRITERIA.syllable_rate_hz[0]
    assert any("syllable range" in problem for problem in speech_problems(samples, RATE_HZ))


@pytest.mark.parametrize("signal", [pure_tone, white_noise, syllable_beeps], ids=lambda f: f.__name__)
def test_spectrum_check_fails_on_tones_and_noise(signal: Signal) -> None:
    samples = signal()
    low, high = CRITERIA.spectral_flatness
    assert not low <= spectral_flatness(samples, RATE_HZ) <= high
    assert any("spectral flatness" in problem for problem in speech_problems(samples, RATE_HZ))


def test_syllable_beeps_fool_the_envelope_but_not_the_spectrum() -> None:
    problems = speech_problems(syllable_beeps(), RATE_HZ)
    assert not any("syllable range" in problem for problem in problems)
    assert any("spectral flatness" in problem for problem in problems)


def test_pace_check_fails_on_audio_too_short_or_too_long_for_its_text(
    narration: npt.NDArray[np.int16],
) -> None:
    truncated = narration[: len(narration) // 5]
    padded = np.concatenate([narration, np.zeros(len(narration) * 3, dtype=np.int16)])
    for samples in (truncated, padded):
        assert any("per character" in problem for problem in speech_problems(samples, RATE_HZ, TEXT))


def test_every_crafted_signal_is_rejected_as_a_whole() -> None:
    for samples in (pure_tone(), white_noise(), silence(), syllable_beeps()):
        assert speech_problems(samples, RATE_HZ, TEXT)


def test_float_and_stereo_input_is_accepted(narration: npt.NDArray[np.int16]) -> None:
    as_float = narration.astype(np.float64) / 32768
    stereo = np.stack([as_float, as_float], axis=1)
    assert speech_problems(stereo, RATE_HZ, TEXT) == ()
