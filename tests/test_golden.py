"""Golden images: the sample designs look as approved. Regenerate with ``pytest --regen-golden``.

Compared with a small tolerance (anti-aliasing may differ by a few levels between FreeType builds);
on a mismatch a diff image (differences in red) is saved beside the test's temporary files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.campaign import load_campaign
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills.raster import render_layout
from studio.stills.render import layout_job
from tests.conftest import SAMPLE

GOLDEN = Path(__file__).parent / "golden"
LEVEL_TOLERANCE = 16  # per channel, out of 255
MISMATCH_RATIO = 0.002  # at most 0.2 % of pixels may differ by more than that

CASES = [
    ("men-para-berbeym-social", "ky", "instagram-post"),
    ("men-para-berbeym-social", "ru", "story"),
    ("report-qr-social", "ky", "facebook-link"),
]


def mismatches(actual: Image.Image, expected: Image.Image) -> np.ndarray:
    """Pixels differing by more than the tolerance in any channel."""
    a = np.asarray(actual.convert("RGB"), dtype=np.int16)
    e = np.asarray(expected.convert("RGB"), dtype=np.int16)
    assert a.shape == e.shape, f"size {a.shape} differs from the golden {e.shape}"
    return np.abs(a - e).max(axis=2) > LEVEL_TOLERANCE


def test_a_one_word_change_exceeds_the_tolerance() -> None:
    from PIL import ImageDraw

    golden = Image.open(GOLDEN / "men-para-berbeym-social-ky-instagram-post.png").convert("RGB")
    changed = golden.copy()
    ImageDraw.Draw(changed).rectangle((64, 500, 400, 560), fill=(11, 80, 150))  # hide part of the body text
    assert mismatches(golden, golden).mean() == 0
    assert mismatches(changed, golden).mean() > MISMATCH_RATIO


@pytest.mark.parametrize(("deliverable", "lang", "fmt"), CASES)
def test_render_matches_golden(deliverable: str, lang: str, fmt: str, regen_golden: bool, tmp_path: Path) -> None:
    campaign = load_campaign(SAMPLE)
    job = Job(Quarter.parse("2026Q1"), deliverable, lang, fmt, "social")
    image = render_layout(layout_job(campaign, job))
    golden = GOLDEN / f"{deliverable}-{lang}-{fmt}.png"
    if regen_golden:
        image.save(golden, optimize=True)
        pytest.skip(f"regenerated {golden.name}")
    assert golden.is_file(), f"no golden image {golden}; run pytest --regen-golden"
    bad = mismatches(image, Image.open(golden))
    ratio = float(bad.mean())
    if ratio > MISMATCH_RATIO:
        diff = np.asarray(image.convert("L").convert("RGB")).copy() // 3
        diff[bad] = (255, 0, 0)
        out = tmp_path / f"diff-{golden.name}"
        Image.fromarray(diff).save(out)
        pytest.fail(f"{golden.name}: {ratio:.2%} of pixels differ (allowed {MISMATCH_RATIO:.2%}); diff image: {out}")
