"""Content files of booklets and infographics: a small Markdown-like language, parsed into blocks. Pure.

One file per language (``templates/booklets/NAME.ky.md``, ``templates/infographics/NAME.ru.md``)::

    # Section heading            (## for a sub-heading; level-1 headings make the contents page)
    A paragraph: consecutive lines, **bold** words.
    - a list item                (1. for a numbered list)
    > A pull quote.
    > — Who said it
    ![What the picture shows](assets/pictures/office.png "Caption")
    ---                          (a page break)

    ::: stats                    (key numbers: VALUE | LABEL | ICON)
    ::: steps                    (a step diagram: ICON | TEXT)
    ::: chart bar|line|pie       (data: TABLE, x: COLUMN, y: COLUMNS, series: NAMES, title:, unit:,
                                  or inline values — x: 2024; 2025  y: 12; 30)
    ::: compare                  (two columns, each a ## heading and a list)
    ::: sources                  (the sources line)
    :::                          (closes a block)
    ::: infographic NAME         (one line: embeds templates/infographics/NAME.LANG.md)

Every problem is a SpecError naming ``file:line`` and the offending text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from studio.errors import SpecError

CHART_TYPES = ("bar", "line", "pie")
DIRECTIVES = ("stats", "steps", "chart", "compare", "sources", "infographic")


@dataclass(frozen=True)
class Run:
    """A piece of inline text, bold or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    line: int  # where it starts in its file (1-based)


@dataclass(frozen=True)
class Heading(Block):
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph(Block):
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class ListBlock(Block):
    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Quote(Block):
    text: str
    who: str | None = None


@dataclass(frozen=True)
class Picture(Block):
    path: str
    alt: str
    caption: str | None = None


@dataclass(frozen=True)
class PageBreak(Block):
    pass


@dataclass(frozen=True)
class Stat:
    value: str
    label: str
    icon: str | None


@dataclass(frozen=True)
class Stats(Block):
    items: tuple[Stat, ...]


@dataclass(frozen=True)
class Step:
    icon: str | None
    text: str


@dataclass(frozen=True)
class Steps(Block):
    items: tuple[Step, ...]


@dataclass(frozen=True)
class ChartBlock(Block):
    type: str
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # key → (value, line)


@dataclass(frozen=True)
class Compare(Block):
    columns: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, items)


@dataclass(frozen=True)
class Sources(Block):
    text: str


@dataclass(frozen=True)
class EmbedInfographic(Block):
    name: str


@dataclass(frozen=True)
class Content:
    """A parsed content file."""

    path: Path
    display: str  # as errors show it
    blocks: tuple[Block, ...]

    def texts(self) -> list[tuple[int, str]]:
        """Every piece of text with its line, for the glyph check."""
        out: list[tuple[int, str]] = []
        for b in self.blocks:
            match b:
                case Heading(text=t) | Quote(text=t) | Sources(text=t):
                    out.append((b.line, t))
                    if isinstance(b, Quote) and b.who:
                        out.append((b.line, b.who))
                case Paragraph(runs=runs):
                    out.append((b.line, "".join(r.text for r in runs)))
                case ListBlock(items=items):
                    out += [(b.line, "".join(r.text for r in item)) for item in items]
                case Picture(alt=alt, caption=cap):
                    out.append((b.line, alt + (cap or "")))
                case Stats(items=items):
                    out += [(b.line, s.value + s.label) for s in items]
                case Steps(items=steps):
                    out += [(b.line, s.text) for s in steps]
                case Compare(columns=cols):
                    out += [(b.line, h + "".join(items)) for h, items in cols]
                case ChartBlock(fields=fields):
                    out += [(line, v) for k, (v, line) in fields.items() if k in ("title", "series", "unit", "x")]
        return out


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_PICTURE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)(?:\s+"(?P<cap>[^"]*)")?\)\s*$')
_ORDERED = re.compile(r"^\d+[.)]\s+")


def inline(text: str) -> tuple[Run, ...]:
    """``**bold**`` runs of a line of text."""
    runs: list[Run] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()]))
        runs.append(Run(m.group(1), bold=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(runs)


def read_bounded(path: Path, display: str) -> bytes:
    """A file's bytes, refused when larger than the studio reads (``studio.campaign.limits``)."""
    from studio.campaign.limits import MAX_FILE_BYTES, LimitError

    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError(f"{display}: file not found") from None
    except OSError as exc:
        raise SpecError(f"{display}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise LimitError(f"{display}: file is larger than {MAX_FILE_BYTES:,} bytes, the most the studio reads")
    return data


def read_content(path: Path, display: str) -> Content:
    """Read and parse a content file; a SpecError names the file and line of any problem."""
    data = read_bounded(path, display)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(
            f"{display}:{line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02X}); save it as UTF-8"
        ) from None
    from studio.letters import fold_lookalikes

    # Look-alike code points (ҥ ѳ ӱ …) become the Kyrgyz letters ң ө ү, as everywhere text comes in.
    return parse_content(fold_lookalikes(text), path, display)


def parse_content(text: str, path: Path, display: str) -> Content:
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[Block] = []
    i = 0

    def fail(line: int, message: str) -> SpecError:
        return SpecError(f"{display}:{line}: {message}")

    para: list[str] = []
    para_line = 0
    items: list[str] = []
    items_line = 0
    ordered = False
    quote: list[str] = []
    quote_line = 0

    def flush() -> None:
        nonlocal para, items, quote
        if para:
            blocks.append(Paragraph(para_line, inline(" ".join(para))))
            para = []
        if items:
            blocks.append(ListBlock(items_line, tuple(inline(t) for t in items), ordered))
            items = []
        if quote:
            who = None
            if len(quote) > 1 and quote[-1].startswith(("—", "–", "-")):
                who = quote.pop().lstrip("—–- ").strip()
            blocks.append(Quote(quote_line, " ".join(quote), who))
            quote = []

    while i < len(lines):
        raw = lines[i]
        line_no = i + 1
        s = raw.strip()
        i += 1
        if not s:
            flush()
            continue
        if s.startswith(":::"):
            flush()
            head = s[3:].split()
            if not head:
                raise fail(line_no, '":::" closes a block, but no block is open')
            name, args = head[0], head[1:]
            if name not in DIRECTIVES:
                raise fail(line_no, f'unknown block "::: {name}"; known: {", ".join(DIRECTIVES)}')
            if name == "infographic":  # one line, nothing inside
                if len(args) != 1:
                    raise fail(line_no, '"::: infographic NAME" names one infographic')
                blocks.append(EmbedInfographic(line_no, args[0]))
                continue
            body: list[tuple[int, str]] = []
            while i < len(lines) and lines[i].strip() != ":::":
                if lines[i].strip().startswith(":::"):
                    raise fail(i + 1, f'"::: {name}" opened on line {line_no} is not closed before this line')
                body.append((i + 1, lines[i].strip()))
                i += 1
            if i >= len(lines):
                raise fail(line_no, f'"::: {name}" is never closed (a line ":::" ends it)')
            i += 1  # the closing :::
            body = [(n, t) for n, t in body if t]
            blocks.append(_directive(name, args, body, line_no, fail))
            continue
        if s == "---":
            flush()
            blocks.append(PageBreak(line_no))
            continue
        if s.startswith("#"):
            flush()
            level = len(s) - len(s.lstrip("#"))
            title = s[level:].strip()
            if level > 3 or not title:
                raise fail(line_no, f'"{s}": a heading is "# Title", "## Title" or "### Title"')
            blocks.append(Heading(line_no, level, title))
            continue
        m = _PICTURE.match(s)
        if m:
            flush()
            if not m.group("alt").strip():
                raise fail(line_no, f'picture "{m.group("path")}" has no description: ![what it shows](path)')
            blocks.append(Picture(line_no, m.group("path"), m.group("alt").strip(), m.group("cap")))
            continue
        if s.startswith("!["):
            raise fail(line_no, f'"{s}": write a picture as ![what it shows](path "caption")')
        if s.startswith(("- ", "* ")) or _ORDERED.match(s):
            is_ordered = bool(_ORDERED.match(s))
            if para or quote or (items and is_ordered != ordered):
                flush()
            if not items:
                items_line, ordered = line_no, is_ordered
            items.append(_ORDERED.sub("", s, count=1) if is_ordered else s[2:].strip())
            continue
        if s.startswith(">"):
            if para or items:
                flush()
            if not quote:
                quote_line = line_no
            quote.append(s[1:].strip())
            continue
        if items and raw.startswith((" ", "\t")):
            items[-1] += " " + s  # a list item continued on an indented line
            continue
        if items or quote:
            flush()
        if not para:
            para_line = line_no
        para.append(s)
    flush()
    return Content(path, display, tuple(blocks))


def _split(text: str, parts: int) -> list[str]:
    cells = [c.strip() for c in text.split("|")]
    return cells + [""] * (parts - len(cells))


def _directive(name: str, args: list[str], body: list[tuple[int, str]], line: int, fail) -> Block:  # type: ignore[no-untyped-def]
    if name == "stats":
        stats = []
        for n, t in body:
            value, label, icon = _split(t, 3)[:3]
            if not value or not label:
                raise fail(n, f'"{t}": a key number is written VALUE | LABEL | ICON')
            stats.append(Stat(value, label, icon or None))
        if not 1 <= len(stats) <= 4:
            raise fail(line, f"::: stats holds 1 to 4 key numbers, not {len(stats)}")
        return Stats(line, tuple(stats))
    if name == "steps":
        steps = []
        for n, t in body:
            t = _ORDERED.sub("", t.lstrip("- "), count=1)
            icon, text = (_split(t, 2)[:2]) if "|" in t else ("", t)
            if not text:
                raise fail(n, f'"{t}": a step is written ICON | TEXT')
            steps.append(Step(icon or None, text))
        if not 2 <= len(steps) <= 6:
            raise fail(line, f"::: steps holds 2 to 6 steps, not {len(steps)}")
        return Steps(line, tuple(steps))
    if name == "chart":
        if not args or args[0] not in CHART_TYPES:
            got = args[0] if args else "nothing"
            raise fail(line, f'"::: chart {got}": the chart type is one of {", ".join(CHART_TYPES)}')
        fields: dict[str, tuple[str, int]] = {}
        for n, t in body:
            key, sep, value = t.partition(":")
            key = key.strip()
            if not sep or not key:
                raise fail(n, f'"{t}": a chart line is KEY: VALUE (data, x, y, series, title, unit)')
            fields[key] = (value.strip(), n)
        return ChartBlock(line, args[0], fields)
    if name == "compare":
        columns: list[tuple[str, list[str]]] = []
        for n, t in body:
            if t.startswith("#"):
                columns.append((t.lstrip("#").strip(), []))
            elif t.startswith(("- ", "* ")) and columns:
                columns[-1][1].append(t[2:].strip())
            else:
                raise fail(n, f'"{t}": a comparison is two "## Heading" lines, each followed by "- item" lines')
        if len(columns) != 2 or not all(items for _, items in columns):
            raise fail(line, "::: compare needs two columns, each a ## heading with at least one - item")
        return Compare(line, tuple((h, tuple(items)) for h, items in columns))
    if name == "sources":
        return Sources(line, " ".join(t for _, t in body))
    raise fail(line, f'"::: {name}" cannot be used here')
