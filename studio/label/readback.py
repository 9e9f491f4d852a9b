"""A video decoded for its watermark and fingerprint, by one ffmpeg process straight into numpy."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe
from studio.label.fingerprint import AUDIO_RATE_HZ, FRAME_HZ, THUMB_PX, Fingerprint, video_fingerprint

#: Frames read at full size for the watermark, spread over the video.
WATERMARK_FRAMES = 10
#: Frames for the watermark are read no larger than this on their short side (the mark needs no more).
WATERMARK_SHORT_SIDE_PX = 720


@dataclass(frozen=True, eq=False)
class DecodedVideo:
    """``thumbs``: grey THUMB_PX squares at FRAME_HZ; ``frames``: grey frames for the watermark (empty
    unless asked for); ``audio``: mono float samples at AUDIO_RATE_HZ (None without a sound track)."""

    thumbs: npt.NDArray[np.uint8]
    frames: npt.NDArray[np.uint8]
    audio: npt.NDArray[np.float32] | None

    def fingerprint(self) -> Fingerprint:
        return video_fingerprint(list(self.thumbs), FRAME_HZ, self.audio)


def decode_video(
    path: Path,
    size_px: tuple[int, int],
    duration_s: float,
    *,
    has_audio: bool,
    watermark_frames: int = 0,
    ffmpeg: str | None = None,
) -> DecodedVideo:
    """Decode ``path`` (``size_px`` big, ``duration_s`` long) once: thumbnails, optional watermark frames, sound."""
    w, h = size_px
    shrink = min(1.0, WATERMARK_SHORT_SIDE_PX / min(w, h))
    fw, fh = max(2, round(w * shrink / 2) * 2), max(2, round(h * shrink / 2) * 2)
    outputs = 2 if watermark_frames else 1
    graph = f"[0:v:0]split={outputs}[a]" + ("[b]" if watermark_frames else "") + ";"
    graph += f"[a]fps={FRAME_HZ},scale={THUMB_PX}:{THUMB_PX}:flags=area,format=gray[t]"
    if watermark_frames:
        rate = watermark_frames / max(duration_s, 0.1)
        graph += f";[b]fps={rate:.6f}:start_time=0.25,scale={fw}:{fh}:flags=area,format=gray[f]"
    with tempfile.TemporaryDirectory(prefix="studio-readback-") as scratch:
        frames_file, audio_file = Path(scratch) / "frames.gray", Path(scratch) / "audio.f32"
        # non-reference frames are not decoded: about half the work; the frame nearest each half second
        # among the rest is at most a few frames away
        args = [
            "-skip_frame",
            "noref",
            "-i",
            str(path),
            "-filter_complex",
            graph,
            "-map",
            "[t]",
            "-f",
            "rawvideo",
            "pipe:1",
        ]
        if watermark_frames:
            args += ["-map", "[f]", "-f", "rawvideo", str(frames_file)]
        if has_audio:
            args += ["-map", "0:a:0", "-ac", "1", "-ar", str(AUDIO_RATE_HZ), "-f", "f32le", str(audio_file)]
        raw = run_ffmpeg_pipe(ffmpeg_exe(ffmpeg), args, what=f"{path}: decoding for fingerprint")
        frames = frames_file.read_bytes() if frames_file.is_file() else b""
        audio = np.fromfile(audio_file, dtype="<f4") if audio_file.is_file() else None
    return DecodedVideo(
        np.frombuffer(raw, dtype=np.uint8).reshape(-1, THUMB_PX, THUMB_PX),
        np.frombuffer(frames, dtype=np.uint8).reshape(-1, fh, fw),
        audio,
    )
