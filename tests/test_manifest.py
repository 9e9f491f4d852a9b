"""The typed manifest: one reader, one writer, old manifests upgraded, newer or broken ones never misread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.batch.executors import LocalExecutor
from studio.batch.manifest import (
    SCHEMA_VERSION,
    ManifestError,
    load_manifest,
    parse_manifest,
    read_manifest,
)
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from tests.conftest import make_project

Q1 = Quarter.parse("2026Q1")


def _render_two(project: Path, tmp_path: Path):
    campaign = load_campaign(project / "campaigns" / "tash-komur-2026.yaml")
    jobs = plan_jobs(campaign, Q1, ["social"], ["ky"], ["story", "instagram-post"])
    options = RenderOptions(cache_dir=str(tmp_path / "speech"))
    result = run_batch(campaign, "2026Q1", jobs, tmp_path / "renders", LocalExecutor(1), options)
    assert not result.failures and len(result.results) == len(jobs) >= 2
    return campaign, jobs, options, result.quarter_dir


def test_written_manifest_is_versioned_and_reads_back_typed(project: Path, tmp_path: Path) -> None:
    _, jobs, _, quarter_dir = _render_two(project, tmp_path)
    raw = json.loads((quarter_dir / "manifest.json").read_text(encoding="utf-8"))
    assert raw["schema_version"] == SCHEMA_VERSION
    manifest = load_manifest(quarter_dir / "manifest.json")
    assert manifest.campaign == "tash-komur-2026" and manifest.quarter == "2026Q1"
    for job in jobs:
        [entry] = manifest.job_entries(job, draft=False)
        assert entry.is_final and entry.kind == "social" and entry.width_px > 0 and len(entry.sha256) == 64
    # readable as written: two-space indents, any Cyrillic as itself, as json.dumps writes it
    text = (quarter_dir / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(raw, ensure_ascii=False, indent=2) + "\n"


def test_a_version_1_manifest_resumes_without_rerendering(project: Path, tmp_path: Path) -> None:
    """Manifests written before the schema had a version: same fields, no schema_version."""
    campaign, jobs, options, quarter_dir = _render_two(project, tmp_path)
    path = quarter_dir / "manifest.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    del raw["schema_version"]
    for entry in raw["renders"]:
        entry.pop("draft", None)  # version 1 only wrote the flag on drafts
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    again = run_batch(campaign, "2026Q1", jobs, tmp_path / "renders", LocalExecutor(1), options)
    assert len(again.skipped) == len(jobs) and not again.results and not again.warnings


def test_a_version_1_draft_named_only_by_its_path_is_a_draft() -> None:
    entry = {
        "path": "v/ky/story.draft.mp4",
        "kind": "video",
        "role": "video",
        "media_type": "video/mp4",
        "deliverable": "v",
        "language": "ky",
        "format": "story",
        "quarter": "2026Q1",
        "sha256": "0" * 64,
        "bytes": 1,
    }
    manifest = parse_manifest({"campaign": "c", "quarter": "2026Q1", "renders": [entry]}, "m.json")
    assert manifest.renders[0].draft and not manifest.renders[0].is_final


def test_a_manifest_from_a_newer_studio_is_rebuilt_with_a_clear_line(project: Path, tmp_path: Path) -> None:
    campaign, jobs, options, quarter_dir = _render_two(project, tmp_path)
    path = quarter_dir / "manifest.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ManifestError, match="written by a newer Taza Studio"):
        load_manifest(path)
    entries, warning = read_manifest(quarter_dir)
    assert entries == {} and warning is not None and "newer Taza Studio" in warning and "rebuilt" in warning
    again = run_batch(campaign, "2026Q1", jobs, tmp_path / "renders", LocalExecutor(1), options)
    assert len(again.results) == len(jobs) and not again.failures
    assert load_manifest(path).schema_version == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a manifest (not a JSON object)"),
        ({"campaign": "c", "quarter": "2026Q1", "schema_version": "2"}, "schema_version '2' is not a number"),
        ({"campaign": "c", "quarter": "2026Q1", "renders": [{"path": "x"}]}, "renders.0.kind: Field required"),
        ({"campaign": "c", "quarter": "2026Q1", "surprise": 1}, "surprise: Extra inputs are not permitted"),
    ],
)
def test_what_is_not_a_manifest_is_named(data: object, message: str) -> None:
    with pytest.raises(ManifestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_manifest(data, "renders/c/2026Q1/manifest.json")


def test_workers_render_the_campaign_the_keys_were_computed_from(project: Path, tmp_path: Path) -> None:
    """A campaign file edited during a batch cannot put new words under the old content key."""
    pristine = make_project(tmp_path / "pristine")
    options = RenderOptions(cache_dir=str(tmp_path / "speech"))
    shas = []
    for folder, edit in ((pristine, False), (project, True)):
        path = folder / "campaigns" / "tash-komur-2026.yaml"
        campaign = load_campaign(path)
        jobs = plan_jobs(campaign, Q1, ["social"], ["ky"], ["story"])
        if edit:  # edited after the batch computed its keys from ``campaign``
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("#МенПараБербейм", "#МенПараБербейм2027"), encoding="utf-8")
        result = run_batch(campaign, "2026Q1", jobs, folder / "renders", LocalExecutor(1), options)
        assert not result.failures
        shas.append({e.path: e.sha256 for e in result.entries.values()})
    assert shas[0] == shas[1]
