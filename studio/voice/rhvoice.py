"""Natural offline voices: RHVoice (Kyrgyz Azamat and Nazgul, Russian Aleksandr, Anna, Elena, Irina, …).

RHVoice is called in-process through its C library (``libRHVoice.so.5``, Debian ``librhvoice5``) with
ctypes rather than by running ``RHVoice-test``: the library loads each voice once per process (the program
reloads it for every sentence), and its word callbacks arrive between the audio chunks, so every word's
start and end are known to the sample — the program gives only a WAV file. ``tools/install-voices.sh``
installs it on Debian and Ubuntu; where it is absent, campaigns speak with espeak-ng instead.

Voices are licensed one by one (the packages' copyright files): the defaults are LGPL voices only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from studio.errors import VoiceError
from studio.voice.speech import Samples, Speech, Voice, WordEvent, require_text, trim_silence

DATA_PATH = Path("/usr/share/RHVoice")
CONFIG_PATH = Path("/etc/RHVoice")
COPYRIGHT_FILES = ("/usr/share/doc/rhvoice-kyrgyz/copyright", "/usr/share/doc/rhvoice-russian/copyright")
LIBRARY_NAMES = ("libRHVoice.so.5", "libRHVoice.so")
INSTALL_HINT = "for natural Kyrgyz and Russian voices run: sudo sh tools/install-voices.sh"
#: Set to 1 to speak with espeak even where RHVoice is installed (to compare, or to match older renders).
DISABLE_ENV = "TAZA_NO_RHVOICE"

#: The voices a campaign may use without thinking about licences: LGPL-2.1+, like the engine.
FREE_LICENCES = frozenset({"LGPL-2.1+"})

#: What the packages' copyright files say (read again at run time where they are installed), with each
#: voice's gender, so an espeak fallback can keep a male voice male and a female voice female.
KNOWN_VOICES: dict[str, tuple[str, str, str]] = {
    # name: (language, gender, licence)
    "azamat": ("ky", "male", "LGPL-2.1+"),
    "nazgul": ("ky", "female", "LGPL-2.1+"),
    "aleksandr": ("ru", "male", "LGPL-2.1+"),
    "anna": ("ru", "female", "LGPL-2.1+"),
    "elena": ("ru", "female", "LGPL-2.1+"),
    "irina": ("ru", "female", "LGPL-2.1+"),
    "aleksandr-hq": ("ru", "male", "CC-BY-SA-4.0"),
    "arina": ("ru", "female", "CC-BY-NC-ND-4.0"),
    "artemiy": ("ru", "male", "CC-BY-NC-ND-4.0"),
    "evgeniy-rus": ("ru", "male", "CC-BY-NC-ND-4.0"),
    "mikhail": ("ru", "male", "CC-BY-NC-ND-4.0"),
    "pavel": ("ru", "male", "CC-BY-NC-ND-4.0"),
    "tatiana": ("ru", "female", "CC-BY-NC-ND-4.0"),
    "victoria": ("ru", "female", "CC-BY-NC-ND-4.0"),
    "vitaliy": ("ru", "male", "CC-BY-NC-ND-4.0"),
    "yuriy": ("ru", "male", "CC-BY-NC-ND-4.0"),
}

SPEED_RANGE = (0.5, 2.0)
VOLUME_RANGE = (0.25, 2.0)
_GENDERS = {1: "male", 2: "female"}


@dataclass(frozen=True)
class VoiceInfo:
    """One installed voice, as ``studio voices`` lists it."""

    name: str  # as RHVoice spells it: "Azamat"
    language: str  # "ky", "ru"
    gender: str  # "male", "female", "unknown"
    licence: str


# --- the C interface (RHVoice.h, 1.8) --------------------------------------------------------------

_INT, _UINT, _VP = ctypes.c_int, ctypes.c_uint, ctypes.c_void_p
_SetRate = ctypes.CFUNCTYPE(_INT, _INT, _VP)
_PlaySpeech = ctypes.CFUNCTYPE(_INT, ctypes.POINTER(ctypes.c_short), _UINT, _VP)
_Mark = ctypes.CFUNCTYPE(_INT, ctypes.c_char_p, _VP)
_Span = ctypes.CFUNCTYPE(_INT, _UINT, _UINT, _VP)
_Done = ctypes.CFUNCTYPE(None, _VP)


class _Callbacks(ctypes.Structure):
    _fields_ = [
        ("set_sample_rate", _SetRate),
        ("play_speech", _PlaySpeech),
        ("process_mark", _Mark),
        ("word_starts", _Span),
        ("word_ends", _Span),
        ("sentence_starts", _Span),
        ("sentence_ends", _Span),
        ("play_audio", _Mark),
        ("done", _Done),
    ]


class _InitParams(ctypes.Structure):
    _fields_ = [
        ("data_path", ctypes.c_char_p),
        ("config_path", ctypes.c_char_p),
        ("resource_paths", ctypes.POINTER(ctypes.c_char_p)),
        ("callbacks", _Callbacks),
        ("options", _UINT),
    ]


class _VoiceInfoStruct(ctypes.Structure):
    _fields_ = [
        ("language", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("gender", _INT),
        ("country", ctypes.c_char_p),
    ]


class _SynthParams(ctypes.Structure):
    _fields_ = [
        ("voice_profile", ctypes.c_char_p),
        ("absolute_rate", ctypes.c_double),
        ("absolute_pitch", ctypes.c_double),
        ("absolute_volume", ctypes.c_double),
        ("relative_rate", ctypes.c_double),
        ("relative_pitch", ctypes.c_double),
        ("relative_volume", ctypes.c_double),
        ("punctuation_mode", _INT),
        ("punctuation_list", ctypes.c_char_p),
        ("capitals_mode", _INT),
        ("flags", _INT),
    ]


def find_library() -> str | None:
    """The path or soname of libRHVoice, or None when it is not installed."""
    found = ctypes.util.find_library("RHVoice")
    if found:
        return found
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"):
        for name in LIBRARY_NAMES:
            if (Path(folder) / name).exists():
                return str(Path(folder) / name)
    return None


class _Engine:
    """libRHVoice with one engine for the process; calls are serialised (its callbacks share state)."""

    def __init__(self, library: str) -> None:
        try:
            lib = ctypes.CDLL(library)
        except OSError as exc:
            raise VoiceError(f"cannot load the RHVoice library {library}: {exc}") from None
        lib.RHVoice_get_version.restype = ctypes.c_char_p
        lib.RHVoice_new_tts_engine.argtypes = [ctypes.POINTER(_InitParams)]
        lib.RHVoice_new_tts_engine.restype = _VP
        lib.RHVoice_get_number_of_voices.argtypes = [_VP]
        lib.RHVoice_get_number_of_voices.restype = _UINT
        lib.RHVoice_get_voices.argtypes = [_VP]
        lib.RHVoice_get_voices.restype = ctypes.POINTER(_VoiceInfoStruct)
        lib.RHVoice_new_message.argtypes = [_VP, ctypes.c_char_p, _UINT, _INT, ctypes.POINTER(_SynthParams), _VP]
        lib.RHVoice_new_message.restype = _VP
        lib.RHVoice_speak.argtypes = [_VP]
        lib.RHVoice_speak.restype = _INT
        lib.RHVoice_delete_message.argtypes = [_VP]
        self.lib = lib
        self.version = (lib.RHVoice_get_version() or b"?").decode()
        self.lock = threading.Lock()
        self._reset(None)
        # Kept on the instance: ctypes frees a callback nothing references, and RHVoice calls them later.
        self._callbacks = _Callbacks(
            _SetRate(self._on_rate),
            _PlaySpeech(self._on_audio),
            _Mark(0),
            _Span(self._on_word_start),
            _Span(self._on_word_end),
            _Span(0),
            _Span(0),
            _Mark(0),
            _Done(0),
        )
        self._params = _InitParams(str(DATA_PATH).encode(), str(CONFIG_PATH).encode(), None, self._callbacks, 0)
        handle = lib.RHVoice_new_tts_engine(ctypes.byref(self._params))
        if not handle:
            raise VoiceError(f"RHVoice {self.version} could not start (voice data in {DATA_PATH})")
        self.handle = handle
        count = lib.RHVoice_get_number_of_voices(handle)
        table = lib.RHVoice_get_voices(handle)
        self.voices = tuple(
            (
                (table[i].name or b"").decode(),
                (table[i].language or b"").decode(),
                _GENDERS.get(table[i].gender, "unknown"),
            )
            for i in range(count)
        )

    def _reset(self, stop_after: int | None) -> None:
        self._rate = 0
        self._chunks: list[Samples] = []
        self._count = 0
        self._starts: list[tuple[int, int, int]] = []  # (byte position, byte length, sample)
        self._ends: list[tuple[int, int, int]] = []
        self._stop_after = stop_after
        self._stopped = False

    def _on_rate(self, rate: int, _user: int | None) -> int:
        self._rate = rate
        return 1

    def _on_audio(self, samples: ctypes._Pointer[ctypes.c_short], count: int, _user: int | None) -> int:
        if count:
            self._chunks.append(np.ctypeslib.as_array(samples, shape=(count,)).astype(np.int16))
            self._count += count
        # Returning 0 stops synthesis: used to check that an interrupted sentence is never kept.
        if self._stop_after is not None and self._count >= self._stop_after:
            self._stopped = True
            return 0
        return 1

    def _on_word_start(self, position: int, length: int, _user: int | None) -> int:
        self._starts.append((position, length, self._count))
        return 1

    def _on_word_end(self, position: int, length: int, _user: int | None) -> int:
        self._ends.append((position, length, self._count))
        return 1

    def speak(
        self, text: str, profile: str, speed: float, pitch: float, volume: float, stop_after: int | None = None
    ) -> tuple[Samples, int, list[tuple[float, float, str]]]:
        """Samples, their rate and the words (start, end in samples, text) of ``text`` spoken by ``profile``."""
        data = text.encode("utf-8")
        params = _SynthParams(profile.encode(), 0.0, pitch, 0.0, speed, 1.0, volume, 0, None, 0, 0)
        with self.lock:
            self._reset(stop_after)
            message = self.lib.RHVoice_new_message(self.handle, data, len(data), 0, ctypes.byref(params), None)
            if not message:
                raise VoiceError(f'RHVoice could not take the text for voice "{profile}"')
            try:
                ok = self.lib.RHVoice_speak(message)
            finally:
                self.lib.RHVoice_delete_message(message)
            chunks, rate, starts, ends, stopped = self._chunks, self._rate, self._starts, self._ends, self._stopped
            self._reset(None)
        if not ok or stopped:
            raise VoiceError(f'RHVoice stopped in the middle of speaking with voice "{profile}"; nothing was kept')
        if not chunks or rate <= 0:
            raise VoiceError(f'RHVoice produced no audio for voice "{profile}"')
        ends_by_position = {(p, n): at for p, n, at in ends}
        words = [
            (float(at), float(ends_by_position.get((p, n), at)), data[p : p + n].decode("utf-8", "replace"))
            for p, n, at in starts
        ]
        return np.concatenate(chunks), rate, words


@cache
def _engine() -> _Engine | None:
    library = find_library()
    if library is None or not DATA_PATH.is_dir():
        return None
    return _Engine(library)


def available() -> bool:
    """RHVoice and at least one voice are installed (and not switched off with TAZA_NO_RHVOICE=1)."""
    if os.environ.get(DISABLE_ENV) == "1":
        return False
    try:
        engine = _engine()
    except VoiceError:
        return False
    return engine is not None and bool(engine.voices)


def engine_version() -> str | None:
    engine = _engine() if available() else None
    return engine.version if engine else None


@cache
def licences() -> dict[str, str]:
    """Each voice's licence (lower-case name → SPDX-like id) from the installed packages' copyright files."""
    found = {name: info[2] for name, info in KNOWN_VOICES.items()}
    default: str | None = None
    for path in COPYRIGHT_FILES:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for stanza in re.split(r"\n\s*\n", text):
            files = re.search(r"^Files:\s*(.+?)(?=^\S+:)", stanza, re.M | re.S)
            licence = re.search(r"^License:\s*(\S+)", stanza, re.M)
            if not files or not licence:
                continue
            for pattern in files.group(1).split():
                match = re.fullmatch(r"data/voices/([^/]+)/\*", pattern)
                if match:
                    found[match.group(1).lower()] = licence.group(1)
                elif pattern == "data/*":
                    default = licence.group(1)
    if default:
        for name, _lang, _gender in _engine().voices if available() else ():  # type: ignore[union-attr]
            found.setdefault(name.lower(), default)
    return found


def installed_voices() -> tuple[VoiceInfo, ...]:
    """Every installed RHVoice voice with its language, gender and licence; () without RHVoice."""
    if not available():
        return ()
    engine = _engine()
    assert engine is not None
    table = licences()
    return tuple(
        VoiceInfo(name, lang, gender, table.get(name.lower(), "unknown (see the package's copyright file)"))
        for name, lang, gender in engine.voices
    )


def find_voice(name: str, lang: str | None = None) -> VoiceInfo:
    """The installed voice called ``name`` (any case); a clear error naming the installed ones otherwise."""
    voices = installed_voices()
    if not voices:
        raise VoiceError(f'RHVoice voice "{name}" cannot be used: RHVoice is not installed; {INSTALL_HINT}')
    for voice in voices:
        if voice.name.lower() == name.lower():
            if lang is not None and voice.language != lang:
                raise VoiceError(
                    f'RHVoice voice "{voice.name}" speaks {voice.language}, not {lang}; {lang} voices: '
                    + (", ".join(v.name for v in voices if v.language == lang) or "none installed")
                )
            return voice
    listed = ", ".join(f"{v.name} ({v.language})" for v in voices)
    raise VoiceError(f'RHVoice voice "{name}" is not installed; installed voices: {listed}')


@dataclass(frozen=True)
class RHVoiceEngine:
    """Speech with named RHVoice voices: ``voices`` maps a language to the voice that speaks it.

    ``speed`` multiplies the voice's natural pace (0.5 … 2.0); ``volume`` its loudness (0.25 … 2.0);
    the Voice's ``pitch`` (0 … 99, 50 = the voice's own) shifts it up or down.
    """

    voices: Mapping[str, str] = field(default_factory=dict)
    speed: float = 1.0
    volume: float = 1.0
    #: Stop every sentence after this much audio, as a crashing engine would: for checking that an
    #: interrupted sentence fails its job and leaves nothing in the speech cache. None in real use.
    interrupt_after_s: float | None = None

    name = "rhvoice"

    def __post_init__(self) -> None:
        low, high = SPEED_RANGE
        if not low <= self.speed <= high:
            raise VoiceError(f"RHVoice speed {self.speed} out of range; allowed: {low} .. {high}")
        low, high = VOLUME_RANGE
        if not low <= self.volume <= high:
            raise VoiceError(f"RHVoice volume {self.volume} out of range; allowed: {low} .. {high}")

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.voices)

    def voice_name(self, lang: str) -> str:
        name = self.voices.get(lang)
        if name is None:
            given = ", ".join(f"{code}: {voice}" for code, voice in sorted(self.voices.items())) or "none"
            raise VoiceError(f"no RHVoice voice is set for language {lang} (voices given: {given})")
        return name

    def voice_id(self, voice: Voice) -> str:
        return f"{self.voice_name(voice.lang).lower()}@speed={self.speed:g},volume={self.volume:g}"

    def check(self, lang: str) -> VoiceInfo:
        """The voice for ``lang``, checked: installed, and speaking that language."""
        return find_voice(self.voice_name(lang), lang)

    def synthesize(self, text: str, voice: Voice) -> Speech:
        """Speak ``text``; its words timed from the library's callbacks (RHVoice reports no phonemes).

        Word times fall on the library's audio chunks (~0.1 s apart); silence is trimmed as for espeak.
        """
        require_text(self.name, text)
        info = self.check(voice.lang)
        engine = _engine()
        assert engine is not None  # check() found the voice
        flat = " ".join(text.split())
        stop = None if self.interrupt_after_s is None else max(1, round(self.interrupt_after_s * 24_000))
        samples, rate, raw_words = engine.speak(
            flat, info.name, self.speed, (voice.pitch - 50) / 50, self.volume, stop_after=stop
        )
        words = tuple(WordEvent(a / rate, b / rate, word) for a, b, word in raw_words if word.strip())
        return trim_silence(Speech(samples, rate, words=words))
