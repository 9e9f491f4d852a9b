from __future__ import annotations

import pytest
from PIL import Image

from studio.encode import EncodeSettings, Motion, MotionKind, Slide, crossfade, settings_for
from studio.errors import EncodeError


def test_named_sizes() -> None:
    assert settings_for("youtube").size_px == (1920, 1080)
    assert settings_for("story").size_px == (1080, 1920)
    assert settings_for("square").size_px == (1080, 1080)
    assert settings_for((640, 360)).size_px == (640, 360)


def test_unknown_size_names_the_known_ones() -> None:
    with pytest.raises(EncodeError, match="known: youtube, story, square"):
        settings_for("instagram-sq")


@pytest.mark.parametrize("size", [(641, 360), (640, 359), (8, 8)])
def test_odd_or_tiny_sizes_are_refused(size: tuple[int, int]) -> None:
    with pytest.raises(EncodeError, match="even"):
        EncodeSettings(size_px=size)


def test_bad_preset_and_fps_are_refused() -> None:
    with pytest.raises(EncodeError, match="ultrafast"):
        EncodeSettings(preset="warp")
    with pytest.raises(EncodeError, match="fps"):
        EncodeSettings(fps=0)


def test_draft_is_small_fast_and_even() -> None:
    draft = settings_for("youtube", draft=True)
    assert draft.size_px[0] <= 960 and draft.size_px[1] <= 540
    assert draft.size_px[0] % 2 == 0 and draft.size_px[1] % 2 == 0
    assert draft.fps == 15 and draft.preset == "ultrafast"
    story = settings_for("story", draft=True)
    assert story.size_px[1] > story.size_px[0]


def test_slide_values_are_checked() -> None:
    image = Image.new("RGB", (32, 18))
    with pytest.raises(EncodeError, match="positive"):
        Slide(image, 0.0)
    with pytest.raises(EncodeError, match="crossfade"):
        crossfade(0.0)
    with pytest.raises(EncodeError, match="amount"):
        Motion(MotionKind.ZOOM_IN, 0.9)
