"""Synthetic-media marks on rendered files: XMP digital source type, then a signed C2PA manifest."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studio import __version__, disclosure
from studio.errors import RenderError

if TYPE_CHECKING:  # importing studio.label loads c2pa (~0.1 s): only where files are marked
    from studio.label import SigningKeys, SyntheticLabel

#: What each kind of synthetic render carries, as the manifest lists it.
STILL_DISCLOSURE = ("visible-badge", "xmp", "c2pa")
VIDEO_DISCLOSURE = ("visible-badge", "spoken", "xmp", "c2pa")
PRINT_DISCLOSURE = STILL_DISCLOSURE  # print PDFs too: the badge, XMP in the catalogue, a signed C2PA manifest


def software_agent() -> str:
    return f"Taza Studio {__version__}"


def synthetic_label(title: str) -> SyntheticLabel:
    """The label every synthetic render gets: mixed real and synthetic parts (designed slides,
    synthetic voice or imagery), the bilingual disclosure, and the studio as software agent."""
    from studio.label import DigitalSourceType, SyntheticLabel

    return SyntheticLabel(
        source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        disclosure_text=disclosure.BADGE_TEXT,
        software_agent=software_agent(),
        disclosure_by_language=tuple(disclosure.SPOKEN.items()),
        title=title,
    )


@lru_cache(maxsize=4)
def signing_keys(keys_dir: str | None) -> SigningKeys:
    """The organisation's signing keys; a clear error when they have not been made yet."""
    from studio.label import default_keys_folder, load_signing_keys

    folder = Path(keys_dir) if keys_dir else default_keys_folder()
    try:
        return load_signing_keys(folder)
    except Exception as exc:  # LabelError or OSError: both mean no usable keys
        raise RenderError(
            f"synthetic renders must be signed, and the signing keys in {folder} cannot be used ({exc}); "
            "run `studio keys init` once on this machine"
        ) from None
