"""Banner and social-ad speed: ms per render for each format, and renders per second for a quarter.

    python bench/banners.py [--repeat N] [--quick]

First the 1080×1080 social ad, stage by stage (layout, raster, encode, QR read-back, write, and the
encode and read-back overlapped as a render does them), in wall-clock and CPU milliseconds (target: at
most 50 ms end to end). The same job is rendered again and again, so what a process keeps between
renders (gradients, lines of text) is always there; a batch finds only part of it. Then the sample
campaign's full 2026Q1 banners and social ads rendered by `studio render` in a fresh process with 1
and with 2 workers, alternated in the same run (target: 2 workers at least 1.8× faster). Then every
format, N renders each, the median with its parts. ``--quick`` (a check that the script works)
renders a few repetitions and skips the big formats.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.campaign import load_campaign  # noqa: E402
from studio.files import write_atomic  # noqa: E402
from studio.formats import get_format  # noqa: E402
from studio.plan import Job, plan_jobs  # noqa: E402
from studio.quarters import Quarter  # noqa: E402
from studio.stills.images import encode_social, save_social  # noqa: E402
from studio.stills.qrcheck import check_qr_bytes, encode_checked, read_area  # noqa: E402
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


def median_wall_cpu_ms(fn, n: int) -> tuple[float, float]:
    """Median wall-clock and median CPU (this process) milliseconds of ``n`` calls."""
    walls, cpus = [], []
    for _ in range(n):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def social_ad_stages(campaign, out: Path, n: int) -> None:
    """The 1080×1080 ad end to end and each of its stages, wall and CPU ms."""
    job = Job(Quarter.parse("2026Q1"), "men-para-berbeym-social", "ky", "instagram-post", "social")
    render_job(campaign, job, out)  # warm caches (fonts, design, logo, pools)
    layout = layout_job(campaign, job)
    image = render_layout(layout)
    data, _ = encode_social(image, False)
    qr = layout.qr
    assert qr is not None
    box = qr.modules_box
    read_back = (qr.matrix.data, box.w, qr.module_px, "bench", read_area(box.x, box.y, box.w, qr.module_px, image.size))
    path = out / "stage-write.png"

    def write() -> None:
        write_atomic(path, data)
        hashlib.sha256(data).hexdigest()

    stages = [
        ("end to end", partial(render_job, campaign, job, out)),
        ("  layout", partial(layout_job, campaign, job)),
        ("  raster", partial(render_layout, layout)),
        ("  encode PNG", partial(encode_social, image, False)),
        ("  QR read-back", partial(check_qr_bytes, data, qr.matrix.data, qr.modules_box.w, qr.module_px, "bench")),
        ("  write", write),
        # What render_job does: the file decoded while it is encoded, zxing reading the code's part of it.
        ("  encode ∥ read", partial(encode_checked, partial(save_social, image, False), "PNG", *read_back)),
    ]
    print(f"1080×1080 social ad ({job.deliverable}, {n} renders, medians; target ≤ 50 ms end to end)")
    print(f"  {'stage':<16}{'wall ms':>9}{'CPU ms':>9}")
    for name, fn in stages:
        wall, cpu = median_wall_cpu_ms(fn, n)
        print(f"  {name:<16}{wall:9.1f}{cpu:9.1f}", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=float, default=1.0, help="scale the number of repetitions")
    parser.add_argument("--quick", action="store_true", help="a short run to check that the script works")
    args = parser.parse_args()
    campaign = load_campaign(CAMPAIGN)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        social_ad_stages(campaign, out, 5 if args.quick else max(1, round(40 * args.repeat)))
        jobs = plan_jobs(campaign, Quarter.parse("2026Q1"), ("banner", "social"))
        if args.quick:
            jobs = [j for j in jobs if not get_format(j.format).is_print][:6]
        attempts = 1 if args.quick else 2
        print(f"sample campaign 2026Q1, banners and social ads: {len(jobs)} jobs (1 and 2 workers alternated)")
        walls: dict[int, list[float]] = {1: [], 2: []}
        # Each run is `studio render` in a fresh process, as a person runs it: start-up, cold caches
        # in every worker, the gallery and the report included (a worker pool started from a warm
        # bench process would flatter the single worker, which reuses what the bench already drew).
        only = "social" if args.quick else "banners,social"
        for attempt in range(attempts):
            for workers in (1, 2):
                command = [sys.executable, "-m", "studio.cli", "render", str(CAMPAIGN), "-q", "2026Q1"]
                command += ["--only", only, "--out", str(out / f"batch-{workers}-{attempt}"), "--workers", str(workers)]
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True)
                walls[workers].append(time.perf_counter() - start)
                assert done.returncode == 0, done.stderr
        for workers in (1, 2):
            wall = statistics.median(walls[workers])
            print(f"  {workers} worker(s): {wall:6.2f} s, {len(jobs) / wall:5.2f} renders/s")
        walls = {w: [statistics.median(v)] for w, v in walls.items()}
        print(f"  speed-up 1 → 2 workers: {walls[1][0] / walls[2][0]:.2f}× (target ≥ 1.8×)")
        print()
        print(f"{'format':<20}{'size':>14}{'total ms':>10}{'layout':>9}{'raster':>9}{'encode':>9}{'QR read':>9}")
        for deliverable, fmt, quarter, n in CASES[:2] if args.quick else CASES:
            n = 2 if args.quick else max(1, round(n * args.repeat))
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
