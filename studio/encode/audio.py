"""Audio in: narration and music as numpy samples, decoded and resampled by ffmpeg."""

from __future__ import annotations

import functools
import io
import threading
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe
from studio.errors import EncodeError


@dataclass(frozen=True, eq=False)
class Audio:
    """Samples and their rate: int16 or float (-1 .. 1), shaped (samples,) or (samples, channels)."""

    samples: np.ndarray
    rate_hz: int

    def __post_init__(self) -> None:
        if self.rate_hz <= 0:
            raise EncodeError(f"audio rate {self.rate_hz} Hz must be positive")
        if self.samples.ndim not in (1, 2):
            raise EncodeError(f"audio samples must be 1-D or 2-D, got shape {self.samples.shape}")

    @property
    def duration_s(self) -> float:
        return self.samples.shape[0] / self.rate_hz


#: Narration or music: samples in memory, or a file ffmpeg can read (WAV, Ogg/Opus, MP3, M4A, FLAC).
AudioSource = Audio | str | Path


def _as_float(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    if np.issubdtype(samples.dtype, np.integer):
        info = np.iinfo(samples.dtype)
        return (samples.astype(np.float64) / max(abs(info.min), info.max)).astype(np.float32)
    return samples.astype(np.float32)


def wav_bytes(audio: Audio) -> bytes:
    """16-bit PCM WAV of ``audio`` (float samples are clipped to -1 .. 1)."""
    data = _as_float(audio.samples)
    data = data.reshape(data.shape[0], -1)
    pcm = np.clip(np.round(data * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(pcm.shape[1])
        out.setsampwidth(2)
        out.setframerate(audio.rate_hz)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def load_audio(source: AudioSource, rate_hz: int, channels: int, ffmpeg: str | None = None) -> np.ndarray:
    """``source`` as float32 samples shaped (samples, channels) at ``rate_hz``.

    In-memory audio already at the rate is converted in numpy; anything else goes through ffmpeg's
    resampler, which band-limits properly (TTS voices come at 16-24 kHz).
    """
    if isinstance(source, Audio):
        data = _as_float(source.samples).reshape(source.samples.shape[0], -1)
        if source.rate_hz == rate_hz:
            if data.shape[1] == channels:
                return np.ascontiguousarray(data, dtype=np.float32)
            mono = data.mean(axis=1, keepdims=True)
            return np.ascontiguousarray(np.repeat(mono, channels, axis=1), dtype=np.float32)
        payload = wav_bytes(source)
        inputs = ["-f", "wav", "-i", "pipe:0"]
        what = "resampling audio"
    else:
        path = Path(source)
        if not path.is_file():
            raise EncodeError(f"{path}: audio file not found")
        stat = path.stat()
        # a file (the music bed under every video of a batch) is decoded once per process while unchanged;
        # a caller that finds it being decoded (see decode_early) waits for that decode
        with _decoding:
            decoded = _decoded_file(str(path.resolve()), stat.st_mtime_ns, stat.st_size, rate_hz, channels, ffmpeg)
        return decoded.copy()
    raw = run_ffmpeg_pipe(
        ffmpeg_exe(ffmpeg),
        [*inputs, "-vn", "-ac", str(channels), "-ar", str(rate_hz), "-f", "f32le", "pipe:1"],
        payload,
        what=what,
    )
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels).copy()


def decode_early(path: Path, rate_hz: int, channels: int, ffmpeg: str | None = None) -> threading.Thread:
    """Decode the audio file ``path`` in the background into this process's cache, for a
    :func:`load_audio` to come (it finds it there, or waits for it): started before the work that
    needs it, the decode runs on a core that work leaves idle. Errors are left to that call to say."""

    def decode() -> None:
        try:
            load_audio(path, rate_hz, channels, ffmpeg)
        except (EncodeError, OSError):
            pass  # the load_audio that needs the file says what is wrong with it

    thread = threading.Thread(target=decode, name="decode-audio", daemon=True)
    thread.start()
    return thread


_decoding = threading.Lock()


@functools.lru_cache(maxsize=4)
def _decoded_file(path: str, _mtime_ns: int, _size: int, rate_hz: int, channels: int, ffmpeg: str | None) -> np.ndarray:
    raw = run_ffmpeg_pipe(
        ffmpeg_exe(ffmpeg),
        ["-i", path, "-vn", "-ac", str(channels), "-ar", str(rate_hz), "-f", "f32le", "pipe:1"],
        what=f"{path}: decoding audio",
    )
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels)
