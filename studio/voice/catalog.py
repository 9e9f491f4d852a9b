"""Which voices this machine has: every engine's voices with language, gender, licence and version.

Behind ``studio voices`` and ``studio voices sample``. Asking loads the engines (RHVoice's library,
espeak-ng's data folder) but speaks nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from studio.errors import VoiceError
from studio.voice import rhvoice
from studio.voice.espeak import ESPEAK_VOICES, EspeakEngine
from studio.voice.normalize import normalize_for_speech
from studio.voice.speech import Speech, Voice, write_wav


@dataclass(frozen=True)
class VoiceRow:
    engine: str
    voice: str
    language: str
    gender: str
    licence: str
    version: str
    offline: bool = True


def espeak_version() -> str:
    """espeak-ng's version: the program's when it is on PATH, else the bundled library's wheel."""
    if shutil.which("espeak-ng"):
        try:
            out = subprocess.run(["espeak-ng", "--version"], capture_output=True, timeout=10).stdout.decode()
            return out.split(":", 1)[1].split()[0] if ":" in out else out.strip()
        except (OSError, subprocess.TimeoutExpired, IndexError):
            pass
    try:
        return f"{metadata.version('espeakng-loader')} (bundled library)"
    except metadata.PackageNotFoundError:
        return "unknown"


def voice_rows() -> list[VoiceRow]:
    """RHVoice's installed voices, then espeak-ng's languages, then gTTS (online)."""
    rows = []
    version = rhvoice.engine_version() or ""
    for info in rhvoice.installed_voices():
        rows.append(VoiceRow("rhvoice", info.name, info.language, info.gender, info.licence, version))
    espeak = espeak_version()
    for lang in ESPEAK_VOICES:
        rows.append(VoiceRow("espeak", lang, lang, "m1–m7, f1–f5", "GPL-3.0-or-later", espeak))
    try:
        gtts = metadata.version("gTTS")
    except metadata.PackageNotFoundError:
        gtts = ""
    if gtts:
        for lang in ("ru", "en"):
            rows.append(VoiceRow("gtts", lang, lang, "female", "Google service terms", gtts, offline=False))
    return rows


def sample(voice: str, text: str, dest: Path, lang: str | None = None) -> tuple[Path, Speech, str]:
    """Speak ``text`` with ``voice`` (an RHVoice name such as Azamat, or ``espeak``) into ``dest``.

    Returns the file, the speech and the language spoken. Text is normalised as in renders.
    """
    if voice.lower() == "espeak":
        spoken_lang = lang or "ky"
        engine: EspeakEngine | rhvoice.RHVoiceEngine = EspeakEngine.with_backend()
        chosen = Voice(spoken_lang)
    else:
        info = rhvoice.find_voice(voice)
        if lang is not None and lang != info.language:
            raise VoiceError(f'RHVoice voice "{info.name}" speaks {info.language}, not {lang}')
        spoken_lang = info.language
        engine = rhvoice.RHVoiceEngine({spoken_lang: info.name})
        chosen = Voice(spoken_lang)
    speech = engine.synthesize(normalize_for_speech(text, spoken_lang), chosen)
    write_wav(speech, dest)
    return dest, speech, spoken_lang
