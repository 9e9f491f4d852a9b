"""Fixtures for the encoder tests."""

from __future__ import annotations

import pytest
from encode_helpers import make_slide
from PIL import Image


@pytest.fixture
def slides_rgb() -> list[Image.Image]:
    return [make_slide((192, 108), c, str(i)) for i, c in enumerate([(200, 30, 30), (30, 30, 200), (30, 160, 30)])]
