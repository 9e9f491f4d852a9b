"""The offline voice engine: espeak-ng, through its program or its library.

espeak-ng is GPL-3.0; it stays behind this module. Two backends give the same voices:

- `EspeakProgram` runs Debian's ``espeak-ng`` program (``--stdout`` WAV), the cleanest boundary;
  the program prints no timings, so its speech has no phoneme or word events;
- `EspeakLibrary` loads ``libespeak-ng`` and its voice data from the ``espeakng-loader`` wheel
  through ctypes, so a plain ``pip install`` speaks without any system package; it reports
  each phoneme and word with its sample position (``espeak_SetSynthCallback`` events with the
  PHONEME_EVENTS option), which become `Speech.phonemes` and `Speech.words`.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from studio.errors import VoiceError
from studio.voice.speech import (
    PhonemeEvent,
    Samples,
    Speech,
    Voice,
    WordEvent,
    parse_wav,
    require_text,
    trim_silence,
    unsupported_language,
)

# espeak-ng voice for each language. Kyrgyz must go to "ky": the "ru" voice spells
# Kyrgyz letters (ң ө ү) out by name.
ESPEAK_VOICES: dict[str, str] = {"ky": "ky", "ru": "ru", "en": "en"}

BACKEND_KINDS = ("auto", "program", "library")


class EspeakBackend(Protocol):
    """One way of running espeak-ng."""

    @property
    def name(self) -> str: ...

    def variants(self) -> frozenset[str]:
        """Voice variants (``m3``, ``f3``, …) this backend's data provides."""
        ...

    def render(self, text: str, voice_name: str, rate_wpm: int, pitch: int) -> Speech:
        """Speak `text` with `voice_name` (``"ky"`` or ``"ky+f3"``)."""
        ...


def _variant_names(data_path: Path) -> frozenset[str]:
    folder = data_path / "voices" / "!v"
    if not folder.is_dir():
        raise VoiceError(f"espeak-ng voice data has no variants folder: {folder}")
    return frozenset(entry.name for entry in folder.iterdir() if entry.is_file())


class EspeakProgram:
    """Runs the ``espeak-ng`` program; text goes in on stdin so it is never parsed as options."""

    name = "program"

    def __init__(self, executable: str | None = None, timeout_s: float = 60.0) -> None:
        found = shutil.which(executable or "espeak-ng")
        if found is None:
            raise VoiceError(
                f'espeak-ng program "{executable or "espeak-ng"}" not found on PATH; '
                'install Debian\'s espeak-ng or use the "library" backend'
            )
        self.executable = found
        self.timeout_s = timeout_s
        self._variants: frozenset[str] | None = None

    def _run(self, args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run([self.executable, *args], input=stdin, capture_output=True, timeout=self.timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise VoiceError(f"espeak-ng did not finish within {self.timeout_s} s") from exc
        except OSError as exc:
            raise VoiceError(f"cannot run {self.executable}: {exc.strerror}") from exc

    def data_path(self) -> Path:
        """The voice data folder the program reports in ``--version``."""
        out = self._run(["--version"]).stdout.decode("utf-8", "replace")
        match = re.search(r"Data at:\s*(\S+)", out)
        if match is None:
            raise VoiceError(f"cannot find espeak-ng's data folder in its --version output: {out!r}")
        return Path(match.group(1))

    def variants(self) -> frozenset[str]:
        if self._variants is None:
            self._variants = _variant_names(self.data_path())
        return self._variants

    def render(self, text: str, voice_name: str, rate_wpm: int, pitch: int) -> Speech:
        args = ["-v", voice_name, "-s", str(rate_wpm), "-p", str(pitch), "-b", "1", "--stdout", "--stdin"]
        done = self._run(args, stdin=text.encode("utf-8"))
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
            raise VoiceError(f'espeak-ng failed for voice "{voice_name}": {detail}')
        return parse_wav(done.stdout)


# --- the library, through ctypes -------------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_ESPEAK_PITCH = 3
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_INITIALIZE_PHONEME_EVENTS = 0x0001
# espeak_EVENT_TYPE values (speak_lib.h).
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_END = 5
_EVENT_MSG_TERMINATED = 6
_EVENT_PHONEME = 7


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    """espeak_EVENT: `sample` is the event's position in the audio, in samples."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class _RawEvent:
    kind: int
    sample: int
    text_position: int = 0
    length: int = 0
    phoneme: str = ""


_WORD = re.compile(r"\S+")
_PUNCTUATION = ".,;:!?…—–-\"'«»„“”()[]"


def _is_pause(phoneme: str) -> bool:
    # espeak-ng's pause pseudo-phonemes ("_", "_:", "_!", "_;" …) and language switches ("(en)").
    return phoneme.startswith(("_", "("))


def _spans_from_events(
    raw: list[_RawEvent], text: str, total_samples: int, rate: int
) -> tuple[tuple[PhonemeEvent, ...], tuple[WordEvent, ...]]:
    """Turn espeak's point events into spans: a phoneme lasts until the next event, a word
    from its first phoneme until the next word or pause, whichever comes first."""
    raw = sorted(raw, key=lambda event: event.sample)
    marks = [event for event in raw if event.kind == _EVENT_PHONEME]
    phonemes: list[PhonemeEvent] = []
    for index, mark in enumerate(marks):
        if _is_pause(mark.phoneme):
            continue
        end = marks[index + 1].sample if index + 1 < len(marks) else total_samples
        if end > mark.sample:
            phonemes.append(PhonemeEvent(mark.sample / rate, min(end, total_samples) / rate, mark.phoneme))
    pauses = [mark.sample for mark in marks if _is_pause(mark.phoneme)]
    word_marks = [event for event in raw if event.kind == _EVENT_WORD and event.length > 0]
    spans: list[tuple[int, int, int]] = []  # (text position, start sample, end sample)
    for index, mark in enumerate(word_marks):
        end = total_samples
        if index + 1 < len(word_marks):
            end = word_marks[index + 1].sample
        # The word's last sound ends where the first pause after its first sound begins.
        voiced = [p for p in phonemes if p.start_s * rate >= mark.sample and p.start_s * rate < end]
        later_pauses = [sample for sample in pauses if sample > mark.sample]
        if voiced and later_pauses:
            end = min(end, max(later_pauses[0], round(voiced[0].end_s * rate)))
        # …and starts with its first sound, not at the mark espeak sets before a pause.
        start = round(voiced[0].start_s * rate) if voiced else mark.sample
        if end > start:
            spans.append((mark.text_position, start, min(end, total_samples)))
    return tuple(phonemes), _words_of_text(text, spans, rate)


def _words_of_text(text: str, spans: list[tuple[int, int, int]], rate: int) -> tuple[WordEvent, ...]:
    """One WordEvent per written word, whatever espeak grouped.

    espeak joins some words to the next (English "the hotline") and splits others
    ("QR-код"); captions need the words as written. A written word with no mark of its own
    shares the time of the next mark (the one it was joined to), split by letters.
    """
    tokens = [(match.start() + 1, match.group().strip(_PUNCTUATION)) for match in _WORD.finditer(text)]
    tokens = [(position, word) for position, word in tokens if word]
    if not tokens or not spans:
        return ()
    groups: dict[int, list[str]] = {}
    span_of: dict[int, tuple[int, int]] = {}
    pending: list[str] = []
    for index, (position, word) in enumerate(tokens):
        next_position = tokens[index + 1][0] if index + 1 < len(tokens) else len(text) + 1
        mine = [(start, end) for pos, start, end in spans if position <= pos < next_position]
        pending.append(word)
        if mine:
            span_of[index] = (min(start for start, _ in mine), max(end for _, end in mine))
            groups[index] = pending
            pending = []
    if pending:  # trailing words espeak gave no mark: they share the last mark's time
        last = max(groups)
        groups[last] = groups[last] + pending
    words: list[WordEvent] = []
    for index in sorted(groups):
        start, end = span_of[index]
        group = groups[index]
        letters = sum(len(word) for word in group)
        at = float(start)
        for word in group:
            step = (end - start) * len(word) / letters
            words.append(WordEvent(at / rate, (at + step) / rate, word))
            at += step
    return tuple(words)


class _VoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


class _LoadedLibrary:
    """libespeak-ng initialised once: its state is process-wide, so every call holds `lock`."""

    def __init__(self, library_path: str, data_path: str) -> None:
        try:
            lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise VoiceError(f"cannot load libespeak-ng from {library_path}: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_VoiceStruct)
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _INITIALIZE_PHONEME_EVENTS)
        if rate <= 0:
            raise VoiceError(f"libespeak-ng failed to initialise with voice data at {data_path}")
        self.lib = lib
        self.library_path = library_path
        self.data_path = data_path
        self.sample_rate_hz = rate
        self.lock = threading.Lock()
        self._chunks: list[Samples] = []
        self._events: list[_RawEvent] = []
        # Kept on the instance: ctypes would free a callback that nothing references.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.int16))
        if events:
            index = 0
            while (event := events[index]).type != _EVENT_LIST_TERMINATED:
                if event.type == _EVENT_PHONEME:
                    symbol = event.id.string.decode("utf-8", "replace").lstrip("',")
                    self._events.append(_RawEvent(_EVENT_PHONEME, event.sample, phoneme=symbol))
                elif event.type == _EVENT_WORD:
                    self._events.append(_RawEvent(_EVENT_WORD, event.sample, event.text_position, event.length))
                index += 1
        return 0

    def select_voice(self, voice_name: str) -> str:
        """Select a voice; return the voice file espeak-ng loaded (e.g. ``trk/ky+f3``). Hold `lock`."""
        status = self.lib.espeak_SetVoiceByName(voice_name.encode())
        if status != 0:
            raise VoiceError(f'libespeak-ng has no voice "{voice_name}" (status {status})')
        current = self.lib.espeak_GetCurrentVoice()
        identifier = current.contents.identifier if current else None
        return identifier.decode() if identifier else ""

    def render(self, text: str, voice_name: str, rate_wpm: int, pitch: int) -> Speech:
        encoded = text.encode("utf-8") + b"\0"
        with self.lock:
            self.select_voice(voice_name)
            # Set after the voice: selecting a voice may reset its parameters.
            self.lib.espeak_SetParameter(_ESPEAK_RATE, rate_wpm, 0)
            self.lib.espeak_SetParameter(_ESPEAK_PITCH, pitch, 0)
            self._chunks = []
            self._events = []
            status = self.lib.espeak_Synth(encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            self.lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
            raw, self._events = self._events, []
        if status != 0:
            raise VoiceError(f'libespeak-ng failed to speak with voice "{voice_name}" (status {status})')
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        phonemes, words = _spans_from_events(raw, text, len(samples), self.sample_rate_hz)
        return Speech(samples, self.sample_rate_hz, phonemes, words)


_LOADED: dict[str, _LoadedLibrary] = {}
_LOAD_LOCK = threading.Lock()


def _load_library(library_path: str, data_path: str) -> _LoadedLibrary:
    with _LOAD_LOCK:
        loaded = _LOADED.get(library_path)
        if loaded is None:
            loaded = _LOADED[library_path] = _LoadedLibrary(library_path, data_path)
        elif Path(loaded.data_path) != Path(data_path):
            raise VoiceError(
                f"libespeak-ng at {library_path} is already initialised with voice data at "
                f"{loaded.data_path}; it cannot switch to {data_path} in the same process"
            )
        return loaded


class EspeakLibrary:
    """Calls libespeak-ng in-process; by default the copy shipped in the espeakng-loader wheel.

    The library keeps one global state per process: calls are serialised by a lock, it is
    initialised once with one voice-data folder, and parallel speech needs processes.
    """

    name = "library"

    def __init__(self, library_path: str | None = None, data_path: str | None = None) -> None:
        if library_path is None or data_path is None:
            try:
                import espeakng_loader
            except ImportError as exc:
                raise VoiceError("the espeakng-loader package is not installed; it ships libespeak-ng") from exc
            library_path = library_path or espeakng_loader.get_library_path()
            data_path = data_path or espeakng_loader.get_data_path()
        self.library_path = library_path
        self.data_path = data_path

    def _loaded(self) -> _LoadedLibrary:
        # Loaded on first use, not at construction, so building an engine costs nothing.
        return _load_library(self.library_path, self.data_path)

    def variants(self) -> frozenset[str]:
        return _variant_names(Path(self.data_path))

    def voice_file(self, voice_name: str) -> str:
        """The voice file libespeak-ng loads for `voice_name` (``"ky+f3"`` → ``"trk/ky+f3"``)."""
        loaded = self._loaded()
        with loaded.lock:
            return loaded.select_voice(voice_name)

    def render(self, text: str, voice_name: str, rate_wpm: int, pitch: int) -> Speech:
        return self._loaded().render(text, voice_name, rate_wpm, pitch)


def espeak_backend(kind: str = "auto") -> EspeakBackend:
    """Pick a backend: ``program``, ``library``, or ``auto`` (the program when on PATH, else the library)."""
    if kind == "program":
        return EspeakProgram()
    if kind == "library":
        return EspeakLibrary()
    if kind == "auto":
        return EspeakProgram() if shutil.which("espeak-ng") else EspeakLibrary()
    raise VoiceError(f'unknown espeak backend "{kind}"; known: {", ".join(BACKEND_KINDS)}')


@dataclass(frozen=True)
class EspeakEngine:
    """Offline speech in ky, ru and en through espeak-ng (22.05 kHz mono)."""

    backend: EspeakBackend

    name = "espeak"
    languages = frozenset(ESPEAK_VOICES)

    @classmethod
    def with_backend(cls, kind: str = "auto") -> EspeakEngine:
        return cls(espeak_backend(kind))

    def voice_id(self, voice: Voice) -> str:
        if voice.lang not in ESPEAK_VOICES:
            raise unsupported_language(self.name, voice.lang, self.languages)
        base = ESPEAK_VOICES[voice.lang]
        return f"{base}+{voice.variant}" if voice.variant else base

    def synthesize(self, text: str, voice: Voice) -> Speech:
        require_text(self.name, text)
        voice_name = self.voice_id(voice)
        if voice.variant:
            known = self.backend.variants()
            if voice.variant not in known:
                # espeak-ng silently ignores an unknown variant: refuse it instead.
                raise VoiceError(f'espeak voice variant "{voice.variant}" not found; known: {", ".join(sorted(known))}')
        # One line of text: the program reads stdin line by line and would pause at breaks.
        flat = " ".join(text.split())
        speech = self.backend.render(flat, voice_name, voice.rate_wpm, voice.pitch)
        if len(speech.samples) == 0:
            raise VoiceError(f'espeak ({self.backend.name}) produced no audio for voice "{voice_name}"')
        return trim_silence(speech)
