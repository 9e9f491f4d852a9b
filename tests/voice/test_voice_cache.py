"""The speech cache: a re-render speaks nothing twice; any change in what is said misses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from studio.voice import (
    EspeakEngine,
    EspeakLibrary,
    EspeakProgram,
    Speech,
    SpeechCache,
    Voice,
    speak_sentences,
    synthesize_cached,
)
from studio.voice import cache as cache_module

TEXT = "Коррупция тууралуу кабарлаңыз."


@dataclass
class CountingEngine:
    """A real engine that counts how often it is asked to speak."""

    inner: EspeakEngine
    calls: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def languages(self) -> frozenset[str]:
        return self.inner.languages

    def voice_id(self, voice: Voice) -> str:
        return self.inner.voice_id(voice)

    def synthesize(self, text: str, voice: Voice) -> Speech:
        self.calls += 1
        return self.inner.synthesize(text, voice)


@pytest.fixture
def engine(espeak_library: EspeakLibrary) -> CountingEngine:
    return CountingEngine(EspeakEngine(espeak_library))


def test_second_synthesis_of_the_same_text_hits_the_cache(engine: CountingEngine, tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    first = synthesize_cached(engine, TEXT, Voice("ky"), cache)
    second = synthesize_cached(engine, TEXT, Voice("ky"), cache)
    assert engine.calls == 1
    assert np.array_equal(first.samples, second.samples)
    assert second.sample_rate_hz == first.sample_rate_hz
    assert sorted(path.name.split(".", 1)[1] for path in (tmp_path / "speech").iterdir()) == [
        "events.json",
        "wav",
    ]  # no temporary left
    assert second.words == first.words and len(second.words) == len(TEXT.split())
    assert second.phonemes == first.phonemes


@pytest.mark.parametrize(
    "changed",
    [
        Voice("ky", rate_wpm=180),
        Voice("ky", pitch=60),
        Voice("ky", variant="f3"),
    ],
    ids=["rate", "pitch", "variant"],
)
def test_a_different_voice_setting_misses(engine: CountingEngine, tmp_path: Path, changed: Voice) -> None:
    cache = SpeechCache(tmp_path)
    synthesize_cached(engine, TEXT, Voice("ky"), cache)
    synthesize_cached(engine, TEXT, changed, cache)
    assert engine.calls == 2


def test_different_text_misses(engine: CountingEngine, tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    synthesize_cached(engine, TEXT, Voice("ky"), cache)
    synthesize_cached(engine, TEXT + " Рахмат.", Voice("ky"), cache)
    assert engine.calls == 2


def test_the_espeak_backend_is_not_part_of_the_key(
    espeak_program: EspeakProgram, espeak_library: EspeakLibrary, tmp_path: Path
) -> None:
    cache = SpeechCache(tmp_path)
    voice = Voice("ky", variant="m3")
    assert cache.key(EspeakEngine(espeak_program), voice, TEXT) == cache.key(EspeakEngine(espeak_library), voice, TEXT)


def test_a_new_cache_format_version_misses(
    engine: CountingEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = SpeechCache(tmp_path)
    before = cache.key(engine, Voice("ky"), TEXT)
    monkeypatch.setattr(cache_module, "CACHE_FORMAT_VERSION", cache_module.CACHE_FORMAT_VERSION + 1)
    assert cache.key(engine, Voice("ky"), TEXT) != before


def test_an_unreadable_cache_file_is_spoken_again(engine: CountingEngine, tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.path(cache.key(engine, Voice("ky"), TEXT)).write_bytes(b"RIFF....")
    speech = synthesize_cached(engine, TEXT, Voice("ky"), cache)
    assert engine.calls == 1 and speech.duration_s > 0.5
    assert synthesize_cached(engine, TEXT, Voice("ky"), cache).duration_s == speech.duration_s
    assert engine.calls == 1


def test_re_rendering_a_narration_speaks_nothing_twice(engine: CountingEngine, tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    sentences = ["Салам!", "2026-жылы шайлоо болот.", "Коррупция тууралуу кабарлаңыз."]
    first = speak_sentences(sentences, Voice("ky"), engine=engine, cache=cache)
    again = speak_sentences(sentences, Voice("ky"), engine=engine, cache=cache)
    assert engine.calls == len(sentences)
    assert [s.duration_s for s in again.sentences] == [s.duration_s for s in first.sentences]
