"""Draws the booklets' illustrations with Pillow: flat shapes, brand colours, no words (so one picture
serves every language). Run from anywhere:

    python assets/pictures/make_pictures.py

Our own work, dedicated to the public domain (CC0 1.0).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BLUE, NAVY, GOLD, SKY, WHITE = "#0B5FA5", "#0B1F3A", "#F2B705", "#DCEAF7", "#FFFFFF"
SKIN, SKIN2, RED = "#E8B98F", "#C98F62", "#B42318"
S = 2  # drawn at twice the size, then reduced: smooth edges


def _person(d: ImageDraw.ImageDraw, x: int, y: int, coat: str, skin: str, hair: str) -> None:
    """A figure from the waist up, centred on x, head top at y."""
    d.rounded_rectangle((x - 95 * S, y + 120 * S, x + 95 * S, y + 330 * S), radius=70 * S, fill=coat)
    d.rectangle((x - 22 * S, y + 95 * S, x + 22 * S, y + 130 * S), fill=skin)
    d.ellipse((x - 55 * S, y, x + 55 * S, y + 120 * S), fill=skin)
    d.chord((x - 58 * S, y - 6 * S, x + 58 * S, y + 80 * S), 180, 360, fill=hair)


def service_counter() -> Image.Image:
    w, h = 1200 * S, 750 * S
    im = Image.new("RGB", (w, h), SKY)
    d = ImageDraw.Draw(im)
    # The office wall with a service window.
    d.rectangle((0, 0, w, 90 * S), fill=BLUE)
    d.rounded_rectangle((90 * S, 150 * S, 620 * S, 520 * S), radius=18 * S, fill=WHITE, outline=NAVY, width=8 * S)
    # The official behind the window, the counter in front of them.
    _person(d, 355 * S, 230 * S, NAVY, SKIN2, "#3A2A20")
    d.rectangle((60 * S, 500 * S, 650 * S, 750 * S), fill=BLUE)
    d.rectangle((60 * S, 500 * S, 650 * S, 528 * S), fill=NAVY)
    # The citizen in front, seen from the side of the counter.
    _person(d, 900 * S, 300 * S, GOLD, SKIN, "#2B2B2B")
    d.rounded_rectangle((760 * S, 470 * S, 850 * S, 520 * S), radius=20 * S, fill=SKIN)  # a hand held up: "no"
    # A speech bubble with a banknote struck through: no bribe.
    bx0, by0, bx1, by1 = 720 * S, 60 * S, 1120 * S, 250 * S
    d.rounded_rectangle((bx0, by0, bx1, by1), radius=40 * S, fill=WHITE, outline=NAVY, width=6 * S)
    d.polygon([(860 * S, by1 - 3 * S), (900 * S, by1 - 3 * S), (870 * S, 300 * S)], fill=WHITE)
    d.line([(860 * S, by1), (870 * S, 300 * S), (900 * S, by1)], fill=NAVY, width=6 * S)
    d.rounded_rectangle((800 * S, 110 * S, 1040 * S, 200 * S), radius=10 * S, fill="#7CC08A", outline=NAVY, width=5 * S)
    d.ellipse((890 * S, 125 * S, 950 * S, 185 * S), outline=NAVY, width=5 * S)
    d.line([(780 * S, 90 * S), (1060 * S, 220 * S)], fill=RED, width=16 * S)
    return im.resize((w // S, h // S), Image.Resampling.LANCZOS)


def main() -> None:
    service_counter().save(HERE / "service-counter.png", optimize=True)
    print(f"pictures written to {HERE}")


if __name__ == "__main__":
    main()
