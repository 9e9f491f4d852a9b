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
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.review import ReviewDB  # noqa: E402
from studio.web.app import create_app  # noqa: E402

CASES = (("men-para-berbeym-social", "story"), ("men-para-berbeym-poster", "a3"))
HEADLINE = "Мен пара бербейм, сен да бербе!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keystrokes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("assets", "templates"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copytree(ROOT / "campaigns", root / "campaigns")  # the campaign and the data tables beside it
        campaign = root / "campaigns" / "tash-komur-2026.yaml"
        out = root / "renders"
        ReviewDB(out).add_user("bench", "editor", "bench-password")
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app([campaign], out), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        client = httpx.Client(base_url=url, timeout=60)
        login_page = client.get("/login").text
        token = login_page.split('name="csrf" value="')[1].split('"')[0]
        client.post("/login", data={"csrf": token, "name": "bench", "password": "bench-password"})
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
        server.should_exit = True
        thread.join(10)


if __name__ == "__main__":
    main()
