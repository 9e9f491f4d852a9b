"""`studio render --only pages`, the manifest, the quarterly report and `studio verify`, as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from studio.campaign.models import OUTSIDE_TYPES, PLAN_TYPES
from tests.cli_helpers import run_studio
from tests.conftest import SAMPLE


def test_infographics_and_booklets_are_no_longer_made_elsewhere() -> None:
    assert OUTSIDE_TYPES == ()
    assert {"infographic", "booklet"} <= set(PLAN_TYPES)


@pytest.mark.slow
def test_render_pages_then_report_and_verify(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "renders"
    args = ("render", str(SAMPLE), "-q", "2026Q1", "--only", "pages", "--lang", "ky", "--out", str(out))
    result = run_studio(capsys, monkeypatch, *args, "--format", "a5-booklet,story")
    assert result.code == 0, result.err
    quarter = out / "tash-komur-2026" / "2026Q1"
    manifest = json.loads((quarter / "manifest.json").read_text(encoding="utf-8"))
    booklet = [e for e in manifest["renders"] if e["deliverable"] == "how-to-report-booklet"]
    roles = sorted({e["role"] for e in booklet})
    assert roles == ["preview", "print", "reader"]
    reader = next(e for e in booklet if e["role"] == "reader")
    assert reader["pages"] == 12 and reader["qr_url"].endswith("&f=a5-booklet&l=ky&q=2026Q1")
    printed = next(e for e in booklet if e["role"] == "print")
    assert (printed["sheets"], printed["imposition"]) == (3, "saddle-stitch")
    assert sorted(e["page"] for e in booklet if e["role"] == "preview") == list(range(1, 13))

    rows = {(r["type"], r["language"]): r for r in csv.DictReader((quarter / "report.csv").open(encoding="utf-8"))}
    assert rows[("booklet", "ky")]["produced"] == "1" and rows[("booklet", "ky")]["in_studio"] == "true"
    assert rows[("booklet", "ky")]["target_year"] == "20"
    # The infographic is due in three formats; only the story was rendered, so it is not produced yet.
    assert rows[("infographic", "ky")]["produced"] == "0"
    assert "reports-2025-infographic" in (quarter / "index.html").read_text(encoding="utf-8")

    folder = quarter / "how-to-report-booklet"
    verified = run_studio(capsys, monkeypatch, "verify", str(folder))
    assert verified.code == 0, verified.out + verified.err
    assert "14 files: 14 passed" in verified.out
