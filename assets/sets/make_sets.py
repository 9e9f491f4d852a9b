"""Draws the studio's sets (own work, CC0): a government office counter, a classroom, a town street.

Run from the project folder: ``python assets/sets/make_sets.py``. The PNGs are committed; this
script documents how they were made and remakes them after a change. Deterministic.

Each set is 2560×1920 px, large enough to cover 1920×1080, 1080×1920 and 1080×1080 by cropping
without enlarging (studio/video/sets.py knows each set's focus region and where characters
stand). A set may have a foreground (``<name>-front.png``, transparent elsewhere) drawn over
the characters: the office counter the official stands behind, the classroom's front desk.
Flat shapes in the campaign's brand colours (blue #0B5FA5, navy #0B1F3A, gold #F2B705, white)
and soft tints of them, so characters drawn with outlines stand out in front.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "fonts"
W, H = 2560, 1920
SS = 2

BLUE = (11, 95, 165)
NAVY = (11, 31, 58)
GOLD = (242, 183, 5)
WHITE = (255, 255, 255)
OUT = (38, 44, 60)

RGB = tuple[int, int, int]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def tint(c: RGB, t: float) -> RGB:
    return mix(c, WHITE, t)


def shade(c: RGB, t: float) -> RGB:
    return mix(c, NAVY, t)


class Canvas:
    """Native 2560×1920 coordinates on a 2× canvas."""

    def __init__(self, mode: str = "RGB", fill: tuple[int, ...] = WHITE) -> None:
        self.im = Image.new(mode, (W * SS, H * SS), fill)
        self.d = ImageDraw.Draw(self.im)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: tuple[int, ...],
        outline: RGB | None = None,
        width: float = 4,
        radius: float = 0,
    ) -> None:
        box = (x0 * SS, y0 * SS, x1 * SS, y1 * SS)
        kw = {"fill": fill, "outline": outline, "width": round(width * SS) if outline else 0}
        if radius:
            self.d.rounded_rectangle(box, radius * SS, **kw)  # type: ignore[arg-type]
        else:
            self.d.rectangle(box, **kw)  # type: ignore[arg-type]

    def poly(
        self, pts: list[tuple[float, float]], fill: tuple[int, ...], outline: RGB | None = None, width: float = 4
    ) -> None:
        scaled = [(x * SS, y * SS) for x, y in pts]
        self.d.polygon(scaled, fill=fill)
        if outline:
            self.d.line([*scaled, scaled[0]], fill=outline, width=round(width * SS), joint="curve")

    def line(self, pts: list[tuple[float, float]], fill: RGB, width: float) -> None:
        self.d.line([(x * SS, y * SS) for x, y in pts], fill=fill, width=round(width * SS), joint="curve")

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        fill: tuple[int, ...],
        outline: RGB | None = None,
        width: float = 4,
    ) -> None:
        box = ((cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS)
        self.d.ellipse(box, fill=fill, outline=outline, width=round(width * SS) if outline else 0)

    def text(
        self, xy: tuple[float, float], text: str, size: float, fill: RGB, bold: bool = True, anchor: str = "mm"
    ) -> None:
        font = ImageFont.truetype(
            str(FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")), round(size * SS)
        )
        self.d.text((xy[0] * SS, xy[1] * SS), text, font=font, fill=fill, anchor=anchor)

    def result(self) -> Image.Image:
        return self.im.resize((W, H), Image.Resampling.LANCZOS)


def floor_boards(c: Canvas, y0: float, colour: RGB) -> None:
    c.rect(0, y0, W, H, colour)
    for k in range(14):  # boards converging a little: a hint of depth
        x = -400 + k * 260
        c.line([(x + (x - W / 2) * 0.05, y0), (x + (x - W / 2) * 0.6, H)], shade(colour, 0.12), 4)
    c.rect(0, y0, W, y0 + 18, shade(colour, 0.2))


def plant(c: Canvas, x: float, floor: float, scale: float = 1.0) -> None:
    pot_top = floor - 170 * scale
    for k, (dx, h, lean) in enumerate(
        [(-40, 330, -0.5), (0, 400, 0.05), (40, 340, 0.5), (-20, 280, -0.2), (24, 300, 0.3)]
    ):
        base = (x + dx * 0.3 * scale, pot_top)
        tip = (x + dx * scale + lean * 160 * scale, pot_top - h * scale)
        mid = ((base[0] + tip[0]) / 2 + lean * 40, (base[1] + tip[1]) / 2)
        leaf = [base, (mid[0] - 34 * scale, mid[1]), tip, (mid[0] + 34 * scale, mid[1])]
        c.poly(leaf, mix((46, 140, 90), (30, 100, 70), k % 2 * 0.6), OUT, 3)
        c.line([base, tip], (30, 96, 64), 3)
    c.poly(
        [(x - 80 * scale, pot_top), (x + 80 * scale, pot_top), (x + 60 * scale, floor), (x - 60 * scale, floor)],
        GOLD,
        OUT,
        4,
    )
    c.rect(x - 88 * scale, pot_top - 10, x + 88 * scale, pot_top + 26 * scale, shade(GOLD, 0.15), OUT, 4)


def mountains(c: Canvas, horizon: float, x0: float, x1: float) -> None:
    far = [(x0, horizon)]
    for k in range(9):
        x = x0 + (x1 - x0) * k / 8
        far.append((x, horizon - 180 - 120 * math.sin(k * 1.7) - 60 * math.cos(k * 2.9)))
    far.append((x1, horizon))
    c.poly(far, (150, 176, 204))
    near = [(x0, horizon)]
    for k in range(12):
        x = x0 + (x1 - x0) * k / 11
        near.append((x, horizon - 70 - 60 * abs(math.sin(k * 1.3 + 0.4))))
    near.append((x1, horizon))
    c.poly(near, (116, 146, 120))
    # snow caps on the far ridge
    for k in range(1, 8):
        x = x0 + (x1 - x0) * k / 8
        y = horizon - 180 - 120 * math.sin(k * 1.7) - 60 * math.cos(k * 2.9)
        if y < horizon - 230:
            c.poly([(x, y), (x - 50, y + 40), (x - 16, y + 30), (x + 10, y + 46), (x + 50, y + 40)], (240, 244, 250))


# --- office ----------------------------------------------------------------------------------


def office() -> tuple[Image.Image, Image.Image, Image.Image]:
    c = Canvas()
    wall = (222, 232, 242)
    c.rect(0, 0, W, 1560, wall)
    c.rect(0, 0, W, 90, tint(BLUE, 0.72))  # ceiling band
    c.rect(0, 1100, W, 1116, tint(BLUE, 0.55))  # dado rail
    c.rect(0, 1116, W, 1560, tint(BLUE, 0.8))
    floor_boards(c, 1560, (176, 150, 120))
    # Window with blinds and the hills of Tash-Kömür outside.
    wx0, wy0, wx1, wy1 = 140, 250, 760, 980
    c.rect(wx0 - 24, wy0 - 24, wx1 + 24, wy1 + 40, WHITE, OUT, 5)
    c.rect(wx0, wy0, wx1, wy1, (176, 214, 240))
    mountains(c, wy1 - 150, wx0, wx1)
    c.rect(wx0, wy1 - 150, wx1, wy1, (150, 170, 126))
    for k in range(4):  # poplars
        x = wx0 + 90 + k * 150
        c.ellipse(x, wy1 - 250, 26, 120, (70, 130, 80))
    for k in range(9):  # blinds, half down
        y = wy0 + 12 + k * 34
        c.rect(wx0, y, wx1, y + 24, (246, 246, 240), OUT, 2)
    c.line([(wx0 + (wx1 - wx0) / 2, wy0), (wx0 + (wx1 - wx0) / 2, wy1)], WHITE, 14)
    c.rect(wx0 - 40, wy1 + 20, wx1 + 40, wy1 + 52, WHITE, OUT, 4)  # sill
    # The reception sign, high on the wall left of the counter: the top right of a wide frame is the
    # synthetic-media badge's, and nothing there may sit under it. A layer of its own, shown in wide
    # frames only: in a tall or square frame the badge and the scene's title take the top of the set.
    s = Canvas("RGBA", (0, 0, 0, 0))
    s.rect(860, 170, 1400, 430, NAVY, OUT, 5, radius=24)
    s.rect(880, 190, 1380, 410, NAVY, GOLD, 4, radius=18)
    s.text((1130, 255), "Кабыл алуу", 80, WHITE)
    s.text((1130, 350), "Приём", 64, GOLD)
    sign = s.result()
    # Window number plate and a clock, right of the counter's middle, below the badge's corner.
    c.ellipse(1990, 450, 70, 70, GOLD, OUT, 5)
    c.text((1990, 450), "3", 88, NAVY)
    # Notice board with papers.
    dy = 160
    c.rect(820, 340 + dy, 1120, 770 + dy, (196, 158, 110), OUT, 5, radius=10)
    for k, (x, y, w, h, col) in enumerate(
        [
            (845, 370 + dy, 120, 160, WHITE),
            (980, 380 + dy, 120, 130, tint(GOLD, 0.6)),
            (850, 560 + dy, 130, 170, tint(BLUE, 0.8)),
            (995, 530 + dy, 100, 190, WHITE),
        ]
    ):
        c.rect(x, y, x + w, y + h, col, OUT, 3)
        for line in range(4):
            c.line(
                [(x + 14, y + 30 + line * 26), (x + w - 14 - (line % 2) * 30, y + 30 + line * 26)], (150, 160, 176), 5
            )
        c.ellipse(x + w / 2, y + 8, 9, 9, (214, 60, 60) if k % 2 else BLUE)
    # A clock.
    c.ellipse(2230, 450, 64, 64, WHITE, OUT, 6)
    c.line([(2230, 450), (2230, 410)], OUT, 7)
    c.line([(2230, 450), (2258, 466)], OUT, 7)
    # Shelves of folders behind the counter (seen above it).
    c.rect(1330, 620, 2330, 1110, (170, 132, 96), OUT, 5)
    for shelf, y in enumerate((640, 880)):
        c.rect(1350, y, 2310, y + 210, shade((170, 132, 96), 0.25))
        x = 1370
        k = 0
        while x < 2270:
            w = 46 + (k * 37 % 30)
            col = [BLUE, GOLD, (200, 70, 70), tint(BLUE, 0.4), (90, 140, 90), NAVY][(k + shelf * 2) % 6]
            tilt = 14 if k % 7 == 3 else 0
            c.poly([(x, y + 205), (x + w, y + 205), (x + w + tilt, y + 30), (x + tilt, y + 30)], col, OUT, 3)
            c.rect(x + 10 + tilt * 0.5, y + 80, x + w - 10 + tilt * 0.5, y + 110, tint(col, 0.6))
            x += w + 6
            k += 1
    plant(c, 2470, 1560, 1.1)
    background = c.result()

    # Foreground: the counter, from x=1150 to the right edge; top at y=1190.
    f = Canvas("RGBA", (0, 0, 0, 0))
    wood, top = (150, 110, 78), (198, 160, 120)
    f.poly([(1120, 1190), (W + 10, 1190), (W + 10, 1240), (1120, 1240)], top, OUT, 5)
    f.rect(1150, 1240, W + 10, 1740, wood, OUT, 5)
    f.rect(1150, 1240, W + 10, 1290, shade(wood, 0.25))
    for k in range(4):  # panels
        x0 = 1200 + k * 350
        f.rect(x0, 1330, x0 + 300, 1690, tint(wood, 0.08), shade(wood, 0.35), 4, radius=10)
    # The city-hall plate, high on the counter's front: a tall frame's burned-in captions (two lines
    # at most) reach up to y≈1390, and the plate stays clear above them.
    f.rect(1150, 1256, 1700, 1366, BLUE, OUT, 4, radius=8)
    f.text((1425, 1294), "Шаардык мэрия", 46, WHITE)
    f.text((1425, 1341), "Городская мэрия", 34, GOLD)
    # Paper tray, a pen holder and a small name plate on the counter top.
    f.poly([(1900, 1150), (2120, 1150), (2140, 1192), (1880, 1192)], (240, 240, 236), OUT, 4)
    f.rect(2250, 1090, 2320, 1192, NAVY, OUT, 4, radius=8)
    for k, col in enumerate((BLUE, GOLD, (200, 70, 70))):
        f.line([(2266 + k * 20, 1092), (2262 + k * 22, 1040 + k * 12)], col, 8)
    foreground = f.result()
    return background, foreground, sign


# --- classroom -------------------------------------------------------------------------------


def classroom() -> tuple[Image.Image, Image.Image]:
    c = Canvas()
    wall = (236, 232, 214)
    c.rect(0, 0, W, 1540, wall)
    c.rect(0, 1120, W, 1540, tint(BLUE, 0.78))
    c.rect(0, 1110, W, 1124, tint(BLUE, 0.5))
    floor_boards(c, 1540, (170, 136, 100))
    # Windows on the left.
    for k in range(2):
        x0 = 90 + k * 400
        c.rect(x0, 260, x0 + 330, 950, WHITE, OUT, 5)
        c.rect(x0 + 20, 280, x0 + 310, 930, (186, 220, 244))
        mountains(c, 820, x0 + 20, x0 + 310)
        c.rect(x0 + 20, 820, x0 + 310, 930, (150, 170, 126))
        c.line([(x0 + 165, 280), (x0 + 165, 930)], WHITE, 12)
        c.line([(x0 + 20, 600), (x0 + 310, 600)], WHITE, 12)
    # The blackboard with chalk writing: the alphabet's own letters, a sum and the slogan. Board and
    # writing lie within x = 790 … 1870, what a tall frame shows of the set: no word is cut there.
    c.rect(960, 250, 1860, 940, (120, 86, 60), OUT, 6)
    c.rect(985, 275, 1835, 915, (38, 78, 64))
    # Writing starts below the board's top: a wide frame's top right is the synthetic-media badge's.
    c.text((1410, 450), "Аа  Өө  Үү  Ңң", 96, (236, 240, 232))
    c.text((1410, 595), "2 + 3 = 5", 110, (236, 240, 232))
    c.text((1410, 750), "Билим — бекер!", 48, GOLD)
    c.text((1410, 820), "Образование — бесплатно!", 48, GOLD)
    c.rect(1060, 915, 1760, 945, (150, 110, 80), OUT, 4)  # chalk tray
    c.rect(1300, 898, 1340, 915, WHITE)
    # Map and a clock.
    c.rect(2340, 300, 2520, 700, WHITE, OUT, 5)
    c.poly([(2370, 440), (2430, 390), (2490, 420), (2500, 500), (2440, 560), (2380, 520)], tint(BLUE, 0.5), OUT, 3)
    c.poly([(2400, 460), (2450, 430), (2470, 480), (2420, 510)], (120, 170, 110))
    c.ellipse(2430, 170, 60, 60, WHITE, OUT, 6)
    c.line([(2430, 170), (2430, 132)], OUT, 7)
    c.line([(2430, 170), (2456, 186)], OUT, 7)
    # Bookshelf by the windows.
    c.rect(90, 1000, 820, 1540, (160, 120, 86), OUT, 5)
    for shelf, y in enumerate((1030, 1280)):
        c.rect(110, y, 800, y + 220, shade((160, 120, 86), 0.25))
        x = 130
        k = 0
        while x < 770:
            w = 34 + (k * 29 % 26)
            col = [BLUE, GOLD, (200, 70, 70), (90, 140, 90), NAVY, tint(BLUE, 0.4)][(k + shelf) % 6]
            c.rect(x, y + 40 + (k % 3) * 10, x + w, y + 215, col, OUT, 3)
            x += w + 5
            k += 1
    plant(c, 2420, 1540, 1.0)
    background = c.result()

    # Foreground: two pupils' desks along the bottom edge.
    f = Canvas("RGBA", (0, 0, 0, 0))
    for x0 in (120, 1640):
        f.poly([(x0, 1600), (x0 + 800, 1600), (x0 + 840, 1660), (x0 - 40, 1660)], (206, 170, 126), OUT, 5)
        f.rect(x0 - 40, 1660, x0 + 840, 1700, (170, 130, 92), OUT, 5)
        f.rect(x0, 1700, x0 + 40, H + 10, (90, 96, 110), OUT, 4)
        f.rect(x0 + 760, 1700, x0 + 800, H + 10, (90, 96, 110), OUT, 4)
        f.rect(x0 + 120, 1560, x0 + 380, 1604, WHITE, OUT, 4)  # an exercise book
        f.line([(x0 + 250, 1562), (x0 + 250, 1602)], (150, 160, 176), 3)
        f.line([(x0 + 500, 1590), (x0 + 680, 1570)], GOLD, 10)  # a pencil
    foreground = f.result()
    return background, foreground


# --- street ----------------------------------------------------------------------------------


def street() -> tuple[Image.Image, None]:
    c = Canvas()
    # Sky fading to the horizon, the hills behind the town.
    for k in range(40):
        y0 = k * 26
        c.rect(0, y0, W, y0 + 27, mix((120, 178, 228), (214, 234, 248), k / 39))
    mountains(c, 1010, 0, W)
    c.rect(0, 1000, W, 1210, (150, 168, 118))  # the ground behind the street
    for k in range(9):  # a low fence along it
        x = 1120 + k * 160
        c.rect(x, 1090, x + 16, 1200, (196, 176, 140), OUT, 3)
    c.rect(1100, 1110, W, 1126, (196, 176, 140), OUT, 3)
    # Poplars, the tall trees of every Kyrgyz town.
    for k, x in enumerate((120, 300, 2200, 2400, 2520)):
        c.rect(x - 8, 700, x + 8, 1060, (110, 86, 60))
        c.ellipse(x, 700 - (k % 2) * 40, 46, 260, (66, 128, 78) if k % 2 else (78, 142, 84))
    # Low buildings with pitched metal roofs. Each sign, its two names on two lines, lies wholly inside
    # or wholly outside every crop: a tall frame shows x = 860 … 1940, a square one 440 … 2360.
    buildings = [
        (-20, 700, (236, 226, 200), ("Дүкөн", "Магазин"), 200),
        (620, 620, (224, 236, 244), ("Дарыкана", "Аптека"), 380),
    ]
    for x0, y0, colour, sign, middle in buildings:
        c.rect(x0, y0, x0 + 520, 1200, colour, OUT, 5)
        c.poly([(x0 - 30, y0), (x0 + 260, y0 - 150), (x0 + 550, y0)], (120, 140, 160), OUT, 5)
        for k in range(6):
            c.line([(x0 + 40 + k * 80, y0 - 8), (x0 + 120 + k * 60, y0 - 120)], (100, 120, 140), 3)
        c.rect(x0 + middle - 120, y0 + 30, x0 + middle + 120, y0 + 160, NAVY, OUT, 4, radius=10)
        c.text((x0 + middle, y0 + 70), sign[0], 40, WHITE)
        c.text((x0 + middle, y0 + 122), sign[1], 40, GOLD)
        c.rect(x0 + 60, y0 + 190, x0 + 220, y0 + 360, (176, 214, 240), OUT, 5)
        c.rect(x0 + 300, y0 + 190, x0 + 460, y0 + 500, (110, 80, 60), OUT, 5)
        c.ellipse(x0 + 440, y0 + 350, 8, 8, GOLD)
    # The market stalls: blue and gold awnings, crates of apples and melons.
    for k, x0 in enumerate((1180, 1760)):
        c.rect(x0 + 20, 760, x0 + 40, 1070, (120, 100, 80), OUT, 3)
        c.rect(x0 + 500, 760, x0 + 520, 1070, (120, 100, 80), OUT, 3)
        stripes = 8
        for s in range(stripes):
            col = BLUE if (s + k) % 2 == 0 else WHITE
            xa = x0 + s * 540 / stripes
            c.poly([(xa, 720), (xa + 540 / stripes, 720), (xa + 540 / stripes + 6, 840), (xa + 6, 840)], col)
        c.line([(x0, 720), (x0 + 546, 720)], OUT, 5)
        for s in range(stripes):  # scalloped edge
            xa = x0 + 6 + s * 540 / stripes + 540 / stripes / 2
            c.ellipse(xa, 840, 540 / stripes / 2, 24, GOLD if (s + k) % 2 else BLUE, OUT, 3)
        c.rect(x0 + 10, 1070, x0 + 530, 1210, (176, 128, 84), OUT, 5)
        for crate in range(3):
            cx0 = x0 + 40 + crate * 165
            c.rect(cx0, 1000, cx0 + 140, 1074, (206, 160, 108), OUT, 4)
            fruit = [(214, 52, 48), (240, 190, 50), (120, 170, 70)][(crate + k) % 3]
            for j in range(5):
                c.ellipse(cx0 + 20 + j * 25, 992 - (j % 2) * 14, 22, 22, fruit, OUT, 3)
        c.text((x0 + 270, 1142), "Базар", 54, WHITE)
    # Pavement and road.
    c.rect(0, 1205, W, 1640, (200, 196, 186))
    for k in range(12):
        c.line([(k * 240, 1205), (k * 240 - 120, 1640)], (176, 172, 162), 4)
    c.line([(0, 1420), (W, 1420)], (176, 172, 162), 4)
    c.rect(0, 1640, W, H, (96, 102, 112))
    c.rect(0, 1640, W, 1672, (160, 160, 156))
    for k in range(6):
        c.rect(80 + k * 460, 1800, 360 + k * 460, 1822, (236, 236, 230))
    return c.result(), None


def save(image: Image.Image, path: Path) -> None:
    if image.mode == "RGBA":
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(path, optimize=True)
    else:
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def main() -> None:
    save_all("office", *office())
    save_all("classroom", *classroom())
    save_all("street", *street())


def save_all(
    name: str, background: Image.Image, foreground: Image.Image | None, wide: Image.Image | None = None
) -> None:
    """A set's files: the background, what stands in front of the characters, what wide frames add."""
    save(background, HERE / f"{name}.png")
    if foreground is not None:
        save(foreground, HERE / f"{name}-front.png")
    if wide is not None:
        save(wide, HERE / f"{name}-wide.png")


if __name__ == "__main__":
    main()
