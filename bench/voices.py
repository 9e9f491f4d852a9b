"""Voice speed: seconds of speech per second of work, RHVoice against espeak-ng, side by side.

    python bench/voices.py [--sentences 12] [--repeat 3]

For each language (ky, ru) the same sentences (the sample explainers' narration) are spoken, each
sentence separately as renders do, without the speech cache:

- rhvoice-library: RHVoice through its C library (ctypes), as Taza Studio calls it; the first call
  (loading the library and the voice) is timed apart as ``first call``;
- rhvoice-program: ``RHVoice-test`` once per sentence, the alternative to the library;
- espeak-library / espeak-program: espeak-ng through its bundled library and Debian's program.

It prints, per engine and language: total speech seconds, wall seconds (median of --repeat runs) and
the real-time factor (speech seconds per wall second); engines that are not installed are skipped.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VOICES = {"ky": "Azamat", "ru": "Aleksandr"}


def sentences(lang: str, count: int) -> list[str]:
    """Narration sentences of the sample explainers, normalised as renders speak them."""
    from studio.video.script import parse_script, render_template, template_path
    from studio.voice import normalize_for_speech, split_sentences

    context = {
        "lang": lang, "quarter": "2026Q1", "deliverable": "bench", "title": "", "campaign_title": "",
        "organisation": "Таш-Көмүр", "hashtags": ["#ТазаКыргызстан", "#МенПараБербейм", "#МенПараАлбайм"],
        "reporting": {"url": "https://example.org", "short_text": "example.org", "phone": "+996 312 00 00 00",
                      "call_to_action": ""},
    }  # fmt: skip
    found: list[str] = []
    for name in ("what-is-a-bribe", "how-to-report", "conflict-of-interest"):
        path = template_path(ROOT, name, lang)
        script = parse_script(render_template(path, context, path.name), name, lang, ROOT, path.name)
        for scene in script.scenes:
            found += [normalize_for_speech(s, lang) for s in split_sentences(scene.narration)]
    return (found * (count // max(1, len(found)) + 1))[:count]


def rhvoice_program(texts: list[str], voice: str) -> float:
    """Speech seconds from ``RHVoice-test`` run once per sentence."""
    from studio.voice import read_wav

    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.wav"
        for text in texts:
            subprocess.run(["RHVoice-test", "-p", voice, "-o", str(out)], input=text.encode(), check=True,
                           capture_output=True)  # fmt: skip
            total += read_wav(out).duration_s
    return total


def engines(lang: str) -> dict[str, Callable[[list[str]], float]]:
    from studio.voice import EspeakEngine, EspeakLibrary, EspeakProgram, Voice, rhvoice

    table: dict[str, Callable[[list[str]], float]] = {}
    if rhvoice.available():
        engine = rhvoice.RHVoiceEngine({lang: VOICES[lang]})
        table["rhvoice-library"] = lambda texts: sum(engine.synthesize(t, Voice(lang)).duration_s for t in texts)
        if shutil.which("RHVoice-test"):
            table["rhvoice-program"] = lambda texts: rhvoice_program(texts, VOICES[lang])
    library = EspeakEngine(EspeakLibrary())
    table["espeak-library"] = lambda texts: sum(library.synthesize(t, Voice(lang)).duration_s for t in texts)
    if shutil.which("espeak-ng"):
        program = EspeakEngine(EspeakProgram())
        table["espeak-program"] = lambda texts: sum(program.synthesize(t, Voice(lang)).duration_s for t in texts)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=12, help="sentences per language and run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine (the median is shown)")
    args = parser.parse_args()
    print(f"{'engine':<17} {'lang':<4} {'speech s':>9} {'wall s':>8} {'× real time':>12} {'first call s':>13}")
    for lang in ("ky", "ru"):
        texts = sentences(lang, args.sentences)
        for name, speak in engines(lang).items():
            start = time.perf_counter()
            speak(texts[:1])  # loads the library and the voice
            first = time.perf_counter() - start
            walls, speech = [], 0.0
            for _ in range(args.repeat):
                start = time.perf_counter()
                speech = speak(texts)
                walls.append(time.perf_counter() - start)
            wall = statistics.median(walls)
            print(f"{name:<17} {lang:<4} {speech:9.1f} {wall:8.2f} {speech / wall:12.1f} {first:13.2f}")


if __name__ == "__main__":
    main()
