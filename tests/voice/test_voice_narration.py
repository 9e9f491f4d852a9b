"""Speaking a script: measured durations per sentence, one track, fallback for the whole."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from studio.errors import VoiceError
from studio.voice import (
    EspeakEngine,
    EspeakLibrary,
    GTTSEngine,
    Speech,
    Voice,
    get_engine,
    join_speech,
    read_wav,
    speak_sentences,
    split_sentences,
    write_wav,
)
from studio.voice.analysis import speech_problems

SCRIPT = (
    "Таш-Көмүр шаарынын тургундары, саламатсыздарбы! 2026-жылы бюджеттин 15% жолдорго бөлүндү. "
    "Пара сураса, ишеним телефонуна чалыңыз: 0555 123 456."
)


@dataclass
class FailsOnSecondSentence:
    """An engine that fails midway, like a network that drops during a render."""

    calls: int = 0
    name: str = "flaky"
    languages: frozenset[str] = frozenset({"ky"})

    def voice_id(self, voice: Voice) -> str:
        return voice.lang

    def synthesize(self, text: str, voice: Voice) -> Speech:
        self.calls += 1
        if self.calls == 2:
            raise VoiceError("flaky: connection reset")
        return Speech(np.ones(2205, dtype=np.int16), 22_050)


@pytest.fixture
def espeak(espeak_library: EspeakLibrary) -> EspeakEngine:
    return EspeakEngine(espeak_library)


def test_each_sentence_has_its_measured_duration(espeak: EspeakEngine) -> None:
    narration = speak_sentences(split_sentences(SCRIPT), Voice("ky"), engine=espeak)
    assert [s.text for s in narration.sentences] == split_sentences(SCRIPT)
    assert "эки миң жыйырма алтынчы жылы" in narration.sentences[1].spoken_text
    assert "он беш пайыз" in narration.sentences[1].spoken_text
    assert "нөл, беш жүз элүү беш" in narration.sentences[2].spoken_text
    for sentence in narration.sentences:
        assert sentence.duration_s == len(sentence.speech.samples) / sentence.speech.sample_rate_hz
        assert sentence.duration_s > 1.0
    assert (narration.engine, narration.notice) == ("espeak", None)


def test_track_joins_sentences_with_pauses_at_the_measured_starts(espeak: EspeakEngine) -> None:
    narration = speak_sentences(split_sentences(SCRIPT), Voice("ky", variant="f3"), engine=espeak)
    track = narration.track(pause_s=0.4)
    rate = track.speech.sample_rate_hz
    assert track.starts_s[0] == 0.0
    for index in range(1, len(track.starts_s)):
        gap = track.starts_s[index] - track.starts_s[index - 1] - track.durations_s[index - 1]
        assert gap == pytest.approx(0.4, abs=1 / rate)
    assert track.speech.duration_s == pytest.approx(narration.duration_s + 0.4 * 2, abs=2 / rate)
    assert speech_problems(track.speech.samples, rate, SCRIPT) == ()


def test_fallback_speaks_the_whole_narration_with_one_engine(espeak: EspeakEngine) -> None:
    flaky = FailsOnSecondSentence()
    narration = speak_sentences(["Салам!", "Кандайсыз?", "Рахмат."], Voice("ky"), engine=flaky, fallback=espeak)
    assert narration.engine == "espeak"
    assert narration.notice is not None and "flaky failed for ky" in narration.notice
    assert all(s.speech.sample_rate_hz == 22_050 and s.duration_s > 0.2 for s in narration.sentences)


def test_without_fallback_a_failure_is_raised() -> None:
    with pytest.raises(VoiceError, match="connection reset"):
        speak_sentences(["Салам!", "Кандайсыз?"], Voice("ky"), engine=FailsOnSecondSentence())


def test_nothing_to_narrate_is_an_error(espeak: EspeakEngine) -> None:
    with pytest.raises(VoiceError, match="no sentences"):
        speak_sentences([], Voice("ky"), engine=espeak)


def test_joining_different_sample_rates_is_refused() -> None:
    parts = [Speech(np.zeros(10, dtype=np.int16), 22_050), Speech(np.zeros(10, dtype=np.int16), 24_000)]
    with pytest.raises(VoiceError, match="different sample rates"):
        join_speech(parts)


def test_wav_round_trip_through_a_stream_and_a_path(espeak: EspeakEngine, tmp_path: Path) -> None:
    speech = espeak.synthesize("Салам!", Voice("ky"))
    stream = io.BytesIO()
    write_wav(speech, stream)
    stream.seek(0)
    assert np.array_equal(read_wav(stream).samples, speech.samples)
    write_wav(speech, tmp_path / "out" / "salam.wav")
    back = read_wav(tmp_path / "out" / "salam.wav")
    assert np.array_equal(back.samples, speech.samples) and back.sample_rate_hz == speech.sample_rate_hz
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["salam.wav"]


def test_speech_values_cannot_be_changed_in_place(espeak: EspeakEngine) -> None:
    speech = espeak.synthesize("Салам!", Voice("ky"))
    with pytest.raises(ValueError, match="read-only"):
        speech.samples[0] = 1


def test_registry_by_name() -> None:
    assert isinstance(get_engine(), EspeakEngine)
    assert isinstance(get_engine("espeak"), EspeakEngine)
    assert isinstance(get_engine("gtts"), GTTSEngine)
    with pytest.raises(VoiceError, match=r'unknown voice engine "piper"; known: espeak, gtts'):
        get_engine("piper")
