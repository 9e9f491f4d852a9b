"""Sets: the backgrounds characters stand in, cropped to a video's format.

Stable interface:

- `load_set(name_or_path, width_px, height_px) -> PIL RGB image` of exactly that size: a
  built-in set by name (`builtin_set_names()`: office, classroom, street) or the path of a
  user's own image. The image is scaled to cover the format (never enlarged) and cropped
  around the set's focus region, so the counter or the blackboard stays in view in a
  1920×1080 video, a 1080×1920 story and a 1080×1080 square alike.
- `load_stage(name_or_path, width_px, height_px) -> Stage`: the same background plus, for
  built-in sets, a foreground drawn over the characters (the office counter the official
  stands behind, the classroom desks), in wide frames what only they show (the office sign), and
  `spots`: where characters stand, in output pixels,
  with the figure height that fits the set's scale.

A user image smaller than the format is refused with one line naming the file, its size and
the pixels needed: enlarged photos look soft on a phone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.errors import SpecError

SETS_FOLDER = Path(__file__).resolve().parents[2] / "assets" / "sets"

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Spot:
    """Where a character stands, in the set's own pixels: centre x, the floor line under the
    feet, and the figure height (feet to the top of the head) that matches the set."""

    x: float
    floor_y: float
    figure_height: float
    #: The character this spot is for when a scene names no ``stand`` (the official behind the counter).
    for_character: str | None = None


@dataclass(frozen=True)
class SetSpec:
    """A built-in set: its files, the region every crop keeps, and its spots."""

    name: str
    file: str
    focus: Box  # x0, y0, x1, y1 in the set's pixels: kept in every format when it fits
    spots: dict[str, Spot]
    front: str | None = None
    #: Drawn on the set in wide frames only (the office's sign, high on the wall): in a tall or
    #: square frame the badge and the scene's title take the top of the set, and would half cover it.
    wide: str | None = None


BUILTIN_SETS: dict[str, SetSpec] = {
    "office": SetSpec(
        "office",
        "office.png",
        focus=(760, 120, 1800, 1640),
        spots={
            # Behind the counter: its top (y=1190) crosses the official at the waist, its
            # front (down to y=1740) hides his feet.
            "counter": Spot(1560, 1700, 1260, "official"),
            "visitor": Spot(1000, 1760, 1240),
        },
        front="office-front.png",
        wide="office-wide.png",
    ),
    "classroom": SetSpec(
        "classroom",
        "classroom.png",
        focus=(760, 200, 1900, 1700),
        spots={"board": Spot(900, 1690, 1100, "teacher"), "front": Spot(1660, 1720, 1120)},
        front="classroom-front.png",
    ),
    "street": SetSpec(
        "street",
        "street.png",
        focus=(800, 600, 2000, 1640),
        spots={"left": Spot(1050, 1600, 1180), "right": Spot(1650, 1600, 1180)},
    ),
}


def builtin_set_names() -> tuple[str, ...]:
    return tuple(sorted(BUILTIN_SETS))


@dataclass(frozen=True, eq=False)
class Stage:
    """A set cropped to a format: background (RGB), optional foreground (RGBA), spots in output pixels."""

    name: str
    background: Image.Image
    foreground: Image.Image | None
    spots: dict[str, Spot] = field(default_factory=dict)
    scale: float = 1.0  # output pixels per set pixel


def _crop_box(size: tuple[int, int], width_px: int, height_px: int, focus: Box) -> tuple[float, Box]:
    """The scale that covers the format and the source box to crop, centred on the focus."""
    src_w, src_h = size
    scale = max(width_px / src_w, height_px / src_h)
    view_w, view_h = width_px / scale, height_px / scale
    x0 = _start(focus[0], focus[2], view_w, src_w)
    y0 = _start(focus[1], focus[3], view_h, src_h)
    return scale, (x0, y0, x0 + view_w, y0 + view_h)


def _start(low: float, high: float, view: float, total: float) -> float:
    """Where a view of length `view` starts: centred on low..high, holding all of it when it fits."""
    start = (low + high) / 2 - view / 2
    if high - low <= view:
        start = min(max(start, high - view), low)
    return min(max(start, 0.0), total - view)


def _open(path: Path, what: str) -> Image.Image:
    """The decoded image, cached by path and modification time (a set is used by many scenes)."""
    if not path.is_file():
        raise SpecError(f"{path}: {what} not found")
    stat = path.stat()
    return _decoded(str(path), stat.st_mtime_ns, stat.st_size, what)


@functools.lru_cache(maxsize=8)
def _decoded(path: str, _mtime_ns: int, _size: int, what: str) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            return image.convert("RGB" if what == "set image" else "RGBA")  # layers keep their alpha
    except (OSError, UnidentifiedImageError) as exc:
        raise SpecError(f"{path}: {what} is not a readable image ({exc})") from exc


def _resolve(name_or_path: str | Path) -> tuple[SetSpec | None, Path]:
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_SETS:
        spec = BUILTIN_SETS[name_or_path]
        return spec, SETS_FOLDER / spec.file
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        known = ", ".join(builtin_set_names())
        raise SpecError(f'unknown set "{name_or_path}"; built-in sets: {known}, or give the path of an image')
    return None, path


def load_stage(name_or_path: str | Path, width_px: int, height_px: int) -> Stage:
    """The set cropped to `width_px`×`height_px`, with its foreground and spots (see module doc).

    Made once per set, size and image file version (a video's plan and its pictures ask for the same
    stage): the images are shared, so copy them before drawing on them.
    """
    if width_px <= 0 or height_px <= 0:
        raise ValueError(f"format must be positive, got {width_px}×{height_px}")
    spec, path = _resolve(name_or_path)
    if not path.is_file():
        raise SpecError(f"{path}: set image not found")
    stat = path.stat()
    return _stage(name_or_path, stat.st_mtime_ns, stat.st_size, width_px, height_px)


@functools.lru_cache(maxsize=8)
def _stage(name_or_path: str | Path, _mtime_ns: int, _size: int, width_px: int, height_px: int) -> Stage:
    spec, path = _resolve(name_or_path)
    image = _open(path, "set image")
    if spec is None and (image.width < width_px or image.height < height_px):
        raise SpecError(
            f"{path}: set image is {image.width}×{image.height} px; a {width_px}×{height_px} video needs "
            f"at least {width_px}×{height_px} px (enlarged, it would look soft)"
        )
    if spec is not None:
        focus = spec.focus
    else:
        focus = (image.width * 0.25, image.height * 0.2, image.width * 0.75, image.height * 0.9)
    scale, box = _crop_box(image.size, width_px, height_px, focus)
    if spec is not None and spec.wide is not None and width_px > height_px:
        layer = _open(SETS_FOLDER / spec.wide, "set layer for wide frames")
        image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    background = image.resize((width_px, height_px), Image.Resampling.BICUBIC, box=box)
    foreground = None
    if spec is not None and spec.front is not None:
        front = _open(SETS_FOLDER / spec.front, "set foreground")
        foreground = front.resize((width_px, height_px), Image.Resampling.BICUBIC, box=box)
    if spec is not None:
        spots = {name: _place(spot, scale, box) for name, spot in spec.spots.items()}
    else:
        floor = image.height * 0.94
        spots = {
            "left": _place(Spot(image.width * 0.35, floor, image.height * 0.8), scale, box),
            "right": _place(Spot(image.width * 0.65, floor, image.height * 0.8), scale, box),
        }
    name = spec.name if spec is not None else path.stem
    return Stage(name, background, foreground, spots, scale)


def _place(spot: Spot, scale: float, box: Box) -> Spot:
    return Spot(
        (spot.x - box[0]) * scale, (spot.floor_y - box[1]) * scale, spot.figure_height * scale, spot.for_character
    )


def load_set(name_or_path: str | Path, width_px: int, height_px: int) -> Image.Image:
    """The set's background cropped to `width_px`×`height_px` (RGB), the caller's own copy; see `load_stage`."""
    return load_stage(name_or_path, width_px, height_px).background.copy()
