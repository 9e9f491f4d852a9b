"""Speech cache by content hash: a re-render speaks nothing twice."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.errors import VoiceError
from studio.voice.speech import PhonemeEvent, Speech, Voice, VoiceEngine, WordEvent, read_wav, write_atomic, write_wav

# Bump when what an engine makes for the same key changes (new decoding, new timings),
# so old files stop matching instead of being served. 2: phoneme and word events.
CACHE_FORMAT_VERSION = 2


def events_json(speech: Speech) -> bytes:
    """The speech's phoneme and word timings as JSON (the cache's sidecar file)."""
    data = {
        "phonemes": [[event.start_s, event.end_s, event.phoneme] for event in speech.phonemes],
        "words": [[event.start_s, event.end_s, event.text] for event in speech.words],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_events_json(data: bytes) -> tuple[tuple[PhonemeEvent, ...], tuple[WordEvent, ...]]:
    """Read `events_json` back; raise VoiceError when it is not that shape."""
    try:
        parsed: Any = json.loads(data.decode("utf-8"))
        phonemes = tuple(PhonemeEvent(float(a), float(b), str(c)) for a, b, c in parsed["phonemes"])
        words = tuple(WordEvent(float(a), float(b), str(c)) for a, b, c in parsed["words"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise VoiceError(f"speech events are not valid: {exc}") from exc
    return phonemes, words


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

    def events_path(self, key: str) -> Path:
        """The JSON beside the WAV holding its phoneme and word timings (empty lists when none)."""
        return self.folder / f"{key}.events.json"

    def load(self, key: str) -> Speech | None:
        """The cached speech, or None when absent or unreadable (it is then spoken again)."""
        path, events = self.path(key), self.events_path(key)
        if not path.is_file() or not events.is_file():
            return None
        try:
            phonemes, words = parse_events_json(events.read_bytes())
            return replace(read_wav(path), phonemes=phonemes, words=words)
        except (VoiceError, OSError):
            return None

    def store(self, key: str, speech: Speech) -> Path:
        """Write atomically: concurrent renders of the same text never see half a file.

        The WAV goes first and its events second, and a hit needs both, so a crash in
        between leaves a miss, never audio with missing timings.
        """
        path = self.path(key)
        write_wav(speech, path)
        write_atomic(self.events_path(key), events_json(speech))
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
