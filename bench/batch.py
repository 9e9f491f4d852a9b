"""Quarterly batch speed: cold, unchanged (no-op), one text changed, and 1 against 2 workers.

    python bench/batch.py [--with-videos]

Renders the sample campaign's 2026Q1 batch (banners and social ads; with --with-videos the
explainers too) into a temporary folder, side by side in one run:

1. cold, with every core;
2. again, unchanged: every job is skipped (target: at most 5 % of cold);
3. again after one headline changed: only that deliverable's jobs in that language re-render;
4. the stills alone, cold, with 1 worker and with 2, alternated ``--repeat`` times (default 5),
   medians (target: 2 workers at least 1.8× faster).

Each run is a fresh ``studio render`` process, timed in wall-clock seconds and in CPU seconds (the
process and its workers), so a busy machine shows in the gap between the two. ``--quick`` (a check
that the script works) renders only the 1080×1080 social ads.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "campaigns" / "tash-komur-2026.yaml"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render(project: Path, out: Path, keys: Path, *extra: str) -> tuple[float, float]:
    """One ``studio render`` run: (wall seconds, CPU seconds of it and its worker processes)."""
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "studio.cli", "render", str(project / "campaigns" / SAMPLE.name), "-q", "2026Q1",
         "--out", str(out), "--keys", str(keys), *extra],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start, _children_cpu() - cpu


def line(name: str, run: tuple[float, float], cold: tuple[float, float] | None = None, note: str = "") -> str:
    wall, cpu = run
    text = f"  {name:<40}{wall:7.2f} s wall {cpu:7.2f} s CPU"
    if cold:
        text += f"  = {wall / cold[0]:6.1%} of cold (CPU {cpu / cold[1]:.1%})"
    return text + note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-videos", action="store_true")
    parser.add_argument("--quick", action="store_true", help="only the 1080×1080 social ads, to check the script")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of 1 and 2 workers, alternated (medians)")
    args = parser.parse_args()
    only = [] if args.with_videos else ["--only", "banners,social"]
    stills = ["--only", "banners,social"]
    if args.quick:
        only = stills = ["--only", "social", "--format", "instagram-post"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = work / "project"
        for folder in ("assets", "templates", "campaigns"):
            shutil.copytree(ROOT / folder, project / folder)
        keys = work / "keys"
        subprocess.run(
            [sys.executable, "-m", "studio.cli", "keys", "init", "--keys", str(keys)], check=True, capture_output=True
        )
        out = work / "renders"
        cold = render(project, out, keys, *only)
        noop = render(project, out, keys, *only)
        path = project / "campaigns" / SAMPLE.name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["deliverables"][3]["text"]["ru"]["headline"] = "Я не даю взяток. Никогда!"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        changed = render(project, out, keys, *only)
        what = "banners and social ads" if not args.with_videos else "with videos"
        what = "1080×1080 social ads only, --quick" if args.quick else what
        print(f"sample campaign 2026Q1 ({what})")
        print(line("cold, every core:", cold))
        print(line("unchanged (no-op):", noop, cold, "  (target ≤ 5 %)"))
        print(line("one headline changed (ru):", changed, cold))
        rounds: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        for attempt in range(max(1, args.repeat)):
            # alternated, so a busy spell of the machine weighs on both alike
            for workers in (1, 2) if attempt % 2 == 0 else (2, 1):
                out = work / f"w{workers}-{attempt}"
                rounds[workers].append(render(project, out, keys, *stills, "--workers", str(workers)))
        runs = {
            w: (statistics.median(wall for wall, _ in rs), statistics.median(cpu for _, cpu in rs))
            for w, rs in rounds.items()
        }
        n = len(rounds[1])
        print(line(f"stills cold, 1 worker (median of {n}):", runs[1]))
        print(line(f"stills cold, 2 workers (median of {n}):", runs[2]))
        ratios = sorted(a[0] / b[0] for a, b in zip(rounds[1], rounds[2], strict=True))
        print(
            f"  1 → 2 workers: {runs[1][0] / runs[2][0]:.2f}× faster (target ≥ 1.8×); "
            f"round by round {ratios[0]:.2f}× to {ratios[-1]:.2f}×"
        )


if __name__ == "__main__":
    main()
