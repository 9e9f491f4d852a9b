"""Phoneme and word timings from espeak-ng's library: real speech, checked against its audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.voice import EspeakEngine, EspeakLibrary, EspeakProgram, SpeechCache, Voice, synthesize_cached
from studio.voice.speech import PhonemeEvent, Speech, WordEvent, join_speech, trim_silence

SENTENCES = {
    "ky": "Пара сураган кызматкер тууралуу ушул QR код аркылуу кабарлаңыз.",
    "ru": "Если чиновник просит деньги, сообщите об этом по горячей линии.",
    "en": "If an official asks you for money, report it on the hotline.",
}


def loud_frames(speech: Speech, floor_dbfs: float = -30.0) -> np.ndarray:
    """Indices of the 10 ms frames whose level is above `floor_dbfs`."""
    frame = speech.sample_rate_hz // 100
    count = len(speech.samples) // frame
    blocks = speech.samples[: count * frame].astype(np.float64).reshape(count, frame) / 32768
    return np.flatnonzero(20 * np.log10(np.sqrt(np.mean(blocks**2, axis=1)) + 1e-9) >= floor_dbfs)


@pytest.fixture(scope="module")
def engine(espeak_library: EspeakLibrary) -> EspeakEngine:
    return EspeakEngine(espeak_library)


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_words_are_the_sentence_in_order_inside_the_audio(engine: EspeakEngine, lang: str) -> None:
    text = SENTENCES[lang]
    speech = engine.synthesize(text, Voice(lang))
    assert [word.text for word in speech.words] == [token.strip(".,") for token in text.split()]
    starts = [word.start_s for word in speech.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for word in speech.words:
        assert 0 <= word.start_s < word.end_s <= speech.duration_s
    # The last word ends near the end of the (trimmed) audio, the first starts near its start.
    assert speech.words[0].start_s < 0.1
    assert speech.duration_s - speech.words[-1].end_s < 0.1


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_phonemes_cover_the_voiced_part(engine: EspeakEngine, lang: str) -> None:
    speech = engine.synthesize(SENTENCES[lang], Voice(lang))
    assert len(speech.phonemes) > 20
    assert all(not event.phoneme.startswith(("_", "'", ",")) for event in speech.phonemes)
    covered = np.zeros(int(speech.duration_s * 100) + 1, dtype=bool)
    for event in speech.phonemes:
        covered[int(event.start_s * 100) : int(np.ceil(event.end_s * 100))] = True
    loud = loud_frames(speech)
    assert covered[loud].mean() > 0.97
    # …and the pause after the comma is left out.
    assert covered.mean() < 0.98
    ends = [event.end_s for event in speech.phonemes]
    assert ends == sorted(ends)


def test_the_program_reports_no_events_and_the_library_does(
    espeak_program: EspeakProgram, espeak_library: EspeakLibrary
) -> None:
    text = SENTENCES["ky"]
    program = EspeakEngine(espeak_program).synthesize(text, Voice("ky"))
    library = EspeakEngine(espeak_library).synthesize(text, Voice("ky"))
    assert program.phonemes == () and program.words == ()
    assert library.has_events and not program.has_events


def test_trimming_and_joining_move_events_with_the_audio() -> None:
    rate = 1000
    voiced = np.full(500, 8000, dtype=np.int16)
    padded = np.concatenate([np.zeros(1000, np.int16), voiced, np.zeros(1000, np.int16)])
    speech = Speech(padded, rate, (PhonemeEvent(1.0, 1.5, "a"),), (WordEvent(1.0, 1.5, "a"),))
    trimmed = trim_silence(speech, keep_s=0.1)
    assert trimmed.phonemes == (PhonemeEvent(pytest.approx(0.1), pytest.approx(0.6), "a"),)
    track = join_speech([trimmed, trimmed], pause_s=0.3)
    assert [event.start_s for event in track.speech.words] == pytest.approx([0.1, 0.1 + 0.7 + 0.3])
    assert track.speech.words[1].end_s <= track.speech.duration_s


def test_cache_keeps_the_events_and_a_lost_events_file_is_a_miss(engine: EspeakEngine, tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    first = synthesize_cached(engine, SENTENCES["ru"], Voice("ru"), cache)
    key = cache.key(engine, Voice("ru"), SENTENCES["ru"])
    hit = cache.load(key)
    assert hit is not None and hit.words == first.words and hit.phonemes == first.phonemes
    cache.events_path(key).write_text("{not json", encoding="utf-8")
    assert cache.load(key) is None
    cache.events_path(key).unlink()
    assert cache.load(key) is None
