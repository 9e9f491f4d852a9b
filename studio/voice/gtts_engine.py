"""The online voice engine: Google Translate's text-to-speech through gTTS.

gTTS has no Kyrgyz voice; it needs the network, and by default waits forever for it.
This module always passes a timeout, never leaves a partial MP3 behind, and decodes the
MP3 to PCM with the ffmpeg binary that imageio-ffmpeg ships.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.errors import VoiceError
from studio.voice.speech import (
    Speech,
    Voice,
    require_text,
    trim_silence,
    unsupported_language,
    write_atomic,
)

GTTS_SAMPLE_RATE_HZ = 24_000  # the rate Google's MP3s come at; decoding keeps it


def gtts_languages() -> frozenset[str]:
    """Languages gTTS lists (read from the package, no network)."""
    from gtts.lang import tts_langs

    return frozenset(tts_langs())


def save_gtts_mp3(text: str, lang: str, dest: Path, *, timeout_s: float, tld: str = "com") -> Path:
    """Fetch speech for `text` from Google and write it to `dest` as MP3.

    gTTS's own `save` opens the file before the request and leaves a 0-byte file when
    the request fails; here nothing is written until all the audio has arrived, and
    then it goes to a temporary file renamed into place.
    """
    from gtts import gTTS, gTTSError
    from requests import RequestException

    if lang not in gtts_languages():
        raise unsupported_language("gtts", lang, gtts_languages())
    audio = io.BytesIO()
    try:
        gTTS(text, lang=lang, tld=tld, timeout=timeout_s).write_to_fp(audio)
    # gTTS reports a malformed reply as TypeError (it wraps AttributeError) and empty text
    # as AssertionError: both are failures of this engine, not of the caller.
    except (gTTSError, RequestException, AssertionError, ValueError, TypeError) as exc:
        reason = str(exc) or type(exc).__name__
        raise VoiceError(f"gtts could not synthesise {lang} speech: {reason}") from exc
    if not audio.getvalue():
        raise VoiceError(f"gtts could not synthesise {lang} speech: Google returned no audio")
    write_atomic(dest, audio.getvalue())
    return dest


def decode_audio(
    source: Path,
    *,
    sample_rate_hz: int = GTTS_SAMPLE_RATE_HZ,
    ffmpeg_exe: str | None = None,
    timeout_s: float = 60.0,
) -> Speech:
    """Decode any audio file ffmpeg reads (MP3 here) to mono 16-bit PCM."""
    if ffmpeg_exe is None:
        import imageio_ffmpeg

        ffmpeg_exe = imageio_ffmpeg.get_ffmpeg_exe()
    command = [
        ffmpeg_exe, "-nostdin", "-v", "error", "-i", str(source),
        "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate_hz), "pipe:1",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        raise VoiceError(f"{source}: ffmpeg did not decode within {timeout_s} s") from exc
    except OSError as exc:
        raise VoiceError(f"cannot run ffmpeg ({ffmpeg_exe}): {exc.strerror}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise VoiceError(f"{source}: ffmpeg could not decode the audio: {detail}")
    samples = np.frombuffer(done.stdout, dtype="<i2").astype(np.int16)
    if len(samples) == 0:
        raise VoiceError(f"{source}: the audio decodes to no samples")
    return Speech(samples, sample_rate_hz)


@dataclass(frozen=True)
class GTTSEngine:
    """Google's voices for the languages gTTS lists (ru, en; not ky). Needs the network.

    Speaks at Google's own speed and pitch: a Voice's variant, rate and pitch have no effect.
    """

    timeout_s: float = 15.0
    tld: str = "com"
    ffmpeg_exe: str | None = None

    name = "gtts"

    @property
    def languages(self) -> frozenset[str]:
        return gtts_languages()

    def voice_id(self, voice: Voice) -> str:
        return f"{voice.lang}@{self.tld}"

    def synthesize(self, text: str, voice: Voice) -> Speech:
        # Refuse an unlisted language before anything touches the network.
        if voice.lang not in self.languages:
            raise unsupported_language(self.name, voice.lang, self.languages)
        require_text(self.name, text)
        with tempfile.TemporaryDirectory(prefix="taza-gtts-") as folder:
            mp3 = save_gtts_mp3(text, voice.lang, Path(folder) / "speech.mp3", timeout_s=self.timeout_s, tld=self.tld)
            return trim_silence(decode_audio(mp3, ffmpeg_exe=self.ffmpeg_exe))
