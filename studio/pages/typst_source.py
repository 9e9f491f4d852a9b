"""Python values and content blocks as Typst source text. Pure.

Every word from a content file reaches Typst as a string literal (``#"…"``), never as markup, so no
character in the text (``#``, ``*``, ``$``, ``<``…) can change the layout or run code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studio.colors import RGB


@dataclass(frozen=True)
class Raw:
    """Typst code to insert as it is (a length, a function call)."""

    code: str


def mm(value: float) -> Raw:
    return Raw(f"{value:.3f}mm")


def pt(value: float) -> Raw:
    return Raw(f"{value:.3f}pt")


def color(rgb: RGB) -> Raw:
    return Raw('rgb("#{:02X}{:02X}{:02X}")'.format(*rgb))


def string(text: str) -> str:
    """A Typst string literal."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", " ").replace("\t", " ")
    return '"' + "".join(ch for ch in out if ch >= " ") + '"'


def value(v: object) -> str:
    """Any plain Python value (str, bool, None, number, Raw, RGB tuple of 3 ints, list, dict) as Typst."""
    if isinstance(v, Raw):
        return v.code
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, Mapping):
        if not v:
            return "(:)"
        return "(" + ", ".join(f"{k}: {value(x)}" for k, x in v.items()) + ",)"
    if isinstance(v, Sequence):
        return "(" + "".join(f"{value(x)}, " for x in v) + ")"
    raise TypeError(f"no Typst form for {type(v).__name__}")
