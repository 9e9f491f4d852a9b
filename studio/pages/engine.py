"""The page engine: Typst (the self-contained ``typst`` wheel) compiles the documents this package writes.

Only this module runs the compiler. Fonts come from the campaign's font files alone (system fonts are
ignored), so a page looks the same on every machine; the timestamp is fixed, so the same inputs give the
same PDF bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import RenderError


@dataclass(frozen=True)
class Mark:
    """Where a content block ends: its page (1-based) and vertical position (points from the page top)."""

    block: int
    page: int
    y_pt: float


def _compiler(source: str, root: Path, fonts: tuple[Path, ...]) -> Any:
    import typst

    folders = sorted({str(f.parent) for f in fonts})
    data: bytes = source.encode("utf-8")
    return typst.Compiler(data, root=str(root), font_paths=folders, ignore_system_fonts=True)  # type: ignore[misc]


def _error(where: str, exc: Exception) -> RenderError:
    text = " ".join(str(exc).split())
    return RenderError(f"{where}: the page engine failed: {text[:400]}")


def compile_pdf(
    source: str, root: Path, fonts: tuple[Path, ...], when: dt.date, where: str, tagged: bool = True
) -> bytes:
    """A PDF; ``tagged`` makes it PDF/UA-1 (structure tags, alt texts, title and language checked)."""
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    try:
        compiler = _compiler(source, root, fonts)
        pdf: bytes = compiler.compile(
            format="pdf", pdf_standards=["ua-1"] if tagged else [], timestamp=int(stamp.timestamp()), pdf_tags=tagged
        )
    except Exception as exc:  # typst.TypstError: the message holds the failing source span
        raise _error(where, exc) from None
    return pdf


def compile_png(source: str, root: Path, fonts: tuple[Path, ...], ppi: float, where: str) -> list[bytes]:
    """One PNG per page at ``ppi`` pixels per inch."""
    try:
        out = _compiler(source, root, fonts).compile(format="png", ppi=ppi)
    except Exception as exc:
        raise _error(where, exc) from None
    return list(out) if isinstance(out, list) else [out]


def block_marks(source: str, root: Path, fonts: tuple[Path, ...], where: str) -> list[Mark]:
    """Where each content block ended up, from the document's ``<blk>`` markers."""
    try:
        found = _compiler(source, root, fonts).query("<blk>", field="value")
    except Exception as exc:
        raise _error(where, exc) from None
    values = json.loads(found) if isinstance(found, (str, bytes)) else found
    return [Mark(int(v["block"]), int(v["page"]), float(v["y"])) for v in values]


def compile_in_folder(
    source: str, files: dict[str, bytes], fonts: tuple[Path, ...], when: dt.date, where: str
) -> bytes:
    """Compile ``source`` beside ``files`` (e.g. the pages an imposition places) in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="taza-pages-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return compile_pdf(source, folder, fonts, when, where, tagged=False)


def rasterise_pdf(path: Path, pages: int, ppi: float) -> list[bytes]:
    """Each page of the PDF at ``path`` as a PNG at ``ppi`` (the page engine places it as a picture)."""

    source = (
        "#set page(width: auto, height: auto, margin: 0pt)\n"
        f"#for n in range({pages}) {{ if n > 0 {{ pagebreak() }}; image({json.dumps(path.name)}, page: n + 1) }}\n"
    )
    try:
        out = _compiler(source, path.parent, ()).compile(format="png", ppi=ppi)
    except Exception as exc:
        raise RenderError(f"{path}: the page engine cannot rasterise it: {' '.join(str(exc).split())[:300]}") from None
    pngs: list[bytes] = list(out) if isinstance(out, list) else [out]
    return pngs
