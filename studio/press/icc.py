"""ICC output profiles through littleCMS (Pillow's ImageCms): load and check a CMYK profile, and build
the sRGB → CMYK transforms a separation uses. Touches files (the ICC profile)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from studio.errors import SpecError
from studio.stills.images import srgb_icc

INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC  # brand colours stay as close as the press allows


@dataclass(frozen=True)
class OutputProfile:
    """A checked CMYK output profile."""

    path: Path
    data: bytes
    description: str


def check_icc(path: Path, where: str) -> OutputProfile:
    """Read ``path`` as a CMYK output ICC profile; a SpecError naming ``where`` when it is missing,
    unreadable (corrupt) or not CMYK."""
    return _check_icc(Path(path), _mtime(path, where), where)


def _shown(path: Path) -> str:
    from studio.campaign import display_path

    return display_path(path)


def _mtime(path: Path, where: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        raise SpecError(
            f'{where}: ICC profile "{_shown(path)}" is missing; the print profiles ship in assets/icc/'
        ) from None


@lru_cache(maxsize=8)
def _check_icc(path: Path, mtime_ns: int, where: str) -> OutputProfile:
    data = path.read_bytes()
    try:
        profile = ImageCms.ImageCmsProfile(path.open("rb"))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise SpecError(
            f'{where}: "{_shown(path)}" is not an ICC profile littleCMS can read ({exc}); is it corrupt?'
        ) from None
    space = profile.profile.xcolor_space.strip()
    if space != "CMYK":
        raise SpecError(
            f'{where}: "{_shown(path)}" is an {space} profile; a print profile must be a CMYK output profile'
        )
    if profile.profile.device_class.strip() != "prtr":
        raise SpecError(
            f'{where}: "{_shown(path)}" is not an output (printer) profile ({profile.profile.device_class})'
        )
    return OutputProfile(path, data, (profile.profile.profile_description or path.stem).strip())


@lru_cache(maxsize=8)
def rgb_to_cmyk(icc: OutputProfile) -> ImageCms.ImageCmsTransform:
    """sRGB → the press's CMYK, relative colorimetric with black-point compensation."""
    src = ImageCms.ImageCmsProfile(_bytes_io(srgb_icc()))
    dst = ImageCms.ImageCmsProfile(_bytes_io(icc.data))
    return ImageCms.buildTransform(src, dst, "RGB", "CMYK", INTENT, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@lru_cache(maxsize=8)
def cmyk_to_lab(icc: OutputProfile) -> ImageCms.ImageCmsTransform:
    """The press's CMYK → CIELAB (how the print will look), for grayscale and previews."""
    src = ImageCms.ImageCmsProfile(_bytes_io(icc.data))
    return ImageCms.buildTransform(src, ImageCms.createProfile("LAB"), "CMYK", "LAB", INTENT)


@lru_cache(maxsize=1)
def rgb_to_lab() -> ImageCms.ImageCmsTransform:
    src = ImageCms.ImageCmsProfile(_bytes_io(srgb_icc()))
    return ImageCms.buildTransform(src, ImageCms.createProfile("LAB"), "RGB", "LAB", INTENT)


@lru_cache(maxsize=8)
def k_for_lightness(icc: OutputProfile) -> tuple[int, ...]:
    """For each L* (0–255 scale), the K tint (0–255) that prints that lightness on this press, black
    ink alone: the profile's own K ramp (dot gain included), inverted."""
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    lightness = list(apply(cmyk_to_lab(icc), ramp).getchannel("L").tobytes())
    paper, black = lightness[0], lightness[-1]
    out = []
    for source in range(256):
        # Black-point compensation, as the colour transform does: the screen's black is the press's
        # darkest black and its white the paper, lightness scaled linearly between them.
        target = black + source / 255 * (paper - black)
        # Lightness falls as K rises: the first K at or below the target lightness.
        k = next((k for k, lv in enumerate(lightness) if lv <= target), 255)
        out.append(k)
    return tuple(out)


def apply(transform: ImageCms.ImageCmsTransform, image: Image.Image) -> Image.Image:
    """``image`` through ``transform``, without ImageCms attaching the (350 KB) output profile to the
    result, which costs more than a small conversion itself."""
    out = Image.new(transform.output_mode, image.size)
    transform.transform.apply(image.getim(), out.getim())
    return out


def _bytes_io(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)
