"""What a second core is worth on this machine: the same work on one core, then two copies of it at
once on two cores, side by side in one run.

    python bench/cores.py [--repeat 3] [--quick]

Three kinds of work, each a separate process pinned to its core:

- python: a pure Python loop (no memory traffic to speak of);
- x264: ffmpeg encoding a generated 1080p clip with the explainers' x264 settings, one thread;
- pillow: drawing, compositing, cropping and writing 1080p RGBA pictures, as an explainer's sprites are.

For each it prints the time one copy takes alone, the time two take at once, and the throughput of
two cores against one (2 × alone ÷ together). That is the most any job can gain from the second
core here: two copies of the same work need nothing from each other. ``bench/video.py``'s "1 core ÷
2 cores" and ``bench/batch.py``'s "1 → 2 workers" are bounded by it. On a machine whose two cores
are independent it is 2.0; where they share a physical core, memory bandwidth or a power budget, less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON_LOOP = "x = 0\nfor i in range({n}):\n    x += i * i\n"

PILLOW_WORK = """
from PIL import Image, ImageDraw
import sys
out = sys.argv[1]
for k in range({n}):
    base = Image.new("RGBA", (1080, 1920), (40, 60, 90, 255))
    draw = ImageDraw.Draw(base)
    for j in range(40):
        draw.ellipse((j * 20, j * 30, j * 20 + 300, j * 30 + 300), fill=(200, 120 + j, 80, 180))
    face = base.crop((100, 200, 700, 1400))
    face.alpha_composite(base.crop((0, 0, 600, 1200)).point(lambda v: v // 2))
    face.save(f"{{out}}/p{{k}}.tif")
"""


def _workload(kind: str, scale: int, folder: str) -> list[str]:
    if kind == "python":
        return [sys.executable, "-c", PYTHON_LOOP.format(n=12_000_000 // scale)]
    if kind == "pillow":
        return [sys.executable, "-c", PILLOW_WORK.format(n=30 // scale), folder]
    from studio.video.explainer import FINAL_PRESET, FINAL_X264  # the explainers' own x264 settings

    frames = 240 // scale
    return [
        imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=1920x1080:rate=30,format=yuv420p", "-frames:v", str(frames), "-threads", "1",
        "-c:v", "libx264", "-preset", FINAL_PRESET, "-x264-params", FINAL_X264, "-f", "null", "-",
    ]  # fmt: skip


def _run_pinned(commands: list[list[str]]) -> float:
    """Wall seconds until every command, each pinned to a core of its own, has finished."""
    start = time.perf_counter()
    procs = []
    for core, command in enumerate(commands):
        proc = subprocess.Popen(command, preexec_fn=lambda c=core: os.sched_setaffinity(0, {c}))  # noqa: PLW1509
        procs.append(proc)
    for proc in procs:
        if proc.wait() != 0:
            raise SystemExit(f"{proc.args!r} failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds, alternated (medians)")
    parser.add_argument("--quick", action="store_true", help="short work, one round: a check that the script runs")
    args = parser.parse_args()
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("this machine has one core: there is no second core to measure")
    scale, rounds = (6, 1) if args.quick else (1, max(1, args.repeat))
    print(f"two cores against one, {os.cpu_count()} cores on this machine, median of {rounds}")
    print(f"{'work':<8}{'one alone s':>13}{'two at once s':>15}{'2 cores ÷ 1':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp) / "a", Path(tmp) / "b"]
        for folder in folders:
            folder.mkdir()
        for kind in ("python", "x264", "pillow"):
            alone: list[float] = []
            together: list[float] = []
            for attempt in range(rounds):
                # alternated, so a busy spell of the machine weighs on both alike
                for two in (False, True) if attempt % 2 == 0 else (True, False):
                    count = 2 if two else 1
                    wall = _run_pinned([_workload(kind, scale, str(folders[c])) for c in range(count)])
                    (together if two else alone).append(wall)
            one, both = statistics.median(alone), statistics.median(together)
            print(f"{kind:<8}{one:13.2f}{both:15.2f}{2 * one / both:12.2f}×")


if __name__ == "__main__":
    main()
