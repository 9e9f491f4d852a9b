"""Photos as designs need them: upright (EXIF orientation), in sRGB, measured for the layout.

``load_photo`` is the one way a photo is read: the EXIF orientation is applied, an embedded colour
profile is converted to sRGB through littleCMS and a CMYK JPEG is converted to RGB (with its own profile
when it has one), so a photo looks the same in every render whatever camera or program made it.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

from studio.errors import RenderError
from studio.layout.engine import PHOTO_GRID, PhotoInfo


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> tuple[Image.Image, tuple[str, ...]]:
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.load()
                upright = ImageOps.exif_transpose(im) or im
                icc = im.info.get("icc_profile")
                mode = im.mode
    except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise RenderError(f'photo "{path}": cannot read it ({exc}); save it again as a JPEG or PNG') from None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            rgb = ImageCms.profileToProfile(upright, source, srgb, outputMode="RGB")
            if rgb is not None:
                upright = rgb
            if mode == "CMYK":
                notes.append(f'photo "{path.name}" is CMYK; converted to sRGB with its own colour profile')
        except (OSError, ImageCms.PyCMSError) as exc:
            notes.append(f'photo "{path.name}": its colour profile could not be used ({exc}); colours may shift')
    elif mode == "CMYK":
        notes.append(f'photo "{path.name}" is CMYK without a colour profile; converted to RGB, colours may shift')
    return upright.convert("RGB"), tuple(notes)


def load_photo(path: Path) -> tuple[Image.Image, tuple[str, ...]]:
    """The photo upright and in sRGB, and what was converted to get there (keyed by modification time)."""
    return _load(path, path.stat().st_mtime_ns)


def photo_info(path: Path, display: str, focus: tuple[float, float], duotone: bool) -> PhotoInfo:
    """What the layout needs: the upright size and a grid of mean colours."""
    image, _ = load_photo(path)
    small = np.asarray(image.resize((PHOTO_GRID, PHOTO_GRID), Image.Resampling.BOX), dtype=np.uint8)
    grid = tuple(tuple((int(r), int(g), int(b)) for r, g, b in row) for row in small)
    return PhotoInfo(path, display, image.size, grid, focus, duotone)
