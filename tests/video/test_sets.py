"""Sets: built-in backgrounds cropped to every format, and a user's own image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.campaign.models import Campaign
from studio.errors import SpecError
from studio.video.explainer import VideoOptions, plan_video
from studio.video.sets import BUILTIN_SETS, SETS_FOLDER, builtin_set_names, load_set, load_stage
from tests.video.conftest import scenes_job

FORMATS = [(1920, 1080), (1080, 1920), (1080, 1080)]


def test_three_sets_are_shipped_large_enough_for_every_format() -> None:
    assert {"office", "classroom", "street"} <= set(builtin_set_names())
    for spec in BUILTIN_SETS.values():
        with Image.open(SETS_FOLDER / spec.file) as image:
            assert max(image.size) >= 2160
            assert image.width >= 1920 and image.height >= 1920  # no format needs enlarging


@pytest.mark.parametrize("name", ["office", "classroom", "street"])
@pytest.mark.parametrize(("width", "height"), FORMATS)
def test_builtin_set_covers_the_format_and_keeps_its_spots_in_view(name: str, width: int, height: int) -> None:
    stage = load_stage(name, width, height)
    assert stage.background.mode == "RGB" and stage.background.size == (width, height)
    pixels = np.asarray(stage.background)
    assert pixels.std() > 20  # a drawn scene, not an empty fill
    assert stage.scale <= 1.0
    for spot in stage.spots.values():
        assert 0 < spot.x < width
        # Heads in view; feet may fall below a wide frame (a medium-long shot).
        assert 0 <= spot.floor_y - spot.figure_height < height * 0.5
        assert spot.floor_y <= height * 1.15
        assert spot.figure_height > height * 0.4
    if stage.foreground is not None:
        assert stage.foreground.mode == "RGBA" and stage.foreground.size == (width, height)
        alpha = np.asarray(stage.foreground.getchannel("A"))
        assert 0.02 < (alpha > 0).mean() < 0.6  # a counter or desks, transparent elsewhere
    assert np.array_equal(np.asarray(load_set(name, width, height)), pixels)


def test_office_counter_crosses_the_official_at_the_waist() -> None:
    stage = load_stage("office", 1920, 1080)
    assert stage.foreground is not None
    spot = stage.spots["counter"]
    alpha = np.asarray(stage.foreground.getchannel("A"))
    column = alpha[:, round(spot.x)]
    counter_top = int(np.flatnonzero(column > 0)[0])
    head_top = spot.floor_y - spot.figure_height
    assert 0.4 < (counter_top - head_top) / spot.figure_height < 0.65


@pytest.mark.parametrize(("width", "height", "shown"), [(1920, 1080, True), (1080, 1920, False), (1080, 1080, False)])
def test_the_office_sign_shows_in_wide_frames_only(width: int, height: int, shown: bool) -> None:
    """The sign "Кабыл алуу / Приём" (navy) is high on the wall: in a tall or square frame the badge
    and the scene's title take that place and would half cover it, so only a wide frame has it."""
    top = np.asarray(load_set("office", width, height)).astype(int)[: height // 4]
    navy = (np.abs(top - np.array([11, 31, 58])).sum(axis=2) < 30).mean()
    assert (navy > 0.05) if shown else (navy < 0.01)


@pytest.mark.parametrize(("width", "height"), FORMATS)
def test_the_street_signs_are_whole_or_out_of_every_frame(width: int, height: int) -> None:
    """The shop and pharmacy signs (navy, "Дүкөн / Магазин", "Дарыкана / Аптека") are never cut at
    the frame's edge: a tall frame once showed "…Аптека" without its Kyrgyz name."""
    image = np.asarray(load_set("street", width, height)).astype(int)
    navy = (np.abs(image - np.array([11, 31, 58])).sum(axis=2) < 12).sum(axis=0)  # per column
    assert navy.max() > 0.03 * height  # a sign is in view
    assert navy[:3].max() < 5 and navy[-3:].max() < 5, (navy[:3], navy[-3:])  # none runs off an edge


@pytest.mark.parametrize(("width", "height"), FORMATS)
def test_the_classroom_board_and_its_writing_are_whole_in_every_frame(width: int, height: int) -> None:
    """The blackboard (chalk-board green) lies wholly inside every crop, a tall one included: its
    slogan "Билим — бекер! / Образование — бесплатно!" is never cut at the frame's edge."""
    image = np.asarray(load_set("classroom", width, height)).astype(int)[: height // 2]  # the board is high up
    board = np.abs(image - np.array([38, 78, 64])).sum(axis=2) < 24
    columns = np.flatnonzero(board.mean(axis=0) > 0.2)
    assert columns.size, "no board found"
    assert columns[0] > 0.01 * width and columns[-1] < 0.99 * width, (int(columns[0]), int(columns[-1]), width)


@pytest.mark.parametrize("fmt", ["story", "square"])
def test_the_counter_plate_stays_above_the_burned_in_captions(
    fmt: str, scenes_campaign: Campaign, speech_cache: Path
) -> None:
    """The city-hall plate on the office counter ("Шаардык мэрия / Городская мэрия", blue) is clear
    of the place a dialogue's captions take, two lines at most, in the formats that burn them in."""
    _script, _voiced, plan, _settings, _url = plan_video(
        scenes_campaign, scenes_job("ky", fmt), VideoOptions(speech_cache, draft=True)
    )
    (captions,) = [t for t in plan.sprites if t.role == "caption"]
    caption_top = captions.at_px[1]
    stage = load_stage("office", *plan.size_px)
    assert stage.foreground is not None
    front = np.asarray(stage.foreground).astype(int)
    plate = (np.abs(front[..., :3] - np.array([11, 95, 165])).sum(axis=2) < 30) & (front[..., 3] > 200)
    rows = np.flatnonzero(plate.mean(axis=1) > 0.1)  # rows the plate fills a tenth of the frame's width
    assert rows.size, "no plate found on the counter"
    assert rows[-1] < caption_top, (fmt, int(rows[-1]), caption_top)


def test_user_image_is_cropped_to_cover(tmp_path: Path) -> None:
    path = tmp_path / "square.png"
    image = Image.new("RGB", (2000, 2000), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 1000, 2000))  # left half blue
    image.save(path)
    wide = load_set(path, 1920, 1080)
    assert wide.size == (1920, 1080)
    story = load_set(str(path), 1080, 1920)
    assert story.size == (1080, 1920)
    stage = load_stage(path, 1920, 1080)
    assert stage.foreground is None and set(stage.spots) == {"left", "right"}


def test_user_image_too_small_names_file_size_and_need(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (1280, 720), (90, 90, 90)).save(path)
    with pytest.raises(SpecError) as error:
        load_set(path, 1920, 1080)
    assert str(error.value) == (
        f"{path}: set image is 1280×720 px; a 1920×1080 video needs at least 1920×1080 px "
        "(enlarged, it would look soft)"
    )
    load_set(path, 1080, 720)  # …but fits a smaller format


def test_unknown_set_and_unreadable_image_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r'unknown set "bazaar"; built-in sets: classroom, office, street'):
        load_set("bazaar", 1920, 1080)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"nope")
    with pytest.raises(SpecError, match=r"broken.png: set image is not a readable image"):
        load_set(broken, 1920, 1080)
    with pytest.raises(SpecError, match=r"missing.png: set image not found"):
        load_set(tmp_path / "missing.png", 1920, 1080)


def test_a_stage_is_made_once_per_set_size_and_file_version(tmp_path: Path) -> None:
    assert load_stage("office", 1920, 1080) is load_stage("office", 1920, 1080)
    assert load_stage("office", 1080, 1920) is not load_stage("office", 1920, 1080)
    path = tmp_path / "own.png"
    Image.new("RGB", (2000, 2000), (200, 30, 30)).save(path)
    first = load_stage(path, 1920, 1080)
    assert load_stage(path, 1920, 1080) is first
    Image.new("RGB", (2000, 2000), (30, 30, 200)).save(path)  # the file changed: made again, from it
    again = load_stage(path, 1920, 1080)
    assert again is not first and again.background.getpixel((960, 540)) == (30, 30, 200)
    mine = load_set(path, 1920, 1080)
    mine.paste((0, 0, 0), (0, 0, 1920, 1080))  # the caller's own copy: the shared stage is untouched
    assert load_stage(path, 1920, 1080).background.getpixel((960, 540)) == (30, 30, 200)
