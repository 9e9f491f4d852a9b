"""Generate the calm pad music bed: ``assets/music/calm-pad.opus`` (72 s, 48 kHz stereo, loops seamlessly).

    .venv/bin/python assets/music/generate_bed.py [--out assets/music/calm-pad.opus] [--wav bed.wav]

Additive synthesis in numpy: a slow i-VI-III-VII progression in A minor (Am, F, C, G), each chord a
soft pad of detuned harmonics with long attack and release, over a quiet root bass. Every note is
written on a circular timeline (a release running past the end continues at the start) and the slow
tremolo makes whole cycles per loop, so the bed repeats without a seam. Deterministic: the same
numbers give the same file. Encoded to Opus with the ffmpeg bundled in imageio-ffmpeg.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import wave
from pathlib import Path

import numpy as np

RATE_HZ = 48_000
CHORD_S = 9.0
# MIDI notes: Am (A3 C4 E4 A4), F (F3 A3 C4 F4), C (E3 G3 C4 E4), G (D3 G3 B3 D4); bass an octave below.
PROGRESSION = ((57, 60, 64, 69), (53, 57, 60, 65), (52, 55, 60, 64), (50, 55, 59, 62))
BASS = (45, 41, 48, 43)
CYCLES = 2
ATTACK_S = 2.5
RELEASE_S = 3.5


def midi_hz(note: int) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12)


def envelope(n: int, rate: int) -> np.ndarray:
    """Raised-cosine attack, a gently sagging sustain, raised-cosine release."""
    t = np.arange(n) / rate
    hold = CHORD_S
    env = np.ones(n)
    attack = t < ATTACK_S
    env[attack] = 0.5 - 0.5 * np.cos(np.pi * t[attack] / ATTACK_S)
    env *= 1.0 - 0.15 * np.clip((t - ATTACK_S) / (hold - ATTACK_S), 0.0, 1.0)
    release = t >= hold
    env[release] *= 0.5 + 0.5 * np.cos(np.pi * np.clip((t[release] - hold) / RELEASE_S, 0.0, 1.0))
    return env


def pad_voice(freq: float, n: int, rate: int, rng: np.random.Generator, pan: float) -> np.ndarray:
    """One pad note: three detuned copies of a soft harmonic stack, shaped by the envelope."""
    t = np.arange(n) / rate
    out = np.zeros((n, 2))
    for detune in (-0.004, 0.0, 0.0045):
        f = freq * (1.0 + detune)
        tone = np.zeros(n)
        for harmonic, weight in ((1, 1.0), (2, 0.35), (3, 0.18), (4, 0.08), (5, 0.04)):
            tone += weight * np.sin(2 * np.pi * f * harmonic * t + rng.uniform(0, 2 * np.pi))
        side = pan + detune * 60.0  # detuned copies spread a little to either side
        out[:, 0] += tone * np.sqrt(0.5 * (1.0 - side))
        out[:, 1] += tone * np.sqrt(0.5 * (1.0 + side))
    return out * envelope(n, rate)[:, None] / 3.0


def synthesise(rate: int = RATE_HZ) -> np.ndarray:
    """The loop as float32 stereo, peak -6 dBFS."""
    rng = np.random.default_rng(2026)
    chords = len(PROGRESSION) * CYCLES
    total = int(round(chords * CHORD_S * rate))
    note_len = int(round((CHORD_S + RELEASE_S) * rate))
    bed = np.zeros((total, 2))
    for k in range(chords):
        notes = PROGRESSION[k % len(PROGRESSION)]
        start = int(round(k * CHORD_S * rate))
        voice = np.zeros((note_len, 2))
        for j, note in enumerate(notes):
            voice += pad_voice(midi_hz(note), note_len, rate, rng, pan=(j - 1.5) * 0.25) * (0.9 if j else 1.0)
        voice += 0.8 * pad_voice(midi_hz(BASS[k % len(BASS)]), note_len, rate, rng, pan=0.0)
        index = (start + np.arange(note_len)) % total  # circular: the last release wraps to the start
        np.add.at(bed, index, voice)
    t = np.arange(total) / rate
    tremolo = 1.0 + 0.06 * np.sin(2 * np.pi * 3 * t / (total / rate))  # three whole cycles per loop
    bed *= tremolo[:, None]
    bed *= 10 ** (-6 / 20) / np.max(np.abs(bed))
    return bed.astype(np.float32)


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("calm-pad.opus"))
    parser.add_argument("--wav", type=Path, help="also write the uncompressed loop here")
    parser.add_argument("--bitrate", default="96k")
    args = parser.parse_args()
    import imageio_ffmpeg

    bed = synthesise()
    data = wav_bytes(bed, RATE_HZ)
    if args.wav:
        args.wav.write_bytes(data)
    temp = args.out.with_name(f".{args.out.name}.part")
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "wav", "-i", "pipe:0",
        "-c:a", "libopus", "-b:a", args.bitrate, "-vbr", "on", "-application", "audio",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-f", "opus", str(temp),
    ]  # fmt: skip
    try:
        subprocess.run(command, input=data, check=True)
        temp.replace(args.out)
    finally:
        temp.unlink(missing_ok=True)
    print(f"{args.out}: {bed.shape[0] / RATE_HZ:.1f} s, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
