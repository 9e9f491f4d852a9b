"""Speech cache by content hash: a re-render speaks nothing twice."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from studio.errors import VoiceError
from studio.voice.speech import Speech, Voice, VoiceEngine, read_wav, write_wav

# Bump when the audio an engine makes for the same key changes (e.g. new decoding),
# so old files stop matching instead of being served.
CACHE_FORMAT_VERSION = 1


@dataclass(frozen=True)
class SpeechCache:
    """WAV files named by the hash of everything that decides how they sound.

    The key covers engine name, backend-independent voice id, rate, pitch, the exact
    (normalised) text and the cache format version; the espeak backend (program or
    library) is deliberately not part of it, as both speak with the same voices.
    """

    folder: Path

    def key(self, engine: VoiceEngine, voice: Voice, text: str) -> str:
        identity = {
            "format": CACHE_FORMAT_VERSION,
            "engine": engine.name,
            "voice": engine.voice_id(voice),
            "rate_wpm": voice.rate_wpm,
            "pitch": voice.pitch,
            "text": text,
        }
        encoded = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def load(self, key: str) -> Speech | None:
        """The cached speech, or None when absent or unreadable (it is then spoken again)."""
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            return read_wav(path)
        except VoiceError:
            return None

    def store(self, key: str, speech: Speech) -> Path:
        """Write atomically: concurrent renders of the same text never see half a file."""
        path = self.path(key)
        write_wav(speech, path)
        return path


def synthesize_cached(engine: VoiceEngine, text: str, voice: Voice, cache: SpeechCache | None) -> Speech:
    """Speak through `cache` when one is given: a hit returns the stored WAV without the engine."""
    if cache is None:
        return engine.synthesize(text, voice)
    key = cache.key(engine, voice, text)
    cached = cache.load(key)
    if cached is not None:
        return cached
    speech = engine.synthesize(text, voice)
    cache.store(key, speech)
    return speech
