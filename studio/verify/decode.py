"""What verification reads out of a video, decoded by ffmpeg straight into numpy (no files written)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe

#: Seconds at the end of a video read at full size: the end card with its QR code.
END_CARD_S = 1.5
#: Frames a second read from the end card.
END_CARD_FPS = 2
#: A frame shown for long (stored once, its repeats not stored: a variable frame rate) is put back at
#: this rate before the end card is cut out, so the cut starts on the frame showing at that moment.
FILL_FPS = 60
#: Audio is analysed at this rate: speech measures look at 100-4000 Hz only.
AUDIO_RATE_HZ = 16_000


@dataclass(frozen=True, eq=False)
class VideoSamples:
    """Grey frames of a video: ``per_second[k]`` shows second ``k`` (cropped to the badge's corner);
    ``end_card`` holds the last ``END_CARD_S`` seconds at ``END_CARD_FPS`` frames a second, at full size."""

    per_second: npt.NDArray[np.uint8]
    end_card: npt.NDArray[np.uint8]


def video_samples(
    path: Path,
    crop: tuple[int, int, int, int],
    size_px: tuple[int, int],
    duration_s: float,
    ffmpeg: str | None = None,
) -> VideoSamples:
    """One frame a second cropped to ``crop`` (left, top, width, height), and the end card, in one decode.

    The fps filter picks the frame nearest each whole second, starting with the first frame. Non-reference
    frames are not decoded (about half the decoding time of a final render); the frame nearest each second
    among the rest is at most a few frames away.
    """
    left, top, width, height = crop
    end_from = max(0.0, duration_s - END_CARD_S)
    graph = (
        f"[0:v:0]split=2[a][b];[a]fps=1,format=gray,crop={width}:{height}:{left}:{top}:exact=1[s];"
        f"[b]fps={FILL_FPS},trim=start={end_from:.3f},setpts=PTS-STARTPTS,fps={END_CARD_FPS},format=gray[e]"
    )
    with tempfile.TemporaryDirectory(prefix="studio-verify-") as scratch:
        end_file = Path(scratch) / "end.gray"
        raw = run_ffmpeg_pipe(
            ffmpeg_exe(ffmpeg),
            [
                "-skip_frame",
                "noref",
                "-i",
                str(path),
                "-filter_complex",
                graph,
                "-map",
                "[s]",
                "-f",
                "rawvideo",
                "pipe:1",
                "-map",
                "[e]",
                "-f",
                "rawvideo",
                str(end_file),
            ],
            what=f"{path}: decoding frames",
        )
        end = end_file.read_bytes() if end_file.is_file() else b""
    w, h = size_px
    return VideoSamples(
        np.frombuffer(raw, dtype=np.uint8).reshape(-1, height, width),
        np.frombuffer(end, dtype=np.uint8).reshape(-1, h, w),
    )


def audio_start(path: Path, duration_s: float, ffmpeg: str | None = None) -> npt.NDArray[np.int16]:
    """The first ``duration_s`` seconds of the soundtrack, mono 16-bit at ``AUDIO_RATE_HZ``."""
    raw = run_ffmpeg_pipe(
        ffmpeg_exe(ffmpeg),
        [
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-t",
            f"{duration_s:.3f}",
            "-ac",
            "1",
            "-ar",
            str(AUDIO_RATE_HZ),
            "-f",
            "s16le",
            "pipe:1",
        ],
        what=f"{path}: decoding the soundtrack",
    )
    return np.frombuffer(raw, dtype="<i2").astype(np.int16)
