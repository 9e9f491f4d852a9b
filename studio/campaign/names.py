"""Names that become paths (``design:``, ``script:``) stay inside their folder, or are refused.

A name is letters, digits, ``-`` and ``_`` (at most 64, starting with a letter or digit): no ``/``,
no ``..``, no absolute path, so ``design: ../../etc/passwd`` can never load a file from elsewhere.
The resolved path is checked to be inside the folder as well (a symbolic link cannot lead out).
"""

from __future__ import annotations

import re
from pathlib import Path

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
NAME_RULE = "letters, digits, - and _ (at most 64), no / or .."


def is_name(name: str) -> bool:
    return bool(NAME_PATTERN.fullmatch(name))


def inside(folder: Path, name: str, suffix: str) -> Path | None:
    """``folder/NAME+suffix`` when ``name`` is a plain name and the file lies inside ``folder``; else None."""
    if not is_name(name):
        return None
    path = folder / f"{name}{suffix}"
    try:
        resolved = path.resolve()
        base = folder.resolve()
    except OSError:
        return None
    return path if resolved.is_relative_to(base) else None


def known_names(folder: Path, suffix: str) -> list[str]:
    """The names of the files ``*suffix`` in ``folder`` that are valid names."""
    if not folder.is_dir():
        return []
    names = {p.name[: -len(suffix)] for p in folder.iterdir() if p.name.endswith(suffix) and p.is_file()}
    return sorted(n for n in names if is_name(n))


def not_a_name(what: str, name: str, known: list[str]) -> str:
    """The message for a name that would leave its folder."""
    listed = ", ".join(known) or "none"
    return f'{what} "{name}" is not a {what} name ({NAME_RULE}); known {what}s: {listed}'
