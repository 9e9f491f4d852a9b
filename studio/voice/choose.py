"""From a campaign's voice settings to the engine that speaks one language, falling back out loud.

An ``rhvoice`` speaker names a voice per language (``{ky: Azamat, ru: Aleksandr}``). Where RHVoice is
not installed, that speaker speaks with espeak-ng instead, keeping the voice's gender (m3 or f3), and
`ESPEAK_INSTEAD` says so (the CLI prints it once per run, the manifest's ``voice_engine`` records it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from studio.voice import rhvoice
from studio.voice.engines import get_engine
from studio.voice.espeak import EspeakEngine
from studio.voice.speech import Voice, VoiceEngine

#: espeak-ng variants that stand in for an RHVoice voice of each gender.
ESPEAK_STAND_INS = {"male": "m3", "female": "f3", "unknown": ""}
#: The normal pace of an espeak voice standing in for an RHVoice voice at speed 1.
ESPEAK_RATE_WPM = 160

ESPEAK_INSTEAD = f"RHVoice is not installed, so the natural voices speak with espeak-ng instead; {rhvoice.INSTALL_HINT}"


class VoiceSettings(Protocol):
    """What a campaign's voice entry gives (``studio.campaign.models.VoiceSpec``); read-only."""

    @property
    def engine(self) -> str: ...
    @property
    def voice(self) -> Mapping[str, str]: ...
    @property
    def speed(self) -> float: ...
    @property
    def volume(self) -> float: ...
    @property
    def variant(self) -> str: ...
    @property
    def rate_wpm(self) -> int: ...
    @property
    def pitch(self) -> int: ...


@dataclass(frozen=True)
class Chosen:
    """The engine and voice that will speak, and the notice when it is not the one asked for."""

    engine: VoiceEngine
    voice: Voice
    notice: str | None = None


def choose(spec: VoiceSettings, lang: str) -> Chosen:
    """The engine and voice for ``spec`` in ``lang``; errors (voice not installed, wrong language) are VoiceErrors."""
    if spec.engine != "rhvoice":
        return Chosen(get_engine(spec.engine), Voice(lang, spec.variant, spec.rate_wpm, spec.pitch))
    engine = rhvoice.RHVoiceEngine(dict(spec.voice), spec.speed, spec.volume)
    if rhvoice.available():
        engine.check(lang)
        return Chosen(engine, Voice(lang, "", spec.rate_wpm, spec.pitch))
    name = engine.voice_name(lang)
    gender = rhvoice.KNOWN_VOICES.get(name.lower(), ("", "unknown", ""))[1]
    rate = min(450, max(80, round(ESPEAK_RATE_WPM * spec.speed)))
    return Chosen(EspeakEngine.with_backend(), Voice(lang, ESPEAK_STAND_INS[gender], rate, spec.pitch), ESPEAK_INSTEAD)
