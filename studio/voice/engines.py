"""Voice engines by name, and falling back from one to another out loud, never silently."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from studio.errors import VoiceError
from studio.voice.cache import SpeechCache, synthesize_cached
from studio.voice.espeak import EspeakEngine
from studio.voice.gtts_engine import GTTSEngine
from studio.voice.speech import Speech, Voice, VoiceEngine

DEFAULT_ENGINE = "espeak"

ENGINES: Mapping[str, Callable[[], VoiceEngine]] = MappingProxyType(
    {
        "espeak": EspeakEngine.with_backend,
        "gtts": GTTSEngine,
    }
)

T = TypeVar("T")


def get_engine(name: str = DEFAULT_ENGINE) -> VoiceEngine:
    """The engine registered under `name`, with its default settings.

    For other settings construct it directly, e.g. ``EspeakEngine.with_backend("library")``
    or ``GTTSEngine(timeout_s=5)``.
    """
    factory = ENGINES.get(name)
    if factory is None:
        raise VoiceError(f'unknown voice engine "{name}"; known: {", ".join(sorted(ENGINES))}')
    return factory()


def fallback_notice(engine: VoiceEngine, fallback: VoiceEngine, lang: str, error: VoiceError) -> str:
    """The line the CLI prints when speech came from the fallback engine."""
    return f"voice engine {engine.name} failed for {lang} ({error}); spoke with {fallback.name} instead"


def run_with_fallback(
    action: Callable[[VoiceEngine], T], engine: VoiceEngine, fallback: VoiceEngine | None, lang: str
) -> tuple[T, str, str | None]:
    """Run `action` with `engine`; on VoiceError rerun it with `fallback` when one is allowed.

    Returns the result, the name of the engine actually used and a notice (None when no
    fallback happened). Without a fallback the error propagates.
    """
    try:
        return action(engine), engine.name, None
    except VoiceError as error:
        if fallback is None:
            raise
        return action(fallback), fallback.name, fallback_notice(engine, fallback, lang, error)


@dataclass(frozen=True)
class Synthesis:
    """Speech plus the engine that really spoke it (for the manifest) and any fallback notice."""

    speech: Speech
    engine: str
    notice: str | None = None


def synthesize_with_fallback(
    text: str,
    voice: Voice,
    *,
    engine: VoiceEngine,
    fallback: VoiceEngine | None = None,
    cache: SpeechCache | None = None,
) -> Synthesis:
    """Speak `text`; pass ``fallback=get_engine("espeak")`` to allow falling back when `engine` fails."""
    speech, used, notice = run_with_fallback(
        lambda chosen: synthesize_cached(chosen, text, voice, cache), engine, fallback, voice.lang
    )
    return Synthesis(speech, used, notice)
