"""File access for labels: atomic output (a temporary file beside the target, then a rename), sniffed inputs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio import files
from studio.label.errors import LabelError
from studio.label.media import check_media_type


@contextmanager
def replacing(path: Path, mode: int | None = None) -> Iterator[Path]:
    """:func:`studio.files.replacing`, failing with a LabelError."""
    with files.replacing(path, mode, LabelError) as tmp:
        yield tmp


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    files.write_atomic(path, data, mode, LabelError)


@contextmanager
def scratch_beside(path: Path) -> Iterator[Path]:
    """A temporary file in ``path``'s folder (same file system, so copies are cheap), always removed after."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def media_type_of_file(path: Path, media_type: str | None = None) -> str:
    """``check_media_type`` on the first bytes of the file at ``path``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise LabelError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return check_media_type(head, media_type, str(path))
