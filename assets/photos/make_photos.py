"""Draws the sample campaign's "photos": a small mountain town and a portrait of a fictional resident.
They are the project's own work, made by this script (CC0): no real place or
person is shown. Deterministic: the same script gives the same files.

    python assets/photos/make_photos.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).parent


def _vertical(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    w, h = size
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    a, b = np.array(top, np.float32), np.array(bottom, np.float32)
    rows = (a + (b - a) * t).astype(np.uint8)
    return Image.fromarray(np.repeat(rows, w, axis=1))


def _grain(img: Image.Image, amount: float, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    arr = np.asarray(img, dtype=np.float32)
    arr += rng.normal(0, amount, arr.shape[:2])[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


class _Scaled:
    """ImageDraw with every coordinate and width multiplied by ``k``: draw once, at any resolution."""

    def __init__(self, draw: ImageDraw.ImageDraw, k: float) -> None:
        self.draw, self.k = draw, k

    def _xy(self, xy):  # type: ignore[no-untyped-def]
        if isinstance(xy[0], (tuple, list)):
            return [(x * self.k, y * self.k) for x, y in xy]
        return [v * self.k for v in xy]

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        method = getattr(self.draw, name)

        def call(xy, *args, **kwargs):  # type: ignore[no-untyped-def]
            if "width" in kwargs:
                kwargs["width"] = max(1, round(kwargs["width"] * self.k))
            return method(self._xy(xy), *args, **kwargs)

        return call


def town(path: Path, k: int = 2) -> None:
    """Morning over a valley town: mountains, poplars, a two-storey municipal building with a flag.
    Drawn at ``k`` × 2400 × 1600 px: large enough for a photo poster up to A2 and a street banner."""
    w, h = 2400, 1600
    img = _vertical((w * k, h * k), (120, 170, 215), (235, 215, 180))
    d = _Scaled(ImageDraw.Draw(img), k)
    rnd = random.Random(7)
    for layer, (color, base, amp) in enumerate(
        [((150, 160, 185), 0.42, 0.18), ((110, 125, 150), 0.5, 0.14), ((85, 105, 95), 0.6, 0.08)]
    ):
        pts = [(0, h)]
        for x in range(0, w + 60, 60):
            y = h * base - amp * h * (0.5 + 0.5 * math.sin(x / (300 + 90 * layer) + layer)) * rnd.uniform(0.8, 1.1)
            pts.append((x, y))
        pts.append((w, h))
        d.polygon(pts, fill=color)
    # snow caps on the far ridge
    d.polygon([(380, 420), (470, 330), (560, 430)], fill=(245, 245, 250))
    d.polygon([(1500, 400), (1610, 300), (1720, 410)], fill=(245, 245, 250))
    d.rectangle((0, int(h * 0.68), w, h), fill=(120, 140, 90))
    d.rectangle((0, int(h * 0.8), w, h), fill=(150, 150, 145))  # the square
    # poplars
    for x in range(60, w, 170):
        if 700 < x < 1700:
            continue
        th = rnd.randint(320, 420)
        d.ellipse((x - 38, h * 0.68 - th, x + 38, h * 0.68 + 10), fill=(60, 100, 55))
        d.rectangle((x - 6, h * 0.68 - 20, x + 6, h * 0.7), fill=(90, 70, 50))
    # municipal building (the subject: centre, lower half)
    bx0, bx1, by0, by1 = 760, 1640, 760, 1290
    d.rectangle((bx0, by0, bx1, by1), fill=(236, 228, 210))
    d.polygon([(bx0 - 40, by0), (bx1 + 40, by0), ((bx0 + bx1) / 2, by0 - 150)], fill=(70, 110, 150))
    for row in range(2):
        for col in range(7):
            x = bx0 + 60 + col * 118
            y = by0 + 70 + row * 200
            d.rectangle((x, y, x + 70, y + 120), fill=(90, 130, 170))
            d.line((x + 35, y, x + 35, y + 120), fill=(236, 228, 210), width=5)
    d.rectangle((1150, by1 - 200, 1250, by1), fill=(110, 80, 60))
    for i in range(6):  # steps
        d.rectangle((1080 - i * 12, by1 + i * 14, 1320 + i * 12, by1 + i * 14 + 14), fill=(200, 196, 188))
    d.line((1200, by0 - 150, 1200, by0 - 330), fill=(90, 90, 90), width=8)
    d.rectangle((1204, by0 - 330, 1330, by0 - 250), fill=(220, 40, 40))  # a red flag, sun in the centre
    d.ellipse((1246, by0 - 310, 1288, by0 - 268), fill=(250, 210, 40))
    img = img.filter(ImageFilter.GaussianBlur(1.2 * k))
    _grain(img, 4.0, 1).save(path, quality=85, optimize=True)


def portrait(path: Path) -> None:
    """A fictional resident, drawn flat: a woman in her forties, dark hair, a blue jacket."""
    w, h = 1600, 1600
    img = _vertical((w, h), (205, 220, 230), (150, 175, 195))
    d = ImageDraw.Draw(img)
    skin, shade, hair = (224, 180, 140), (200, 155, 118), (40, 30, 28)
    d.ellipse((470, 270, 1130, 1000), fill=hair)  # hair behind
    d.rounded_rectangle((300, 1120, 1300, 1800), radius=260, fill=(30, 80, 140))  # jacket
    d.polygon([(700, 1120), (900, 1120), (800, 1330)], fill=(245, 245, 245))  # collar
    d.rectangle((720, 930, 880, 1140), fill=shade)  # neck
    d.ellipse((560, 380, 1040, 1000), fill=skin)  # face
    d.chord((540, 300, 1060, 760), 180, 360, fill=hair)  # fringe
    for ex in (700, 900):  # eyes and brows
        d.ellipse((ex - 32, 650, ex + 32, 690), fill=(255, 255, 255))
        d.ellipse((ex - 16, 652, ex + 16, 688), fill=(50, 35, 25))
        d.arc((ex - 50, 590, ex + 50, 650), 200, 340, fill=hair, width=12)
    d.line((800, 700, 785, 800), fill=shade, width=10)  # nose
    d.arc((735, 800, 865, 880), 20, 160, fill=(170, 80, 80), width=12)  # smile
    d.ellipse((610, 760, 690, 820), fill=(232, 160, 140))  # cheeks
    d.ellipse((910, 760, 990, 820), fill=(232, 160, 140))
    img = img.filter(ImageFilter.GaussianBlur(1.5))
    _grain(img, 3.0, 3).save(path, quality=90, optimize=True)


if __name__ == "__main__":
    town(HERE / "town-square.jpg")
    portrait(HERE / "resident-portrait.jpg")
    print("wrote town-square.jpg, resident-portrait.jpg")
