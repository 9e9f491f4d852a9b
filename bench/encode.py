"""Benchmark: studio encode (motion on) against a direct ffmpeg encode of the same slides and audio.

    .venv/bin/python bench/encode.py [--seconds 60] [--slides 8] [--sizes youtube,story]
                                     [--preset ultrafast] [--repeat 1]

For each size it draws the slides once with Pillow, makes a synthetic narration, then times, each
in a fresh child process so peak memory is its own:
  baseline  ffmpeg concat demuxer over the PNG slides + the mixed audio,
            ``-vf format=yuv420p,fps=30``, x264 ultrafast (the near-limit reference);
  studio    encode_video with every slide moving (zooms and pans), crossfades, ducked music;
  draft     the same through the draft settings.
With ``--repeat N`` the runs are interleaved N times and medians reported (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.encode import (  # noqa: E402
    CUT,
    Audio,
    Motion,
    MotionKind,
    Slide,
    crossfade,
    default_music_bed,
    encode_video,
    probe_mp4,
    settings_for,
)
from studio.encode.audio import load_audio, wav_bytes  # noqa: E402
from studio.encode.ffmpeg import ffmpeg_exe  # noqa: E402
from studio.encode.mix import MixSettings, mix_tracks  # noqa: E402

FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"
MOTIONS = (
    MotionKind.ZOOM_IN,
    MotionKind.PAN_RIGHT,
    MotionKind.ZOOM_OUT,
    MotionKind.PAN_LEFT,
    MotionKind.ZOOM_IN,
    MotionKind.PAN_DOWN,
    MotionKind.ZOOM_OUT,
    MotionKind.PAN_UP,
)


def draw_slide(index: int, size: tuple[int, int]) -> Image.Image:
    """A text slide like the layout engine's: gradient, headline, body lines, a badge."""
    w, h = size
    base = np.array([[20, 60, 120], [120, 30, 40], [30, 100, 60], [90, 60, 140]][index % 4], float)
    ramp = np.linspace(0.6, 1.0, h)[:, None, None] * base + np.linspace(0, 40, w)[None, :, None]
    image = Image.fromarray(ramp.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    unit = min(w, h)
    head = ImageFont.truetype(str(FONT), int(unit * 0.07))
    body = ImageFont.truetype(str(FONT), int(unit * 0.035))
    draw.text((w * 0.08, h * 0.18), f"{index + 1}. Ачык бюджет", font=head, fill="white")
    for k in range(5):
        draw.text((w * 0.08, h * (0.38 + 0.08 * k)), "Коррупция жөнүндө кабарлаңыз — ң ө ү", font=body, fill="#e6e6e6")
    draw.ellipse((w * 0.72, h * 0.7, w * 0.72 + unit * 0.18, h * 0.7 + unit * 0.18), fill=(255, 200, 0))
    return image


def synthetic_narration(seconds: float, rate: int = 22_050) -> Audio:
    """Speech-like bursts (a buzzy vowel 1.5 s on, 0.6 s off) as int16 mono."""
    t = np.arange(int(seconds * rate)) / rate
    voice = np.sign(np.sin(2 * np.pi * 140 * t)) * 0.3 + np.sin(2 * np.pi * 700 * t) * 0.2
    gate = (t % 2.1) < 1.5
    return Audio((voice * gate * 0.5 * 32767).astype(np.int16), rate)


def measure(argv: list[str]) -> dict[str, float]:
    """Run ``bench/encode.py --one ...`` in a child process; its JSON report."""
    out = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"bench child failed: {' '.join(argv)}\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_one(kind: str, work: Path, size: str, preset: str, seconds: float) -> dict[str, float]:
    """One measured render inside this (child) process."""
    slides_meta = json.loads((work / "slides.json").read_text())
    started = time.perf_counter()
    if kind == "baseline":
        out = work / "baseline.mp4"
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", str(work / "list.txt"), "-i", str(work / "mix.wav"),
            "-vf", "format=yuv420p,fps=30", "-c:v", "libx264", "-preset", "ultrafast",
            "-c:a", "aac", "-movflags", "+faststart", str(out),
        ]  # fmt: skip
        subprocess.run(cmd, check=True)
    else:
        images = [Image.open(work / f"slide{i}.png").convert("RGB") for i in range(len(slides_meta))]
        settings = settings_for(size, draft=kind == "draft", preset=preset)
        slides = [
            Slide(
                image,
                meta["duration_s"],
                Motion(MOTIONS[i % len(MOTIONS)]),
                crossfade(0.5) if i % 2 else CUT,
            )
            for i, (image, meta) in enumerate(zip(images, slides_meta, strict=True))
        ]
        narration = Audio(np.load(work / "narration.npy"), 22_050)
        out = work / f"{kind}.mp4"
        encode_video(slides, narration, out, settings, music=work / "music.wav")
    wall = time.perf_counter() - started
    facts = probe_mp4(out)
    return {
        "wall_s": wall,
        "peak_mib": peak_mib(),
        "mib": out.stat().st_size / 2**20,
        "duration_s": facts.duration_s,
        "audio_s": facts.audio.duration_s if facts.audio else 0.0,
    }


def prepare(work: Path, size: str, n_slides: int, seconds: float) -> None:
    """Slides as PNG + concat list, narration, music and the mixed WAV the baseline uses."""
    size_px = settings_for(size).size_px
    duration = seconds / n_slides
    lines = []
    meta = []
    for i in range(n_slides):
        draw_slide(i, size_px).save(work / f"slide{i}.png", compress_level=1)
        lines += [f"file '{work / f'slide{i}.png'}'", f"duration {duration:.6f}"]
        meta.append({"duration_s": duration})
    (work / "list.txt").write_text("\n".join(lines) + "\n")
    (work / "slides.json").write_text(json.dumps(meta))
    narration = synthetic_narration(seconds)
    np.save(work / "narration.npy", narration.samples)
    try:
        music = load_audio(default_music_bed(), 48_000, 2)
    except Exception:  # the bed is optional here: fall back to a soft chord
        t = np.arange(48_000 * 20) / 48_000
        chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) * 0.1
        music = np.stack([chord, chord], axis=1).astype(np.float32)
    (work / "music.wav").write_bytes(wav_bytes(Audio(music, 48_000)))
    voice = load_audio(narration, 48_000, 1)[:, 0]
    mixed = mix_tracks(voice, music, int(seconds * 48_000), 48_000, MixSettings())
    (work / "mix.wav").write_bytes(wav_bytes(Audio(mixed, 48_000)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--slides", type=int, default=8)
    parser.add_argument("--sizes", default="youtube,story")
    parser.add_argument("--preset", default=None, help="x264 preset for the studio encode (default: settings')")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--one", nargs=3, metavar=("KIND", "WORK", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    preset = args.preset or settings_for("youtube").preset
    if args.one:
        kind, work, size = args.one
        print(json.dumps(run_one(kind, Path(work), size, preset, args.seconds)))
        return

    print(f"{os.cpu_count()} CPUs; {args.seconds:.0f} s video, {args.slides} slides, studio preset {preset}")
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory(prefix="bench-encode-") as tmp:
            work = Path(tmp)
            prepare(work, size, args.slides, args.seconds)
            runs: dict[str, list[dict[str, float]]] = {"baseline": [], "studio": [], "draft": []}
            for _ in range(args.repeat):
                for kind in runs:
                    extra = ["--preset", preset, "--seconds", str(args.seconds)]
                    runs[kind].append(measure(["--one", kind, str(work), size, *extra]))
            med = {k: {f: statistics.median(r[f] for r in v) for f in v[0]} for k, v in runs.items()}
            base, studio, draft = med["baseline"], med["studio"], med["draft"]
            size_px = settings_for(size).size_px
            print(f"\n{size} {size_px[0]}x{size_px[1]} (median of {args.repeat})")
            header = ("wall s", "x real time", "peak MiB", "file MiB", "video s", "audio s")
            print(f"{'':10s} " + " ".join(f"{h:>11s}" for h in header))
            for name, m in (("baseline", base), ("studio", studio), ("draft", draft)):
                print(
                    f"{name:10s} {m['wall_s']:11.2f} {args.seconds / m['wall_s']:11.1f} {m['peak_mib']:11.0f} "
                    f"{m['mib']:11.2f} {m['duration_s']:11.3f} {m['audio_s']:11.3f}"
                )
            print(f"ratio studio / baseline: {studio['wall_s'] / base['wall_s']:.2f} (target <= 1.3)")
            print(f"draft real-time factor: {args.seconds / draft['wall_s']:.1f}x (target >= 20)")


if __name__ == "__main__":
    main()
