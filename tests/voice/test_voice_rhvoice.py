"""RHVoice through its library: real Kyrgyz and Russian voices, word timings, errors, cache, fallback."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from studio.errors import VoiceError
from studio.voice import SpeechCache, Voice, rhvoice, speak_sentences, synthesize_cached
from studio.voice.analysis import speech_problems
from studio.voice.choose import ESPEAK_INSTEAD, choose
from studio.voice.rhvoice import RHVoiceEngine, find_voice, installed_voices
from tests.rhvoice_helpers import _rhvoice_required, needs_rhvoice  # noqa: F401 - the fixture behind the mark

KYRGYZ = "Мөөнөт өтүп кетти, бирок эң жакшы күндөр алдыда."


@needs_rhvoice
def test_installed_voices_have_language_gender_and_licence() -> None:
    voices = {v.name: v for v in installed_voices()}
    assert voices["Azamat"].language == "ky" and voices["Azamat"].gender == "male"
    assert voices["Nazgul"].language == "ky" and voices["Nazgul"].gender == "female"
    for name in ("Azamat", "Nazgul", "Aleksandr", "Anna", "Elena", "Irina"):
        assert voices[name].licence == "LGPL-2.1+", name
    # Read from the package's copyright file: not every Russian voice is free to use commercially.
    assert voices["Pavel"].licence == "CC-BY-NC-ND-4.0"
    assert rhvoice.engine_version() and rhvoice.engine_version()[0].isdigit()


@needs_rhvoice
@pytest.mark.parametrize(("lang", "voice", "text"), [("ky", "Azamat", KYRGYZ), ("ky", "Nazgul", KYRGYZ),
                                                       ("ru", "Aleksandr", "Сообщите о коррупции сегодня."),
                                                       ("ru", "Anna", "Сообщите о коррупции сегодня.")])  # fmt: skip
def test_each_default_voice_speaks(lang: str, voice: str, text: str) -> None:
    speech = RHVoiceEngine({lang: voice}).synthesize(text, Voice(lang))
    assert speech.sample_rate_hz == 24_000
    assert 1.0 < speech.duration_s < 8.0
    assert speech_problems(speech.samples, speech.sample_rate_hz, text) == ()


@needs_rhvoice
def test_kyrgyz_letters_reach_the_kyrgyz_voice_unchanged() -> None:
    """The words the library reports are the bytes it was given: ң ө ү arrive as themselves."""
    speech = RHVoiceEngine({"ky": "Azamat"}).synthesize("Мөөнөт үчүн эң жакшы.", Voice("ky"))
    words = [w.text for w in speech.words]
    assert words == ["Мөөнөт", "үчүн", "эң", "жакшы."]
    joined = "".join(words)
    for letter in "өүң":
        assert letter in joined
    # Look-alike code points are folded to the real letters before the voice sees them.
    from studio.voice import normalize_for_speech

    folded = normalize_for_speech("эҥ жакшы", "ky")
    assert "ң" in folded and "ҥ" not in folded
    assert [w.text for w in RHVoiceEngine({"ky": "Nazgul"}).synthesize(folded, Voice("ky")).words][0] == "эң"


@needs_rhvoice
def test_word_timings_follow_the_audio() -> None:
    speech = RHVoiceEngine({"ky": "Azamat"}).synthesize(KYRGYZ, Voice("ky"))
    starts = [w.start_s for w in speech.words]
    assert len(speech.words) == len(KYRGYZ.split())
    assert starts == sorted(starts)
    assert all(0.0 <= w.start_s < w.end_s <= speech.duration_s + 1e-9 for w in speech.words)
    # Each word's span holds sound (not the silence between phrases).
    for word in speech.words:
        span = speech.samples[round(word.start_s * 24_000) : round(word.end_s * 24_000)]
        assert np.sqrt(np.mean(span.astype(np.float64) ** 2)) > 300, word


@needs_rhvoice
def test_speed_pitch_and_volume_change_the_voice() -> None:
    normal = RHVoiceEngine({"ru": "Aleksandr"}).synthesize("Каждое обращение рассматривается.", Voice("ru"))
    fast = RHVoiceEngine({"ru": "Aleksandr"}, speed=1.5).synthesize("Каждое обращение рассматривается.", Voice("ru"))
    quiet = RHVoiceEngine({"ru": "Aleksandr"}, volume=0.5).synthesize("Каждое обращение рассматривается.", Voice("ru"))
    assert fast.duration_s < 0.8 * normal.duration_s
    assert np.abs(quiet.samples).max() < 0.7 * np.abs(normal.samples).max()
    assert RHVoiceEngine({"ru": "Aleksandr"}).voice_id(Voice("ru")) != RHVoiceEngine(
        {"ru": "Aleksandr"}, speed=1.5
    ).voice_id(Voice("ru"))


@needs_rhvoice
def test_a_voice_that_is_not_installed_lists_the_installed_ones() -> None:
    with pytest.raises(VoiceError) as caught:
        find_voice("Bob")
    message = str(caught.value)
    assert 'RHVoice voice "Bob" is not installed; installed voices:' in message
    assert "Azamat (ky)" in message and "Nazgul (ky)" in message and "Anna (ru)" in message


@needs_rhvoice
def test_a_voice_that_cannot_speak_the_language_is_an_error() -> None:
    with pytest.raises(VoiceError, match='RHVoice voice "Anna" speaks ru, not ky; ky voices: Azamat, Nazgul'):
        RHVoiceEngine({"ky": "Anna"}).synthesize("Салам.", Voice("ky"))
    with pytest.raises(VoiceError, match="no RHVoice voice is set for language ru"):
        RHVoiceEngine({"ky": "Azamat"}).synthesize("Привет.", Voice("ru"))


@needs_rhvoice
def test_an_engine_that_stops_mid_sentence_fails_and_the_cache_keeps_nothing(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    broken = RHVoiceEngine({"ky": "Azamat"}, interrupt_after_s=0.3)
    with pytest.raises(VoiceError, match="stopped in the middle"):
        synthesize_cached(broken, KYRGYZ, Voice("ky"), cache)
    with pytest.raises(VoiceError, match="stopped in the middle"):
        speak_sentences([KYRGYZ, "Экинчи сүйлөм."], Voice("ky"), engine=broken, cache=cache)
    assert not (tmp_path / "speech").exists() or not any((tmp_path / "speech").iterdir())
    # The same text from a working engine is spoken and cached whole, words and all.
    whole = synthesize_cached(RHVoiceEngine({"ky": "Azamat"}), KYRGYZ, Voice("ky"), cache)
    again = synthesize_cached(RHVoiceEngine({"ky": "Azamat"}), KYRGYZ, Voice("ky"), cache)
    assert np.array_equal(whole.samples, again.samples) and again.words == whole.words


def _spec(**changes: object) -> SimpleNamespace:
    base = dict(engine="rhvoice", voice={"ky": "Nazgul", "ru": "Aleksandr"}, speed=1.0, volume=1.0, variant="",
                rate_wpm=155, pitch=50)  # fmt: skip
    base.update(changes)
    return SimpleNamespace(**base)


@needs_rhvoice
def test_choose_gives_rhvoice_where_installed() -> None:
    chosen = choose(_spec(), "ky")  # type: ignore[arg-type]
    assert chosen.engine.name == "rhvoice" and chosen.notice is None


def test_without_rhvoice_espeak_stands_in_keeping_the_gender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rhvoice.DISABLE_ENV, "1")
    female = choose(_spec(), "ky")  # type: ignore[arg-type]
    male = choose(_spec(), "ru")  # type: ignore[arg-type]
    assert female.engine.name == "espeak" and female.voice.variant == "f3"
    assert male.engine.name == "espeak" and male.voice.variant == "m3"
    assert female.notice == ESPEAK_INSTEAD and "tools/install-voices.sh" in ESPEAK_INSTEAD
    speech = female.engine.synthesize("Салам, дүйнө.", female.voice)
    assert speech.duration_s > 0.5
