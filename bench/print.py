"""CMYK print files: the time a PDF/X-4 render adds over today's RGB print render (target: at most 30 %).

    python bench/print.py [--repeat N] [--formats a4,a2,street-banner-3x1m]

For A4, A2 and the 3 × 1 m street banner, the same job is rendered with the rgb profile (RGB JPEG
in a PDF 1.4) and with the coated profile (separation through littleCMS, K-only text and QR, ink
check, CMYK JPEG, simulated-press QR check, PDF/X-4, colour-managed proof), each N times in one
process; medians are printed with the added time in per cent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.campaign import load_campaign  # noqa: E402
from studio.plan import Job  # noqa: E402
from studio.quarters import Quarter  # noqa: E402
from studio.stills.render import render_job  # noqa: E402

CAMPAIGN = ROOT / "campaigns" / "tash-komur-2026.yaml"
CASES = {
    "a4": ("men-para-berbeym-poster", "2026Q1"),
    "a2": ("clean-kyrgyzstan-billboard", "2026Q2"),
    "street-banner-3x1m": ("report-street-banner", "2026Q1"),
}
TARGET_PCT = 30


def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds of one call (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    args = parser.parse_args()
    base = load_campaign(CAMPAIGN)
    campaigns = {
        name: base.model_copy(update={"print_": base.print_.model_copy(update={"profile": name})})
        for name in ("rgb", "coated")
    }
    print(f"{'format':<22}{'rgb s':>9}{'cmyk s':>9}{'added':>9}{'rgb cpu':>10}{'cmyk cpu':>10}{'added':>9}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            deliverable, quarter = CASES[fmt]
            job = Job(Quarter.parse(quarter), deliverable, "ky", fmt, "banner")
            # One warm-up each: fonts, ICC transforms and design caches are loaded once per process.
            for c in campaigns.values():
                render_job(c, job, Path(tmp))
            runs: dict[str, list[tuple[float, float]]] = {"rgb": [], "coated": []}
            for _ in range(args.repeat):  # interleaved, so both see the same machine
                for name, c in campaigns.items():
                    runs[name].append(timed(lambda c=c, job=job: render_job(c, job, Path(tmp))))
            rgb, cmyk = (statistics.median(w for w, _ in runs[n]) for n in ("rgb", "coated"))
            rgb_cpu, cmyk_cpu = (statistics.median(c for _, c in runs[n]) for n in ("rgb", "coated"))
            added = (cmyk - rgb) / rgb * 100
            added_cpu = (cmyk_cpu - rgb_cpu) / rgb_cpu * 100
            worst = max(worst, added)
            print(
                f"{fmt:<22}{rgb:>9.2f}{cmyk:>9.2f}{added:>8.0f}%{rgb_cpu:>10.2f}{cmyk_cpu:>10.2f}{added_cpu:>8.0f}%",
                flush=True,
            )
    verdict = "within" if worst <= TARGET_PCT else "over"
    print(f"largest added time {worst:.0f} % ({verdict} the {TARGET_PCT} % target)")


if __name__ == "__main__":
    main()
