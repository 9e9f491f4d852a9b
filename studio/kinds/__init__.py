"""The registry of deliverable kinds: one line per kind, one module per kind.

Adding a kind is its module (a ``KIND = Kind(...)`` beside its render function), its tests and one
line here; the campaign's ``kind:`` values, ``--only`` groups, ``studio plan``, the gallery and the
report all learn about it from this table.
"""

from __future__ import annotations

import importlib
from functools import cache

from studio.kinds.base import Kind, Output, RenderOptions

__all__ = ["KIND_MODULES", "Kind", "Output", "RenderOptions", "all_kinds", "get_kind", "groups"]

#: kind name → the module that defines ``KIND``.
KIND_MODULES: dict[str, str] = {
    "banner": "studio.kinds.banner",
    "social": "studio.kinds.social",
    "video": "studio.kinds.video",
    "audio": "studio.kinds.audio",
    "newspaper": "studio.kinds.newspaper",
    "infographic": "studio.kinds.infographic",
    "booklet": "studio.kinds.booklet",
}


@cache
def get_kind(name: str) -> Kind:
    """The kind called ``name``; KeyError for an unknown one (the campaign loader names the known ones)."""
    kind: Kind = importlib.import_module(KIND_MODULES[name]).KIND
    return kind


def all_kinds() -> tuple[Kind, ...]:
    return tuple(get_kind(name) for name in KIND_MODULES)


def groups() -> dict[str, tuple[str, ...]]:
    """``--only`` groups and the kinds in each, in registry order."""
    table: dict[str, list[str]] = {}
    for kind in all_kinds():
        table.setdefault(kind.group, []).append(kind.name)
    return {group: tuple(names) for group, names in table.items()}
