"""A re-run with nothing to do ends at once (the stamp of the last complete run), and any change —
campaign, template, asset, code version, a render on disk — still renders exactly what it affects."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
import yaml

from studio.batch import noop
from studio.batch.lock import quarter_lock
from tests.cli_helpers import Result, run_studio

UNCHANGED = "nothing changed since the last render"


@pytest.fixture
def render(capsys, monkeypatch, project: Path, tmp_path: Path):
    """``studio render`` of the sample's story-sized social ads (4 jobs), as a user types it."""
    campaign = project / "campaigns" / "tash-komur-2026.yaml"
    monkeypatch.chdir(tmp_path)

    def run() -> Result:
        time.sleep(0.1)  # an input edited just before a run gets no stamp (it may have changed under it)
        result = run_studio(
            capsys, monkeypatch, "render", str(campaign), "-q", "2026Q1", "--only", "social", "--format", "story",
            "--workers", "1", "--keys", str(tmp_path / "keys"),
        )  # fmt: skip
        assert result.code == 0, result.err
        return result

    return run


def counts(result: Result) -> tuple[int, int]:
    """(rendered, up to date) as the summary line says."""
    words = result.out.split()
    return int(words[0]), int(words[words.index("up") - 1])


def quarter(tmp_path: Path) -> Path:
    return tmp_path / "renders" / "tash-komur-2026" / "2026Q1"


def snapshot(folder: Path) -> dict[Path, int]:
    """Every file's modification time (the lock file says who holds the folder: it changes each run)."""
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and p.name != ".render.lock"}


def test_an_unchanged_rerun_touches_nothing_and_says_the_same(render, tmp_path: Path) -> None:
    first = render()
    assert counts(first) == (4, 0) and UNCHANGED not in first.err
    files = snapshot(quarter(tmp_path))
    again = render()
    assert UNCHANGED in again.err
    assert counts(again) == (0, 4)
    # The same warnings as a full run, and the same summary lines.
    assert "reporting channels are sample placeholders" in again.err
    assert again.out.splitlines()[1:] == first.out.splitlines()[1:]
    assert snapshot(quarter(tmp_path)) == files  # not even the manifest or the gallery rewritten


def test_editing_one_text_rerenders_exactly_its_job_then_settles(render, project: Path, tmp_path: Path) -> None:
    render()
    render()
    path = project / "campaigns" / "tash-komur-2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["deliverables"][4]["text"]["ru"]["headline"] = "Вымогают взятку? Сообщите"  # report-qr-social, ru
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = render()
    assert UNCHANGED not in changed.err and counts(changed) == (1, 3)
    settled = render()
    assert UNCHANGED in settled.err and counts(settled) == (0, 4)


def test_an_asset_saved_again_unchanged_rerenders_nothing_but_a_new_one_rerenders_all(
    render, project: Path, tmp_path: Path
) -> None:
    render()
    logo = next((project / "assets" / "logo").iterdir())
    logo.write_bytes(logo.read_bytes())  # saved again, same bytes: the full run checks, and renders nothing
    resaved = render()
    assert UNCHANGED not in resaved.err and counts(resaved) == (0, 4)
    assert UNCHANGED in render().err
    (project / "assets" / "notes.txt").write_text("credits", encoding="utf-8")  # every key covers assets
    added = render()
    assert UNCHANGED not in added.err and counts(added) == (4, 0)


def test_a_template_change_is_a_full_run(render, project: Path) -> None:
    render()
    design = sorted((project / "templates" / "designs").glob("*.yaml"))[0]
    design.write_text(design.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    changed = render()
    assert UNCHANGED not in changed.err and counts(changed) == (4, 0)


def test_a_deleted_or_altered_render_is_rendered_again(render, tmp_path: Path) -> None:
    render()
    png = sorted(quarter(tmp_path).rglob("story.png"))
    png[0].unlink()
    deleted = render()
    assert UNCHANGED not in deleted.err and counts(deleted) == (1, 3)
    # Same size, same modification time, other bytes: the change time still tells.
    target = png[1]
    st = target.stat()
    data = bytearray(target.read_bytes())
    data[-20] ^= 0xFF
    target.write_bytes(bytes(data))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    altered = render()
    assert UNCHANGED not in altered.err and counts(altered) == (1, 3)


def test_a_new_key_version_is_a_full_run(render, monkeypatch) -> None:
    render()
    monkeypatch.setattr(noop, "KEY_VERSION", "test")
    monkeypatch.setattr("studio.batch.keys.KEY_VERSION", "test")
    changed = render()
    assert UNCHANGED not in changed.err and counts(changed) == (4, 0)


def test_a_racy_render_is_checked_by_its_bytes(tmp_path: Path) -> None:
    """A file written just before the stamp could change again within its time stamp's tick: its bytes count."""
    out, src, res = tmp_path / "out", tmp_path / "in.txt", tmp_path / "q" / "r.bin"
    src.write_text("input", encoding="utf-8")
    res.parent.mkdir()
    with quarter_lock(res.parent):  # its lock file exists, as in every rendered quarter
        pass
    time.sleep(0.1)
    started = time.time_ns()
    res.write_bytes(b"render")
    known = {res: hashlib.sha256(b"render").hexdigest()}
    stamp = noop.Stamp(str(res.parent), 1, ())
    written = noop.write_stamp(
        out, "k", started_ns=started, inputs=[src], outputs=[res.parent, res], known=known, stamp=stamp
    )
    assert written and noop.unchanged(out, "k") == stamp
    path = noop.stamp_path(out, "k")
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["outputs"][str(res)][-1] == known[res]  # written within the tick: its sha256 is kept
    assert body["outputs"][str(res.parent)][-1] == [".render.lock", "r.bin"]  # and a folder's names
    body["outputs"][str(res)][-1] = hashlib.sha256(b"other").hexdigest()
    path.write_text(json.dumps(body), encoding="utf-8")
    assert noop.unchanged(out, "k") is None  # the bytes on disk are not the ones recorded: a full run
    # A render whose bytes are not the manifest's, or an input touched while the run went on: no stamp.
    assert not noop.write_stamp(
        out, "k", started_ns=started, inputs=[], outputs=[res], known={res: "0" * 64}, stamp=stamp
    )
    src.write_text("input", encoding="utf-8")
    assert not noop.write_stamp(out, "k", started_ns=started, inputs=[src], outputs=[], known={}, stamp=stamp)


def test_an_unchanged_rerun_loads_neither_the_models_nor_the_image_libraries(project: Path, tmp_path: Path) -> None:
    """As a user types it, in its own process: the second run decides before pydantic, Pillow or numpy load."""
    import subprocess
    import sys

    command = [
        sys.executable, "-X", "importtime", "-m", "studio.cli", "render",
        str(project / "campaigns" / "tash-komur-2026.yaml"), "-q", "2026Q1", "--only", "social",
        "--format", "story", "--lang", "ky", "--workers", "1", "--keys", str(tmp_path / "keys"),
    ]  # fmt: skip
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "pydantic" in first.stderr and UNCHANGED not in first.stderr
    time.sleep(0.1)
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert UNCHANGED in again.stderr and "0 rendered (0 files), 2 up to date" in again.stdout
    loaded = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert not loaded & {"pydantic", "PIL", "numpy", "zxingcpp", "studio.campaign", "yaml", "jinja2"}
