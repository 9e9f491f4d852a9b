"""Speech values, the voice-engine interface, and WAV reading and writing.

A `Speech` carries, besides its samples, the timed `phonemes` and `words` the engine
reported (espeak-ng's library does; engines that cannot give them leave both empty and
lip-sync and captions fall back to the audio). Times are seconds from the start of
that Speech's own samples: `trim_silence` and `join_speech` shift them with the audio.
"""

from __future__ import annotations

import io
import re
import struct
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from studio import files
from studio.errors import VoiceError

Samples = npt.NDArray[np.int16]

# espeak-ng's own limits for -s (words per minute) and -p (pitch).
RATE_WPM_RANGE = (80, 450)
PITCH_RANGE = (0, 99)
_LANG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_VARIANT = re.compile(r"[A-Za-z0-9_]*")


@dataclass(frozen=True)
class Voice:
    """How to speak: language, voice variant, speed and pitch.

    `variant` names an espeak-ng voice variant (``"m3"``, ``"f3"``, …; empty for the
    language's default voice), so a dialogue can use two clearly different voices.
    Engines that have no such settings (gTTS) ignore variant, rate and pitch.
    """

    lang: str
    variant: str = ""
    rate_wpm: int = 160
    pitch: int = 50

    def __post_init__(self) -> None:
        if not _LANG.fullmatch(self.lang):
            raise VoiceError(f'invalid language code "{self.lang}"; expected e.g. ky, ru, en')
        if not _VARIANT.fullmatch(self.variant):
            raise VoiceError(f'invalid voice variant "{self.variant}"; expected e.g. m3, f3')
        low, high = RATE_WPM_RANGE
        if not low <= self.rate_wpm <= high:
            raise VoiceError(f"rate_wpm {self.rate_wpm} out of range; allowed: {low} .. {high}")
        low, high = PITCH_RANGE
        if not low <= self.pitch <= high:
            raise VoiceError(f"pitch {self.pitch} out of range; allowed: {low} .. {high}")


@dataclass(frozen=True)
class PhonemeEvent:
    """One phoneme as the engine spoke it: `phoneme` is espeak-ng's mnemonic without stress marks.

    Pauses are not phonemes: the voiced part of the audio is covered, silences are gaps.
    """

    start_s: float
    end_s: float
    phoneme: str


@dataclass(frozen=True)
class WordEvent:
    """One word of the text as written (``"25"``, not ``"жыйырма беш"``) and when it is said."""

    start_s: float
    end_s: float
    text: str


TimedEvent = TypeVar("TimedEvent", PhonemeEvent, WordEvent)


def shift_events(events: Sequence[TimedEvent], offset_s: float, duration_s: float) -> tuple[TimedEvent, ...]:
    """Move events by `offset_s` and clip them to 0 .. `duration_s`; events left empty are dropped."""
    shifted: list[TimedEvent] = []
    for event in events:
        start = min(max(event.start_s + offset_s, 0.0), duration_s)
        end = min(max(event.end_s + offset_s, 0.0), duration_s)
        if end > start:
            shifted.append(replace(event, start_s=start, end_s=end))
    return tuple(shifted)


@dataclass(frozen=True, eq=False)
class Speech:
    """Mono 16-bit PCM audio; its duration is measured from the samples, never estimated.

    `phonemes` and `words` are the engine's own timings, relative to the first sample,
    in time order; both are empty when the engine cannot report them (gTTS, the
    espeak-ng program).
    """

    samples: Samples
    sample_rate_hz: int
    phonemes: tuple[PhonemeEvent, ...] = ()
    words: tuple[WordEvent, ...] = ()

    def __post_init__(self) -> None:
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise VoiceError(f"speech samples must be 1-D int16, got {self.samples.ndim}-D {self.samples.dtype}")
        if self.sample_rate_hz <= 0:
            raise VoiceError(f"invalid sample rate {self.sample_rate_hz} Hz")
        # A read-only view keeps the value immutable even though numpy arrays are not.
        frozen = self.samples.view()
        frozen.flags.writeable = False
        object.__setattr__(self, "samples", frozen)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate_hz

    @property
    def has_events(self) -> bool:
        """True when the engine reported phoneme timings (lip-sync can use them)."""
        return bool(self.phonemes)


class VoiceEngine(Protocol):
    """A text-to-speech engine: one language-aware `synthesize` call."""

    @property
    def name(self) -> str:
        """Registry name, recorded in the manifest as the voice engine used."""
        ...

    @property
    def languages(self) -> frozenset[str]:
        """Language codes this engine can speak."""
        ...

    def voice_id(self, voice: Voice) -> str:
        """Identify the voice independently of the backend (part of the cache key)."""
        ...

    def synthesize(self, text: str, voice: Voice) -> Speech:
        """Speak `text`; raise VoiceError when it cannot."""
        ...


def unsupported_language(engine: str, lang: str, languages: Iterable[str]) -> VoiceError:
    """The error for a language an engine cannot speak, listing the ones it can."""
    known = ", ".join(sorted(languages))
    return VoiceError(f'voice engine "{engine}" cannot speak language "{lang}"; it speaks: {known}')


def require_text(engine: str, text: str) -> str:
    """Reject empty text up front: engines either fail obscurely or return silence."""
    if not text.strip():
        raise VoiceError(f'voice engine "{engine}": nothing to say (empty text)')
    return text


def silence(duration_s: float, sample_rate_hz: int) -> Speech:
    """Digital silence of the given length."""
    return Speech(np.zeros(round(duration_s * sample_rate_hz), dtype=np.int16), sample_rate_hz)


def trim_silence(speech: Speech, floor_dbfs: float = -50.0, keep_s: float = 0.05) -> Speech:
    """Cut silence before and after the voice, keeping `keep_s` of margin on each side.

    Engines end an utterance differently (the espeak-ng program adds ~0.35 s of pause,
    the library none, MP3 has encoder padding); trimmed, the same text lasts the same
    whatever produced it, and pauses between sentences are set by `join_speech` alone.
    """
    frame = max(1, round(speech.sample_rate_hz * 0.01))
    count = len(speech.samples) // frame
    if count == 0:
        return speech
    frames = speech.samples[: count * frame].astype(np.float64).reshape(count, frame) / 32768
    loud = np.flatnonzero(np.sqrt(np.mean(frames**2, axis=1)) >= 10 ** (floor_dbfs / 20))
    if len(loud) == 0:
        return speech
    margin = round(keep_s * speech.sample_rate_hz)
    start = max(0, int(loud[0]) * frame - margin)
    end = min(len(speech.samples), (int(loud[-1]) + 1) * frame + margin)
    offset = -start / speech.sample_rate_hz
    duration = (end - start) / speech.sample_rate_hz
    return Speech(
        speech.samples[start:end].copy(),
        speech.sample_rate_hz,
        phonemes=shift_events(speech.phonemes, offset, duration),
        words=shift_events(speech.words, offset, duration),
    )


@dataclass(frozen=True, eq=False)
class NarrationTrack:
    """Sentences joined into one track, with where each sentence starts and how long it lasts."""

    speech: Speech
    starts_s: tuple[float, ...]
    durations_s: tuple[float, ...]


def join_speech(parts: Sequence[Speech], pause_s: float = 0.3) -> NarrationTrack:
    """Concatenate speech with `pause_s` of silence between parts (none before or after).

    Start times come from sample counts, so captions placed on them match the audio exactly;
    each part's phoneme and word events are moved to where that part starts in the track.
    """
    if not parts:
        raise VoiceError("cannot join an empty list of speech")
    if pause_s < 0:
        raise VoiceError(f"pause_s must be >= 0, got {pause_s}")
    rates = {part.sample_rate_hz for part in parts}
    if len(rates) != 1:
        raise VoiceError(f"cannot join speech of different sample rates: {sorted(rates)} Hz")
    rate = rates.pop()
    gap = np.zeros(round(pause_s * rate), dtype=np.int16)
    pieces: list[Samples] = []
    starts: list[float] = []
    phonemes: list[PhonemeEvent] = []
    words: list[WordEvent] = []
    position = 0
    for index, part in enumerate(parts):
        if index:
            pieces.append(gap)
            position += len(gap)
        start_s = position / rate
        starts.append(start_s)
        pieces.append(part.samples)
        position += len(part.samples)
        end_s = position / rate
        phonemes.extend(shift_events(part.phonemes, start_s, end_s))
        words.extend(shift_events(part.words, start_s, end_s))
    return NarrationTrack(
        speech=Speech(np.concatenate(pieces), rate, tuple(phonemes), tuple(words)),
        starts_s=tuple(starts),
        durations_s=tuple(part.duration_s for part in parts),
    )


def parse_wav(data: bytes) -> Speech:
    """Read mono 16-bit PCM WAV bytes.

    Tolerant of the header espeak-ng writes to a pipe, whose RIFF and data sizes are
    placeholders (0x7ffff000): the data chunk is taken up to the end of the bytes.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise VoiceError("not a WAV file (no RIFF/WAVE header)")
    offset = 12
    channels = bits = rate = fmt_tag = 0
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        body = offset + 8
        if chunk_id == b"fmt ":
            fmt_tag, channels, rate = struct.unpack_from("<HHI", data, body)
            (bits,) = struct.unpack_from("<H", data, body + 14)
        elif chunk_id == b"data":
            if (fmt_tag, channels, bits) != (1, 1, 16):
                raise VoiceError(
                    f"unsupported WAV format (tag {fmt_tag}, {channels} channels, {bits} bits); "
                    "expected mono 16-bit PCM"
                )
            end = min(body + size, len(data))
            end -= (end - body) % 2
            samples = np.frombuffer(data[body:end], dtype="<i2").astype(np.int16)
            return Speech(samples, rate)
        offset = body + size + (size % 2)
    raise VoiceError("WAV file has no data chunk")


def read_wav(source: Path | BinaryIO) -> Speech:
    """Read a mono 16-bit PCM WAV file from a path or a binary stream."""
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise VoiceError(f"{source}: cannot read WAV: {exc.strerror}") from exc
        return parse_wav(data)
    return parse_wav(source.read())


def wav_bytes(speech: Speech) -> bytes:
    """Encode speech as a mono 16-bit PCM WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(speech.sample_rate_hz)
        out.writeframes(speech.samples.astype("<i2").tobytes())
    return buffer.getvalue()


def write_wav(speech: Speech, dest: Path | BinaryIO) -> None:
    """Write speech as WAV to a stream, or atomically to a path (temporary file, then rename)."""
    data = wav_bytes(speech)
    if isinstance(dest, Path):
        write_atomic(dest, data)
    else:
        dest.write(data)


def write_atomic(dest: Path, data: bytes) -> None:
    """Write bytes beside `dest` and rename into place, so a crash never leaves half a file."""
    files.write_atomic(dest, data, error=VoiceError)
