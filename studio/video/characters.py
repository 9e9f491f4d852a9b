"""Character packs: layered PNG (or SVG) parts and a small YAML file; rendering a character state.

Stable interface:

- `load_character_pack(path) -> CharacterPack`: reads ``character.yaml`` and every part, and
  checks them; anything wrong is one `SpecError` naming the pack, the part and the file.
- `builtin_character(name) -> CharacterPack`, `builtin_character_names()`: the packs shipped
  in ``assets/characters/`` (official, citizen, presenter, teacher).
- `render_character(pack, state, height_px, mirror=False) -> PIL RGBA image`: the figure in
  that state, `height_px` tall (width in proportion); `mirror` flips it left to right, so two
  characters can face each other (the shipped ones look a little to the viewer's right).
  Each distinct (state, height, mirror) is drawn once and cached, parts are scaled once per
  height: rendering a scene costs one composite per DISTINCT state, not per frame. The caches
  are bounded (`studio.lru.SizedLRU`): a process that renders video after video keeps the pictures it
  uses, not every picture it ever drew.
  `emphasis` does not change the figure (the scene decides how to bring the speaker
  forward), so it is not part of the cache key.
- `figure_box(pack, height_px)`: the rendered image's size; `part_box(pack, group, state,
  height_px, mirror)`: where a part (``"mouth"``, ``"eyes"``, …) lands in that image, e.g. to
  measure the mouth's opening in rendered frames.

A pack's folder::

    character.yaml    name, display_name {ky, ru}, size_px, anchors, part_sizes, parts, poses
    body.png          the whole figure without head, size_px          (poses: the same size)
    head.png          head without eyes, brows, mouth; part_sizes.head, centred on anchors.head
    eyes_open.png, eyes_half.png, eyes_closed.png              part_sizes.eyes,  at anchors.eyes
    brows_neutral.png, brows_raised.png, brows_frown.png       part_sizes.brows, at anchors.brows
    mouth_rest.png, mouth_mbp.png, … one per `Viseme`          part_sizes.mouth, at anchors.mouth

A state's `prop` names a pose (``envelope``, ``phone``, ``present``, ``refuse`` in the shipped
packs) drawn instead of ``body``. Head offsets and the body bob are in the pack's own pixels.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from studio.errors import SpecError
from studio.lru import SizedLRU
from studio.video.life import Brows, CharacterState, Eyes
from studio.video.lipsync import Viseme

BUILTIN_FOLDER = Path(__file__).resolve().parents[2] / "assets" / "characters"
PACK_FILE = "character.yaml"
PLACED_PARTS = ("head", "eyes", "brows", "mouth")  # parts placed at an anchor, with a declared size
EYE_PARTS = {Eyes.OPEN: "eyes_open", Eyes.HALF: "eyes_half", Eyes.CLOSED: "eyes_closed"}
BROW_PARTS = {Brows.NEUTRAL: "brows_neutral", Brows.RAISED: "brows_raised", Brows.FROWN: "brows_frown"}
REQUIRED_PARTS = ("body", "head", *EYE_PARTS.values(), *BROW_PARTS.values(), *(v.part_name for v in Viseme))
MAX_SIDE_PX = 8000


#: How much each of a pack's caches may hold (bytes of pixels, see :class:`studio.lru.SizedLRU`): a
#: pack lives as long as the process (the web app, a batch or Dask worker renders video after video
#: with it), its caches only as long as they are used. The bases of one explainer's characters (a few
#: dozen each) fit in theirs.
RENDER_CACHE_BYTES = 64 << 20
BASE_CACHE_BYTES = 128 << 20
BODY_CACHE_BYTES = 32 << 20
SCALED_CACHE_BYTES = 64 << 20


#: A pack's cache of pictures.
Pictures = SizedLRU[Any, Image.Image]


def _pixel_bytes(image: Image.Image) -> int:
    return image.width * image.height * len(image.getbands())


def _group(part: str) -> str:
    """The size group of a part: ``mouth_a`` → ``mouth``; body and poses → ``body``."""
    for group in PLACED_PARTS:
        if part == group or part.startswith(group + "_"):
            return group
    return "body"


@dataclass(eq=False)
class CharacterPack:
    """A loaded, checked character pack. Compare packs by identity; each caches its renders."""

    name: str
    folder: Path
    display_name: Mapping[str, str]
    size_px: tuple[int, int]
    anchors: Mapping[str, tuple[int, int]]
    part_sizes: Mapping[str, tuple[int, int]]
    parts: Mapping[str, Image.Image]
    poses: Mapping[str, Image.Image]
    #: the parts (and poses) scaled to each height a video draws the pack at
    _scaled: Pictures = field(default_factory=lambda: Pictures(SCALED_CACHE_BYTES), repr=False)
    _renders: Pictures = field(default_factory=lambda: Pictures(RENDER_CACHE_BYTES), repr=False)
    #: body and head, composited: what the states of one pose, bob and head turn share
    _bases: Pictures = field(default_factory=lambda: Pictures(BASE_CACHE_BYTES), repr=False)
    #: the body (or pose) alone at each bob: what the head turns of one pose and bob share
    _bodies: Pictures = field(default_factory=lambda: Pictures(BODY_CACHE_BYTES), repr=False)

    @property
    def pose_names(self) -> tuple[str, ...]:
        return tuple(sorted(self.poses))


def _error(folder: Path, message: str) -> SpecError:
    return SpecError(f'{folder / PACK_FILE}: character pack "{folder.name}": {message}')


def _pair(folder: Path, field_name: str, value: Any) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise _error(folder, f"{field_name} must be two whole numbers [x, y], got {value!r}")
    return int(value[0]), int(value[1])


def _mapping(folder: Path, data: Mapping[str, Any], field_name: str, required: bool = True) -> Mapping[str, Any]:
    value = data.get(field_name)
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise _error(folder, f"field {field_name} must be a mapping, got {value!r}")
    return value


def _read_image(folder: Path, part: str, file_name: Any) -> Image.Image:
    if not isinstance(file_name, str) or not file_name:
        raise _error(folder, f"part {part}: file name must be text, got {file_name!r}")
    path = (folder / file_name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise _error(folder, f"part {part}: file {file_name} is outside the pack folder")
    if not path.is_file():
        raise _error(folder, f"part {part}: file {file_name} not found")
    try:
        if path.suffix.lower() == ".svg":
            return _read_svg(path)
        with Image.open(path) as image:
            if max(image.size) > MAX_SIDE_PX:
                raise _error(folder, f"part {part}: file {file_name} is {image.width}×{image.height} px, too large")
            return image.convert("RGBA")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise _error(folder, f"part {part}: file {file_name} is not a readable image ({exc})") from exc


def _read_svg(path: Path) -> Image.Image:
    """SVG parts need a rasteriser; cairosvg is used when installed (it is optional)."""
    try:
        import cairosvg  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ValueError("SVG parts need the optional cairosvg package; export the part as PNG") from exc
    png = cairosvg.svg2png(url=str(path))
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGBA")


def load_character_pack(path: Path | str) -> CharacterPack:
    """Read and check a character pack folder (or its ``character.yaml``)."""
    folder = Path(path)
    if folder.name == PACK_FILE:
        folder = folder.parent
    yaml_path = folder / PACK_FILE
    if not yaml_path.is_file():
        raise SpecError(f'{yaml_path}: character pack "{folder.name}": no {PACK_FILE} in the folder')
    try:
        data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(folder, f"cannot read {PACK_FILE}: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{yaml_path}:{mark.line + 1}" if mark is not None else str(yaml_path)
        raise SpecError(
            f'{where}: character pack "{folder.name}": not valid YAML ({getattr(exc, "problem", exc)})'
        ) from exc
    if not isinstance(data, Mapping):
        raise _error(folder, f"{PACK_FILE} must be a mapping of fields, got {type(data).__name__}")

    name = data.get("name", folder.name)
    if not isinstance(name, str) or not name.strip():
        raise _error(folder, f"name must be text, got {name!r}")
    display = _mapping(folder, data, "display_name", required=False)
    display_name = {str(k): str(v) for k, v in display.items()} or {"ky": name, "ru": name}
    size_px = _pair(folder, "size_px", data.get("size_px"))
    if min(size_px) <= 0:
        raise _error(folder, f"size_px must be positive, got {list(size_px)}")
    anchors_raw = _mapping(folder, data, "anchors")
    sizes_raw = _mapping(folder, data, "part_sizes")
    anchors: dict[str, tuple[int, int]] = {}
    part_sizes: dict[str, tuple[int, int]] = {"body": size_px}
    for group in PLACED_PARTS:
        if group not in anchors_raw:
            raise _error(folder, f"anchors.{group} is missing")
        if group not in sizes_raw:
            raise _error(folder, f"part_sizes.{group} is missing")
        anchors[group] = _pair(folder, f"anchors.{group}", anchors_raw[group])
        part_sizes[group] = _pair(folder, f"part_sizes.{group}", sizes_raw[group])

    parts_raw = _mapping(folder, data, "parts")
    missing = [part for part in REQUIRED_PARTS if part not in parts_raw]
    if missing:
        raise _error(
            folder, f"part {missing[0]} is missing from parts (also missing: {', '.join(missing[1:]) or 'none'})"
        )
    parts: dict[str, Image.Image] = {}
    for part, file_name in parts_raw.items():
        image = _read_image(folder, str(part), file_name)
        _check_size(folder, str(part), file_name, image, part_sizes[_group(str(part))])
        parts[str(part)] = image
    poses: dict[str, Image.Image] = {}
    for pose, file_name in _mapping(folder, data, "poses", required=False).items():
        image = _read_image(folder, f"pose {pose}", file_name)
        _check_size(folder, f"pose {pose}", file_name, image, size_px)
        poses[str(pose)] = image
    return CharacterPack(name, folder, display_name, size_px, anchors, part_sizes, parts, poses)


def _check_size(folder: Path, part: str, file_name: str, image: Image.Image, expected: tuple[int, int]) -> None:
    if image.size != expected:
        raise _error(
            folder,
            f"part {part}: file {file_name} is {image.width}×{image.height} px, "
            f"expected {expected[0]}×{expected[1]} px",
        )


_BUILTIN: dict[str, CharacterPack] = {}
_BUILTIN_LOCK = threading.Lock()


def builtin_character_names() -> tuple[str, ...]:
    """Names of the packs shipped with the studio."""
    return tuple(sorted(p.parent.name for p in BUILTIN_FOLDER.glob(f"*/{PACK_FILE}")))


def builtin_character(name: str) -> CharacterPack:
    """A shipped pack by name, loaded once per process."""
    with _BUILTIN_LOCK:
        pack = _BUILTIN.get(name)
        if pack is None:
            known = builtin_character_names()
            if name not in known:
                raise SpecError(f'unknown character "{name}"; shipped characters: {", ".join(known)}')
            pack = _BUILTIN[name] = load_character_pack(BUILTIN_FOLDER / name)
        return pack


def figure_box(pack: CharacterPack, height_px: int) -> tuple[int, int]:
    """Width and height of `render_character` output at `height_px`."""
    return max(1, round(pack.size_px[0] * height_px / pack.size_px[1])), height_px


def part_box(
    pack: CharacterPack, group: str, state: CharacterState, height_px: int, mirror: bool = False
) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) a placed part covers in `render_character`'s image."""
    if group not in PLACED_PARTS:
        raise ValueError(f"unknown part group {group!r}; known: {', '.join(PLACED_PARTS)}")
    scale = height_px / pack.size_px[1]
    width, _ = figure_box(pack, height_px)
    ax, ay = pack.anchors[group]
    pw, ph = pack.part_sizes[group]
    bob = round(state.bob * scale)
    left = round(ax * scale + state.head_dx * scale - pw * scale / 2)
    top = round(ay * scale + state.head_dy * scale + bob - ph * scale / 2)
    right, bottom = left + round(pw * scale), top + round(ph * scale)
    if mirror:
        left, right = width - right, width - left
    return left, top, right, bottom


def _once(table: Pictures, key: Any, make: Callable[[], Image.Image]) -> Image.Image:
    """``table``'s picture for ``key``, made by ``make`` (outside the table's lock) when it is not
    kept: threads make different keys at once, and two making the same key make the same image (the
    first kept is returned to both)."""
    found = table.get(key)
    if found is None:
        made = make()
        found = table.keep(key, made, _pixel_bytes(made))
    return found


def _scaled_part(pack: CharacterPack, name: str, height_px: int) -> Image.Image:
    """One part (or ``pose:NAME``) scaled for ``height_px``, once per pack: only the parts a video uses."""

    def scale() -> Image.Image:
        image = pack.poses[name[5:]] if name.startswith("pose:") else pack.parts[name]
        factor = height_px / pack.size_px[1]
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        return image.resize(size, Image.Resampling.LANCZOS)

    return _once(pack._scaled, (name, height_px), scale)


def render_character(pack: CharacterPack, state: CharacterState, height_px: int, mirror: bool = False) -> Image.Image:
    """The figure in `state`, `height_px` tall, on a transparent background (RGBA).

    `mirror` flips it left to right. The returned image is shared by the cache: copy it
    before drawing on it.
    """
    if height_px <= 0:
        raise ValueError(f"height_px must be > 0, got {height_px}")
    key_state = CharacterState(
        state.viseme, state.eyes, state.brows, state.head_dx, state.head_dy, state.bob, False, state.prop
    )
    if state.prop is not None and state.prop not in pack.poses:
        known = ", ".join(pack.pose_names) or "none"
        raise SpecError(f'character "{pack.name}" ({pack.folder}) has no pose "{state.prop}"; its poses: {known}')
    scale = height_px / pack.size_px[1]
    bob = round(state.bob * scale)
    dx, dy = state.head_dx * scale, state.head_dy * scale + bob

    def paste(canvas: Image.Image, part: str) -> None:
        image = _scaled_part(pack, part, height_px)
        ax, ay = pack.anchors[_group(part)]
        _paste_clipped(
            canvas, image, round(ax * scale + dx - image.width / 2), round(ay * scale + dy - image.height / 2)
        )

    def body() -> Image.Image:  # the body (or pose) alone: the same for every head turn of a pose and bob
        canvas = Image.new("RGBA", figure_box(pack, height_px), (0, 0, 0, 0))
        canvas.alpha_composite(_scaled_part(pack, f"pose:{state.prop}" if state.prop else "body", height_px), (0, bob))
        return canvas

    def base() -> Image.Image:  # body and head: the same for every face of a pose, bob and head turn
        canvas = _once(pack._bodies, (state.prop, state.bob, height_px), body).copy()
        paste(canvas, "head")
        return canvas

    def draw() -> Image.Image:
        # The faces over a copy of the base: the same parts in the same order as one composite, the same pixels.
        canvas = _once(pack._bases, (state.prop, state.bob, state.head_dx, state.head_dy, height_px), base).copy()
        for part in (EYE_PARTS[state.eyes], BROW_PARTS[state.brows], state.viseme.part_name):
            paste(canvas, part)
        return canvas.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirror else canvas

    return _once(pack._renders, (key_state, height_px, mirror), draw)


def _paste_clipped(canvas: Image.Image, image: Image.Image, x: int, y: int) -> None:
    """alpha_composite that tolerates a part reaching past the canvas edge."""
    left, top = max(0, -x), max(0, -y)
    right = min(image.width, canvas.width - x)
    bottom = min(image.height, canvas.height - y)
    if right <= left or bottom <= top:
        return
    if (left, top, right, bottom) == (0, 0, image.width, image.height):
        canvas.alpha_composite(image, (x, y))  # wholly inside: no copy of the part
    else:
        canvas.alpha_composite(image.crop((left, top, right, bottom)), (x + left, y + top))
