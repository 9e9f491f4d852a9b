"""`studio verify COPY --against FOLDER` on copies as messengers leave them: the robustness table as tests.

A synthetic social ad and a short explainer are rendered for real (espeak speech, ffmpeg, C2PA), then
re-encoded with real ffmpeg and Pillow (tests/reshare.py), their metadata gone.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.label.watermark import ALGORITHM, Payload, detect
from studio.verify.copies import CopyError, Verdict, load_renders, trace_copy
from tests import reshare
from tests.cli_helpers import run_studio
from tests.conftest import make_project

pytestmark = pytest.mark.slow

#: What each change must be reported as.
SAID = {
    "whatsapp": "rescaled",
    "telegram": "rescaled",
    "crop 10 %": "cropped",
    "screenshot": "rescaled",
    "trim 2 s": "trimmed",
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path) -> dict[str, Path]:
    root = make_project(tmp_path_factory.mktemp("copies") / "project")
    return reshare.render_samples(root, keys_dir, quarters=("2026Q1", "2026Q2"))


@pytest.fixture(scope="module")
def renders(samples: dict[str, Path]) -> list:
    return load_renders(samples["quarter"])


def test_renders_carry_the_mark_the_fingerprint_and_both_as_c2pa_soft_bindings(samples: dict[str, Path]) -> None:
    from studio.batch.manifest import load_manifest
    from studio.label import read_credentials

    manifest = load_manifest(samples["quarter"] / "manifest.json")
    for key in ("still", "video"):
        entry = next(e for e in manifest.renders if samples["quarter"] / e.path == samples[key])
        assert "watermark" in entry.disclosure
        assert entry.watermark is not None and entry.watermark.algorithm == ALGORITHM
        assert entry.fingerprint is not None and entry.fingerprint["pictures"]
        bindings = dict(read_credentials(samples[key]).soft_bindings)
        carried = Payload.from_bytes(base64.b64decode(bindings[ALGORITHM]))
        assert (carried.render_hex, carried.organisation_hex) == (entry.watermark.render, entry.watermark.organisation)
        assert entry.fingerprint["algorithm"] in bindings
    with Image.open(samples["still"]) as still:
        assert detect(still.convert("RGB")).payload is not None


@pytest.mark.parametrize("change", list(reshare.VIDEO_CHANGES))
def test_video_copy_is_traced_to_its_render(
    change: str, samples: dict[str, Path], renders: list, tmp_path: Path
) -> None:
    copy = reshare.VIDEO_CHANGES[change](samples["video"], tmp_path / "copy.mp4")
    report = trace_copy(copy, renders)
    assert report.verdict == Verdict.TRACED, report.lines()
    assert report.match is not None and report.match.render.path == samples["video"]
    assert report.detection is not None and report.detection.payload is not None
    assert report.detection.payload.render_hex == report.match.render.watermark_render
    assert report.match.video is not None and report.match.video.audio_matches
    assert any(SAID[change] in c for c in report.changes), report.changes
    if change == "trim 2 s":
        assert report.match.video.offset_s == pytest.approx(2.0, abs=0.5)


@pytest.mark.parametrize("change", list(reshare.STILL_CHANGES))
def test_still_copy_is_traced_to_its_render(
    change: str, samples: dict[str, Path], renders: list, tmp_path: Path
) -> None:
    copy = reshare.STILL_CHANGES[change](samples["still"], tmp_path / "copy.img")
    report = trace_copy(copy, renders)
    assert report.verdict == Verdict.TRACED, report.lines()
    assert report.match is not None and report.match.render.path == samples["still"]
    if change not in ("whatsapp", "telegram"):  # a 1080 px ad stays 1080 px under both limits
        assert any(SAID[change] in c for c in report.changes), report.changes


def test_the_signed_render_itself_is_traced_unchanged(samples: dict[str, Path], renders: list) -> None:
    report = trace_copy(samples["video"], renders)
    assert report.ok and report.changes == ("none: it is the signed render itself",)


def test_revoiced_copy_is_reported_as_such_never_as_the_render(
    samples: dict[str, Path], renders: list, tmp_path: Path
) -> None:
    voice = tmp_path / "voice.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ru", "-w", str(voice), "Это видео сделала мэрия. Платите наличными на месте."],
        check=True,
    )
    copy = reshare.revoice_video(samples["video"], tmp_path / "revoiced.mp4", voice)
    report = trace_copy(copy, renders)
    assert report.verdict == Verdict.REVOICED and not report.ok
    assert report.match is not None and report.match.render.path == samples["video"]
    assert "NOT our render" in report.lines()[0] and "re-voiced" in report.lines()[0]


def unrelated_videos(folder: Path, count: int) -> list[Path]:
    """Short videos made here by ffmpeg's own sources, with a tone or noise for sound."""
    sources = ["testsrc2", "smptebars", "mandelbrot", "life=s=640x360:mold=10", "cellauto=s=640x360", "rgbtestsrc"]
    made = []
    for i in range(count):
        path = folder / f"unrelated-{i}.mp4"
        source = sources[i % len(sources)]
        size = "" if "=s=" in source else "=s=640x360"
        sound = f"sine=frequency={220 + 70 * i}" if i % 2 else "anoisesrc=color=pink"
        subprocess.run(
            [reshare.FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", f"{source}{size}:rate=25" if "=s=" not in source else f"{source}:rate=25",
             "-f", "lavfi", "-i", sound, "-t", "4", "-c:v", "libx264", "-preset", "ultrafast",
             "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
            check=True,
        )  # fmt: skip
        made.append(path)
    return made


def test_fifty_unrelated_images_and_videos_match_nothing(renders: list, tmp_path: Path) -> None:
    from tests.label.test_watermark import unrelated_images

    files = []
    for i, image in enumerate(unrelated_images(40)):
        path = tmp_path / f"unrelated-{i}.png"
        image.save(path)
        files.append(path)
    files += unrelated_videos(tmp_path, 10)
    for path in files:
        report = trace_copy(path, renders)
        assert report.verdict == Verdict.UNMATCHED, report.lines()
        assert report.detection is None or report.detection.payload is None


def test_a_copy_too_damaged_for_its_mark_is_not_confirmed(
    samples: dict[str, Path], renders: list, tmp_path: Path
) -> None:
    with Image.open(samples["still"]) as image:
        tiny = image.convert("RGB").resize((150, 150), Image.Resampling.BOX)
    path = tmp_path / "thumb.jpg"
    tiny.save(path, quality=60)
    report = trace_copy(path, renders)
    assert report.verdict == Verdict.RESEMBLES and not report.ok
    assert report.lines()[0].startswith(f"{path}: NOT confirmed")


def test_a_copy_matching_two_renders_lists_both(samples: dict[str, Path], tmp_path: Path) -> None:
    # the same ad rendered in two quarters; a copy whose mark cannot be read fits both
    with Image.open(samples["still"]) as image:
        tiny = image.convert("RGB").resize((150, 150), Image.Resampling.BOX)
    path = tmp_path / "thumb.jpg"
    tiny.save(path, quality=60)
    with pytest.raises(CopyError) as caught:
        trace_copy(path, load_renders(samples["renders"]))
    message = str(caught.value)
    assert "matches 2 renders" in message and "2026Q1" in message and "2026Q2" in message
    assert message.count("similarity") == 2 and "\n" not in message


def test_bad_input_gives_one_clear_line(samples: dict[str, Path], renders: list, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a picture", encoding="utf-8")
    with pytest.raises(CopyError, match="not an image, video or audio file"):
        trace_copy(text, renders)
    data = samples["video"].read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CopyError, match="truncated") as caught:
        trace_copy(cut, renders)
    assert "\n" not in str(caught.value)
    with pytest.raises(CopyError, match="no manifest there lists a fingerprinted render"):
        load_renders(tmp_path)


def test_sound_alone_is_traced_to_its_video(samples: dict[str, Path], renders: list, tmp_path: Path) -> None:
    voice = tmp_path / "voice.m4a"
    subprocess.run(
        [reshare.FFMPEG, "-loglevel", "error", "-y", "-i", str(samples["video"]), "-vn", "-ss", "1",
         "-c:a", "aac", "-b:a", "48k", str(voice)],
        check=True,
    )  # fmt: skip
    report = trace_copy(voice, renders)
    assert report.ok and report.media == "audio" and report.match is not None
    assert report.match.render.path == samples["video"]


def test_cli_traces_a_copy_and_fails_on_bad_input(
    samples: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = reshare.whatsapp_video(samples["video"], tmp_path / "from-whatsapp.mp4")
    done = run_studio(capsys, monkeypatch, "verify", str(copy), "--against", str(samples["quarter"]))
    assert done.code == 0, done.err
    assert done.out.splitlines()[0] == f"{copy}: comes from {samples['video']} (sample-video, ru, youtube, 2026Q1)"
    junk = tmp_path / "junk.bin"
    junk.write_bytes(np.random.default_rng(0).bytes(300))
    done = run_studio(capsys, monkeypatch, "verify", str(junk), "--against", str(samples["quarter"]))
    assert done.code == 1
    assert done.err.strip().startswith("error:") and len(done.err.strip().splitlines()) == 1
