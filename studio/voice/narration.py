"""Speak a script sentence by sentence, with durations measured from the audio."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studio.errors import VoiceError
from studio.voice.cache import SpeechCache, synthesize_cached
from studio.voice.engines import run_with_fallback
from studio.voice.normalize import normalize_for_speech
from studio.voice.speech import NarrationTrack, Speech, Voice, VoiceEngine, join_speech


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence: as written (for captions), as said (for the voice), and its audio."""

    text: str
    spoken_text: str
    speech: Speech

    @property
    def duration_s(self) -> float:
        return self.speech.duration_s


@dataclass(frozen=True)
class Narration:
    """Every sentence spoken by one engine: `engine` is the one actually used (for the manifest)."""

    sentences: tuple[SpokenSentence, ...]
    engine: str
    notice: str | None = None

    @property
    def duration_s(self) -> float:
        """Total speech, without pauses between sentences."""
        return sum(sentence.duration_s for sentence in self.sentences)

    def track(self, pause_s: float = 0.3) -> NarrationTrack:
        """All sentences in one track, `pause_s` apart, with each sentence's start time."""
        return join_speech([sentence.speech for sentence in self.sentences], pause_s)


def speak_sentences(
    sentences: Sequence[str],
    voice: Voice,
    *,
    engine: VoiceEngine,
    lexicon: Mapping[str, str] | None = None,
    cache: SpeechCache | None = None,
    fallback: VoiceEngine | None = None,
) -> Narration:
    """Normalise and speak each sentence.

    With a `fallback` engine (e.g. ``get_engine("espeak")``), a failure of `engine` on any
    sentence makes the whole narration speak with the fallback, so one video never mixes
    two engines' voices; the returned notice says so.
    """
    if not sentences:
        raise VoiceError("nothing to narrate: no sentences")
    spoken_texts = [normalize_for_speech(text, voice.lang, lexicon) for text in sentences]

    def speak_all(chosen: VoiceEngine) -> tuple[SpokenSentence, ...]:
        return tuple(
            SpokenSentence(text, spoken, synthesize_cached(chosen, spoken, voice, cache))
            for text, spoken in zip(sentences, spoken_texts, strict=True)
        )

    spoken, used, notice = run_with_fallback(speak_all, engine, fallback, voice.lang)
    return Narration(spoken, used, notice)
