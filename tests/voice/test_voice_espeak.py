"""espeak-ng through the program and through the library: real audio, checked as speech."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from studio.errors import VoiceError
from studio.voice import (
    EspeakEngine,
    EspeakLibrary,
    EspeakProgram,
    Speech,
    Voice,
    espeak_backend,
    normalize_for_speech,
)
from studio.voice.analysis import estimate_pitch_hz, speech_problems
from studio.voice.espeak import EspeakBackend
from studio.voice.speech import trim_silence

KYRGYZ = "Өкмөт коңшулар үчүн жаңы мектеп курду. Бүгүн көчөдө көп адамдар жүрөт."


@dataclass
class RecordingBackend:
    """Passes calls to a real backend and remembers the voice each one asked for."""

    inner: EspeakBackend
    voices: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def variants(self) -> frozenset[str]:
        return self.inner.variants()

    def render(self, text: str, voice_name: str, rate_wpm: int, pitch: int) -> Speech:
        self.voices.append(voice_name)
        return self.inner.render(text, voice_name, rate_wpm, pitch)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        pytest.param("ky", KYRGYZ, id="ky"),
        pytest.param("ru", "Сообщайте о коррупции по телефону горячей линии. Каждый звонок конфиденциален.", id="ru"),
        pytest.param("en", "Report corruption to the city hotline. Every call is confidential.", id="en"),
    ],
)
def test_each_backend_speaks_each_language(espeak: EspeakEngine, lang: str, text: str) -> None:
    speech = espeak.synthesize(text, Voice(lang))
    assert speech.sample_rate_hz == 22_050
    assert speech.samples.dtype == np.int16
    assert speech.duration_s == len(speech.samples) / 22_050
    assert speech_problems(speech.samples, speech.sample_rate_hz, text) == ()


def test_kyrgyz_goes_to_the_kyrgyz_voice(espeak: EspeakEngine) -> None:
    recording = RecordingBackend(espeak.backend)
    EspeakEngine(recording).synthesize(KYRGYZ, Voice("ky", variant="f3"))
    assert recording.voices == ["ky+f3"]


def test_library_loads_the_kyrgyz_voice_file(espeak_library: EspeakLibrary) -> None:
    assert espeak_library.voice_file("ky") == "trk/ky"
    assert espeak_library.voice_file("ky+f3") == "trk/ky+f3"


def test_kyrgyz_voice_reads_kyrgyz_letters_the_russian_voice_spells_them(espeak: EspeakEngine) -> None:
    # The ru voice names ң ө ү letter by letter, so the same text takes far longer.
    kyrgyz = espeak.synthesize(KYRGYZ, Voice("ky"))
    spelled = espeak.backend.render(KYRGYZ, "ru", 160, 50)
    assert spelled.duration_s > 2 * kyrgyz.duration_s


def test_lookalike_letters_are_spoken_once_normalised(espeak: EspeakEngine) -> None:
    typed = "Ж\u0473\u04a5\u04f1"  # "Жөңү" typed with look-alike code points
    raw = espeak.synthesize(typed, Voice("ky"))
    fixed = espeak.synthesize(normalize_for_speech(typed, "ky"), Voice("ky"))
    assert fixed.duration_s < raw.duration_s / 2


def test_male_and_female_variants_are_clearly_different_voices(espeak: EspeakEngine) -> None:
    male = espeak.synthesize(KYRGYZ, Voice("ky", variant="m3"))
    female = espeak.synthesize(KYRGYZ, Voice("ky", variant="f3"))
    male_hz = estimate_pitch_hz(male.samples, male.sample_rate_hz)
    female_hz = estimate_pitch_hz(female.samples, female.sample_rate_hz)
    assert 70 < male_hz < 160
    assert female_hz > 1.5 * male_hz


def test_rate_changes_the_duration(espeak: EspeakEngine) -> None:
    slow = espeak.synthesize(KYRGYZ, Voice("ky", rate_wpm=120))
    fast = espeak.synthesize(KYRGYZ, Voice("ky", rate_wpm=240))
    assert fast.duration_s < 0.7 * slow.duration_s


def test_unknown_variant_is_refused_not_silently_replaced(espeak: EspeakEngine) -> None:
    with pytest.raises(VoiceError, match=r'variant "zz9" not found; known: .*f3.*m3'):
        espeak.synthesize("Салам", Voice("ky", variant="zz9"))


def test_language_espeak_cannot_speak_names_engine_language_and_known_ones(espeak: EspeakEngine) -> None:
    with pytest.raises(VoiceError, match=r'"espeak" cannot speak language "kk"; it speaks: en, ky, ru'):
        espeak.synthesize("Сәлем", Voice("kk"))


def test_empty_text_is_refused(espeak: EspeakEngine) -> None:
    with pytest.raises(VoiceError, match="nothing to say"):
        espeak.synthesize("  ", Voice("ky"))


def test_text_starting_with_a_dash_is_spoken_not_taken_as_an_option(espeak: EspeakEngine) -> None:
    speech = espeak.synthesize("-v ru салам", Voice("ky"))
    assert speech.duration_s > 0.3


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(VoiceError, match=r'unknown espeak backend "sapi"; known: auto, program, library'):
        espeak_backend("sapi")


@pytest.mark.parametrize(("rate", "pitch"), [(79, 50), (451, 50), (160, -1), (160, 100)])
def test_voice_settings_out_of_range_are_refused(rate: int, pitch: int) -> None:
    with pytest.raises(VoiceError, match="out of range; allowed"):
        Voice("ky", rate_wpm=rate, pitch=pitch)


def test_auto_backend_uses_the_library_when_the_program_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("studio.voice.espeak.shutil.which", lambda _name: None)
    assert isinstance(espeak_backend("auto"), EspeakLibrary)
    with pytest.raises(VoiceError, match="not found on PATH"):
        espeak_backend("program")


def test_both_backends_give_the_same_timing(espeak_program: EspeakProgram, espeak_library: EspeakLibrary) -> None:
    # The program pads the end of an utterance and the library does not; trimmed, the
    # timeline does not depend on which one rendered (the cache does not record it).
    program = EspeakEngine(espeak_program).synthesize(KYRGYZ, Voice("ky"))
    library = EspeakEngine(espeak_library).synthesize(KYRGYZ, Voice("ky"))
    assert program.duration_s == pytest.approx(library.duration_s, rel=0.05)


def test_trim_silence_keeps_a_short_margin() -> None:
    voice = np.full(2205, 8000, dtype=np.int16)
    padded = Speech(np.concatenate([np.zeros(22050, np.int16), voice, np.zeros(11025, np.int16)]), 22_050)
    trimmed = trim_silence(padded, keep_s=0.05)
    assert trimmed.duration_s == pytest.approx(0.1 + 2 * 0.05, abs=0.011)
    assert trim_silence(Speech(np.zeros(100, np.int16), 22_050)).duration_s == pytest.approx(100 / 22_050)
