"""Explainer video speed: a 60 s 1080p explainer with a two-character dialogue against a direct ffmpeg
encode of the same number of still slides, side by side in one run.

    python bench/video.py [--lang ky] [--repeat 1] [--tiny]

The explainer (a script written for the benchmark into a throwaway copy of the project: a presenter
scene, a dialogue of at least 20 s at the office counter, steps, a counting stat and a growing
chart, then the end card) is rendered at 1920×1080, narration cached after a warm-up. Each
measurement runs in its own process:

- full: the whole job (script, cached speech, plan, every distinct picture drawn once, characters
  lip-synced, captions, badge, music bed, encode, XMP + C2PA signing, caption files), as a video
  rendered alone gets it: cut into one segment per core, encoded at once;
- full-1proc: the same in one ffmpeg process (x264's own threads on every core), as in a full batch;
- full-1core: the same on one core (the process pinned to CPU 0): "1 worker" against "full"'s 2;
- draft: the fast low-resolution preview, segmented like full;
- baseline: ffmpeg alone on the plan's cards as still 1080p slides (as many as the plan has, each as
  long as its card), with the same narration: concat demuxer, ``-vf format=yuv420p,fps=30``, x264
  ultrafast — no motion, no characters, no captions, no badge, no music, no labels.

It prints wall and CPU times, the video's length, the ratios to the baseline (targets: full ≤ 1.3×
baseline for the labelled explainer, draft ≤ 1.0×) and full-1core ÷ full (target ≥ 1.7×). ``--tiny``
checks that the benchmark runs: a short script, one repeat. ``--format story`` measures the 9:16 video.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DELIVERABLE = "bench-video"

SCRIPT = {
    "ky": """\
title: Пара деген эмне?
scenes:
  - kind: presenter
    speaker: narrator
    title: Пара деген эмне?
    bullets: [Акча, Белек, Кызмат]
    narration: >
      Пара — бул мыйзамсыз төлөм. Кызматкер аны өз милдетин аткаруу үчүн талап кылат.
  - kind: dialogue
    set: office
    title: Сахналаштырылган көрүнүш
    lines:
      - {speaker: citizen, say: "Саламатсызбы. Мен жер тилкесине документ алганы келдим."}
      - {speaker: official, say: "Документиңиз бир айдан кийин гана даяр болот."}
      - {speaker: citizen, say: "Бир ай? Мага ал эртерээк керек эле."}
      - {speaker: official, prop: envelope, say: "Тезирээк керек болсо, конвертке бир аз акча салып бериңиз."}
      - {speaker: citizen, prop: refuse, say: "Жок, мен пара бербейм. Бул кызмат мыйзам боюнча акысыз."}
      - {speaker: citizen, prop: qr, say: "Мен бул тууралуу QR-код аркылуу кабарлайм."}
  - kind: steps
    title: Сизден пара сурашса
    steps:
      - {text: Эч нерсе төлөбөңүз, icon: stop}
      - {text: Кызматкердин атын эстеп калыңыз, icon: document, cue: эстеп}
      - {text: QR-кодду сканерлеп кабарлаңыз, icon: qr, cue: сканерлеңиз}
    narration: >
      Биринчиден, эч нерсе төлөбөңүз. Экинчиден, кызматкердин атын эстеп калыңыз.
      Үчүнчүдөн, QR-кодду сканерлеңиз.
  - kind: stat
    title: Бир эле кызматтын баасы
    value: 5000
    suffix: " сом"
    label: Пара менен
    narration: Мисалы, кызматкер беш миң сом сурады дейли.
  - kind: chart
    chart: bar
    title: Кайрылуулар
    data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}]
    narration: Көпчүлүгү QR-код аркылуу кабарлашат.
""",
}
TINY = """\
title: Сынак
scenes:
  - kind: dialogue
    set: office
    lines:
      - {speaker: official, say: "Акча бериңиз."}
      - {speaker: citizen, say: "Жок."}
"""


def make_project(work: Path, tiny: bool) -> Path:
    import yaml

    root = work / "project"
    if not root.exists():
        for folder in ("assets", "templates"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "campaigns").mkdir()
    data = yaml.safe_load((ROOT / "campaigns" / "tash-komur-2026.yaml").read_text(encoding="utf-8"))
    video = next(d for d in data["deliverables"] if d["kind"] == "video")
    video.update(id=DELIVERABLE, script="bench", quarters=["2026Q1"], languages=["ky"])
    data["deliverables"] = [video]
    (root / "templates" / "scripts" / "bench.ky.j2").write_text(TINY if tiny else SCRIPT["ky"], encoding="utf-8")
    path = root / "campaigns" / "bench.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def measure(mode: str, work: Path, keys: Path, tiny: bool, fmt: str) -> dict[str, float]:
    """One measurement, in this (fresh) process; CPU time counts its ffmpeg children too."""
    import os
    import resource

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    cores = os.cpu_count() or 1
    if mode == "full-1core":
        os.sched_setaffinity(0, {0})
    segments = {"full": cores, "draft": cores}.get(mode, 1)
    import imageio_ffmpeg

    from studio.campaign import load_campaign
    from studio.plan import Job
    from studio.quarters import Quarter
    from studio.video.explainer import VideoOptions, render_video_job

    campaign = load_campaign(make_project(work, tiny))
    job = Job(Quarter.parse("2026Q1"), DELIVERABLE, "ky", fmt, "video")
    options = VideoOptions(work / "speech", draft=(mode == "draft"), segments=segments)
    if mode != "baseline":
        start, cpu0 = time.perf_counter(), cpu()
        outputs = render_video_job(campaign, job, work / mode, options, str(keys))
        wall = time.perf_counter() - start
        return {
            "wall_s": wall,
            "cpu_s": cpu() - cpu0,
            "duration_s": outputs[0].extra["duration_s"],
            "cards": 0.0,
            "dialogue_s": 0.0,
        }
    # baseline: the plan's own cards as still 1080p slides, each as long as its card, the same narration
    from studio.video.explainer import prepare_video

    video = prepare_video(campaign, job, VideoOptions(work / "speech"))
    plan, narration = video.plan, video.narration
    folder = work / "baseline"
    folder.mkdir(exist_ok=True)
    lines = []
    for i, card in enumerate(plan.cards):
        image = video.pictures[card.picture].convert("RGB").resize(plan.size_px)
        image.save(folder / f"s{i:03d}.png", compress_level=1)
        lines += [f"file 's{i:03d}.png'", f"duration {card.frames / plan.fps:.6f}"]
    (folder / "list.txt").write_text("\n".join(lines) + "\n")
    import wave

    import numpy as np

    pcm = (np.clip(narration.samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(folder / "audio.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(narration.rate_hz)
        w.writeframes(pcm.tobytes())
    start, cpu0 = time.perf_counter(), cpu()  # only the encode is timed
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", "list.txt",
         "-i", "audio.wav", "-vf", "format=yuv420p,fps=30", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-t", f"{plan.duration_s:.3f}", "-movflags", "+faststart", "out.mp4"],
        cwd=folder, check=True,
    )  # fmt: skip
    dialogue = sum(s.frames for s in plan.scenes if s.kind == "dialogue") / plan.fps
    wall = time.perf_counter() - start
    return {
        "wall_s": wall,
        "cpu_s": cpu() - cpu0,
        "duration_s": plan.duration_s,
        "cards": float(len(plan.cards)),
        "dialogue_s": dialogue,
    }


MODES = ("baseline", "full", "full-1proc", "full-1core", "draft")


def stages(work: Path, keys: Path, fmt: str, segments: int, graph_only: bool) -> None:
    """Where the time of one full render goes: each stage's wall and CPU time; with ``graph_only``,
    a render whose every ffmpeg run is repeated with its video thrown away (the filter graph alone),
    to split the graph's CPU time from x264's."""
    import resource

    import studio.encode.encoder as encoder
    import studio.encode.execute as execute
    import studio.label as label
    import studio.video.explainer as explainer
    import studio.video.paint as paint
    from studio.campaign import load_campaign
    from studio.plan import Job
    from studio.quarters import Quarter

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    spent: dict[str, list[float]] = {}  # the stages, in the order printed
    for name in ("script, speech (cached), plan", "watermark in the cards", "drawing the cards",
                 "encode (ffmpeg and the files it reads)", "  of it: the sprites' own pictures drawn",
                 "XMP + C2PA signing"):  # fmt: skip
        spent[name] = [0.0, 0.0]

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start, cpu0 = time.perf_counter(), cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                row = spent.setdefault(name, [0.0, 0.0])
                row[0] += time.perf_counter() - start
                row[1] += cpu() - cpu0

        return wrapper

    original_run = encoder.run_ffmpeg
    graph_cpu = [0.0]

    def keep(exe, args, *, cwd=None, **kwargs):  # type: ignore[no-untyped-def]
        original_run(exe, args, cwd=cwd, **kwargs)
        if "-filter_complex" not in args:
            return
        # the same run again, its video thrown away at once: what the filter graph alone costs
        cut = list(args[: args.index("-c:v")]) + ["-an", "-f", "null", "-"]
        if "[thumbs]" in args:
            cut += ["-map", "[thumbs]", "-f", "null", "-"]
        proc = subprocess.Popen([exe, "-v", "error", *cut], cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        assert status == 0, cut
        graph_cpu[0] += usage.ru_utime + usage.ru_stime

    sound = [0.0, 0.0]  # when the sound was started, when its encode ended (it runs beside the stages)

    def start_sound(*args, **kwargs):  # type: ignore[no-untyped-def]
        sound[0] = time.perf_counter()
        return original_start_sound(*args, **kwargs)

    def run(exe, args, *, what="", **kwargs):  # type: ignore[no-untyped-def]
        (keep if graph_only else original_run)(exe, args, what=what, **kwargs)
        if what == "encoding the sound":
            sound[1] = time.perf_counter()

    original_start_sound = execute.start_sound
    execute.start_sound = start_sound
    encoder.run_ffmpeg = run
    explainer.plan_video = timed("script, speech (cached), plan", explainer.plan_video)
    paint.paint = timed("drawing the cards", paint.paint)
    explainer.watermark_layers = timed("watermark in the cards", explainer.watermark_layers)
    execute.encode_video = timed("encode (ffmpeg and the files it reads)", execute.encode_video)
    # drawn while the encode runs (part by part in segments): counted inside the encode's time too
    paint.paint_more = timed("  of it: the sprites' own pictures drawn", paint.paint_more)
    label.mark_synthetic = timed("XMP + C2PA signing", label.mark_synthetic)
    campaign = load_campaign(make_project(work, False))
    job = Job(Quarter.parse("2026Q1"), DELIVERABLE, "ky", fmt, "video")
    options = explainer.VideoOptions(work / "speech", segments=segments)
    start, cpu0 = time.perf_counter(), cpu()
    explainer.render_video_job(campaign, job, work / "stages", options, str(keys))
    wall, total = time.perf_counter() - start, cpu() - cpu0
    if graph_only:
        encode = spent["encode (ffmpeg and the files it reads)"][1] - graph_cpu[0]  # less the repeats
        print(f"  of the encode's {encode:.2f} s CPU (one segment): the filter graph alone {graph_cpu[0]:.2f} s, "
              f"x264 and the rest {encode - graph_cpu[0]:.2f} s")  # fmt: skip
        return
    print(f"one full render ({fmt}, {segments} segment(s)): {wall:.2f} s wall, {total:.2f} s CPU")
    for name, (w, c) in spent.items():
        print(f"  {name:<40}{w:8.2f} s wall{c:8.2f} s CPU")
    print(
        f"  beside them, from the plan on: the sound mixed and encoded in {sound[1] - sound[0]:.2f} s wall "
        f"(its CPU counted in the stage it ended in)"
    )


TARGETS = {"full": 1.3, "draft": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--format", default="youtube", choices=("youtube", "story", "square"))
    parser.add_argument("--tiny", action="store_true", help="a short script, to check the benchmark runs")
    parser.add_argument("--stages", action="store_true", help="where one full render's time goes, stage by stage")
    parser.add_argument("--measure", nargs=3, metavar=("MODE", "WORK", "KEYS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages:
        with tempfile.TemporaryDirectory() as tmp:
            keys = Path(tmp) / "keys"
            subprocess.run([sys.executable, "-m", "studio.cli", "keys", "init", "--keys", str(keys)], check=True)
            measure("draft", Path(tmp), keys, False, args.format)  # warm-up: every sentence spoken once
            for segments in (1, os.cpu_count() or 1):
                stages(Path(tmp), keys, args.format, segments, graph_only=False)
            stages(Path(tmp), keys, args.format, 1, graph_only=True)
        return
    if args.measure:
        mode, work, keys = args.measure
        print(json.dumps(measure(mode, Path(work), Path(keys), args.tiny, args.format)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        keys = work / "keys"
        subprocess.run(
            [sys.executable, "-m", "studio.cli", "keys", "init", "--keys", str(keys)], check=True, capture_output=True
        )

        def run(mode: str) -> dict[str, float]:
            command = [sys.executable, __file__, "--measure", mode, str(work), str(keys), "--format", args.format]
            done = subprocess.run(command + (["--tiny"] if args.tiny else []), capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{mode} failed:\n{done.stderr}")
            return dict(json.loads(done.stdout.strip().splitlines()[-1]))

        run("draft")  # warm-up: speaks every sentence once into the cache
        # the modes alternate, round after round, so a noisy moment falls on every mode alike
        rounds = [{mode: run(mode) for mode in MODES} for _ in range(1 if args.tiny else args.repeat)]
        results = {m: {k: statistics.median(r[m][k] for r in rounds) for k in rounds[0][m]} for m in MODES}
        base = results["baseline"]
        print(
            f"{DELIVERABLE} (ky, {args.format}), {base['duration_s']:.1f} s of video, "
            f"{base['cards']:.0f} cards, a dialogue of {base['dialogue_s']:.1f} s, narration cached, "
            f"median of {len(rounds)}"
        )
        print(f"{'mode':<12}{'wall s':>8}{'CPU s':>8}{'× real time':>13}{'÷ baseline':>12}  target")
        for mode in MODES:
            r = results[mode]
            ratio = r["wall_s"] / base["wall_s"]
            target = TARGETS.get(mode)
            mark = "" if target is None else f"≤{target:.1f}{' ok' if ratio <= target else ' MISSED'}"
            speed = r["duration_s"] / r["wall_s"]
            print(f"{mode:<12}{r['wall_s']:8.2f}{r['cpu_s']:8.2f}{speed:13.1f}{ratio:12.2f}  {mark}")
        one_core = results["full-1core"]["wall_s"] / results["full"]["wall_s"]
        one_proc = results["full-1proc"]["wall_s"] / results["full"]["wall_s"]
        print(
            f"one video, 1 core ÷ {os.cpu_count()} cores in segments: {one_core:.2f}× (target ≥ 1.7"
            f"{' ok' if one_core >= 1.7 else ' MISSED'}); one ffmpeg process ÷ segments: {one_proc:.2f}×"
        )


if __name__ == "__main__":
    main()
