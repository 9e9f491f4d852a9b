"""The voice layer: text to speech for explainer videos, in Kyrgyz, Russian and English.

Pipeline: `split_sentences` → `normalize_for_speech` → an engine (`get_engine`, espeak-ng
offline by default, gTTS online) through a `SpeechCache` → `Narration` with measured
durations → one track (`Narration.track`). Importing this package loads no engine.
"""

from __future__ import annotations

from studio.voice.cache import CACHE_FORMAT_VERSION, SpeechCache, synthesize_cached
from studio.voice.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    Synthesis,
    get_engine,
    run_with_fallback,
    synthesize_with_fallback,
)
from studio.voice.espeak import EspeakEngine, EspeakLibrary, EspeakProgram, espeak_backend
from studio.voice.gtts_engine import GTTSEngine
from studio.voice.narration import Narration, SpokenSentence, speak_sentences
from studio.voice.normalize import LANGUAGES, apply_lexicon, fold_lookalikes, normalize_for_speech
from studio.voice.sentences import split_sentences
from studio.voice.speech import (
    NarrationTrack,
    PhonemeEvent,
    Speech,
    Voice,
    VoiceEngine,
    WordEvent,
    join_speech,
    read_wav,
    trim_silence,
    wav_bytes,
    write_wav,
)
from studio.voice.words import estimate_word_events, word_events, written_words

__all__ = [
    "CACHE_FORMAT_VERSION",
    "DEFAULT_ENGINE",
    "ENGINES",
    "LANGUAGES",
    "EspeakEngine",
    "EspeakLibrary",
    "EspeakProgram",
    "GTTSEngine",
    "Narration",
    "NarrationTrack",
    "PhonemeEvent",
    "SpokenSentence",
    "Speech",
    "SpeechCache",
    "Synthesis",
    "Voice",
    "VoiceEngine",
    "WordEvent",
    "apply_lexicon",
    "espeak_backend",
    "fold_lookalikes",
    "get_engine",
    "join_speech",
    "normalize_for_speech",
    "read_wav",
    "run_with_fallback",
    "speak_sentences",
    "split_sentences",
    "synthesize_cached",
    "synthesize_with_fallback",
    "trim_silence",
    "wav_bytes",
    "estimate_word_events",
    "word_events",
    "write_wav",
    "written_words",
]
