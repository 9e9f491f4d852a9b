"""Word timings for captions: exact from espeak's library, estimated from audio for other engines."""

from __future__ import annotations

import numpy as np
import pytest

from studio.voice import EspeakEngine, EspeakLibrary, Speech, Voice, normalize_for_speech
from studio.voice.words import estimate_word_events, word_events, written_words

LINES = {
    "ky": "Пара сураган кызматкер тууралуу, ушул код аркылуу кабарлаңыз.",
    "ru": "Если чиновник просит деньги, сообщите об этом по горячей линии.",
}


@pytest.fixture(scope="module")
def engine(espeak_library: EspeakLibrary) -> EspeakEngine:
    return EspeakEngine(espeak_library)


@pytest.mark.parametrize("lang", sorted(LINES))
def test_estimate_from_audio_is_close_to_espeaks_own_timings(engine: EspeakEngine, lang: str) -> None:
    text = LINES[lang]
    speech = engine.synthesize(text, Voice(lang))
    exact = speech.words
    bare = Speech(speech.samples, speech.sample_rate_hz)  # as the espeak program or gTTS give it
    estimate = word_events(text, bare)
    assert estimate == estimate_word_events(text, bare)
    assert [w.text for w in estimate] == [w.text for w in exact] == written_words(text)
    starts = np.array([w.start_s for w in estimate])
    assert np.all(np.diff(starts) > 0)
    assert estimate[0].start_s >= 0 and estimate[-1].end_s <= speech.duration_s
    error = np.abs(starts - np.array([w.start_s for w in exact]))
    assert error.mean() < 0.15, error
    assert error.max() < 0.4, error


def test_written_words_map_onto_a_normalised_spoken_text(engine: EspeakEngine) -> None:
    written = "2024-жылы 15 адам кабарлады."
    spoken = normalize_for_speech(written, "ky")
    speech = engine.synthesize(spoken, Voice("ky"))
    assert len(speech.words) > len(written_words(written))  # numbers said as several words
    events = word_events(written, speech)
    assert [w.text for w in events] == ["2024-жылы", "15", "адам", "кабарлады"]
    starts = [w.start_s for w in events]
    assert starts == sorted(starts) and len(set(starts)) == 4
    assert events[0].start_s == pytest.approx(speech.words[0].start_s)
    assert events[-1].end_s == pytest.approx(speech.words[-1].end_s)
    # "адам" is said after the two numbers: it starts after most of the audio's first half.
    assert events[2].start_s > 0.5 * speech.duration_s


def test_exact_words_pass_through_and_silence_has_no_words(engine: EspeakEngine) -> None:
    text = LINES["ru"]
    speech = engine.synthesize(text, Voice("ru"))
    assert word_events(text, speech) == speech.words
    assert estimate_word_events(text, Speech(np.zeros(22050, np.int16), 22050)) == ()
