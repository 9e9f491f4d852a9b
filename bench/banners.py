"""Banner and social-ad speed: ms per render for each format, and renders per second for a quarter.

    python bench/banners.py [--repeat N]

Each format is rendered N times in one process (layout, raster, encode, QR read-back, atomic write;
the median is printed, with its parts). Then the sample campaign's full 2026Q1 banners and social ads
are rendered with 1 and with 2 worker processes, side by side in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.batch.executors import LocalExecutor  # noqa: E402
from studio.batch.runner import run_batch  # noqa: E402
from studio.campaign import load_campaign  # noqa: E402
from studio.formats import get_format  # noqa: E402
from studio.kinds import RenderOptions  # noqa: E402
from studio.plan import Job, plan_jobs  # noqa: E402
from studio.quarters import Quarter  # noqa: E402
from studio.stills.images import encode_social  # noqa: E402
from studio.stills.qrcheck import check_qr_bytes  # noqa: E402
from studio.stills.raster import render_layout  # noqa: E402
from studio.stills.render import layout_job, render_job  # noqa: E402

CAMPAIGN = ROOT / "campaigns" / "tash-komur-2026.yaml"
CASES = [
    ("men-para-berbeym-social", "instagram-post", "2026Q1", 15),
    ("men-para-berbeym-social", "instagram-portrait", "2026Q1", 15),
    ("men-para-berbeym-social", "story", "2026Q1", 15),
    ("men-para-berbeym-social", "facebook-link", "2026Q1", 15),
    ("men-para-berbeym-social", "x-post", "2026Q1", 15),
    ("men-para-berbeym-poster", "a4", "2026Q1", 7),
    ("men-para-berbeym-poster", "a3", "2026Q1", 5),
    ("clean-kyrgyzstan-billboard", "a2", "2026Q2", 5),
    ("report-street-banner", "street-banner-3x1m", "2026Q1", 3),
    ("clean-kyrgyzstan-billboard", "billboard-6x3m", "2026Q2", 3),
]


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=float, default=1.0, help="scale the number of repetitions")
    args = parser.parse_args()
    campaign = load_campaign(CAMPAIGN)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        jobs = plan_jobs(campaign, Quarter.parse("2026Q1"), ("banner", "social"))
        print(f"sample campaign 2026Q1, banners and social ads: {len(jobs)} jobs (1 and 2 workers alternated)")
        walls: dict[int, list[float]] = {1: [], 2: []}
        options = RenderOptions(cache_dir=str(out / "speech"))
        for attempt in range(2):
            for workers in (1, 2):
                start = time.perf_counter()
                result = run_batch(
                    campaign,
                    "2026Q1",
                    jobs,
                    out / f"batch-{workers}-{attempt}",
                    LocalExecutor(workers),
                    options,
                )
                walls[workers].append(time.perf_counter() - start)
                assert not result.failures, result.failures[0].error
        for workers in (1, 2):
            wall = statistics.median(walls[workers])
            print(f"  {workers} worker(s): {wall:6.2f} s, {len(jobs) / wall:5.2f} renders/s")
        walls = {w: [statistics.median(v)] for w, v in walls.items()}
        print(f"  speed-up 1 → 2 workers: {walls[1][0] / walls[2][0]:.2f}×")
        print()
        print(f"{'format':<20}{'size':>14}{'total ms':>10}{'layout':>9}{'raster':>9}{'encode':>9}{'QR read':>9}")
        for deliverable, fmt, quarter, n in CASES:
            n = max(1, round(n * args.repeat))
            kind = "banner" if get_format(fmt).is_print else "social"
            job = Job(Quarter.parse(quarter), deliverable, "ky", fmt, kind)
            render_job(campaign, job, out)  # warm caches (fonts, design, logo)
            total = median_ms(partial(render_job, campaign, job, out), n)
            layout = layout_job(campaign, job)
            t_layout = median_ms(partial(layout_job, campaign, job), n)
            image = render_layout(layout)
            t_raster = median_ms(partial(render_layout, layout), n)
            parts = f"{t_layout:9.1f}{t_raster:9.1f}"
            if kind == "social" and layout.qr is not None:
                data, _ = encode_social(image, False)
                t_encode = median_ms(partial(encode_social, image, False), n)
                qr = layout.qr
                check = partial(check_qr_bytes, data, qr.matrix.data, qr.modules_box.w, qr.module_px, fmt)
                parts += f"{t_encode:9.1f}{median_ms(check, n):9.1f}"
            w, h = get_format(fmt).canvas_px
            print(f"{fmt:<20}{f'{w}×{h}':>14}{total:10.1f}{parts}", flush=True)


if __name__ == "__main__":
    main()
