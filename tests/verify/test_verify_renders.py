"""`studio verify` on real renders: a tiny synthetic explainer (draft), a synthetic and a plain social ad.

Every check passes on the good files and fails on a bad one crafted from them with real tools (ffmpeg,
Pillow, a byte flip, a re-signed forgery), and independent readers (exiftool, the c2pa Reader) agree with
the manifest.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import c2pa
import imageio_ffmpeg
import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

from studio.batch.executors import LocalExecutor
from studio.campaign import load_campaign
from studio.fonts import PillowMeasure
from studio.formats import FORMATS
from studio.kinds import RenderOptions
from studio.kinds.marks import signing_keys, synthetic_label
from studio.label import PNG, mark_synthetic_bytes
from studio.layout.badge import build_badge
from studio.plan import plan_jobs
from studio.quarters import Quarter
from studio.stills.images import encode_png
from studio.verify import (
    CheckName,
    CheckResult,
    FileReport,
    Status,
    reports_json,
    reports_table,
    summarize,
    verify_paths,
)
from tests.conftest import make_project, make_tiny_video_campaign, sample_data

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
Q1 = Quarter.parse("2026Q1")
VIDEO = "tiny-video/ru/story.draft.mp4"
STILL = "synthetic-social/ru/instagram-post.png"
PLAIN = "plain-social/ru/instagram-post.png"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


#: The espeak voices these checks were measured with (the sample campaign speaks with RHVoice where installed).
ESPEAK_VOICES = {
    "narrator": {"engine": "espeak", "variant": "m1", "rate_wpm": 150, "pitch": 48},
    "official": {"engine": "espeak", "variant": "m3", "rate_wpm": 150, "pitch": 30},
    "citizen": {"engine": "espeak", "variant": "f3", "rate_wpm": 150, "pitch": 62},
}


def _add_social_ads(data: dict[str, Any]) -> None:
    """A synthetic social ad (it declares AI imagery) and a plain one, beside the tiny explainer."""
    data["voices"] = ESPEAK_VOICES
    qr_ad = next(d for d in sample_data()["deliverables"] if d["id"] == "report-qr-social")
    for did, synthetic in (("synthetic-social", True), ("plain-social", False)):
        data["deliverables"].append(
            dict(qr_ad, id=did, synthetic=synthetic, formats=["instagram-post"], quarters=["2026Q1"])
        )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path) -> Path:
    """The quarter folder with the three renders and their manifest."""
    from studio.batch.runner import run_batch

    base = tmp_path_factory.mktemp("verify")
    root = make_project(base / "project")
    path = make_tiny_video_campaign(root, _add_social_ads)
    campaign = load_campaign(path)
    jobs = plan_jobs(campaign, Q1, None, ["ru"], ["story", "instagram-post"])
    options = RenderOptions(cache_dir=str(base / "speech"), draft=True, keys_dir=str(keys_dir))
    result = run_batch(campaign, "2026Q1", jobs, base / "out", LocalExecutor(1), options)
    assert not result.failures, result.failures
    assert {VIDEO, STILL, PLAIN} <= set(result.entries)
    return result.quarter_dir


@pytest.fixture(scope="module")
def good(rendered: Path, keys_dir: Path) -> dict[str, FileReport]:
    reports = verify_paths([rendered], trust_anchors=keys_dir)
    return {r.path.relative_to(rendered).as_posix(): r for r in reports}


def crafted(rendered: Path, tmp_path: Path, name: str, make: Callable[[Path, Path], None]) -> Path:
    """A copy of the quarter folder (manifest included) where ``make(original, target)`` rewrote ``name``."""
    folder = tmp_path / "quarter"
    shutil.copytree(rendered, folder)
    target = folder / name
    target.unlink()
    make(rendered / name, target)
    return target


def ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-v", "error", "-y", *args], check=True)


def only(path: Path, **kwargs: Any) -> FileReport:
    (report,) = verify_paths([path], **kwargs)
    return report


def get(report: FileReport, name: CheckName) -> CheckResult:
    check = report.check(name)
    assert check is not None, f"{name} not run on {report.path}"
    return check


def status(report: FileReport, name: CheckName) -> Status:
    return get(report, name).status


def badge_box(name: str, size_px: tuple[int, int], font: Path) -> tuple[int, int, int, int]:
    fmt = FORMATS[name]
    badge = build_badge(fmt, font, PillowMeasure())
    scale = size_px[0] / fmt.width_px
    return (
        int(badge.x * scale) - 2,
        int(badge.y * scale) - 2,
        int((badge.x + badge.w) * scale) + 3,
        int((badge.y + badge.h) * scale) + 3,
    )


@pytest.fixture(scope="module")
def badge_font(rendered: Path) -> Path:
    return rendered.parents[2] / "project" / "assets" / "fonts" / "NotoSans-Bold.ttf"


# -- good renders --------------------------------------------------------------------------------------


def test_good_video_and_synthetic_still_pass_every_check(good: dict[str, FileReport]) -> None:
    video, still = good[VIDEO], good[STILL]
    assert video.status == Status.PASS, reports_table([video])
    audio_only = (CheckName.FILE, CheckName.LOUDNESS, CheckName.SLOT_LENGTH)
    assert [c.name for c in video.checks] == [n for n in CheckName if n not in audio_only]
    assert all(c.status == Status.PASS for c in video.checks), reports_table([video])
    assert video.format == "story" and video.format_from == "manifest" and video.synthetic is True
    assert still.status == Status.PASS and all(c.status == Status.PASS for c in still.checks), reports_table([still])
    for report in (video, still):
        c2pa_check = get(report, CheckName.C2PA)
        assert c2pa_check.facts["state"] == "Trusted"
        xmp_check = get(report, CheckName.XMP)
        assert xmp_check.facts["digital_source_type"] == COMPOSITE


def test_plain_still_passes_because_it_claims_nothing(good: dict[str, FileReport]) -> None:
    plain = good[PLAIN]
    assert plain.status == Status.PASS and plain.synthetic is False, reports_table([plain])
    assert all(c.status == Status.PASS for c in plain.checks), reports_table([plain])
    c2pa_check = get(plain, CheckName.C2PA)
    assert c2pa_check.facts["state"] == "missing"


def test_captions_are_reported_but_not_checked(good: dict[str, FileReport]) -> None:
    srt = good["tiny-video/ru/story.draft.srt"]
    assert srt.status == Status.SKIP and not srt.checks and srt.note and "not checked" in srt.note


def test_independent_readers_agree_with_the_manifest(rendered: Path) -> None:
    entries = {e["path"]: e for e in json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))["renders"]}
    for name in (VIDEO, STILL, PLAIN):
        path = rendered / name
        said = json.loads(
            subprocess.run(
                ["exiftool", "-j", "-XMP-iptcExt:DigitalSourceType", str(path)], capture_output=True, check=True
            ).stdout
        )[0]
        try:
            with c2pa.Reader(str(path)) as reader:
                state: str | None = reader.get_validation_state()
                manifest = json.loads(reader.json())
            active = manifest["manifests"][manifest["active_manifest"]]
            actions = [
                a for x in active["assertions"] if x["label"].startswith("c2pa.actions") for a in x["data"]["actions"]
            ]
            declared = {a.get("digitalSourceType") for a in actions}
        except c2pa.C2paError:
            state, declared = None, set()
        if entries[name]["synthetic"]:
            assert said.get("DigitalSourceType") == COMPOSITE, said
            assert state == "Valid" and COMPOSITE in declared  # the Reader has no trust anchors: not "Trusted"
        else:
            assert "DigitalSourceType" not in said and state is None


def test_copy_without_a_manifest_is_checked_from_the_file(rendered: Path, tmp_path: Path) -> None:
    alone = tmp_path / "shared-on-telegram.mp4"
    shutil.copy(rendered / VIDEO, alone)
    report = only(alone)
    assert report.status == Status.PASS, reports_table([report])
    assert report.manifest is None and report.format == "story" and report.format_from == "frame size"
    assert status(report, CheckName.MANIFEST) == Status.SKIP
    qr = get(report, CheckName.QR)
    assert qr.status == Status.PASS and "no manifest" in qr.detail


def test_downscaled_reencodes_keep_the_visible_label(rendered: Path, tmp_path: Path) -> None:
    small_video = tmp_path / "small.mp4"
    ffmpeg("-i", str(rendered / VIDEO), "-vf", "scale=180:320", "-crf", "35", "-preset", "ultrafast", str(small_video))
    small_still = tmp_path / "small.jpg"
    with Image.open(rendered / STILL) as image:
        image.convert("RGB").resize((432, 432), Image.Resampling.BILINEAR).save(small_still, quality=40)
    for path in (small_video, small_still):
        report = only(path)
        assert status(report, CheckName.VISIBLE_LABEL) == Status.PASS, reports_table([report])
        assert status(report, CheckName.XMP) == Status.FAIL  # a re-encode drops the machine-readable marks


# -- crafted bad renders -------------------------------------------------------------------------------


def _cover_badge(font: Path, enable: str | None = None) -> Callable[[Path, Path], None]:
    def make(source: Path, target: Path) -> None:
        x0, y0, x1, y1 = badge_box("story", (360, 640), font)
        box = f"drawbox=x={x0}:y={y0}:w={x1 - x0}:h={y1 - y0}:color=0x0B1F3A:t=fill"
        if enable:
            box += f":enable='{enable}'"
        ffmpeg("-i", str(source), "-vf", box, "-c:a", "copy", "-preset", "veryfast", str(target))  # B-frames

    return make


def test_video_without_the_badge_fails_naming_every_second(rendered: Path, tmp_path: Path, badge_font: Path) -> None:
    report = only(crafted(rendered, tmp_path, VIDEO, _cover_badge(badge_font)))
    visible = get(report, CheckName.VISIBLE_LABEL)
    assert report.status == Status.FAIL and visible is not None and visible.status == Status.FAIL
    assert visible.facts["missing_s"][:3] == [0, 1, 2] and len(visible.facts["missing_s"]) == visible.facts["sampled"]
    assert "missing at 0–11.6 s" in visible.detail, visible.detail


def test_video_labelled_only_in_its_first_second_fails_from_then_on(
    rendered: Path, tmp_path: Path, badge_font: Path
) -> None:
    report = only(crafted(rendered, tmp_path, VIDEO, _cover_badge(badge_font, "gte(t,1)")))
    visible = get(report, CheckName.VISIBLE_LABEL)
    assert visible.status == Status.FAIL
    assert visible.facts["missing_s"][0] == 1 and 0 not in visible.facts["missing_s"]
    assert "missing at 1–11.6 s" in visible.detail, visible.detail
    assert status(report, CheckName.SPOKEN_DISCLOSURE) == Status.PASS  # the sound was copied as it was


def test_still_with_the_badge_painted_over_fails_even_when_re_signed(
    rendered: Path, tmp_path: Path, keys_dir: Path, badge_font: Path
) -> None:
    """A forger paints over the badge and re-signs: metadata sound, visible label gone."""

    def paint(source: Path, target: Path) -> None:
        with Image.open(source) as image:
            picture = image.convert("RGB")
        ImageDraw.Draw(picture).rectangle(badge_box("instagram-post", picture.size, badge_font), fill=(11, 31, 58))
        label = synthetic_label("forged")
        target.write_bytes(mark_synthetic_bytes(encode_png(picture), PNG, label, signing_keys(str(keys_dir))))

    report = only(crafted(rendered, tmp_path, STILL, paint), trust_anchors=keys_dir)
    assert status(report, CheckName.VISIBLE_LABEL) == Status.FAIL, reports_table([report])
    assert (
        status(report, CheckName.XMP) == status(report, CheckName.C2PA) == status(report, CheckName.QR) == Status.PASS
    )
    assert status(report, CheckName.MANIFEST) == Status.FAIL  # not the file the batch wrote


def test_remux_strips_xmp_and_c2pa_but_not_the_visible_label(rendered: Path, tmp_path: Path) -> None:
    def remux(source: Path, target: Path) -> None:
        ffmpeg("-i", str(source), "-map", "0", "-c", "copy", str(target))

    report = only(crafted(rendered, tmp_path, VIDEO, remux))
    assert status(report, CheckName.XMP) == status(report, CheckName.C2PA) == Status.FAIL
    c2pa_check = get(report, CheckName.C2PA)
    assert c2pa_check.facts["state"] == "missing"
    for name in (CheckName.VISIBLE_LABEL, CheckName.SPOKEN_DISCLOSURE, CheckName.QR):
        assert status(report, name) == Status.PASS, reports_table([report])


def test_one_byte_flipped_after_signing_makes_c2pa_invalid(rendered: Path, tmp_path: Path) -> None:
    def flip(source: Path, target: Path) -> None:
        data = bytearray(source.read_bytes())
        data[len(data) // 2] ^= 0x01  # inside the media data: the signed hash no longer matches
        target.write_bytes(bytes(data))

    report = only(crafted(rendered, tmp_path, VIDEO, flip))
    c2pa_check = get(report, CheckName.C2PA)
    assert c2pa_check.status == Status.FAIL
    assert c2pa_check.facts["state"] == "Invalid" and "mismatch" in c2pa_check.detail, c2pa_check.detail
    assert status(report, CheckName.XMP) == Status.PASS


def test_qr_url_in_the_manifest_differs_from_the_code(rendered: Path, tmp_path: Path) -> None:
    folder = tmp_path / "quarter"
    shutil.copytree(rendered, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["renders"]:
        if entry["path"] == STILL:
            entry["qr_url"] = "https://tash-komur.example/report?src=qr&d=elsewhere"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    qr = get(only(folder / STILL), CheckName.QR)
    assert qr.status == Status.FAIL
    assert "d=synthetic-social" in qr.detail and "d=elsewhere" in qr.detail, qr.detail


def test_a_different_qr_pasted_over_the_still_fails(rendered: Path, tmp_path: Path) -> None:
    fake = "https://phishing.example/report"

    def paste(source: Path, target: Path) -> None:
        with Image.open(source) as image:
            picture = image.convert("RGB")
        (found,) = zxingcpp.read_barcodes(picture.convert("L"))
        corners = [found.position.top_left, found.position.bottom_right]
        x0, y0 = min(p.x for p in corners), min(p.y for p in corners)
        side = max(p.x for p in corners) - x0
        buffer = io.BytesIO()
        segno.make(fake, error="m").save(buffer, kind="png", scale=10, border=4)
        code = Image.open(buffer).convert("RGB")
        grow = side * 0.2  # cover the original code and its quiet zone
        picture.paste(
            code.resize((round(side + 2 * grow),) * 2, Image.Resampling.NEAREST), (round(x0 - grow), round(y0 - grow))
        )
        picture.save(target)

    report = only(crafted(rendered, tmp_path, STILL, paste))
    qr = get(report, CheckName.QR)
    assert qr.status == Status.FAIL and fake in qr.detail, reports_table([report])


def test_silent_first_seconds_fail_the_spoken_disclosure(rendered: Path, tmp_path: Path) -> None:
    def silence(source: Path, target: Path) -> None:
        ffmpeg("-i", str(source), "-map", "0", "-c:v", "copy", "-af", "volume=0:enable='lt(t,4)'", str(target))

    report = only(crafted(rendered, tmp_path, VIDEO, silence))
    spoken = get(report, CheckName.SPOKEN_DISCLOSURE)
    assert spoken.status == Status.FAIL and "silent" in spoken.detail, spoken.detail
    assert status(report, CheckName.VISIBLE_LABEL) == Status.PASS


def test_missing_file_fails(tmp_path: Path) -> None:
    report = only(tmp_path / "nowhere.mp4")
    assert report.status == Status.FAIL and "cannot read the file" in get(report, CheckName.FILE).detail


# -- reports -------------------------------------------------------------------------------------------


def test_reports_render_as_a_table_and_as_json_with_the_time_per_minute(good: dict[str, FileReport]) -> None:
    reports = list(good.values())
    summary = summarize(reports)
    assert summary.ok and summary.video_s > 10 and summary.seconds_per_video_minute is not None
    table = reports_table(reports)
    assert f"pass  {good[VIDEO].path}" in table and "per minute of video" in table.splitlines()[-1]
    data = json.loads(json.dumps(reports_json(reports)))
    assert data["ok"] is True and data["summary"]["seconds_per_video_minute"] > 0
    video = next(f for f in data["files"] if f["path"].endswith(VIDEO))
    audio_only = ("file", "loudness", "slot-length")
    assert {c["name"]: c["status"] for c in video["checks"]} == {
        str(n): "pass" for n in CheckName if n not in audio_only
    }


# -- known bug elsewhere -------------------------------------------------------------------------------
