"""XMP in PDF: the document catalogue's ``/Metadata`` stream, edited in place with pikepdf (qpdf).

The page engine already writes an XMP packet (title, language, the PDF/UA claim); the label's
properties (digital source type, disclosure, creator tool) are merged into it rather than replacing it.
"""

from __future__ import annotations

import io

from studio.label.errors import LabelError
from studio.label.xmp import parse_xmp_packet

_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"


def pdf_with_xmp(data: bytes, packet: bytes) -> bytes:
    """``data`` with the properties of ``packet`` merged into its XMP (added when it has none)."""
    import pikepdf

    label = parse_xmp_packet(packet)
    try:
        with pikepdf.open(io.BytesIO(data)) as doc:
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                if label.digital_source_type:
                    meta[f"{{{_IPTC_EXT}}}DigitalSourceType"] = label.digital_source_type
                if label.description:
                    meta["dc:description"] = label.description
                if label.creator_tool:
                    meta["xmp:CreatorTool"] = label.creator_tool
            out = io.BytesIO()
            doc.save(out, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise LabelError(f"not a readable PDF ({exc})") from None
    return out.getvalue()


def pdf_xmp(data: bytes) -> bytes | None:
    """The PDF's XMP packet, or None when its catalogue has none."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as doc:
            metadata = doc.Root.get("/Metadata")
            return None if metadata is None else bytes(metadata.read_bytes())
    except pikepdf.PdfError as exc:
        raise LabelError(f"not a readable PDF ({exc})") from None
