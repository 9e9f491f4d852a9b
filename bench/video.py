"""Explainer video speed: the studio against a direct ffmpeg encode of the same slides and audio.

    python bench/video.py [--lang ky] [--repeat 1]

For the sample campaign's "what is a bribe" explainer (narration cached after a warm-up), in 16:9
(youtube) and 9:16 (story), each measurement runs in its own process, side by side in one run:

- studio: the whole job (script, cached speech, timeline, slides, motion, crossfades, badge and
  caption overlays, music bed, encode, XMP + C2PA signing, caption files);
- unlabelled: the same encode without the badge and captions overlays and without signing, to show
  what labelling adds;
- baseline: ffmpeg alone on the studio's pre-drawn slides and narration, concat demuxer,
  ``-vf format=yuv420p,fps=30``, x264 ultrafast (no motion, no overlays): the near-limit figure;
- draft: the studio's fast low-resolution preview.

It prints wall time, real-time factor (video seconds per wall second), peak memory (this process
and its ffmpeg) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CAMPAIGN = ROOT / "campaigns" / "tash-komur-2026.yaml"
DELIVERABLE = "what-is-a-bribe-video"


def _job(fmt: str, lang: str):  # type: ignore[no-untyped-def]
    from studio.plan import Job
    from studio.quarters import Quarter

    return Job(Quarter.parse("2026Q1"), DELIVERABLE, lang, fmt, "video")


def measure(mode: str, fmt: str, lang: str, work: Path, keys: Path) -> dict[str, float]:
    """One measurement, in this (fresh) process."""
    import imageio_ffmpeg

    from studio.campaign import load_campaign
    from studio.encode import encode_video
    from studio.video.explainer import VideoOptions, prepare_video, render_video_job

    campaign = load_campaign(CAMPAIGN)
    job = _job(fmt, lang)
    options = VideoOptions(work / "speech", draft=(mode == "draft"))
    start = time.perf_counter()
    if mode in ("studio", "draft"):
        outputs = render_video_job(campaign, job, work / mode, options, str(keys))
        duration = outputs[0].extra["duration_s"]
    else:
        video = prepare_video(campaign, job, options)
        duration = video.timeline.duration_s
        if mode == "unlabelled":  # timed from the start, like the studio run: only the labels differ
            (work / mode).mkdir(exist_ok=True)
            encode_video(video.slides, video.narration, work / mode / "out.mp4", video.settings)
        else:  # baseline: ffmpeg on the same slides and audio, nothing else
            folder = work / "baseline"
            folder.mkdir(exist_ok=True)
            lines = []
            for i, slide in enumerate(video.slides):
                slide.image.save(folder / f"s{i:02d}.png", compress_level=1)
                lines += [f"file 's{i:02d}.png'", f"duration {slide.duration_s:.6f}"]
            (folder / "list.txt").write_text("\n".join(lines) + "\n")
            import wave

            import numpy as np

            pcm = (np.clip(video.narration.samples, -1, 1) * 32767).astype("<i2")
            with wave.open(str(folder / "audio.wav"), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(video.narration.rate_hz)
                w.writeframes(pcm.tobytes())
            start = time.perf_counter()  # the slides are the studio's; only the encode is timed
            subprocess.run(
                [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", "list.txt",
                 "-i", "audio.wav", "-vf", "format=yuv420p,fps=30", "-c:v", "libx264", "-preset", "ultrafast",
                 "-c:a", "aac", "-t", f"{duration:.3f}", "-movflags", "+faststart", "out.mp4"],
                cwd=folder, check=True,
            )  # fmt: skip
    wall = time.perf_counter() - start
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"wall_s": wall, "duration_s": duration, "peak_mib": max(self_kb, child_kb) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="ky")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--measure", nargs=4, metavar=("MODE", "FORMAT", "WORK", "KEYS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        mode, fmt, work, keys = args.measure
        print(json.dumps(measure(mode, fmt, args.lang, Path(work), Path(keys))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        keys = work / "keys"
        subprocess.run(
            [sys.executable, "-m", "studio.cli", "keys", "init", "--keys", str(keys)], check=True, capture_output=True
        )

        def run(mode: str, fmt: str) -> dict[str, float]:
            runs = []
            for _ in range(args.repeat):
                done = subprocess.run(
                    [sys.executable, __file__, "--lang", args.lang, "--measure", mode, fmt, str(work), str(keys)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            return {k: statistics.median(r[k] for r in runs) for k in runs[0]}

        run("draft", "youtube")  # warm-up: speaks every sentence once into the cache
        print(f"{DELIVERABLE} ({args.lang}), narration cached, median of {args.repeat}")
        print(f"{'format':<9}{'mode':<12}{'wall s':>8}{'× real time':>13}{'peak MiB':>10}{'÷ baseline':>12}")
        for fmt in ("youtube", "story"):
            results = {mode: run(mode, fmt) for mode in ("baseline", "studio", "unlabelled", "draft")}
            base = results["baseline"]["wall_s"]
            for mode, r in results.items():
                print(
                    f"{fmt:<9}{mode:<12}{r['wall_s']:8.2f}{r['duration_s'] / r['wall_s']:13.1f}"
                    f"{r['peak_mib']:10.0f}{r['wall_s'] / base:12.2f}"
                )
            extra = results["studio"]["wall_s"] / results["unlabelled"]["wall_s"] - 1
            print(f"{fmt:<9}labelling (badge, captions, XMP, C2PA) adds {extra:+.1%} to the studio render")


if __name__ == "__main__":
    main()
