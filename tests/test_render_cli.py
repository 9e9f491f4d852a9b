"""``studio render`` end to end: files, manifest, QR read-back, and nothing half-written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from studio import files
from studio.errors import RenderError
from tests.cli_helpers import run_studio
from tests.conftest import SAMPLE
from tests.qr_helpers import decode_file


def manifest_of(out: Path) -> dict:
    return json.loads((out / "tash-komur-2026" / "2026Q1" / "manifest.json").read_text(encoding="utf-8"))


def test_social_render_writes_files_and_a_manifest_that_matches_them(capsys, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    result = run_studio(
        capsys, monkeypatch, "render", str(SAMPLE), "--quarter", "2026Q1", "--only", "social", "--out", str(out)
    )
    assert result.code == 0, result.err
    assert "placeholders" in result.err  # the sample's reporting channels are flagged until replaced
    manifest = manifest_of(out)
    assert manifest["campaign"] == "tash-komur-2026" and manifest["quarter"] == "2026Q1"
    renders = manifest["renders"]
    # men-para-berbeym-social: 5 formats, report-qr-social: 3 formats; both in ky and ru.
    assert len(renders) == (5 + 3) * 2
    quarter = out / "tash-komur-2026" / "2026Q1"
    for entry in renders:
        path = quarter / entry["path"]
        data = path.read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        assert entry["path"] == f"{entry['deliverable']}/{entry['language']}/{entry['format']}.png"
        assert entry["synthetic"] is False and entry["kind"] == "social"
        assert decode_file(path) == [entry["qr_url"]]
        assert f"l={entry['language']}" in entry["qr_url"] and f"f={entry['format']}" in entry["qr_url"]
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_full_quarter_banners_and_social(capsys, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    result = run_studio(
        capsys, monkeypatch, "render", str(SAMPLE), "--quarter", "2026Q1", "--only", "banners,social", "--out", str(out)
    )
    assert result.code == 0, result.err
    renders = manifest_of(out)["renders"]
    prints = [e for e in renders if e["role"] == "print"]
    assert {e["format"] for e in prints} == {
        "a4",
        "a3",
        "street-banner-3x1m",
        "newspaper-quarter",
        "newspaper-quarter-gray",
    }
    assert {e["language"] for e in renders} == {"ky", "ru"}
    for entry in renders:
        assert decode_file(out / "tash-komur-2026" / "2026Q1" / entry["path"]) == [entry["qr_url"]]


def test_rerender_keeps_other_entries_of_the_manifest(capsys, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    args = ["render", str(SAMPLE), "--quarter", "2026Q1", "--only", "social", "--out", str(out), "--workers", "1"]
    assert run_studio(capsys, monkeypatch, *args, "--lang", "ky", "--format", "story").code == 0
    assert run_studio(capsys, monkeypatch, *args, "--lang", "ru", "--format", "story").code == 0
    paths = [e["path"] for e in manifest_of(out)["renders"]]
    assert "men-para-berbeym-social/ky/story.png" in paths and "men-para-berbeym-social/ru/story.png" in paths


def test_manifest_edited_into_invalid_json_is_rebuilt_with_a_warning(capsys, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    args = [
        "render",
        str(SAMPLE),
        "--quarter",
        "2026Q1",
        "--only",
        "social",
        "--format",
        "story",
        "--lang",
        "ky",
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    assert run_studio(capsys, monkeypatch, *args).code == 0
    (out / "tash-komur-2026" / "2026Q1" / "manifest.json").write_text("{ not json", encoding="utf-8")
    result = run_studio(capsys, monkeypatch, *args)
    assert result.code == 0 and "not a valid manifest" in result.err
    assert len(manifest_of(out)["renders"]) == 2


def test_unwritable_output_folder_is_one_clear_error(capsys, monkeypatch, tmp_path: Path) -> None:
    blocker = tmp_path / "renders"
    blocker.write_text("a file where the folder should be")
    result = run_studio(capsys, monkeypatch, "render", str(SAMPLE), "--quarter", "2026Q1", "--out", str(blocker))
    assert result.code == 1
    assert "cannot write renders there" in result.err and "Traceback" not in result.err


def test_failed_write_leaves_neither_file_nor_temporary(monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "ad.png"
    target.write_bytes(b"the previous good render")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(RenderError, match="ad.png: cannot write"):
        files.write_atomic(target, b"new bytes")
    assert target.read_bytes() == b"the previous good render"
    assert [p.name for p in tmp_path.iterdir()] == ["ad.png"]


def test_validate_the_sample_campaign(capsys, monkeypatch) -> None:
    result = run_studio(capsys, monkeypatch, "validate", str(SAMPLE))
    assert result.code == 0
    assert "campaign tash-komur-2026" in result.out and "languages ky, ru" in result.out
