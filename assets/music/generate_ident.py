"""Generate the station ident: ``assets/music/ident.opus`` (2.4 s, 48 kHz stereo), a rising four-note chime.

    .venv/bin/python assets/music/generate_ident.py [--out assets/music/ident.opus]

Additive synthesis in numpy: four bell-like notes (A4, C♯5, E5, A5) a quarter-second apart, each a
few inharmonic partials with a fast attack and exponential decay, over a soft A-major pad that swells
and fades. Deterministic: the same numbers give the same file. Encoded to Opus with the ffmpeg bundled
in imageio-ffmpeg. Played after the spoken disclosure of every radio spot, podcast and voice note.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import wave
from pathlib import Path

import numpy as np

RATE_HZ = 48_000
LENGTH_S = 2.4
NOTES = (69, 73, 76, 81)  # A4, C#5, E5, A5
STEP_S = 0.22
PAD = (57, 61, 64)  # A3, C#4, E4
#: Bell partials (ratio, relative level, decay in seconds): slightly inharmonic, like a struck bar.
PARTIALS = ((1.0, 1.0, 0.9), (2.0, 0.45, 0.5), (3.01, 0.2, 0.3), (4.2, 0.12, 0.18))


def hz(midi: int) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def render() -> np.ndarray:
    t = np.arange(round(LENGTH_S * RATE_HZ)) / RATE_HZ
    left = np.zeros_like(t)
    right = np.zeros_like(t)
    for i, note in enumerate(NOTES):
        start = i * STEP_S
        local = np.clip(t - start, 0.0, None)
        on = t >= start
        attack = np.minimum(1.0, local / 0.004)
        tone = sum(
            level * np.sin(2 * np.pi * hz(note) * ratio * local) * np.exp(-local / decay)
            for ratio, level, decay in PARTIALS
        )
        voice = on * attack * tone * (0.9 if i == len(NOTES) - 1 else 0.7)
        pan = 0.35 + 0.1 * i  # the chime moves gently from left to right
        left += voice * (1 - pan)
        right += voice * pan
    swell = np.sin(np.pi * np.clip(t / LENGTH_S, 0, 1)) ** 2
    pad = sum(np.sin(2 * np.pi * hz(n) * t) + 0.3 * np.sin(2 * np.pi * 2 * hz(n) * t) for n in PAD) * swell * 0.12
    stereo = np.stack([left + pad, right + pad], axis=1)
    fade = np.ones_like(t)
    tail = round(0.3 * RATE_HZ)
    fade[-tail:] = np.linspace(1.0, 0.0, tail)
    stereo *= fade[:, None]
    return stereo * (10 ** (-6 / 20) / np.max(np.abs(stereo)))  # peak −6 dBFS, like the music bed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("ident.opus"))
    args = parser.parse_args()
    import imageio_ffmpeg

    pcm = np.round(render() * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(pcm.tobytes())
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "wav"]
    command += ["-i", "pipe:0", "-c:a", "libopus", "-b:a", "128k", "-map_metadata", "-1", "-fflags", "+bitexact"]
    command += ["-flags:a", "+bitexact", str(args.out)]
    subprocess.run(command, input=buffer.getvalue(), check=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
