"""YAML loading that remembers where every value came from, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from studio.errors import SpecError

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LocatedYaml:
    """Parsed YAML data plus the line (1-based) of every mapping key and list item."""

    path: Path
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int | None:
        """Line of ``loc``, or of its nearest ancestor that appears in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def load_yaml(path: Path, display: str) -> LocatedYaml:
    """Read ``path`` as YAML; malformed YAML or duplicate keys raise SpecError with line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{display}: file not found") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
        problem = exc.problem or exc.context or "malformed YAML"
        raise SpecError(f"{where}: malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{display}: malformed YAML: {exc}") from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _index(node, (), lines, display)
    return LocatedYaml(path=path, data=data, lines=lines)


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int], display: str) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                field = _format_loc(loc + (key,))
                raise SpecError(f"{display}:{line}: {field}: duplicate key (first given on line {seen[key]})")
            seen[key] = line
            lines[loc + (key,)] = line
            _index(value_node, loc + (key,), lines, display)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines, display)


def _format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


format_loc = _format_loc
