"""A contact sheet: every image of a rendered quarter on one page, labelled, for a quick review."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

from studio.batch.manifest import MANIFEST_NAME
from studio.errors import RenderError
from studio.files import write_atomic
from studio.fonts import pillow_font
from studio.stills.images import encode_png

CELL_PX = 340
GAP_PX = 24
LABEL_PX = 46


def build_contact_sheet(quarter_dir: Path, font: Path, bold: Path, columns: int = 6) -> Image.Image:
    """Tile the social images and print proofs listed in ``quarter_dir``'s manifest."""
    manifest_path = quarter_dir / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RenderError(f"{manifest_path}: cannot read the manifest ({exc})") from None
    entries = [e for e in manifest["renders"] if e["role"] in ("image", "proof")]
    if not entries:
        raise RenderError(f"{manifest_path}: no images to put on a contact sheet")
    entries.sort(key=lambda e: (e["kind"], e["deliverable"], e["format"], e["language"]))
    rows = -(-len(entries) // columns)
    header = 90
    width = columns * CELL_PX + (columns + 1) * GAP_PX
    height = header + rows * (CELL_PX + LABEL_PX + GAP_PX) + GAP_PX
    sheet = Image.new("RGB", (width, height), (245, 245, 242))
    draw = ImageDraw.Draw(sheet)
    draw.text(
        (GAP_PX, 56),
        f"{manifest['campaign']} · {manifest['quarter']} · {len(entries)} renders",
        font=pillow_font(bold, 34),
        fill=(20, 20, 20),
        anchor="ls",
    )
    label_font = pillow_font(font, 15)
    for i, entry in enumerate(entries):
        col, row = i % columns, i // columns
        x = GAP_PX + col * (CELL_PX + GAP_PX)
        y = header + row * (CELL_PX + LABEL_PX + GAP_PX)
        with Image.open(io.BytesIO((quarter_dir / entry["path"]).read_bytes())) as im:
            im.draft("RGB", (CELL_PX, CELL_PX))
            thumb = im.convert("RGB")
        thumb.thumbnail((CELL_PX, CELL_PX), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x + (CELL_PX - thumb.width) // 2, y + (CELL_PX - thumb.height) // 2))
        draw.text((x, y + CELL_PX + 18), f"{entry['deliverable']}", font=label_font, fill=(40, 40, 40), anchor="ls")
        draw.text(
            (x, y + CELL_PX + 38),
            f"{entry['language']} · {entry['format']}",
            font=label_font,
            fill=(90, 90, 90),
            anchor="ls",
        )
    return sheet


def save_contact_sheet(quarter_dir: Path, out: Path, font: Path, bold: Path) -> Path:
    write_atomic(out, encode_png(build_contact_sheet(quarter_dir, font, bold)))
    return out
