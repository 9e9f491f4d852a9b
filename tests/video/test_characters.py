"""Character packs: the shipped ones load and render; a broken pack is one clear line."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.errors import SpecError
from studio.video.characters import (
    BUILTIN_FOLDER,
    builtin_character,
    builtin_character_names,
    figure_box,
    load_character_pack,
    part_box,
    render_character,
)
from studio.video.life import Brows, CharacterState, Eyes, character_track
from studio.video.lipsync import Viseme

SHIPPED = ("citizen", "official", "presenter", "teacher")


def test_four_characters_are_shipped_with_every_part() -> None:
    assert set(SHIPPED) <= set(builtin_character_names())
    for name in SHIPPED:
        pack = builtin_character(name)
        assert pack.name == name
        assert pack.display_name["ky"] and pack.display_name["ru"]
        assert {f"mouth_{v.name.lower()}" for v in Viseme} <= set(pack.parts)
        assert {"envelope", "phone", "present", "refuse"} <= set(pack.poses)
        assert builtin_character(name) is pack  # loaded once


def _mouth_region(pack_name: str, state: CharacterState, height: int = 700) -> np.ndarray:
    pack = builtin_character(pack_name)
    image = render_character(pack, state, height)
    return np.asarray(image.convert("RGB").crop(part_box(pack, "mouth", state, height)), dtype=np.int16)


@pytest.mark.parametrize("name", SHIPPED)
def test_states_render_the_parts_they_name(name: str) -> None:
    pack = builtin_character(name)
    rest = render_character(pack, CharacterState(), 700)
    assert rest.mode == "RGBA" and rest.size == figure_box(pack, 700)
    # Opaque figure on a transparent background, standing on its feet.
    alpha = np.asarray(rest.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha.max() == 255
    assert 0.15 < (alpha > 0).mean() < 0.6
    # A wide-open mouth is darker inside than a closed one, and differs from an "o".
    closed = _mouth_region(name, CharacterState(viseme=Viseme.REST))
    wide = _mouth_region(name, CharacterState(viseme=Viseme.A))
    rounded = _mouth_region(name, CharacterState(viseme=Viseme.O))
    assert wide.mean() < closed.mean() - 8
    assert np.abs(wide - rounded).mean() > 2
    # Every viseme, eye and brow state draws something different.
    mouths = {render_character(pack, CharacterState(viseme=v), 300).tobytes() for v in Viseme}
    assert len(mouths) == len(Viseme)
    eyes = {render_character(pack, CharacterState(eyes=e), 300).tobytes() for e in Eyes}
    brows = {render_character(pack, CharacterState(brows=b), 300).tobytes() for b in Brows}
    assert len(eyes) == 3 and len(brows) == 3


def test_head_offset_bob_and_pose_move_the_right_pixels() -> None:
    pack = builtin_character("official")
    base = np.asarray(render_character(pack, CharacterState(), 700).getchannel("A"), dtype=np.int16)
    moved = np.asarray(render_character(pack, CharacterState(head_dx=6), 700).getchannel("A"), dtype=np.int16)
    changed_rows = np.flatnonzero(np.abs(moved - base).sum(axis=1))
    head_bottom = (pack.anchors["head"][1] + pack.part_sizes["head"][1] / 2) * 700 / pack.size_px[1]
    assert changed_rows.size and changed_rows.max() <= head_bottom + 1  # only the head moved
    bobbed = np.asarray(render_character(pack, CharacterState(bob=3), 700).getchannel("A"), dtype=np.int16)
    assert np.array_equal(bobbed[2:], base[:-2])  # 3 pack px at this scale: the whole figure, down
    with_envelope = render_character(pack, CharacterState(prop="envelope"), 700)
    assert with_envelope.tobytes() != render_character(pack, CharacterState(), 700).tobytes()
    mirrored = render_character(pack, CharacterState(prop="envelope"), 700, mirror=True)
    assert np.array_equal(np.asarray(mirrored)[:, ::-1], np.asarray(with_envelope))
    # The mouth box follows the head and the mirror: an open mouth is dark inside it.
    state = CharacterState(viseme=Viseme.A, head_dx=6, head_dy=-3, bob=3)
    for flip in (False, True):
        box = part_box(pack, "mouth", state, 700, mirror=flip)
        inside = np.asarray(render_character(pack, state, 700, mirror=flip).convert("L").crop(box))
        assert inside.min() < 80 and inside.shape == (box[3] - box[1], box[2] - box[0])


def test_rendering_a_scene_costs_one_composite_per_distinct_state() -> None:
    pack = builtin_character("presenter")
    track = character_track([], [], 30, 30 * 20, seed="presenter/cost")
    render_character(pack, track[0], 540)  # scales the parts once
    start = time.perf_counter()
    images = [render_character(pack, state, 540) for state in track]
    elapsed = time.perf_counter() - start
    distinct = len(set(track))
    assert len({id(image) for image in images}) == distinct < len(track) / 4
    assert elapsed < 0.05 * distinct + 0.2
    # Emphasis does not change the figure and shares its render.
    state = CharacterState(viseme=Viseme.E)
    assert render_character(pack, state, 540) is render_character(pack, CharacterState(Viseme.E, emphasis=True), 540)


def test_unknown_pose_and_unknown_builtin_are_clear() -> None:
    with pytest.raises(SpecError, match=r'character "teacher" .* has no pose "umbrella"; its poses: envelope, phone'):
        render_character(builtin_character("teacher"), CharacterState(prop="umbrella"), 300)
    with pytest.raises(SpecError, match=r'unknown character "wizard"; shipped characters: citizen, official'):
        builtin_character("wizard")


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "my-official"
    shutil.copytree(BUILTIN_FOLDER / "official", folder)
    return folder


def test_a_copied_pack_loads_as_a_user_pack(pack_copy: Path) -> None:
    pack = load_character_pack(pack_copy)
    assert pack.folder == pack_copy
    assert render_character(pack, CharacterState(viseme=Viseme.A), 200).height == 200
    assert load_character_pack(pack_copy / "character.yaml").name == pack.name


def _yaml(folder: Path) -> str:
    return (folder / "character.yaml").read_text(encoding="utf-8")


def test_missing_mouth_shape_names_pack_and_part(pack_copy: Path) -> None:
    text = "\n".join(line for line in _yaml(pack_copy).splitlines() if "mouth_o:" not in line)
    (pack_copy / "character.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_character_pack(pack_copy)
    message = str(error.value)
    assert "\n" not in message
    assert f"{pack_copy / 'character.yaml'}" in message
    assert 'character pack "my-official"' in message and "part mouth_o is missing" in message


def test_missing_part_file_names_the_file(pack_copy: Path) -> None:
    (pack_copy / "mouth_a.png").unlink()
    with pytest.raises(SpecError, match=r'"my-official": part mouth_a: file mouth_a.png not found'):
        load_character_pack(pack_copy)


def test_part_of_the_wrong_size_names_part_file_and_sizes(pack_copy: Path) -> None:
    Image.new("RGBA", (100, 80)).save(pack_copy / "mouth_e.png")
    with pytest.raises(SpecError, match=r"part mouth_e: file mouth_e.png is 100×80 px, expected 130×90 px"):
        load_character_pack(pack_copy)
    Image.new("RGBA", (600, 1000)).save(pack_copy / "pose_phone.png")
    (pack_copy / "mouth_e.png").unlink()
    shutil.copy(BUILTIN_FOLDER / "official" / "mouth_e.png", pack_copy / "mouth_e.png")
    with pytest.raises(SpecError, match=r"part pose phone: file pose_phone.png is 600×1000 px, expected"):
        load_character_pack(pack_copy)


def test_unreadable_image_names_the_file(pack_copy: Path) -> None:
    (pack_copy / "eyes_half.png").write_bytes(b"not a png at all")
    with pytest.raises(SpecError, match=r"part eyes_half: file eyes_half.png is not a readable image"):
        load_character_pack(pack_copy)


def test_bad_yaml_names_the_file_and_line(pack_copy: Path) -> None:
    (pack_copy / "character.yaml").write_text("name: x\nsize_px: [600, 1400\nanchors: {}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"character.yaml:\d+: character pack \"my-official\": not valid YAML"):
        load_character_pack(pack_copy)


def test_bad_field_and_missing_folder_are_clear(pack_copy: Path, tmp_path: Path) -> None:
    text = _yaml(pack_copy).replace("size_px: [600, 1400]", "size_px: big")
    (pack_copy / "character.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match=r"size_px must be two whole numbers \[x, y\], got 'big'"):
        load_character_pack(pack_copy)
    with pytest.raises(SpecError, match=r"no character.yaml in the folder"):
        load_character_pack(tmp_path / "nowhere")


@pytest.mark.parametrize("factor", [0.55, 0.6, 0.72, 0.9])
def test_a_dimmed_listener_is_darkened_as_pillow_brightness_does(factor: float) -> None:
    """The one-pass table gives exactly ImageEnhance.Brightness's colours, alpha kept."""
    from PIL import ImageEnhance

    from studio.video.paint import dim_table

    rng = np.random.default_rng(7)
    picture = Image.fromarray(rng.integers(0, 256, (64, 256, 4), dtype=np.uint8), "RGBA")
    expected = ImageEnhance.Brightness(picture.convert("RGB")).enhance(factor).convert("RGBA")
    expected.putalpha(picture.getchannel("A"))
    assert np.array_equal(np.asarray(picture.point(dim_table(factor))), np.asarray(expected))


def test_a_packs_caches_stay_within_their_budgets_and_give_the_same_pictures() -> None:
    """A process rendering video after video (the web app, a batch worker) keeps a bounded amount of
    each pack's pictures, and a picture drawn again after it was let go is the same picture."""
    pack = load_character_pack(BUILTIN_FOLDER / "citizen")  # a pack of its own: its caches start empty
    tables = (pack._renders, pack._bases, pack._bodies, pack._scaled)
    for table in tables:
        table.budget = 4 << 20
    states = [
        CharacterState(viseme=v, eyes=e, head_dx=dx, bob=bob)
        for v in (Viseme.REST, Viseme.A, Viseme.O)
        for e in (Eyes.OPEN, Eyes.CLOSED)
        for dx in (-2, 0, 2)
        for bob in (0, 2)
    ]
    first = {s: np.asarray(render_character(pack, s, 800)) for s in states}
    for table in tables:
        assert table.used <= table.budget or len(table) == 1, (table.used, len(table))
    assert len(pack._renders) < len(states)  # some were let go
    for state in states[:3]:
        np.testing.assert_array_equal(np.asarray(render_character(pack, state, 800)), first[state])
