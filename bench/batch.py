"""Quarterly batch speed: cold, unchanged (no-op), one text changed, and 1 against 2 workers.

    python bench/batch.py [--with-videos]

Renders the sample campaign's 2026Q1 batch (banners and social ads; with --with-videos the
explainers too) into a temporary folder, side by side in one run:

1. cold, with every core;
2. again, unchanged: every job is skipped (target: at most 5 % of cold);
3. again after one headline changed: only that deliverable's jobs in that language re-render;
4. the stills alone, cold, with 1 worker and with 2 (target: 2 workers at least 1.8× faster).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "campaigns" / "tash-komur-2026.yaml"


def render(project: Path, out: Path, keys: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "studio.cli", "render", str(project / "campaigns" / SAMPLE.name), "-q", "2026Q1",
         "--out", str(out), "--keys", str(keys), *extra],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-videos", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the 1- and 2-worker comparison")
    args = parser.parse_args()
    only = [] if args.with_videos else ["--only", "banners,social"]
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
        print(f"sample campaign 2026Q1{' with videos' if args.with_videos else ' (banners and social ads)'}")
        print(f"  cold, every core:          {cold:7.2f} s")
        print(f"  unchanged (no-op):         {noop:7.2f} s  = {noop / cold:.1%} of cold (includes ~0.4 s start-up)")
        print(f"  one headline changed (ru): {changed:7.2f} s  = {changed / cold:.1%} of cold (5 social jobs)")
        walls = {}
        for workers in (1, 2):
            walls[workers] = render(
                project, work / f"w{workers}", keys, "--only", "banners,social", "--workers", str(workers)
            )
        print(f"  stills cold, 1 worker:     {walls[1]:7.2f} s")
        print(f"  stills cold, 2 workers:    {walls[2]:7.2f} s  → {walls[1] / walls[2]:.2f}× faster")


if __name__ == "__main__":
    main()
