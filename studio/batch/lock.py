"""One batch at a time per output folder: a second one refuses with a clear message."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.errors import StudioError

LOCK_NAME = ".render.lock"


@contextmanager
def quarter_lock(quarter_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``quarter_dir`` for the duration of a batch.

    The lock is an OS file lock (``flock``): it is released when the process ends, even if killed,
    so a crashed batch never leaves the folder locked.
    """
    quarter_dir.mkdir(parents=True, exist_ok=True)
    path = quarter_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise StudioError(
                f"{quarter_dir}: another studio render is writing here ({holder}); wait for it to finish "
                "or render into another --out folder"
            ) from None
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {started}".encode(), 0)
        yield
    finally:
        os.close(fd)


def remove_leftovers(quarter_dir: Path) -> int:
    """Delete temporary files a killed batch left behind (only ever partial; never a render)."""
    removed = 0
    staging = quarter_dir / ".staging"  # renders of jobs with approved files, moved in only when whole
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        removed += 1
    for pattern in (".*.tmp", ".*.part"):
        for tmp in quarter_dir.rglob(pattern):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
