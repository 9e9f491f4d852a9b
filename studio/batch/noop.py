"""A re-run with nothing to do, decided in milliseconds: the stamp of the last complete run.

``studio render`` of an unchanged quarter used to spend its time loading and validating the campaign,
hashing every asset and every render, and rewriting the gallery and report, only to skip every job.
After a run in which every job of a selection rendered or was up to date, this module records a
*stamp*: the file-system identity (size, modification and change times, inode) of everything that run
read — the campaign file, every file and folder under ``templates/``, ``assets/`` and the campaign's
folder, every file the campaign names elsewhere, the studio's own code, the review database and the
other quarters' manifests — and of everything it left behind: the manifest, every render it lists,
every folder of the quarter, the gallery and the report. The next run with the same selection compares
those identities first; if not one differs (and the date, studio version and content-key version are
the same), nothing can have changed, so nothing is rendered and nothing imported beyond this module.
Any difference, even a file touched and saved unchanged, falls back to the full run: content keys then
decide, job by job, exactly what to render again.

Two rules keep the stamp honest where time stamps alone could not:

- an input modified while the run was going (or just before it) gets no stamp: what the run read and
  what the stamp would record might differ;
- a file or folder written too close to the stamp for its time stamps to tell a later change apart
  ("racy", as Git calls it) is recorded with its content (a sha256, or a folder's names), which the
  next check compares too.

Only kinds that speak nothing get a stamp: a voiced job depends on the installed speech engines too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio import __version__
from studio.batch.keys import KEY_VERSION
from studio.batch.lock import quarter_lock
from studio.errors import StudioError

#: Stamps live beside the speech cache: ``OUT/.cache/runs/SELECTION.json``.
STAMP_FOLDER = Path(".cache") / "runs"
STAMP_VERSION = 1
#: How far before a time stamp a change may fall and still carry an equal time stamp: file systems
#: with nanosecond times tick with the kernel clock (at most ~10 ms); others keep whole seconds (FAT: two).
FINE_MARGIN_NS = 50_000_000
COARSE_MARGIN_NS = 2_000_000_000

Identity = list[int]  # [is folder, size, mtime_ns, ctime_ns, inode]


def _margin(ns: int) -> int:
    return COARSE_MARGIN_NS if ns % 1_000_000_000 == 0 else FINE_MARGIN_NS


def identity(path: Path | str) -> Identity | None:
    """What the file system says of ``path`` (None: it does not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [int(stat.S_ISDIR(st.st_mode)), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _touched_since(ident: Identity, since_ns: int) -> bool:
    """Whether ``ident`` was (or may have been, at its time stamps' resolution) modified after ``since_ns``."""
    latest = max(ident[2], ident[3])
    return latest >= since_ns - _margin(latest)


def tree(folder: Path) -> Iterator[Path]:
    """``folder`` and every folder and file under it (``__pycache__`` left out, as the content keys do)."""
    if not folder.is_dir():
        yield folder  # recorded as absent or as a file: its appearance is a change too
        return
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        yield Path(top)
        for name in sorted(files):
            yield Path(top) / name


def selection_key(**selection: object) -> str:
    """The name of a selection's stamp: the same command in the same folder finds the same stamp."""
    blob = json.dumps({"cwd": os.getcwd(), **selection}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def stamp_path(out_dir: Path, key: str) -> Path:
    return out_dir / STAMP_FOLDER / f"{key}.json"


def forget(out_dir: Path, key: str) -> None:
    """Remove a selection's stamp (a full run is starting: until it ends, nothing is proven)."""
    try:
        stamp_path(out_dir, key).unlink()
    except OSError:
        pass


@dataclass(frozen=True)
class Stamp:
    """What the last complete run of a selection said, to say it again."""

    quarter_dir: str
    jobs: int
    messages: tuple[tuple[str, str], ...]  # (style, text) notes the campaign's loading printed


def paths_in(value: object) -> Iterator[Path]:
    """Every path in a campaign's data (``model_dump()``): fonts, logo, photos, data tables, ICC files."""
    if isinstance(value, Path):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from paths_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from paths_in(item)


def _names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def _digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_stamp(
    out_dir: Path,
    key: str,
    *,
    started_ns: int,
    inputs: Iterable[Path],
    outputs: Iterable[Path],
    known: dict[Path, str],
    stamp: Stamp,
) -> bool:
    """Record the stamp of a run that just finished (under the quarter's lock, after its last write).

    ``inputs`` are what the run read and never wrote; ``outputs`` what it wrote or checked;
    ``known`` the sha256 the manifest gives each render. No stamp (False) when an input changed while
    the run went on, or a render differs from its manifest entry."""
    today = dt.date.today().isoformat()
    now_ns = time.time_ns()
    if dt.date.fromtimestamp(started_ns / 1e9).isoformat() != today:
        return False  # a run across midnight: its report may carry either date
    recorded_in: dict[str, Identity | None] = {}
    for path in dict.fromkeys(inputs):
        ident = identity(path)
        if ident is not None and _touched_since(ident, started_ns):
            return False
        recorded_in[os.path.abspath(path)] = ident
    recorded_out: dict[str, list[object] | None] = {}
    for path in dict.fromkeys(outputs):
        ident = identity(path)
        if ident is None:
            if path in known:
                return False
            recorded_out[os.path.abspath(path)] = None
            continue
        digest = None
        if path in known and _touched_since(ident, started_ns):
            # Written by this run: its bytes are what the manifest says, or the stamp would bless a stranger.
            digest = _digest(path)
            if digest != known[path]:
                return False
        extra: object = None
        if _touched_since(ident, now_ns):  # racy: a later change could keep these time stamps
            extra = _names(path) if ident[0] else (digest or _digest(path))
        recorded_out[os.path.abspath(path)] = [*ident, extra]
    body = {
        "stamp": STAMP_VERSION,
        "studio": __version__,
        "key_version": KEY_VERSION,
        "date": today,
        "quarter_dir": stamp.quarter_dir,
        "jobs": stamp.jobs,
        "messages": [list(m) for m in stamp.messages],
        "inputs": recorded_in,
        "outputs": recorded_out,
    }
    path = stamp_path(out_dir, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False  # no stamp: the next run is a full one, nothing worse
    return True


def unchanged(out_dir: Path, key: str) -> Stamp | None:
    """The stamp of ``key``'s last complete run if nothing it recorded has changed since; else None
    (also when another run holds the quarter: the full run then says so)."""
    try:
        body = json.loads(stamp_path(out_dir, key).read_text(encoding="utf-8"))
        with quarter_lock(Path(body["quarter_dir"])):
            return _check(body)
    except (OSError, ValueError, KeyError, TypeError, StudioError):
        return None


def _check(body: dict[str, Any]) -> Stamp | None:
    if not isinstance(body, dict) or (
        body.get("stamp"),
        body.get("studio"),
        body.get("key_version"),
        body.get("date"),
    ) != (STAMP_VERSION, __version__, KEY_VERSION, dt.date.today().isoformat()):
        return None
    for name, recorded in body["inputs"].items():
        if identity(name) != recorded:
            return None
    for name, recorded in body["outputs"].items():
        ident = identity(name)
        if ident is None or recorded is None:
            if ident != recorded:
                return None
            continue
        *was, extra = recorded
        if ident != was:
            return None
        if isinstance(extra, list) and _names(Path(name)) != extra:
            return None
        if isinstance(extra, str) and _digest(Path(name)) != extra:
            return None
    return Stamp(str(body["quarter_dir"]), int(body["jobs"]), tuple((s, t) for s, t in body["messages"]))
