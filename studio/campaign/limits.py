"""What reading one file may cost: bytes, YAML aliases, nodes and nesting, bounded before any work is done.

A campaign of a few kilobytes whose anchors and aliases nest (``b: [*a, *a]``, ``c: [*b, *b]``, …)
stands for billions of values once expanded; walking it would take every byte of memory. Every file
the studio reads (campaigns, designs, rendered scripts, content files, CSV data, character packs)
goes through ``read_text`` and, for YAML, ``parse_yaml``, so such a file is refused in milliseconds
with one line naming it and the limit it broke.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from studio.errors import SpecError

#: The largest file read as text (campaign, design, script template, content file, CSV).
MAX_FILE_BYTES = 1_000_000
#: The most aliases (``*name``) one YAML document may use.
MAX_ALIASES = 100
#: The most values a YAML document may hold once every alias is expanded.
MAX_NODES = 50_000
#: The deepest nesting of mappings and lists.
MAX_DEPTH = 40


class LimitError(SpecError):
    """A file over one of the limits above."""


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of ``path``; refused when larger than ``max_bytes`` (read no further than that)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise SpecError(f"{display}: file not found") from None
    except IsADirectoryError:
        raise SpecError(f"{display}: is a folder, not a file") from None
    except OSError as exc:
        raise SpecError(f"{display}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise LimitError(f"{display}: file is larger than {max_bytes:,} bytes, the most the studio reads")
    return decode_text(data, display)


def decode_text(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def check_text_size(text: str, display: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse text (a rendered template, say) larger than ``max_bytes`` once encoded."""
    if len(text) > max_bytes or len(text.encode("utf-8")) > max_bytes:
        raise LimitError(f"{display}: text is larger than {max_bytes:,} bytes, the most the studio reads")


class _Bounds:
    """Counts aliases, nodes and depth while PyYAML's composer builds the node tree."""

    display: str
    aliases: int
    nodes: int
    depth: int

    def _start_bounds(self, display: str) -> None:
        self.display = display
        self.aliases = 0
        self.nodes = 0
        self.depth = 0

    def _refuse(self, what: str) -> LimitError:
        mark = self.peek_event().start_mark  # type: ignore[attr-defined]
        return LimitError(f"{self.display}:{mark.line + 1}: {what}")

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 — PyYAML's signature
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self._refuse(f"more than {MAX_ALIASES} aliases (*name); write the values out")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._refuse(f"more than {MAX_NODES:,} values; split the file")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._refuse(f"nested more than {MAX_DEPTH} levels deep")
        try:
            return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


class _BoundedLoader(_Bounds, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, bounded (used when PyYAML was built without libyaml)."""

    def __init__(self, stream: str, display: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._start_bounds(display)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _FastBoundedLoader(_Bounds, Composer, SafeConstructor, Resolver, CParser):  # type: ignore[misc]
        """Events from libyaml's C scanner and parser (about ten times faster than PyYAML's own),
        composed into nodes by PyYAML's Python composer so the bounds above are counted as it goes."""

        def __init__(self, stream: str, display: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_bounds(display)

        # CParser brings its own C composer: the Python one is the one that counts.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document

    _Loader: type = _FastBoundedLoader
else:  # pragma: no cover — every supported platform's PyYAML wheel has libyaml
    _Loader = _BoundedLoader


def compose_yaml(text: str, display: str) -> yaml.Node | None:
    """The node tree of one YAML document, within the limits; malformed YAML names line and column."""
    check_text_size(text, display)
    loader = _Loader(text, display)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
        problem = exc.problem or exc.context or "malformed YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met before the composer counts ours
            raise LimitError(f"{display}: nested more than {MAX_DEPTH} levels deep") from None
        raise SpecError(_colour_in_flow(text, display) or f"{where}: malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{display}: malformed YAML: {exc}") from None
    except RecursionError:
        raise LimitError(f"{display}: nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    # Without aliases every value was composed once, so the counts above are already the expanded ones.
    if node is not None and loader.aliases:
        _check_expanded(node, display)
    return node


_FLOW_HEX_COMMENT = re.compile(r"[\[,]\s*#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?!\w)")


def _colour_in_flow(text: str, display: str) -> str | None:
    """``[#fff, #000]`` cuts the line at the first "#" and leaves the list open: say why."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FLOW_HEX_COMMENT.search(line)
        if match and line[: match.start()].count('"') % 2 == 0 and line[: match.start()].count("'") % 2 == 0:
            colour = "#" + match.group(1)
            return (
                f'{display}:{number}: {colour} is read as a comment (in YAML "#" starts a comment); '
                f'put each colour in quotes: "{colour}"'
            )
    return None


def _check_expanded(root: yaml.Node, display: str) -> None:
    """Count the values the document stands for with every alias expanded, without expanding it.

    An alias is the very node it names, so the count of a node is one plus the counts of its children,
    remembered per node: linear in the file's size, however much the aliases multiply.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            depths[key] = 1 + max((depths[id(c)] for c in children), default=0)
            if sizes[key] > MAX_NODES:
                line = node.start_mark.line + 1
                raise LimitError(
                    f"{display}:{line}: its aliases expand to more than {MAX_NODES:,} values "
                    f"(a YAML alias bomb?); write the values out"
                )
            if depths[key] > MAX_DEPTH:
                raise LimitError(f"{display}:{node.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise LimitError(f"{display}:{node.start_mark.line + 1}: an alias refers to itself (a loop)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
        for c in children:
            if id(c) in on_path:
                raise LimitError(f"{display}:{c.start_mark.line + 1}: an alias refers to itself (a loop)")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def construct_yaml(node: yaml.Node | None) -> Any:
    """Python values from a node tree ``compose_yaml`` accepted."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(text: str, display: str) -> Any:
    """``yaml.safe_load`` within the limits: the data of one YAML document."""
    return construct_yaml(compose_yaml(text, display))


def load_yaml_file(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse a YAML file within every limit (for content files and character packs)."""
    return parse_yaml(read_text(path, display, max_bytes), display)


def read_csv(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES, max_rows: int = 100_000) -> list[list[str]]:
    """The rows of a CSV file, within the byte limit and ``max_rows``."""
    import csv
    import io

    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(read_text(path, display, max_bytes), newline="")):
            rows.append(row)
            if len(rows) > max_rows:
                raise LimitError(f"{display}: more than {max_rows:,} rows, the most the studio reads")
    except csv.Error as exc:
        raise SpecError(f"{display}:{len(rows) + 1}: not valid CSV ({exc})") from None
    return rows
