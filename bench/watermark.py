"""Labels that survive re-sharing: the robustness table of the invisible watermark and the fingerprints.

    python bench/watermark.py [--short] [--unrelated 50]

Renders a synthetic social ad (instagram-post, ky) and the sample explainer (youtube, ru; ``--short``: a
12 s one) with the studio, as a batch does (watermark, fingerprint, XMP, C2PA, manifest). Then, with real
ffmpeg and Pillow (tests/reshare.py), makes the copies messengers and people make — WhatsApp-like
(H.264 ~1 Mbit/s at 848 px; JPEG q70 at 1080 px), Telegram-like, a 10 % crop, a screenshot-like rescale,
the first and last 2 s trimmed, the sound replaced — and runs ``studio verify COPY --against`` on each.

Prints, per copy: whether the watermark read back (and its confidence), the picture fingerprint's
distance (bits of 64 a frame), the sound's bit error rate, the verdict and the seconds it took; then the
false matches among ``--unrelated`` pictures and videos made here; then what the watermark and the
fingerprint cost in each render (embedding, and decoding the encoded video for its fingerprint) against
the render's wall time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Timer:
    """Wraps a function in a module and adds up the wall time spent in it."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name, self.seconds = module, name, 0.0
        self.original: Callable[..., Any] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        setattr(module, name, timed)

    def restore(self) -> None:
        setattr(self.module, self.name, self.original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a 12 s explainer instead of the sample one")
    parser.add_argument("--unrelated", type=int, default=50, help="unrelated pictures and videos to try")
    args = parser.parse_args()

    import studio.label.readback as readback
    import studio.label.watermark as watermark
    import studio.video.explainer as explainer
    from studio.label import init_keys
    from studio.verify.copies import CopyError, load_renders, trace_copy
    from tests import reshare
    from tests.conftest import make_project

    with tempfile.TemporaryDirectory(prefix="bench-watermark-") as scratch:
        base = Path(scratch)
        init_keys(base / "keys", "Taza Studio bench")
        project = make_project(base / "project")
        timers = [
            Timer(explainer, "watermark_layers"),  # the video's slides
            Timer(watermark, "embed"),  # stills (and, through watermark_layers, the slides again)
            Timer(readback, "decode_video"),  # the encoded video decoded for its fingerprint
        ]
        start = time.perf_counter()
        samples = reshare.render_samples(project, base / "keys", short=args.short)
        render_s = time.perf_counter() - start
        slides_s, embed_s, fingerprint_s = (t.seconds for t in timers)
        for t in timers:
            t.restore()
        renders = load_renders(samples["quarter"])

        copies: list[tuple[str, str, Path]] = []
        for name, change in reshare.STILL_CHANGES.items():
            copies.append(("social ad", name, change(samples["still"], base / f"still-{len(copies)}.img")))
        for name, change in reshare.VIDEO_CHANGES.items():
            copies.append(("explainer", name, change(samples["video"], base / f"video-{len(copies)}.mp4")))
        voice = base / "voice.wav"
        subprocess.run(["espeak-ng", "-v", "ru", "-w", str(voice), "Платите наличными на месте."], check=True)
        copies.append(("explainer", "re-voiced", reshare.revoice_video(samples["video"], base / "rv.mp4", voice)))

        print(f"{'render':10} {'copy':11} {'size':>10} {'watermark':>10} {'conf':>5} {'pic bits':>8} "
              f"{'sound BER':>9} {'verdict':>9} {'s':>5}")  # fmt: skip
        for what, name, path in copies:
            t0 = time.perf_counter()
            try:
                report = trace_copy(path, renders)
            except CopyError as exc:
                print(f"{what:10} {name:11} error: {exc}")
                continue
            seconds = time.perf_counter() - t0
            d, m = report.detection, report.match
            mark = "read" if d is not None and d.payload is not None else "—"
            conf = f"{d.confidence:.2f}" if d is not None else "—"
            bits = "—" if m is None else f"{m.picture_bits:.1f}"
            ber = "—" if m is None or m.video is None or m.video.audio_ber is None else f"{m.video.audio_ber:.2f}"
            size = "×".join(map(str, report.size_px)) if report.size_px else "—"
            print(f"{what:10} {name:11} {size:>10} {mark:>10} {conf:>5} {bits:>8} {ber:>9} "
                  f"{report.verdict:>9} {seconds:5.1f}")  # fmt: skip

        from tests.label.test_watermark import unrelated_images
        from tests.verify.test_copies import unrelated_videos

        n_videos = args.unrelated // 5
        files = []
        for i, image in enumerate(unrelated_images(args.unrelated - n_videos)):
            image.save(base / f"u{i}.png")
            files.append(base / f"u{i}.png")
        files += unrelated_videos(base, n_videos)
        false = 0
        for path in files:
            try:
                report = trace_copy(path, renders)
                marked = report.detection is not None and report.detection.payload is not None
                false += int(report.verdict != "unmatched" or marked)
            except CopyError:
                false += 1
        print(f"\nunrelated: {len(files) - n_videos} pictures and {n_videos} videos, {false} matched a render")

        # embed_s holds every mark embedded, the video's slides (slides_s) among them
        print(
            f"\ncost: both renders {render_s:.1f} s; watermarking {embed_s:.2f} s ({embed_s / render_s:.1%}; "
            f"the video's slides {slides_s:.2f} s); "
            f"decoding the video for its fingerprint {fingerprint_s:.2f} s ({fingerprint_s / render_s:.1%})"
        )


if __name__ == "__main__":
    main()
