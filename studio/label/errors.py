"""The label package's error: a render whose marks cannot be written, read or trusted."""

from __future__ import annotations

from studio.errors import RenderError


class LabelError(RenderError):
    """Writing or reading a synthetic-media label (XMP, C2PA, signing keys) failed."""
