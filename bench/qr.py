"""QR matrices: segno (what the studio uses) against qrcode (the library first named for the job).

Prints microseconds per matrix for the studio's tagged reporting URLs at error correction M and H,
both libraries measured alternately in one run, and checks that both give a code of the same version.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import segno  # noqa: E402

try:
    import qrcode  # type: ignore[import-untyped]
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M  # type: ignore[import-untyped]
except ImportError:
    sys.exit("bench/qr.py needs qrcode for the comparison: .venv/bin/pip install qrcode")

URLS = [
    f"https://tash-komur.example/report?src=qr&d={d}&f={f}&l={lang}&q=2026Q1"
    for d in ("men-para-berbeym-social", "report-qr-social", "what-is-a-bribe-video")
    for f in ("story", "instagram-post", "a4")
    for lang in ("ky", "ru")
]
ROUNDS = 7


def with_segno(level: str) -> list[list[int]]:
    return [segno.make_qr(u, error=level, boost_error=False).matrix for u in URLS]


def with_qrcode(level: str) -> list[list[list[bool]]]:
    out = []
    for u in URLS:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M if level == "M" else ERROR_CORRECT_H, border=0)
        code.add_data(u)
        code.make(fit=True)
        out.append(code.get_matrix())
    return out


def main() -> None:
    print(f"{len(URLS)} tagged URLs, median of {ROUNDS} alternated rounds (µs per matrix)")
    for level in ("M", "H"):
        assert [len(m) for m in with_segno(level)] == [len(m) for m in with_qrcode(level)], "different versions"
        times: dict[str, list[float]] = {"segno": [], "qrcode": []}
        for _ in range(ROUNDS):
            for name, fn in (("segno", with_segno), ("qrcode", with_qrcode)):
                start = time.perf_counter()
                fn(level)
                times[name].append((time.perf_counter() - start) / len(URLS) * 1e6)
        s, q = statistics.median(times["segno"]), statistics.median(times["qrcode"])
        print(f"level {level}: segno {s:7.0f} µs   qrcode {q:7.0f} µs   segno/qrcode {s / q:.2f}")


if __name__ == "__main__":
    main()
