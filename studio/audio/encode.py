"""Writing a finished mix: WAV (broadcast), MP3 with ID3 chapters (podcast), Ogg Opus (voice notes).

One ffmpeg process per file: the mix goes in as 16-bit PCM on stdin (float for lossy codecs, so the
encoder sees the samples before rounding), metadata and chapters from an FFMETADATA file.
"""

from __future__ import annotations

import io
import tempfile
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg
from studio.errors import EncodeError
from studio.formats import AudioSpec


def _escape(value: str) -> str:
    """FFMETADATA escaping: ``= ; # \\`` and newlines take a backslash."""
    out = value
    for ch in ("\\", "=", ";", "#", "\n"):
        out = out.replace(ch, "\\" + ch)
    return out


def ffmetadata(tags: Mapping[str, str], chapters: Sequence[tuple[float, float, str]] = ()) -> str:
    lines = [";FFMETADATA1"]
    lines += [f"{_escape(key)}={_escape(value)}" for key, value in tags.items()]
    for start, end, title in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}", f"END={round(end * 1000)}"]
        lines.append(f"title={_escape(title)}")
    return "\n".join(lines) + "\n"


def pcm_wav(signal: npt.NDArray[np.float32], rate_hz: int) -> bytes:
    """16-bit PCM WAV bytes of a float signal (mono, or one column per channel), clipped to full scale."""
    data = signal.reshape(signal.shape[0], -1)
    pcm = np.clip(np.round(data * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(pcm.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def encode_audio(
    signal: npt.NDArray[np.float32],
    rate_hz: int,
    spec: AudioSpec,
    dest: Path,
    tags: Mapping[str, str],
    chapters: Sequence[tuple[float, float, str]] = (),
    ffmpeg: str | None = None,
) -> Path:
    """Encode ``signal`` ((samples, channels), float −1 … 1, at ``rate_hz``) to ``dest`` as ``spec`` says."""
    if signal.ndim != 2 or signal.shape[1] != spec.channels:
        raise EncodeError(f"the mix has shape {signal.shape}; {spec.extension} needs {spec.channels} channel(s)")
    with tempfile.TemporaryDirectory(prefix="taza-audio-") as tmp:
        source = Path(tmp) / "mix.wav"
        source.write_bytes(pcm_wav(signal, rate_hz))
        meta = Path(tmp) / "meta.txt"
        meta.write_text(ffmetadata(tags, chapters), encoding="utf-8")
        args = ["-y", "-i", str(source), "-f", "ffmetadata", "-i", str(meta), "-map", "0:a", "-map_metadata", "1"]
        if chapters:
            args += ["-map_chapters", "1"]
        args += [*spec.codec, "-ar", str(spec.rate_hz), "-ac", str(spec.channels)]
        if spec.extension == "mp3":
            args += ["-id3v2_version", "3", "-write_xing", "1"]
        if spec.extension == "wav":
            args += ["-rf64", "never", "-bitexact"]
        if spec.extension == "ogg":
            args += ["-map_metadata:s:a:0", "1"]  # Opus keeps its tags on the stream (Vorbis comments)
        args += ["-f", {"wav": "wav", "mp3": "mp3", "ogg": "ogg"}[spec.extension], str(dest)]
        run_ffmpeg(ffmpeg_exe(ffmpeg), args, what=f"encoding {dest.name}")
    return dest
