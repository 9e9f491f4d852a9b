"""Booklet and infographic speed: seconds per booklet page and per infographic, on one core.

    python bench/pages.py [--repeat N]

Renders, in one process, a 16-page A5 booklet (the sample "how to report" booklet with the conflict-of-
interest leaflet's sections added, so that content fills the pages) in Kyrgyz and Russian — reader PDF,
imposed print PDF, a PNG preview of every page, the QR code read back — then the sample infographic in
each of its formats. Each is run N times after one warm-up (which pays matplotlib's import, ~1 s, once
per worker process); medians of wall and CPU time are printed. Target: a 16-page booklet under 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.campaign import load_campaign  # noqa: E402
from studio.kinds import RenderOptions, get_kind  # noqa: E402
from studio.plan import Job  # noqa: E402
from studio.quarters import Quarter  # noqa: E402

CAMPAIGN = ROOT / "campaigns" / "tash-komur-2026.yaml"
BOOKLET_PAGES = 16
TARGET_S = 5.0


def bench_project(folder: Path) -> Path:
    """A copy of the project whose booklet has 16 pages of content."""
    for part in ("assets", "templates"):
        shutil.copytree(ROOT / part, folder / part)
    shutil.copytree(ROOT / "campaigns", folder / "campaigns")
    booklets = folder / "templates" / "booklets"
    for lang in ("ky", "ru"):
        main = (booklets / f"how-to-report.{lang}.md").read_text(encoding="utf-8")
        extra = (booklets / f"conflict-of-interest.{lang}.md").read_text(encoding="utf-8")
        (booklets / f"bench.{lang}.md").write_text(main + "\n\n---\n\n" + extra, encoding="utf-8")
    data = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
    booklet = next(d for d in data["deliverables"] if d["id"] == "how-to-report-booklet")
    booklet.update(content="bench", pages=BOOKLET_PAGES)
    path = folder / "campaigns" / "bench.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs, after one warm-up run."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (after one warm-up)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    with tempfile.TemporaryDirectory(prefix="taza-bench-pages-") as tmp:
        campaign = load_campaign(bench_project(Path(tmp) / "project"))
        out = Path(tmp) / "out"
        options = RenderOptions(cache_dir=str(out / ".cache"))

        def run(deliverable: str, lang: str, fmt: str) -> Callable[[], object]:
            kind = campaign.deliverable(deliverable).kind
            job = Job(Quarter.parse("2026Q1"), deliverable, lang, fmt, kind)
            return lambda: get_kind(kind).render(campaign, job, out, options)

        print(f"{BOOKLET_PAGES}-page A5 booklet (reader PDF + print PDF + {BOOKLET_PAGES} previews), one core:")
        for lang in ("ky", "ru"):
            wall, cpu = timed(run("how-to-report-booklet", lang, "a5-booklet"), args.repeat)
            verdict = "ok" if wall < TARGET_S else f"OVER the {TARGET_S:.0f} s target"
            print(
                f"  {lang}: {wall:5.2f} s wall, {cpu:5.2f} s CPU — {wall / BOOKLET_PAGES * 1000:4.0f} ms a page  "
                f"[{verdict}]"
            )
        print("Infographic, per format:")
        deliverable = campaign.deliverable("reports-2025-infographic")
        for fmt in deliverable.formats:
            wall, cpu = timed(run(deliverable.id, "ky", fmt), args.repeat)
            print(f"  {fmt:20s} {wall:5.2f} s wall, {cpu:5.2f} s CPU")


if __name__ == "__main__":
    main()
