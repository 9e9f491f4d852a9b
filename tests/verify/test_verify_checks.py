"""The verdicts of `studio verify`'s checks on data made in the test: no renders, no ffmpeg."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from studio.formats import FORMATS, VIDEO_FORMATS
from studio.label import Credentials, ValidationIssue, XmpLabel
from studio.label.mark import SYNTHETIC_SOURCE_TYPES
from studio.verify import BadgeStyle, CheckName, CheckResult, FileReport, Status, reports_json, reports_table
from studio.verify.badge import BADGE_MIN_MATCH, badge_match, formats_for_size, placements
from studio.verify.checks import (
    BadgeSamples,
    c2pa_result,
    qr_result,
    spans,
    spoken_result,
    visible_label_result,
    xmp_result,
)
from studio.verify.entry import find_entry
from studio.verify.run import STILL_FORMATS

COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
TYPES = SYNTHETIC_SOURCE_TYPES
RATE = 16_000


def test_times_join_into_spans() -> None:
    assert spans([3, 1, 2, 7, 10.63, 11.13, 11.63]) == "1–3 s, 7 s, 10.6–11.6 s"
    assert spans([0]) == "0 s"


# -- the badge ---------------------------------------------------------------------------------------


def frame_with_badge(name: str, size: tuple[int, int], shift: tuple[int, int] = (0, 0)) -> np.ndarray:
    """A noisy gradient frame with the expected badge composited onto it, moved by ``shift``."""
    rng = np.random.default_rng(7)
    w, h = size
    frame = np.linspace(40, 160, w)[None, :] + rng.normal(0, 6, (h, w))
    (place, *_) = placements(FORMATS[name], size, BadgeStyle())
    ph, pw = place.alpha.shape
    x, y = place.x + shift[0], place.y + shift[1]
    region = frame[y : y + ph, x : x + pw]
    frame[y : y + ph, x : x + pw] = place.luma + (1 - place.alpha) * region
    return np.clip(frame, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("name", "size"), [("story", (1080, 1920)), ("story", (360, 640)), ("youtube", (640, 360))])
def test_badge_matches_where_it_is_drawn_even_a_pixel_off(name: str, size: tuple[int, int]) -> None:
    candidates = placements(FORMATS[name], size, BadgeStyle())
    assert badge_match(frame_with_badge(name, size), (0, 0), candidates) > 0.97
    assert badge_match(frame_with_badge(name, size, (1, -1)), (0, 0), candidates) > 0.97


def test_a_badge_partly_covered_does_not_match() -> None:
    """Hiding the last words ("… помощью ИИ") fails as hiding the whole badge does."""
    size = (1080, 1920)
    candidates = placements(FORMATS["story"], size, BadgeStyle())
    frame = frame_with_badge("story", size)
    left, top, right, bottom = candidates[0].box
    frame[top:bottom, right - (right - left) // 8 : right] = 30
    assert badge_match(frame, (0, 0), candidates) < BADGE_MIN_MATCH


def test_flat_or_plain_regions_do_not_match() -> None:
    candidates = placements(FORMATS["story"], (360, 640), BadgeStyle())
    assert badge_match(np.full((640, 360), 30, np.uint8), (0, 0), candidates) == 0.0
    noise = np.random.default_rng(1).integers(0, 255, (640, 360)).astype(np.uint8)
    assert badge_match(noise, (0, 0), candidates) < 0.3


def test_a_frame_size_names_its_formats() -> None:
    assert [f.name for f in formats_for_size((360, 640), VIDEO_FORMATS)] == ["story"]
    assert {f.name for f in formats_for_size((640, 360), STILL_FORMATS)} == {"x-post"}  # by shape: 16:9
    assert [f.name for f in formats_for_size((1600, 900), STILL_FORMATS)] == ["x-post"]  # exact size first
    assert [f.name for f in formats_for_size((1080, 1080), VIDEO_FORMATS)] == ["square"]
    assert formats_for_size((1000, 700), STILL_FORMATS + VIDEO_FORMATS) == ()


def test_visible_label_verdicts() -> None:
    shown = BadgeSamples("story", (0.0, 1.0, 2.0), (0.99, 0.99, 0.99))
    gone = BadgeSamples("story", (0.0, 1.0, 2.0, 3.0), (0.99, 0.1, 0.0, 0.99))
    assert visible_label_result(shown, True, video=True).status == Status.PASS
    result = visible_label_result(gone, True, video=True)
    assert result.status == Status.FAIL and "missing at 1–2 s (2 of 4" in result.detail
    assert result.facts["missing_s"] == [1.0, 2.0] and result.facts["threshold"] == BADGE_MIN_MATCH
    assert visible_label_result(shown, False, video=True).status == Status.FAIL  # badge on a non-synthetic file
    none = BadgeSamples("story", (0.0,), (0.05,))
    assert visible_label_result(none, False, video=False).status == Status.PASS
    assert visible_label_result(none, None, video=False).status == Status.SKIP


# -- the spoken disclosure ---------------------------------------------------------------------------


def test_silence_and_a_tone_are_not_a_spoken_disclosure() -> None:
    silence = np.zeros(RATE * 5, np.int16)
    result = spoken_result(silence, RATE, (0.4, 3.3), "Это видео создано с помощью искусственного интеллекта.", True)
    assert result.status == Status.FAIL and "silent" in result.detail
    assert result.facts["rms_dbfs"] is None  # not -inf: the facts go out as strict JSON
    t = np.arange(RATE * 5) / RATE
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    result = spoken_result(tone, RATE, None, None, True)
    assert result.status == Status.FAIL and "not speech" in result.detail


def test_spoken_disclosure_applies_to_synthetic_videos_with_sound() -> None:
    assert spoken_result(None, RATE, None, None, True).status == Status.FAIL
    assert spoken_result(None, RATE, None, None, False).status == Status.SKIP


def test_a_disclosure_placed_late_fails() -> None:
    result = spoken_result(np.zeros(RATE * 8, np.int16), RATE, (2.5, 5.0), None, True)
    assert "after 1.0 s" in result.detail


# -- XMP and C2PA ------------------------------------------------------------------------------------

LABELLED = XmpLabel(COMPOSITE, (("x-default", "ЖИ менен түзүлгөн · Создано с помощью ИИ"),))
SIGNED = Credentials(
    present=True, valid=True, trusted=True, state="Trusted", digital_source_types=(COMPOSITE,), signer="CN"
)


def test_xmp_verdicts() -> None:
    assert xmp_result(LABELLED, None, True, TYPES).status == Status.PASS
    assert xmp_result(None, None, True, TYPES).status == Status.FAIL
    assert xmp_result(XmpLabel(COMPOSITE), None, True, TYPES).status == Status.FAIL  # no disclosure text
    captured = XmpLabel("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", (("x-default", "photo"),))
    assert xmp_result(captured, None, True, TYPES).status == Status.FAIL  # not a synthetic source type
    assert xmp_result(None, None, False, TYPES).status == Status.PASS  # claims nothing, as it should
    assert xmp_result(LABELLED, None, False, TYPES).status == Status.FAIL  # claims what the manifest denies
    assert xmp_result(None, "not well-formed", True, TYPES).status == Status.FAIL


def test_c2pa_verdicts() -> None:
    assert c2pa_result(SIGNED, None, True, True, COMPOSITE, TYPES).status == Status.PASS
    missing = c2pa_result(Credentials(present=False), None, True, False, COMPOSITE, TYPES)
    assert missing.status == Status.FAIL and missing.facts["state"] == "missing"
    untrusted = Credentials(
        present=True,
        valid=True,
        state="Valid",
        failures=(ValidationIssue("signingCredential.untrusted", ""),),
        digital_source_types=(COMPOSITE,),
    )
    assert c2pa_result(untrusted, None, True, False, COMPOSITE, TYPES).status == Status.PASS
    assert c2pa_result(untrusted, None, True, True, COMPOSITE, TYPES).status == Status.FAIL
    broken = Credentials(present=True, state="Invalid", failures=(ValidationIssue("assertion.dataHash.mismatch", ""),))
    result = c2pa_result(broken, None, True, False, COMPOSITE, TYPES)
    assert result.status == Status.FAIL and "Invalid: assertion.dataHash.mismatch" in result.detail
    assert c2pa_result(SIGNED, None, True, True, TRAINED, TYPES).status == Status.FAIL  # XMP and C2PA disagree
    assert c2pa_result(SIGNED, None, False, True, None, TYPES).status == Status.FAIL
    assert c2pa_result(Credentials(present=False), None, False, False, None, TYPES).status == Status.PASS


# -- QR ----------------------------------------------------------------------------------------------

URL = "https://tash-komur.example/report?src=qr&d=x"


def test_qr_verdicts() -> None:
    assert qr_result([URL], URL, True, "the picture").status == Status.PASS
    elsewhere = qr_result([URL, "https://phishing.example"], URL, True, "the picture")
    assert elsewhere.status == Status.FAIL and "phishing.example" in elsewhere.detail
    assert qr_result([], URL, True, "the end card").status == Status.FAIL
    assert qr_result([URL], None, True, "the picture").status == Status.FAIL  # a code nobody recorded
    assert qr_result([URL], None, False, "the picture").status == Status.PASS
    assert qr_result([], None, False, "the picture").status == Status.SKIP


# -- manifests and reports ---------------------------------------------------------------------------


def test_the_nearest_manifest_decides(tmp_path: Path) -> None:
    quarter = tmp_path / "renders" / "c" / "2026Q1"
    (quarter / "d" / "ky").mkdir(parents=True)
    listed, unlisted = quarter / "d" / "ky" / "story.mp4", quarter / "d" / "ky" / "other.mp4"
    entry = {
        "path": "d/ky/story.mp4",
        "kind": "video",
        "role": "video",
        "media_type": "video/mp4",
        "deliverable": "d",
        "language": "ky",
        "format": "story",
        "quarter": "2026Q1",
        "sha256": "0" * 64,
        "bytes": 10,
        "synthetic": True,
        "spoken_disclosure_s": [0.4, 3.1],
    }
    manifest = {"campaign": "c", "quarter": "2026Q1", "renders": [entry]}
    (quarter / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    found = find_entry(listed)
    assert found.entry is not None and found.entry.format == "story" and found.entry.spoken_disclosure_s == (0.4, 3.1)
    assert find_entry(unlisted).entry is None and "does not list d/ky/other.mp4" in find_entry(unlisted).note
    (quarter / "manifest.json").write_text("{", encoding="utf-8")
    assert "cannot be read as a manifest" in find_entry(listed).note


def test_table_and_json_say_what_failed() -> None:
    failed = FileReport(
        Path("renders/x/story.mp4"),
        "video/mp4",
        (
            CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, "the synthetic-media badge is missing at 1–11 s"),
            CheckResult(CheckName.QR, Status.PASS, "decodes"),
        ),
        seconds=0.5,
        format="story",
        format_from="manifest",
        duration_s=30.0,
    )
    pdf = FileReport(Path("renders/x/a4.pdf"), None, (), seconds=0.0, note="not checked: a PDF")
    table = reports_table([failed, pdf])
    assert table.splitlines()[0].startswith("FAIL  renders/x/story.mp4  (video · story (from manifest) · 30.0 s")
    assert "FAIL  visible-label  the synthetic-media badge is missing at 1–11 s" in table
    assert "skip  renders/x/a4.pdf" in table
    assert table.splitlines()[-1].startswith("2 files: 0 passed, 1 failed, 1 not checked · 0.50 min of video")
    assert "(1.0 s per minute of video)" in table
    data = reports_json([failed, pdf])
    assert data["ok"] is False and data["summary"]["seconds_per_video_minute"] == 1.0
    assert data["files"][0]["checks"][0] == {
        "name": "visible-label",
        "status": "fail",
        "detail": "the synthetic-media badge is missing at 1–11 s",
        "facts": {},
    }
    assert json.loads(json.dumps(data)) == data
