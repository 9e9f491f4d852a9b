"""Draws the sample campaign's logo (own work, CC0): a gold seal with a check mark and the wordmark.

Run from the project folder: ``python assets/logo/make_logo.py``. The PNG is committed; this script
documents how it was made and remakes it after a change.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "NotoSans-Bold.ttf"
GOLD, NAVY, WHITE = (242, 183, 5), (11, 31, 58), (255, 255, 255)
SCALE = 4  # draw large, then downsample: smooth edges


def make_logo() -> Image.Image:
    w, h = 1200 * SCALE, 400 * SCALE
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    r = 180 * SCALE
    cx, cy = 200 * SCALE, 200 * SCALE
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GOLD)
    d.ellipse((cx - r * 0.82, cy - r * 0.82, cx + r * 0.82, cy + r * 0.82), outline=NAVY, width=10 * SCALE)
    tick = [(cx - 80 * SCALE, cy + 5 * SCALE), (cx - 20 * SCALE, cy + 70 * SCALE), (cx + 90 * SCALE, cy - 70 * SCALE)]
    d.line(tick, fill=NAVY, width=38 * SCALE, joint="curve")
    big = ImageFont.truetype(str(FONT), 150 * SCALE)
    small = ImageFont.truetype(str(FONT), 62 * SCALE)
    d.text((420 * SCALE, 215 * SCALE), "ТАЗА", font=big, fill=WHITE, anchor="ls")
    d.text((428 * SCALE, 312 * SCALE), "ТАШ-КӨМҮР", font=small, fill=GOLD, anchor="ls")
    im = im.crop(im.getbbox())  # no empty margin: designs place the logo by its visible edges
    return im.resize((im.width // SCALE, im.height // SCALE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    make_logo().save(HERE / "taza-tash-komur.png", optimize=True)
