"""Writing files whole or not at all, and hashing them: the one place every writer goes through.

A file is written under a temporary name beside its target, synced to disk, then renamed over it, so
a crash (or a killed batch) never leaves half a file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from studio.errors import RenderError, StudioError


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    absolute = Path(path).absolute()
    cwd = Path.cwd()
    return os.path.relpath(absolute, cwd) if absolute.is_relative_to(cwd) else str(absolute)


@lru_cache(maxsize=1)
def default_file_mode() -> int:
    """The mode a plain ``open()`` would give (mkstemp's 0600 would hide renders from a web server)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replacing(path: Path, mode: int | None = None, error: type[StudioError] = RenderError) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds it is synced and renamed onto ``path``.

    The result keeps the mode of the file it replaces (or gets ``mode``, or the umask's default). On any
    failure the temporary file is removed and ``path`` is untouched; an OSError becomes ``error``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise error(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else default_file_mode()
        os.chmod(tmp, mode)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise error(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, mode: int | None = None, error: type[StudioError] = RenderError) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with replacing(path, mode, error) as tmp:
        tmp.write_bytes(data)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
