"""gTTS with Google's HTTP endpoint replaced by a fake: success, failure, fallback, Kyrgyz."""

from __future__ import annotations

import base64
import io
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest
import requests

from studio.errors import VoiceError
from studio.voice import EspeakEngine, EspeakLibrary, GTTSEngine, Voice, synthesize_with_fallback, wav_bytes
from studio.voice.analysis import speech_problems
from studio.voice.gtts_engine import save_gtts_mp3

ENGLISH = "Report corruption to the city hotline. Every call is confidential."

Send = Callable[..., requests.Response]
Sends = Callable[[Send], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def speech_mp3(espeak_library: EspeakLibrary) -> bytes:
    """Real speech as a small MP3, made with espeak-ng and the bundled ffmpeg."""
    speech = EspeakEngine(espeak_library).synthesize(ENGLISH, Voice("en"))
    done = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "wav", "-i", "pipe:0",
         "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
        input=wav_bytes(speech), capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout


def google_reply(mp3: bytes, status: int = 200) -> requests.Response:
    """A response shaped like Google Translate's batchexecute answer carrying `mp3`."""
    response = requests.Response()
    response.status_code = status
    audio = base64.b64encode(mp3).decode("ascii")
    body = f')]}}\'\n\n[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]\n'
    response.raw = io.BytesIO(body.encode())
    return response


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> Sends:
    """Install a fake for requests.Session.send; returns the keyword arguments of each call."""

    def install(reply: Send) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []

        def fake_send(_session: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> Any:
            calls.append(kwargs)
            response = reply(request)
            response.request = request
            return response

        monkeypatch.setattr(requests.Session, "send", fake_send)
        return calls

    return install


def offline(_request: requests.PreparedRequest) -> requests.Response:
    raise requests.ConnectionError("network is unreachable")


def test_success_decodes_googles_mp3_to_speech(sends: Sends, speech_mp3: bytes) -> None:
    calls = sends(lambda _request: google_reply(speech_mp3))
    speech = GTTSEngine(timeout_s=3.5).synthesize(ENGLISH, Voice("en"))
    assert speech.sample_rate_hz == 24_000
    assert speech_problems(speech.samples, speech.sample_rate_hz, ENGLISH) == ()
    assert calls and all(call["timeout"] == 3.5 for call in calls)  # never gTTS's default of None


def test_save_writes_the_mp3_atomically(sends: Sends, speech_mp3: bytes, tmp_path: Path) -> None:
    sends(lambda _request: google_reply(speech_mp3))
    dest = save_gtts_mp3("Report it.", "en", tmp_path / "speech.mp3", timeout_s=2)
    assert dest.read_bytes() == speech_mp3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["speech.mp3"]


def test_gtts_own_save_would_leave_an_empty_file(sends: Sends, tmp_path: Path) -> None:
    # Why save_gtts_mp3 exists: gTTS opens its output before the request.
    from gtts import gTTS, gTTSError

    sends(offline)
    with pytest.raises(gTTSError):
        gTTS("Report it.", lang="en", timeout=1).save(str(tmp_path / "raw.mp3"))
    assert (tmp_path / "raw.mp3").stat().st_size == 0


def http_503(_request: requests.PreparedRequest) -> requests.Response:
    return google_reply(b"", status=503)


def no_audio(_request: requests.PreparedRequest) -> requests.Response:
    response = requests.Response()
    response.status_code, response.raw = 200, io.BytesIO(b")]}'\n\n[]\n")
    return response


@pytest.mark.parametrize("reply", [offline, http_503, no_audio], ids=lambda f: f.__name__)
def test_failure_raises_voice_error_and_leaves_no_file(sends: Sends, reply: Send, tmp_path: Path) -> None:
    sends(reply)
    with pytest.raises(VoiceError, match="gtts could not synthesise en speech"):
        save_gtts_mp3("Report it.", "en", tmp_path / "speech.mp3", timeout_s=1)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(VoiceError, match="gtts could not synthesise en speech"):
        GTTSEngine(timeout_s=1).synthesize("Report it.", Voice("en"))


def test_failure_falls_back_to_espeak_when_allowed_and_says_so(sends: Sends, espeak_library: EspeakLibrary) -> None:
    sends(offline)
    result = synthesize_with_fallback(
        "Сообщайте о коррупции.",
        Voice("ru"),
        engine=GTTSEngine(timeout_s=1),
        fallback=EspeakEngine(espeak_library),
    )
    assert result.engine == "espeak"
    assert result.notice is not None
    assert "gtts failed for ru" in result.notice and "spoke with espeak instead" in result.notice
    assert result.speech.duration_s > 0.5


def test_failure_without_fallback_raises(sends: Sends) -> None:
    sends(offline)
    with pytest.raises(VoiceError, match="gtts"):
        synthesize_with_fallback("Сообщайте.", Voice("ru"), engine=GTTSEngine(timeout_s=1))


def test_success_reports_gtts_as_the_engine_used(sends: Sends, speech_mp3: bytes) -> None:
    sends(lambda _request: google_reply(speech_mp3))
    result = synthesize_with_fallback(ENGLISH, Voice("en"), engine=GTTSEngine(), fallback=None)
    assert (result.engine, result.notice) == ("gtts", None)


def test_kyrgyz_is_refused_at_once_without_any_request(sends: Sends) -> None:
    calls = sends(offline)
    started = time.perf_counter()
    with pytest.raises(VoiceError, match=r'"gtts" cannot speak language "ky"; it speaks: .*\bru\b'):
        GTTSEngine().synthesize("Салам, дүйнө!", Voice("ky"))
    assert time.perf_counter() - started < 0.5
    assert calls == []


def test_kyrgyz_falls_back_to_espeak_when_allowed(sends: Sends, espeak_library: EspeakLibrary) -> None:
    sends(offline)
    result = synthesize_with_fallback(
        "Салам, дүйнө!", Voice("ky"), engine=GTTSEngine(), fallback=EspeakEngine(espeak_library)
    )
    assert result.engine == "espeak"
    assert result.notice is not None and 'cannot speak language "ky"' in result.notice
