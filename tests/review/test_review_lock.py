"""An approved file is locked: a later render that changes it writes a revision beside it, unapproved."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from studio.batch.executors import LocalExecutor
from studio.batch.lock import remove_leftovers
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.files import sha256_of
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from studio.review import ReviewDB, User

Q1 = Quarter.parse("2026Q1")
LEAD = User("aida", "lead")
PATH = "report-qr-social/ky/facebook-link.png"


def _jobs(campaign):
    jobs = plan_jobs(campaign, Q1, ["social"], ["ky"], ["facebook-link"])
    return [job for job in jobs if job.deliverable == "report-qr-social"]


def _render(path: Path, out: Path, tmp_path: Path):
    campaign = load_campaign(path)
    opts = RenderOptions(cache_dir=str(tmp_path / "speech"))
    return run_batch(campaign, "2026Q1", _jobs(campaign), out, LocalExecutor(1), opts)


def _manifest(quarter_dir: Path) -> dict[str, dict]:
    data = json.loads((quarter_dir / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["renders"]}


def _edit_headline(path: Path, headline: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = next(d for d in data["deliverables"] if d["id"] == "report-qr-social")
    target["text"]["ky"]["headline"] = headline
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_approved_file_is_kept_and_the_new_render_is_a_pending_revision(project: Path, tmp_path: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    out = tmp_path / "renders"
    first = _render(path, out, tmp_path)
    quarter_dir = first.quarter_dir
    approved = quarter_dir / PATH
    sha, data = sha256_of(approved), approved.read_bytes()
    db = ReviewDB(out)
    db.add_user("aida", "lead", "correct horse")
    db.review(LEAD, "tash-komur-2026", "2026Q1", {PATH: sha}, "approved", "")

    # Same inputs, manifest lost: the job re-renders into the staging folder, same bytes, approval stands.
    (quarter_dir / "manifest.json").unlink()
    same = _render(path, out, tmp_path)
    assert len(same.results) == 1 and not same.failures
    assert approved.read_bytes() == data and not (quarter_dir / ".staging").exists()
    assert set(_manifest(quarter_dir)) == {PATH}

    _edit_headline(path, "Пара сурашса — кабарлаңыз!")
    changed = _render(path, out, tmp_path)
    assert len(changed.results) == 1 and not changed.failures
    revision = "report-qr-social/ky/facebook-link.r2.png"
    assert approved.read_bytes() == data  # untouched
    assert (quarter_dir / revision).is_file() and sha256_of(quarter_dir / revision) != sha
    entries = _manifest(quarter_dir)
    assert entries[PATH]["superseded_by"] == revision and entries[revision]["revision"] == 2
    assert entries[revision]["sha256"] == sha256_of(quarter_dir / revision)
    assert db.approved("tash-komur-2026", "2026Q1") == {PATH: sha}  # nothing carried over to r2

    # Up to date now: a third run renders nothing.
    assert not _render(path, out, tmp_path).results

    # Approve r2, change again: r2 is kept too and r3 is written.
    db.review(LEAD, "tash-komur-2026", "2026Q1", {revision: sha256_of(quarter_dir / revision)}, "approved", "")
    _edit_headline(path, "Пара сурашса — дароо кабарлаңыз!")
    _render(path, out, tmp_path)
    entries = _manifest(quarter_dir)
    assert entries[revision]["superseded_by"] == "report-qr-social/ky/facebook-link.r3.png"
    assert approved.read_bytes() == data


def test_a_file_changed_since_approval_is_not_locked(project: Path, tmp_path: Path) -> None:
    path = project / "campaigns" / "tash-komur-2026.yaml"
    out = tmp_path / "renders"
    quarter_dir = _render(path, out, tmp_path).quarter_dir
    target = quarter_dir / PATH
    db = ReviewDB(out)
    db.add_user("aida", "lead", "correct horse")
    db.review(LEAD, "tash-komur-2026", "2026Q1", {PATH: sha256_of(target)}, "approved", "")
    target.write_bytes(target.read_bytes()[:-4] + b"XXXX")  # edited by hand: the approval is void
    _edit_headline(path, "Пара сурашса — кабарлаңыз!")
    _render(path, out, tmp_path)
    assert set(_manifest(quarter_dir)) == {PATH}  # rendered in place, no revision
    assert not (quarter_dir / "report-qr-social/ky/facebook-link.r2.png").exists()


def test_a_staging_folder_left_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    staged = tmp_path / ".staging" / "d.ky.story" / "d" / "ky"
    staged.mkdir(parents=True)
    (staged / "story.png").write_bytes(b"half")
    assert remove_leftovers(tmp_path) >= 1
    assert not (tmp_path / ".staging").exists()
