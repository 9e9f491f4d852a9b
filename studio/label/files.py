"""File access for labels: atomic output (a temporary file beside the target, then a rename), sniffed inputs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.label.errors import LabelError
from studio.label.media import check_media_type


def _umask_mode() -> int:
    """The mode a plain ``open()`` would give: mkstemp's 0600 would hide renders from a web server."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replacing(path: Path, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds, it is synced and renamed onto ``path``.

    The result keeps the mode of the file it replaces (or gets ``mode``, or the umask's default); on any
    failure the temporary file is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else _umask_mode()
        os.chmod(tmp, mode)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LabelError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with replacing(path, mode) as tmp:
        tmp.write_bytes(data)


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
