"""Keystroke-to-preview latency of the campaign editor, measured through the server.

    python bench/editor.py [--keystrokes 40]

Starts `studio serve` (a real uvicorn server on 127.0.0.1) on a copy of the sample campaign, logs in,
and sends the preview request the editor sends after each keystroke — the headline growing one
character at a time — for a social format (story, 1080×1920) and for an A3 poster (a downscaled
preview). Prints the median and 95th percentile of the round trip, request to decoded answer.
Target: a social preview within 300 ms of the last keystroke on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from serving import PASSWORD, USER, copy_project, serving

CASES = (("men-para-berbeym-social", "story"), ("men-para-berbeym-poster", "a3"))
HEADLINE = "Мен пара бербейм, сен да бербе!"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keystrokes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        campaign, out = copy_project(Path(tmp))
        with serving(campaign, out) as url:
            client = httpx.Client(base_url=url, timeout=60)
            login_page = client.get("/login").text
            token = login_page.split('name="csrf" value="')[1].split('"')[0]
            client.post("/login", data={"csrf": token, "name": USER, "password": PASSWORD})
            for deliverable, fmt in CASES:
                page = client.get(f"/edit/tash-komur-2026/{deliverable}").text
                csrf = page.split('data-csrf="')[1].split('"')[0]
                times = []
                for i in range(args.keystrokes + 3):
                    headline = HEADLINE[: 8 + i % (len(HEADLINE) - 8)] + str(i)
                    body = {"edit": {"text": {"ky": {"headline": headline}}}, "format": fmt, "language": "ky"}
                    start = time.perf_counter()
                    reply = client.post(
                        f"/edit/tash-komur-2026/{deliverable}/preview", json=body, headers={"x-csrf-token": csrf}
                    )
                    result = reply.json()
                    elapsed = (time.perf_counter() - start) * 1000
                    assert result["image"], result["problems"]
                    if i >= 3:  # the first requests warm the font and design caches
                        times.append(elapsed)
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                median = statistics.median(times)
                print(f"{deliverable} {fmt}: median {median:.0f} ms, p95 {p95:.0f} ms ({len(times)} keystrokes)")


if __name__ == "__main__":
    main()
