"""YAML loading that remembers where every value came from, so errors can name the line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from studio.campaign.limits import compose_yaml, construct_yaml, read_text
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
    """Read ``path`` as YAML within the reading limits (``studio.campaign.limits``); malformed YAML,
    duplicate keys, an unquoted ``#RRGGBB`` or a file over a limit raise SpecError with the line."""
    text = read_text(path, display)
    node = compose_yaml(text, display)
    _unquoted_colours(text, node, display)
    data = construct_yaml(node)
    lines: dict[Loc, int] = {}
    if node is not None:
        _index(node, (), lines, display)
    return LocatedYaml(path=path, data=data, lines=lines)


# "color: #0B5FA5" is the key "color" with no value and a comment: YAML starts a comment with " #".
_HEX_COMMENT = re.compile(r"(?:^|\s)#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![\w])")


def _unquoted_colours(text: str, node: yaml.Node | None, display: str) -> None:
    """Refuse a colour written without quotes: YAML reads ``#0B5FA5`` as a comment and the value as empty."""
    if node is None:
        return
    lines = text.splitlines()
    for value in _scalars(node):
        line = value.start_mark.line
        if value.tag.endswith(":null") and value.value in ("", "~", "null") and line < len(lines):
            rest = lines[line][value.start_mark.column :]
            match = _HEX_COMMENT.search(rest)
            if match and not rest[: match.start()].strip(" \t[,:-"):
                colour = "#" + match.group(1)
                raise SpecError(
                    f'{display}:{line + 1}: {colour} is read as a comment, so the value is empty (in YAML "#" '
                    f'starts a comment); put the colour in quotes: "{colour}"'
                )


def _scalars(node: yaml.Node) -> list[yaml.ScalarNode]:
    found: list[yaml.ScalarNode] = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            found.append(current)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return found


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
