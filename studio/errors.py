"""One family of errors. The CLI turns each into one clear line and exit code 1."""

from __future__ import annotations


class StudioError(Exception):
    """Something the user can act on: the message names the file, field and value."""


class SpecError(StudioError):
    """A campaign file, design file or asset is invalid."""


class LayoutError(StudioError):
    """A design cannot be laid out in a format (text that cannot fit, QR too small)."""


class RenderError(StudioError):
    """Drawing, encoding or writing a render failed."""


class QRError(RenderError):
    """A QR code in a render does not decode to the URL it should carry."""


class VoiceError(StudioError):
    """Speech could not be synthesised (unknown engine, unsupported language, network)."""


class EncodeError(StudioError):
    """A video or audio encode failed."""
