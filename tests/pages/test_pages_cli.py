"""`studio render --only pages`, the manifest, the quarterly report and `studio verify`, as a user runs them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from studio.campaign.models import OUTSIDE_TYPES, PLAN_TYPES
from tests.conftest import SAMPLE


def test_infographics_and_booklets_are_no_longer_made_elsewhere() -> None:
    assert OUTSIDE_TYPES == ()
    assert {"infographic", "booklet"} <= set(PLAN_TYPES)


def studio(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, as a user runs it: its worker pool forks from a fresh process
    (a test process that already ran the page engine's threads must not fork workers from itself)."""
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", *args], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.slow
def test_render_pages_then_report_and_verify(tmp_path: Path) -> None:
    out = tmp_path / "renders"
    args = ("render", str(SAMPLE), "-q", "2026Q1", "--only", "pages", "--lang", "ky", "--out", str(out))
    result = studio(*args, "--format", "a5-booklet,story")
    assert result.returncode == 0, result.stderr
    quarter = out / "tash-komur-2026" / "2026Q1"
    manifest = json.loads((quarter / "manifest.json").read_text(encoding="utf-8"))
    booklet = [e for e in manifest["renders"] if e["deliverable"] == "how-to-report-booklet"]
    roles = sorted({e["role"] for e in booklet})
    assert roles == ["preview", "print", "reader"]
    reader = next(e for e in booklet if e["role"] == "reader")
    assert reader["pages"] == 12 and reader["qr_url"].endswith("&f=a5-booklet&l=ky&q=2026Q1")
    printed = next(e for e in booklet if e["role"] == "print")
    assert (printed["sheets"], printed["imposition"]) == (3, "saddle-stitch")
    # its preflight summary, as the gallery shows it: trim and bleed, pages and sheets, the QR code read
    assert printed["preflight"] == {
        "trim_mm": [148.0, 210.0],
        "bleed_mm": 3.0,
        "pages": 12,
        "sheets": 3,
        "qr_page_read": True,
        "qr_mm": 28,
    }
    gallery = (quarter / "index.html").read_text(encoding="utf-8")
    assert "a5-booklet.print.pdf" in gallery and "QR-код: с изображения страницы" in gallery
    assert sorted(e["page"] for e in booklet if e["role"] == "preview") == list(range(1, 13))

    rows = {(r["type"], r["language"]): r for r in csv.DictReader((quarter / "report.csv").open(encoding="utf-8"))}
    assert rows[("booklet", "ky")]["produced"] == "1" and rows[("booklet", "ky")]["in_studio"] == "true"
    assert rows[("booklet", "ky")]["target_year"] == "20"
    # The infographic is due in three formats; only the story was rendered, so it is not produced yet.
    assert rows[("infographic", "ky")]["produced"] == "0"
    assert "reports-2025-infographic" in (quarter / "index.html").read_text(encoding="utf-8")

    folder = quarter / "how-to-report-booklet"
    verified = studio("verify", str(folder))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "14 files: 14 passed" in verified.stdout
