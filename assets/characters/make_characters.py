"""Draws the studio's synthetic characters (own work, CC0) as layered character packs.

Run from the project folder: ``python assets/characters/make_characters.py``. The PNGs are
committed; this script documents how they were made and remakes them after a change. It is
deterministic: the same script gives the same pixels.

Each character is a folder with ``character.yaml`` and PNG parts (see docs/characters.md):
full-canvas bodies (one per pose), a head without features, and small parts placed at the
anchors — eyes (open, half, closed), brows (neutral, raised, frown) and one mouth per viseme.
Stylised flat vector with outlines and three tones (shadow, base, light from the upper left):
clearly drawn people, not photographs of anyone. Also draws ``props/`` (an envelope with
money, a phone showing a call) and ``docs/characters.png``, a contact sheet of every character.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "NotoSans-Bold.ttf"
FONT_REGULAR = HERE.parent / "fonts" / "NotoSans-Regular.ttf"
SS = 3  # drawn at 3× and downsampled: smooth edges
W, H = 600, 1400  # the canvas of bodies and poses, native pixels
CX = 300
LW = 3.2  # outline width, native pixels

HEAD_BOX = (360, 420)  # head part, centred on the head anchor
HEAD_ANCHOR = (300, 205)
EYES_BOX, EYES_ANCHOR = (230, 90), (300, 196)
BROWS_BOX, BROWS_ANCHOR = (250, 80), (300, 150)
MOUTH_BOX, MOUTH_ANCHOR = (130, 90), (300, 268)
VISEMES = ("rest", "mbp", "fv", "sz", "ltd", "i", "u", "e", "o", "a")
POSES = ("envelope", "phone", "present", "refuse")

Point = tuple[float, float]
RGB = tuple[int, int, int]
OUTLINE: RGB = (38, 30, 40)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def darker(c: RGB, t: float = 0.22) -> RGB:
    return mix(c, (30, 20, 40), t)


def lighter(c: RGB, t: float = 0.25) -> RGB:
    return mix(c, (255, 250, 240), t)


def spline(points: Sequence[Point], closed: bool = True, steps: int = 10) -> list[Point]:
    """A Catmull-Rom curve through `points`: smooth shapes from a few key points."""
    pts = list(points)
    count = len(pts)
    if count < 3:
        return pts
    out: list[Point] = []
    segments = range(count) if closed else range(count - 1)
    for i in segments:
        p0 = pts[(i - 1) % count] if closed else pts[max(i - 1, 0)]
        p1, p2 = pts[i], pts[(i + 1) % count]
        p3 = pts[(i + 2) % count] if closed else pts[min(i + 2, count - 1)]
        for k in range(steps):
            t = k / steps
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[j]
                        + (-p0[j] + p2[j]) * t
                        + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                        + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3
                    )
                    for j in range(2)
                )
            )
    if not closed:
        out.append(pts[-1])
    return out


def rotate(points: Sequence[Point], angle_deg: float, origin: Point = (0, 0)) -> list[Point]:
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    ox, oy = origin
    return [(ox + x * ca - y * sa, oy + x * sa + y * ca) for x, y in points]


def shift(points: Sequence[Point], dx: float, dy: float) -> list[Point]:
    return [(x + dx, y + dy) for x, y in points]


def mirror(points: Sequence[Point], cx: float = CX) -> list[Point]:
    return [(2 * cx - x, y) for x, y in points]


class Painter:
    """Draws in native coordinates onto a supersampled RGBA canvas."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.im = Image.new("RGBA", (width * SS, height * SS), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.im)

    def _p(self, pts: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * SS, y * SS) for x, y in pts]

    def _mask(self, pts: Sequence[Point]) -> Image.Image:
        mask = Image.new("L", self.im.size, 0)
        ImageDraw.Draw(mask).polygon(self._p(pts), fill=255)
        return mask

    def shape(
        self,
        pts: Sequence[Point],
        colour: RGB,
        *,
        smooth: bool = True,
        line: bool = True,
        lw: float = LW,
        shade: Point | None = (10, 6),
        light: Point | None = (7, 7),
        shade_colour: RGB | None = None,
        light_colour: RGB | None = None,
        clip: Sequence[Point] | None = None,
    ) -> list[Point]:
        """A filled shape with an outline, a shadow crescent (lower right) and a light one (upper left).

        The crescents are the shape minus itself moved towards the light (or away from it):
        three tones that always follow the shape.
        """
        poly = spline(pts) if smooth else list(pts)
        mask = self._mask(poly)
        if clip is not None:
            mask = ImageChops.multiply(mask, self._mask(clip))
        self.im.paste(colour, mask=mask)
        if shade is not None:
            moved = self._mask(shift(poly, -shade[0], -shade[1]))
            self.im.paste(shade_colour or darker(colour), mask=ImageChops.subtract(mask, moved))
        if light is not None:
            moved = self._mask(shift(poly, light[0], light[1]))
            self.im.paste(light_colour or lighter(colour, 0.18), mask=ImageChops.subtract(mask, moved))
        if line and clip is None:
            self.draw.line(self._p([*poly, poly[0], poly[1]]), fill=OUTLINE, width=round(lw * SS), joint="curve")
        return poly

    def flat(self, pts: Sequence[Point], colour: RGB | tuple[int, int, int, int], smooth: bool = True) -> None:
        poly = spline(pts) if smooth else list(pts)
        if len(colour) == 4:
            layer = Image.new("RGBA", self.im.size, colour)  # type: ignore[arg-type]
            self.im.paste(Image.alpha_composite(self.im, layer), mask=self._mask(poly))
        else:
            self.draw.polygon(self._p(poly), fill=colour)

    def stroke(
        self, pts: Sequence[Point], colour: RGB = OUTLINE, width: float = LW, smooth: bool = True, closed: bool = False
    ) -> None:
        poly = spline(pts, closed=closed) if smooth and len(pts) > 2 else list(pts)
        if closed:
            poly = [*poly, poly[0]]
        self.draw.line(self._p(poly), fill=colour, width=max(1, round(width * SS)), joint="curve")
        r = width * SS / 2
        for x, y in (poly[0], poly[-1]):
            self.draw.ellipse((x * SS - r, y * SS - r, x * SS + r, y * SS + r), fill=colour)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, colour: RGB, line: bool = True, **kw: object) -> None:
        pts = [(cx + rx * math.cos(a / 24 * math.tau), cy + ry * math.sin(a / 24 * math.tau)) for a in range(24)]
        if line or kw:
            self.shape(pts, colour, line=line, **kw)  # type: ignore[arg-type]
        else:
            self.flat(pts, colour)

    def dot(self, cx: float, cy: float, r: float, colour: RGB | tuple[int, int, int, int]) -> None:
        self.draw.ellipse(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS), fill=colour)

    def limb(self, a: Point, b: Point, ra: float, rb: float, colour: RGB, **kw: object) -> None:
        """A tapered capsule from a (radius ra) to b (radius rb), shaded like a shape."""
        ang = math.atan2(b[1] - a[1], b[0] - a[0])
        pts: list[Point] = []
        for k in range(9):  # half circle around b
            t = ang - math.pi / 2 + math.pi * k / 8
            pts.append((b[0] + rb * math.cos(t), b[1] + rb * math.sin(t)))
        for k in range(9):  # half circle around a
            t = ang + math.pi / 2 + math.pi * k / 8
            pts.append((a[0] + ra * math.cos(t), a[1] + ra * math.sin(t)))
        self.shape(pts, colour, smooth=False, **kw)  # type: ignore[arg-type]

    def result(self) -> Image.Image:
        return self.im.resize((self.width, self.height), Image.Resampling.LANCZOS)


# --- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    display: dict[str, str]
    description: str
    skin: RGB
    hair: RGB
    hair_style: str  # "side_part_grey", "ponytail", "short", "bun"
    top: RGB
    top_style: str  # "suit", "sweater", "blazer", "cardigan"
    bottom: RGB
    bottom_style: str  # "trousers", "skirt", "jeans"
    shoes: RGB
    shirt: RGB = (245, 245, 240)
    accent: RGB = (176, 38, 52)
    shoulders: float = 118  # half width
    waist: float = 92
    hips: float = 98
    age: str = "adult"  # "young", "adult", "older"
    glasses: bool = False
    moustache: bool = False
    earrings: bool = False
    lips: RGB = (176, 96, 92)
    iris: RGB = (72, 46, 30)
    extras: tuple[str, ...] = field(default=())


PEOPLE = (
    Person(
        name="official",
        display={"ky": "Кызматкер", "ru": "Чиновник"},
        description="an official in his sixties: grey suit, white shirt, dark red tie, grey hair and moustache",
        skin=(214, 162, 122),
        hair=(168, 166, 170),
        hair_style="side_part_grey",
        top=(70, 78, 94),
        top_style="suit",
        bottom=(62, 70, 86),
        bottom_style="trousers",
        shoes=(40, 32, 30),
        accent=(128, 28, 40),
        shoulders=126,
        waist=108,
        hips=106,
        age="older",
        moustache=True,
        lips=(160, 96, 86),
        extras=("badge",),
    ),
    Person(
        name="citizen",
        display={"ky": "Жаран", "ru": "Гражданка"},
        description="a young woman: teal knitted sweater, jeans, long dark hair in a ponytail",
        skin=(234, 190, 152),
        hair=(44, 30, 28),
        hair_style="ponytail",
        top=(32, 140, 138),
        top_style="sweater",
        bottom=(58, 86, 136),
        bottom_style="jeans",
        shoes=(236, 232, 224),
        shoulders=104,
        waist=80,
        hips=96,
        age="young",
        earrings=True,
        lips=(196, 98, 102),
        extras=("bag",),
    ),
    Person(
        name="presenter",
        display={"ky": "Алып баруучу", "ru": "Ведущий"},
        description="a friendly presenter in his thirties: navy blazer over a light blue shirt, no tie",
        skin=(204, 150, 108),
        hair=(30, 24, 24),
        hair_style="short",
        top=(22, 52, 96),
        top_style="blazer",
        bottom=(150, 128, 98),
        bottom_style="trousers",
        shoes=(92, 58, 38),
        shirt=(196, 222, 244),
        shoulders=120,
        waist=96,
        hips=98,
        lips=(168, 100, 90),
        extras=("lanyard",),
    ),
    Person(
        name="teacher",
        display={"ky": "Мугалим", "ru": "Учительница"},
        description="a teacher in her fifties: burgundy cardigan, long skirt, glasses, hair in a bun with grey",
        skin=(226, 178, 138),
        hair=(70, 52, 48),
        hair_style="bun",
        top=(128, 36, 58),
        top_style="cardigan",
        bottom=(52, 56, 74),
        bottom_style="skirt",
        shoes=(54, 40, 36),
        shirt=(240, 230, 206),
        shoulders=112,
        waist=94,
        hips=110,
        age="older",
        glasses=True,
        earrings=True,
        lips=(172, 88, 90),
        iris=(60, 42, 30),
    ),
)


# --- hands ---------------------------------------------------------------------------------------


def hand_points(kind: str) -> list[Point]:
    """A hand in local coordinates: the wrist at (0, 0), fingers towards +y."""
    if kind == "fist":  # holding something: knuckles round, thumb over
        return [(-17, -2), (17, -2), (23, 14), (22, 34), (12, 42), (-10, 42), (-21, 33), (-22, 14)]
    return [(-16, -2), (16, -2), (20, 18), (18, 44), (9, 56), (-7, 56), (-17, 45), (-20, 18)]


def draw_hand(p: Painter, wrist: Point, angle: float, skin: RGB, kind: str = "relaxed", flip: bool = False) -> None:
    """A hand at `wrist`, fingers pointing along `angle` (degrees, 0 = down)."""
    sign = -1 if flip else 1
    pts = [(x * sign * 1.2, y * 1.2) for x, y in hand_points(kind)]
    pts = rotate(pts, angle, wrist)
    thumb_a = rotate([(-18 * sign, 10)], angle, wrist)[0]
    thumb_b = rotate([(-30 * sign, 36 if kind != "fist" else 29)], angle, wrist)[0]
    p.limb(thumb_a, thumb_b, 10, 8.5, skin, shade=(4, 3), light=None)
    p.shape(pts, skin, shade=(6, 4), light=(4, 4))
    if kind == "relaxed":  # finger lines
        for fx in (-7, 5):
            a, b = rotate([(fx * sign, 41), (fx * sign, 60)], angle, wrist)
            p.stroke([a, b], darker(skin, 0.35), 1.6)
    else:
        for fx in (-10, 2, 14):
            a, b = rotate([(fx * sign - 2, 48), (fx * sign + 1, 36)], angle, wrist)
            p.stroke([a, b], darker(skin, 0.35), 1.6)


def draw_open_palm(p: Painter, wrist: Point, angle: float, skin: RGB, flip: bool = False) -> None:
    """A raised open hand, fingers apart ("stop" or a welcoming gesture); angle 180 = fingers up."""
    sign = -1.25 if flip else 1.25  # a gesture reads better a little larger than life
    fingers = [(-13, 44, 62), (-4, 48, 70), (6, 48, 68), (15, 44, 58)]
    for fx, base, tip in fingers:
        a, b = rotate([(fx * sign, (base - 8) * abs(sign)), (fx * sign * 1.25, (tip + 8) * abs(sign))], angle, wrist)
        p.limb(a, b, 7.6, 6.6, skin, shade=(3, 2), light=None)
    k = abs(sign)
    thumb_a, thumb_b = rotate([(-16 * sign, 16 * k), (-34 * sign, 36 * k)], angle, wrist)
    p.limb(thumb_a, thumb_b, 10, 8, skin, shade=(3, 2), light=None)
    palm = rotate(
        [(x * sign, y * k) for x, y in [(-16, -2), (16, -2), (21, 22), (19, 44), (-19, 44), (-21, 22)]], angle, wrist
    )
    p.shape(palm, skin, shade=(5, 4), light=(4, 4))
    a, b = rotate([(-8 * sign, 30 * k), (8 * sign, 26 * k)], angle, wrist)
    p.stroke([a, b], darker(skin, 0.3), 1.4)


# --- props ---------------------------------------------------------------------------------------

ENVELOPE = (236, 224, 196)
MONEY = (132, 178, 120)
PHONE = (34, 38, 48)


def draw_envelope(p: Painter, cx: float, cy: float, w: float, h: float, angle: float = 0, lw: float = 2.4) -> None:
    """A paper envelope with banknotes sticking out of its open end."""
    notes = [
        [(-w * 0.36, -h * 0.5), (w * 0.30, -h * 0.5), (w * 0.30, -h * 0.95), (-w * 0.36, -h * 0.95)],
        [(-w * 0.30, -h * 0.5), (w * 0.38, -h * 0.5), (w * 0.40, -h * 0.82), (-w * 0.26, -h * 0.86)],
    ]
    for index, note in enumerate(notes):
        note_pts = rotate(note, angle + (6 if index else -3), (0, 0))
        p.shape(
            shift(note_pts, cx, cy), mix(MONEY, (90, 150, 96), index * 0.4), smooth=False, shade=(3, 2), lw=lw * 0.85
        )
        centre = shift(rotate([(0, -h * 0.72)], angle, (0, 0)), cx, cy)[0]
        p.ellipse(centre[0], centre[1], h * 0.12, h * 0.12, mix(MONEY, (60, 110, 70), 0.5), line=False)
    body = rotate([(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)], angle)
    p.shape(shift(body, cx, cy), ENVELOPE, smooth=False, shade=(5, 4), light=(3, 3), lw=lw)
    flap = rotate([(-w / 2, h / 2), (0, h * 0.02), (w / 2, h / 2)], angle)
    p.stroke(shift(flap, cx, cy), darker(ENVELOPE, 0.35), lw * 0.8, smooth=False)


def draw_phone(p: Painter, cx: float, cy: float, w: float, h: float, angle: float = 0, detail: bool = True) -> None:
    """A smartphone showing an incoming call: a caller circle, a green and a red button."""
    body = rotate(rounded_rect(-w / 2, -h / 2, w / 2, h / 2, w * 0.16), angle)
    p.shape(shift(body, cx, cy), PHONE, smooth=False, shade=None, light=(2, 2), lw=2.2)
    screen = rotate(rounded_rect(-w * 0.42, -h * 0.42, w * 0.42, h * 0.44, w * 0.08), angle)
    p.shape(shift(screen, cx, cy), (40, 110, 190), smooth=False, line=False, shade=None, light=None)
    if detail:
        for x, y, r, colour in [
            (0, -h * 0.18, w * 0.16, (236, 240, 248)),
            (-w * 0.2, h * 0.28, w * 0.09, (56, 190, 96)),
            (w * 0.2, h * 0.28, w * 0.09, (226, 64, 60)),
        ]:
            px, py = shift(rotate([(x, y)], angle), cx, cy)[0]
            p.dot(px, py, r, colour)


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    pts: list[Point] = []
    for cx, cy, start in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180)):
        for k in range(7):
            a = math.radians(start + 15 * k)
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


# --- body ----------------------------------------------------------------------------------------

NECK_Y = 300
SHOULDER_Y = 372
WAIST_Y = 760
HEM_Y = 830
ANKLE_Y = 1300


@dataclass(frozen=True)
class Arm:
    """Shoulder → elbow → wrist in native pixels, and what the hand does."""

    elbow: Point
    wrist: Point
    hand: str = "relaxed"  # relaxed, fist, palm
    hand_angle: float | None = None


def default_arms(person: Person) -> tuple[Arm, Arm]:
    s = person.shoulders
    right = Arm((CX - s - 12, 585), (CX - s - 6, 780))  # the character's right: viewer's left
    left = Arm((CX + s + 12, 585), (CX + s + 6, 780))
    return right, left


def pose_arms(person: Person, pose: str) -> tuple[Arm, Arm]:
    s = person.shoulders
    right, left = default_arms(person)
    if pose == "envelope":  # holds an envelope out in front of the body
        return right, Arm((CX + s + 34, 610), (CX + 150, 610), "fist", hand_angle=-110)
    if pose == "phone":  # holds a phone up in front, screen to the viewer
        return right, Arm((CX + s + 30, 620), (CX + 118, 570), "fist", hand_angle=-150)
    if pose == "present":  # an open hand towards the viewer's right: "look here"
        return right, Arm((CX + s + 50, 560), (CX + s + 150, 470), "palm", hand_angle=-130)
    if pose == "refuse":  # the palm raised in front of the chest: "no"
        return right, Arm((CX + s + 34, 630), (CX + 84, 540), "palm", hand_angle=180)
    return right, left


def draw_legs(p: Painter, person: Person) -> None:
    shoe = person.shoes
    if person.bottom_style == "skirt":
        for side in (-1, 1):
            x = CX + side * 44
            p.limb((x, 1000), (x + side * 4, ANKLE_Y), 27, 19, mix(person.skin, (60, 50, 50), 0.25))
    else:
        for side in (-1, 1):
            top = (CX + side * 54, HEM_Y - 30)
            knee = (CX + side * 58, 1070)
            ankle = (CX + side * 56, ANKLE_Y)
            leg = [
                (top[0] - 54, top[1]), (top[0] + 54, top[1]), (knee[0] + 44, knee[1]),
                (ankle[0] + 36, ankle[1]), (ankle[0] - 36, ankle[1]), (knee[0] - 44, knee[1]),
            ]  # fmt: skip
            colour = person.bottom
            p.shape(leg, colour, smooth=False, shade=(14, 0), light=(8, 0))
            # crease line down the front of each leg
            p.stroke([(top[0] + side * 4, top[1] + 60), (ankle[0] + side * 2, ankle[1] - 20)], darker(colour, 0.18), 2)
            if person.bottom_style == "jeans":
                p.stroke([(ankle[0] - 31, ankle[1] - 14), (ankle[0] + 31, ankle[1] - 14)], lighter(colour, 0.3), 2)
    for side in (-1, 1):
        x = CX + side * 56
        sole = [
            (x - 38 + side * 8, ANKLE_Y - 8), (x + 34 + side * 8, ANKLE_Y - 8), (x + 44 + side * 22, ANKLE_Y + 36),
            (x + 40 + side * 26, ANKLE_Y + 58), (x - 40 + side * 10, ANKLE_Y + 58), (x - 44 + side * 6, ANKLE_Y + 30),
        ]  # fmt: skip
        p.shape(sole, shoe, shade=(6, 8), light=(5, 5), light_colour=lighter(shoe, 0.35))
        p.stroke([(x - 42 + side * 8, ANKLE_Y + 50), (x + 42 + side * 24, ANKLE_Y + 50)], darker(shoe, 0.4), 2.4)


def torso_points(person: Person) -> list[Point]:
    s, w, h = person.shoulders, person.waist, person.hips
    bottom = HEM_Y + (20 if person.top_style in ("suit", "blazer", "cardigan") else 0)
    right = [
        (CX - 40, NECK_Y + 36), (CX - s + 26, SHOULDER_Y - 12), (CX - s - 6, SHOULDER_Y + 30),
        (CX - s + 2, 560), (CX - w, WAIST_Y - 40), (CX - h, bottom),
    ]  # fmt: skip
    return [*right, *reversed(mirror(right))]


def draw_skirt(p: Painter, person: Person) -> None:
    pts = [
        (CX - person.hips + 4, WAIST_Y + 10),
        (CX + person.hips - 4, WAIST_Y + 10),
        (CX + 132, 1110),
        (CX - 132, 1110),
    ]
    p.shape(pts, person.bottom, smooth=False, shade=(20, 0), light=(10, 0))
    for fx in (-60, 0, 60):  # pleats
        p.stroke([(CX + fx * 0.6, WAIST_Y + 60), (CX + fx * 1.05, 1100)], darker(person.bottom, 0.25), 2)


def draw_torso(p: Painter, person: Person) -> None:
    skin = person.skin
    # Neck, with the shadow the head casts on it.
    neck = [(CX - 34, NECK_Y - 40), (CX + 34, NECK_Y - 40), (CX + 38, NECK_Y + 60), (CX - 38, NECK_Y + 60)]
    p.shape(neck, skin, smooth=False, shade=(10, 0), light=None)
    p.flat(
        [(CX - 36, NECK_Y - 10), (CX + 36, NECK_Y - 10), (CX + 36, NECK_Y + 14), (CX - 36, NECK_Y + 14)],
        darker(skin, 0.2),
        smooth=False,
    )
    torso = torso_points(person)
    top = person.top
    style = person.top_style
    if style in ("suit", "blazer", "cardigan"):
        # The shirt (or blouse) under the open jacket.
        shirt_pts = [(CX - 58, NECK_Y + 30), (CX + 58, NECK_Y + 30), (CX + 52, WAIST_Y + 60), (CX - 52, WAIST_Y + 60)]
        p.shape(shirt_pts, person.shirt, smooth=False, shade=(8, 0), light=None)
    p.shape(torso, top, shade=(22, 8), light=(12, 6))
    if style == "sweater":
        # Ribbed collar, cuffs line and hem band; a knit texture of short strokes.
        p.shape(
            [
                (CX - 48, NECK_Y + 28),
                (CX, NECK_Y + 62),
                (CX + 48, NECK_Y + 28),
                (CX + 40, NECK_Y + 46),
                (CX, NECK_Y + 80),
                (CX - 40, NECK_Y + 46),
            ],
            darker(top, 0.12),
            shade=None,
            light=None,
        )
        p.flat([(CX - 40, NECK_Y + 34), (CX, NECK_Y + 58), (CX + 40, NECK_Y + 34), (CX, NECK_Y + 48)], skin)
        band = [
            (CX - person.hips + 2, HEM_Y - 36),
            (CX + person.hips - 2, HEM_Y - 36),
            (CX + person.hips, HEM_Y),
            (CX - person.hips, HEM_Y),
        ]
        p.shape(band, darker(top, 0.12), smooth=False, shade=None, light=None)
        for row in range(6):
            y = 470 + row * 56
            for col in range(-2, 3):
                x = CX + col * 36 + (18 if row % 2 else 0)
                if abs(x - CX) < person.waist - 16:
                    p.stroke([(x - 7, y), (x, y + 9), (x + 7, y)], darker(top, 0.14), 1.8, smooth=False)
    elif style in ("suit", "blazer", "cardigan"):
        # Open front showing the shirt; lapels for jackets, a simple V and buttons for the cardigan.
        opening = [(CX - 46, NECK_Y + 34), (CX + 46, NECK_Y + 34), (CX + 12, 600), (CX, HEM_Y + 20), (CX - 12, 600)]
        if style == "cardigan":
            opening = [
                (CX - 42, NECK_Y + 34),
                (CX + 42, NECK_Y + 34),
                (CX + 6, 560),
                (CX + 6, HEM_Y + 20),
                (CX - 6, HEM_Y + 20),
                (CX - 6, 560),
            ]
        p.shape(opening, person.shirt, smooth=False, shade=None, light=None, line=False)
        p.stroke([opening[0], opening[-1 if style != "cardigan" else -1]], OUTLINE, 2.4, smooth=False)
        # shirt collar
        for side in (-1, 1):
            collar = [
                (CX + side * 4, NECK_Y + 52),
                (CX + side * 44, NECK_Y + 26),
                (CX + side * 40, NECK_Y + 62),
                (CX + side * 10, NECK_Y + 76),
            ]
            p.shape(
                collar,
                lighter(person.shirt, 0.2) if style != "cardigan" else person.shirt,
                smooth=False,
                shade=None,
                light=None,
                lw=2.2,
            )
        if style == "suit":
            tie = [(CX - 12, NECK_Y + 66), (CX + 12, NECK_Y + 66), (CX + 20, 600), (CX, 630), (CX - 20, 600)]
            p.shape(tie, person.accent, smooth=False, shade=(6, 0), light=(3, 0), lw=2.4)
            p.shape(
                [(CX - 14, NECK_Y + 56), (CX + 14, NECK_Y + 56), (CX + 10, NECK_Y + 76), (CX - 10, NECK_Y + 76)],
                darker(person.accent, 0.1),
                smooth=False,
                shade=None,
                light=None,
                lw=2.2,
            )
            for k in range(4):  # tie stripes
                y = 430 + k * 44
                p.stroke([(CX - 14, y), (CX + 14, y - 16)], lighter(person.accent, 0.25), 3, smooth=False)
        elif style == "blazer":
            for k in range(4):
                p.dot(CX, NECK_Y + 100 + k * 62, 3.2, darker(person.shirt, 0.35))
        if style in ("suit", "blazer"):
            for side in (-1, 1):
                lapel = [
                    (CX + side * 46, NECK_Y + 30), (CX + side * 76, NECK_Y + 44), (CX + side * 60, 450),
                    (CX + side * 84, 470), (CX + side * 14, 610), (CX + side * 12, 600),
                ]  # fmt: skip
                p.shape(
                    lapel,
                    darker(top, 0.08),
                    smooth=False,
                    shade=None,
                    light=(4, 2),
                    light_colour=lighter(top, 0.2),
                    lw=2.4,
                )
            # jacket buttons and pocket flaps
            for y in (662, 730):
                p.dot(CX + 20, y, 6, darker(top, 0.4))
                p.dot(CX + 20, y, 3, lighter(top, 0.15))
            for side in (-1, 1):
                x0 = CX + side * 40
                x1 = CX + side * (person.waist - 12)
                p.shape(
                    [(min(x0, x1), 770), (max(x0, x1), 770), (max(x0, x1), 788), (min(x0, x1), 788)],
                    darker(top, 0.1),
                    smooth=False,
                    shade=None,
                    light=None,
                    lw=2,
                )
            # breast pocket with a handkerchief (suit) or a pen (blazer)
            px = CX - 80
            p.stroke([(px - 26, 500), (px + 22, 496)], darker(top, 0.35), 2.4, smooth=False)
            if style == "suit":
                p.shape(
                    [(px - 18, 498), (px - 6, 484), (px + 4, 494), (px + 14, 482), (px + 16, 497)],
                    (232, 232, 236),
                    smooth=False,
                    shade=None,
                    light=None,
                    lw=1.8,
                )
        else:  # cardigan buttons
            for k in range(5):
                p.dot(CX + 16, 540 + k * 64, 5.5, lighter(top, 0.45))
                p.dot(CX + 16, 540 + k * 64, 2.2, darker(top, 0.3))
            for side in (-1, 1):
                p.stroke(
                    [(CX + side * 40, NECK_Y + 40), (CX + side * 16, 560), (CX + side * 16, HEM_Y + 16)],
                    darker(top, 0.2),
                    2.2,
                )
            # cardigan pockets
            for side in (-1, 1):
                x = CX + side * 62
                p.shape(
                    rounded_rect(x - 30, 700, x + 30, 770, 8),
                    darker(top, 0.06),
                    smooth=False,
                    shade=None,
                    light=None,
                    lw=2,
                )
    if "badge" in person.extras:  # a small gold lapel pin
        p.dot(CX + 64, 470, 8, (230, 184, 40))
        p.dot(CX + 64, 470, 4, (200, 50, 40))
    if "lanyard" in person.extras:
        p.stroke([(CX - 30, NECK_Y + 40), (CX - 6, 560)], (242, 183, 5), 5, smooth=False)
        p.stroke([(CX + 30, NECK_Y + 40), (CX + 6, 560)], (242, 183, 5), 5, smooth=False)
        card = rounded_rect(CX - 24, 556, CX + 24, 620, 5)
        p.shape(card, (250, 250, 250), smooth=False, shade=None, light=None, lw=2)
        p.flat(rounded_rect(CX - 18, 564, CX + 18, 580, 3), (11, 95, 165), smooth=False)
        p.stroke([(CX - 14, 596), (CX + 14, 596)], (150, 150, 160), 2.4, smooth=False)
        p.stroke([(CX - 14, 606), (CX + 6, 606)], (150, 150, 160), 2.4, smooth=False)


def draw_arm(
    p: Painter, person: Person, arm: Arm, side: int, front: bool, held: Callable[[], None] | None = None
) -> None:
    """One arm: sleeve from the shoulder over the elbow to the wrist, a cuff, the hand.

    `held` draws what the hand holds, between the sleeve and the fingers closing over it.
    """
    s = person.shoulders
    shoulder = (CX + side * (s - 22), SHOULDER_Y + 14)
    sleeve = person.top
    p.limb(shoulder, arm.elbow, 32, 27, sleeve, shade=(12, 4), light=(8, 4))
    wrist = arm.wrist
    p.limb(arm.elbow, wrist, 27, 22, sleeve, shade=(10, 4), light=(6, 4))
    # cuff: the shirt shows at the wrist under a jacket
    direction = math.atan2(wrist[1] - arm.elbow[1], wrist[0] - arm.elbow[0])
    cuff_end = (wrist[0] + 8 * math.cos(direction), wrist[1] + 8 * math.sin(direction))
    cuff = person.shirt if person.top_style in ("suit", "blazer") else darker(sleeve, 0.12)
    p.limb(wrist, cuff_end, 20, 19, cuff, shade=None, light=None, lw=2.4)
    angle = arm.hand_angle if arm.hand_angle is not None else math.degrees(direction) - 90
    hand_at = (wrist[0] + 12 * math.cos(direction), wrist[1] + 12 * math.sin(direction))
    flip = side > 0
    if held is not None:
        held()
    if arm.hand == "palm":
        draw_open_palm(p, hand_at, angle, person.skin, flip=flip)
    else:
        draw_hand(p, hand_at, angle, person.skin, arm.hand, flip=flip)


def draw_bag_strap(p: Painter, person: Person) -> None:
    p.stroke([(CX + 70, NECK_Y + 58), (CX - 40, 640), (CX - person.hips - 6, 820)], (120, 70, 44), 7)


def draw_bag(p: Painter, person: Person) -> None:
    x = CX - person.hips - 10
    p.shape(rounded_rect(x - 40, 800, x + 44, 880, 12), (150, 88, 52), smooth=False, shade=(6, 6), light=(4, 4), lw=2.6)
    p.stroke([(x - 36, 824), (x + 40, 824)], darker((150, 88, 52), 0.3), 2, smooth=False)
    p.dot(x + 2, 836, 4, (230, 190, 80))


def draw_body(person: Person, pose: str | None) -> Image.Image:
    p = Painter(W, H)
    right, left = pose_arms(person, pose or "")
    draw_legs(p, person)
    if person.bottom_style == "skirt":
        draw_skirt(p, person)
    if "bag" in person.extras:
        draw_bag(p, person)
    # Arms hanging at the sides go behind the torso, whose shoulders then cover their tops.
    hanging_left = pose is None
    draw_arm(p, person, right, -1, front=False)
    if hanging_left:
        draw_arm(p, person, left, 1, front=False)
    draw_torso(p, person)
    if "bag" in person.extras:
        draw_bag_strap(p, person)
    if pose == "envelope":
        draw_envelope(p, left.wrist[0] + 8, left.wrist[1] - 36, 136, 84, angle=-10)
    held = None
    if pose == "phone":  # over the sleeve, under the fingers: the screen faces the viewer

        def held() -> None:
            draw_phone(p, left.wrist[0] - 10, left.wrist[1] - 72, 68, 124, angle=-6)

    if not hanging_left:
        draw_arm(p, person, left, 1, front=True, held=held)
    return p.result()


# --- head ----------------------------------------------------------------------------------------

FACE_TOP, CHIN_Y = 78, 318
EYE_Y = 196


def face_points(person: Person) -> list[Point]:
    jaw = 84 if person.name == "official" else 78
    right = [(CX - 98, 150), (CX - 96, 215), (CX - jaw, 268), (CX - 48, 306), (CX - 16, CHIN_Y)]
    return [(CX, FACE_TOP), *[(CX - 72, 96)], *right, *reversed(mirror(right)), (CX + 72, 96)]


def draw_hair_back(p: Painter, person: Person) -> None:
    hair = person.hair
    if person.hair_style == "ponytail":
        # The ponytail falls behind the right shoulder (viewer's right of the head).
        tail = [
            (CX + 70, 120),
            (CX + 128, 150),
            (CX + 142, 260),
            (CX + 120, 360),
            (CX + 96, 384),
            (CX + 96, 280),
            (CX + 78, 190),
        ]
        p.shape(tail, hair, shade=(10, 4), light=(6, 4), light_colour=lighter(hair, 0.3))
        for k in range(3):
            p.stroke(
                [(CX + 100 + k * 8, 170), (CX + 120 + k * 5, 260), (CX + 108 + k * 4, 350)], lighter(hair, 0.25), 1.8
            )
    if person.hair_style == "bun":
        p.ellipse(CX, 58, 56, 44, hair, shade=(8, 6), light=(6, 6), light_colour=lighter(hair, 0.3))
        p.stroke([(CX - 30, 46), (CX, 36), (CX + 30, 46)], lighter(hair, 0.35), 2)


def draw_hair_front(p: Painter, person: Person) -> None:
    hair = person.hair
    style = person.hair_style
    light = lighter(hair, 0.3)
    if style == "side_part_grey":
        # Receding grey hair, parted on the left, fuller at the sides.
        top = [
            (CX - 104, 200),
            (CX - 108, 130),
            (CX - 80, 70),
            (CX - 20, 50),
            (CX + 50, 54),
            (CX + 96, 84),
            (CX + 110, 140),
            (CX + 104, 200),
            (CX + 92, 150),
            (CX + 70, 110),
            (CX + 10, 98),
            (CX - 46, 96),
            (CX - 88, 132),
            (CX - 92, 190),
        ]
        p.shape(top, hair, shade=(6, 8), light=(6, 6), light_colour=(214, 214, 218))
        p.stroke([(CX - 40, 60), (CX - 52, 96)], darker(hair, 0.3), 2)
        for k in range(4):
            p.stroke([(CX - 20 + k * 26, 62), (CX - 4 + k * 24, 94)], darker(hair, 0.18), 1.6)
    elif style == "ponytail":
        top = [
            (CX - 104, 214),
            (CX - 110, 140),
            (CX - 84, 78),
            (CX - 20, 52),
            (CX + 50, 56),
            (CX + 98, 90),
            (CX + 110, 150),
            (CX + 104, 210),
            (CX + 92, 150),
            (CX + 60, 118),
            (CX + 10, 104),
            (CX - 30, 118),
            (CX - 74, 136),
            (CX - 94, 180),
        ]
        p.shape(top, hair, shade=(6, 8), light=(6, 6), light_colour=light)
        p.stroke([(CX + 4, 56), (CX - 40, 120), (CX - 84, 150)], light, 2.2)
        p.stroke([(CX + 30, 60), (CX + 80, 110), (CX + 96, 170)], light, 2.2)
        p.dot(CX + 96, 128, 9, (242, 183, 5))  # hair tie
    elif style == "short":
        top = [
            (CX - 100, 190),
            (CX - 106, 120),
            (CX - 76, 62),
            (CX - 10, 40),
            (CX + 64, 46),
            (CX + 104, 90),
            (CX + 108, 150),
            (CX + 100, 190),
            (CX + 90, 130),
            (CX + 40, 100),
            (CX - 30, 108),
            (CX - 80, 118),
            (CX - 92, 160),
        ]
        p.shape(top, hair, shade=(6, 8), light=(6, 6), light_colour=light)
        for k in range(5):
            p.stroke([(CX - 60 + k * 28, 56), (CX - 70 + k * 30, 96)], light, 1.8)
    elif style == "bun":
        top = [
            (CX - 102, 210),
            (CX - 108, 140),
            (CX - 82, 80),
            (CX - 20, 62),
            (CX + 50, 66),
            (CX + 96, 96),
            (CX + 108, 150),
            (CX + 102, 210),
            (CX + 92, 160),
            (CX + 60, 118),
            (CX, 100),
            (CX - 60, 118),
            (CX - 92, 160),
        ]
        p.shape(top, hair, shade=(6, 8), light=(6, 6), light_colour=light)
        # a grey streak at the temple
        p.stroke([(CX - 56, 78), (CX - 80, 118), (CX - 96, 170)], (196, 190, 188), 4)
        p.stroke([(CX + 10, 68), (CX - 10, 100)], light, 2)


def draw_head(person: Person) -> Image.Image:
    """The head without eyes, brows or mouth, on the head part's own canvas."""
    bw, bh = HEAD_BOX
    ox, oy = HEAD_ANCHOR[0] - bw / 2, HEAD_ANCHOR[1] - bh / 2
    big = Painter(W, 460)
    skin = person.skin
    draw_hair_back(big, person)
    for side in (-1, 1):  # ears
        ear = [
            (CX + side * 92, 180),
            (CX + side * 114, 178),
            (CX + side * 120, 206),
            (CX + side * 108, 244),
            (CX + side * 92, 246),
        ]
        big.shape(ear, skin, shade=(4, 4) if side > 0 else (-4, 4), light=None)
        big.stroke([(CX + side * 104, 196), (CX + side * 110, 214), (CX + side * 100, 232)], darker(skin, 0.3), 1.8)
        if person.earrings:
            big.dot(CX + side * 104, 252, 5, (242, 183, 5))
    face = face_points(person)
    big.shape(face, skin, shade=(16, 6), light=(8, 8), light_colour=lighter(skin, 0.2))
    # cheeks
    for side in (-1, 1):
        big.flat(
            [
                (CX + side * 56 + 22 * math.cos(a / 12 * math.tau), 246 + 11 * math.sin(a / 12 * math.tau))
                for a in range(12)
            ],
            (*mix(skin, (220, 90, 90), 0.5), 70),
        )
    # nose: a soft shadow on the right and a nostril line
    big.flat([(CX + 2, 206), (CX + 14, 238), (CX + 10, 248), (CX + 2, 246)], darker(skin, 0.14))
    big.stroke([(CX - 12, 244), (CX - 4, 250), (CX + 6, 250), (CX + 14, 244)], darker(skin, 0.42), 2.2)
    if person.age == "older":
        # lines that age the face: forehead, under the eyes, from nose to mouth
        for y in (118, 130) if person.name == "official" else (126,):
            big.stroke([(CX - 34, y), (CX, y - 4), (CX + 34, y)], darker(skin, 0.2), 1.6)
        for side in (-1, 1):
            big.stroke([(CX + side * 28, 258), (CX + side * 42, 280), (CX + side * 44, 292)], darker(skin, 0.22), 1.8)
            big.stroke([(CX + side * 30, 222), (CX + side * 46, 226), (CX + side * 60, 222)], darker(skin, 0.16), 1.4)
    if person.moustache:
        must = [
            (CX - 42, 256),
            (CX - 20, 244),
            (CX, 248),
            (CX + 20, 244),
            (CX + 42, 256),
            (CX + 24, 256),
            (CX, 253),
            (CX - 24, 256),
        ]
        big.shape(must, person.hair, shade=None, light=(0, 3), light_colour=(212, 212, 216), lw=2.2)
    draw_hair_front(big, person)
    if person.glasses:
        for side in (-1, 1):
            box = rounded_rect(CX + side * 44 - 36, EYE_Y - 24, CX + side * 44 + 36, EYE_Y + 24, 12)
            big.flat(box, (210, 230, 255, 40), smooth=False)
            big.stroke(box, (60, 40, 36), 3.4, smooth=False, closed=True)
        big.stroke([(CX - 8, EYE_Y - 6), (CX, EYE_Y - 10), (CX + 8, EYE_Y - 6)], (60, 40, 36), 3.4)
        for side in (-1, 1):
            big.stroke([(CX + side * 80, EYE_Y - 12), (CX + side * 100, EYE_Y - 16)], (60, 40, 36), 3.4, smooth=False)
    full = big.result()
    return full.crop((round(ox), round(oy), round(ox) + bw, round(oy) + bh))


# --- eyes, brows, mouths -----------------------------------------------------------------------


def part_painter(box: tuple[int, int]) -> Painter:
    return Painter(*box)


def draw_eyes(person: Person, state: str) -> Image.Image:
    bw, bh = EYES_BOX
    p = part_painter(EYES_BOX)
    cx, cy = bw / 2, bh / 2
    lid = darker(person.skin, 0.12)
    for side in (-1, 1):
        ex = cx + side * 44
        white = [
            (ex - 26, cy + 2),
            (ex - 12, cy - 13),
            (ex + 8, cy - 14),
            (ex + 26, cy - 2),
            (ex + 12, cy + 11),
            (ex - 10, cy + 12),
        ]
        if state == "closed":
            p.stroke([(ex - 26, cy + 2), (ex, cy + 10), (ex + 26, cy + 2)], OUTLINE, 3.4)
            if person.name in ("citizen", "teacher"):
                for k in (-1, 0, 1):
                    p.stroke([(ex + k * 10 + side * 4, cy + 9), (ex + k * 12 + side * 6, cy + 16)], OUTLINE, 2)
            continue
        p.shape(white, (250, 250, 247), shade=None, light=None, lw=2.2)
        # iris and pupil, looking a little towards the viewer's right (at the other speaker or the viewer)
        p.ellipse(ex + 2, cy, 11, 12, person.iris, line=False, shade=None, light=None, clip=white)
        p.ellipse(ex + 2, cy, 5.5, 6, (20, 14, 12), line=False, shade=None, light=None, clip=white)
        p.dot(ex - 3, cy - 5, 3.2, (255, 255, 255))
        if state == "half":
            lid_pts = [(ex - 30, cy - 20), (ex + 30, cy - 20), (ex + 30, cy + 1), (ex, cy + 3), (ex - 30, cy + 1)]
            p.shape(lid_pts, lid, smooth=False, shade=None, light=None, line=False, clip=white)
            p.stroke([(ex - 27, cy + 2), (ex, cy + 2), (ex + 27, cy)], OUTLINE, 3.6)
        else:
            p.stroke([(ex - 27, cy + 2), (ex - 12, cy - 14), (ex + 8, cy - 15), (ex + 27, cy - 2)], OUTLINE, 3.8)
            p.stroke(
                [(ex - 16, cy - 20), (ex + 6, cy - 22), (ex + 20, cy - 14)], darker(person.skin, 0.3), 1.6
            )  # crease
            if person.name in ("citizen", "teacher"):
                p.stroke([(ex + side * 24, cy - 4), (ex + side * 32, cy - 10)], OUTLINE, 2.6, smooth=False)
    return p.result()


def draw_brows(person: Person, state: str) -> Image.Image:
    bw, bh = BROWS_BOX
    p = part_painter(BROWS_BOX)
    cx, cy = bw / 2, bh / 2 + 8
    colour = darker(person.hair, 0.1) if person.hair_style != "side_part_grey" else (120, 118, 122)
    thick = 7.5 if person.name in ("official", "presenter") else 5.5
    for side in (-1, 1):
        inner, outer = cx + side * 18, cx + side * 74
        lift, arch, inner_drop = 0.0, 8.0, 0.0
        if state == "raised":
            lift, arch = -11.0, 12.0
        elif state == "frown":
            lift, arch, inner_drop = 2.0, 3.0, 9.0
        pts = [(inner, cy + lift + inner_drop), ((inner + outer) / 2, cy + lift - arch), (outer, cy + lift + 4)]
        p.stroke(pts, colour, thick)
        p.stroke(
            [(inner, cy + lift + inner_drop), ((inner + outer) / 2, cy + lift - arch)],
            lighter(colour, 0.15),
            thick * 0.35,
        )
    return p.result()


def draw_mouth(person: Person, viseme: str) -> Image.Image:
    """One mouth shape. Openings are dark, teeth white, the tongue pink; lips in the person's colour."""
    bw, bh = MOUTH_BOX
    p = part_painter(MOUTH_BOX)
    cx, cy = bw / 2, bh / 2 - 8
    lips = person.lips
    line = darker(lips, 0.45)
    inside = (70, 24, 34)
    teeth = (250, 248, 240)
    tongue = (214, 104, 112)

    def opening(
        w: float,
        h: float,
        round_: float = 0.0,
        top_teeth: float = 0.0,
        bottom_teeth: float = 0.0,
        tongue_h: float = 0.0,
    ) -> None:
        top = cy - h * 0.35
        bottom = cy + h * 0.65
        pts = [
            (cx - w, cy),
            (cx - w * (0.6 + round_ * 0.3), top),
            (cx, top - h * 0.08),
            (cx + w * (0.6 + round_ * 0.3), top),
            (cx + w, cy),
            (cx + w * (0.55 + round_ * 0.35), bottom),
            (cx, bottom + h * 0.05),
            (cx - w * (0.55 + round_ * 0.35), bottom),
        ]
        poly = p.shape(pts, inside, shade=None, light=None, lw=2.6)
        if tongue_h:
            p.ellipse(
                cx, bottom - tongue_h * 0.2, w * 0.6, tongue_h, tongue, line=False, shade=None, light=None, clip=poly
            )
        if top_teeth:
            p.shape(
                [(cx - w, top - 10), (cx + w, top - 10), (cx + w, top + top_teeth), (cx - w, top + top_teeth)],
                teeth,
                smooth=False,
                line=False,
                shade=None,
                light=None,
                clip=poly,
            )
        if bottom_teeth:
            p.shape(
                [
                    (cx - w, bottom - bottom_teeth),
                    (cx + w, bottom - bottom_teeth),
                    (cx + w, bottom + 10),
                    (cx - w, bottom + 10),
                ],
                teeth,
                smooth=False,
                line=False,
                shade=None,
                light=None,
                clip=poly,
            )
        p.stroke([*pts, pts[0]], line, 2.6, smooth=True, closed=True)
        # lower lip: a lighter crescent under the opening
        p.stroke([(cx - w * 0.5, bottom + 5), (cx, bottom + 8), (cx + w * 0.5, bottom + 5)], lighter(lips, 0.1), 4)

    if viseme == "rest":
        p.stroke([(cx - 26, cy), (cx - 8, cy + 4), (cx + 8, cy + 4), (cx + 26, cy - 1)], line, 3.2)
        p.stroke([(cx - 14, cy + 12), (cx + 14, cy + 12)], lips, 4)
        if person.name in ("presenter", "citizen"):  # a friendly resting smile
            p.stroke([(cx - 28, cy - 4), (cx - 24, cy + 1)], line, 2.4)
            p.stroke([(cx + 28, cy - 5), (cx + 24, cy)], line, 2.4)
    elif viseme == "mbp":
        p.shape(
            [(cx - 26, cy - 2), (cx, cy - 7), (cx + 26, cy - 2), (cx + 20, cy + 8), (cx, cy + 12), (cx - 20, cy + 8)],
            lips,
            shade=(0, 3),
            light=None,
            lw=2.4,
        )
        p.stroke([(cx - 25, cy + 1), (cx, cy + 2), (cx + 25, cy + 1)], line, 2.8)
    elif viseme == "fv":
        opening(24, 12, top_teeth=6)
        p.shape(
            [(cx - 22, cy + 4), (cx + 22, cy + 4), (cx + 18, cy + 14), (cx - 18, cy + 14)],
            lips,
            smooth=True,
            shade=None,
            light=None,
            lw=2.2,
        )
    elif viseme == "sz":
        opening(27, 12, top_teeth=5.5, bottom_teeth=5.5)
    elif viseme == "ltd":
        opening(24, 18, top_teeth=5, tongue_h=6)
    elif viseme == "i":
        opening(30, 15, top_teeth=6, bottom_teeth=3)
    elif viseme == "u":
        p.ellipse(cx, cy + 3, 16, 14, lips, shade=(3, 3), light=(2, 2), lw=2.4)
        p.ellipse(cx, cy + 3, 8, 7, inside, line=False, shade=None, light=None)
    elif viseme == "e":
        opening(27, 26, top_teeth=6, tongue_h=8)
    elif viseme == "o":
        opening(19, 32, round_=1.0, top_teeth=4, tongue_h=8)
    elif viseme == "a":
        opening(27, 42, top_teeth=6, tongue_h=11)
    else:
        raise ValueError(viseme)
    return p.result()


# --- the pack ------------------------------------------------------------------------------------


def character_yaml(person: Person) -> str:
    def pair(values: tuple[float, float]) -> str:
        return f"[{round(values[0])}, {round(values[1])}]"

    parts = ["body", "head", "eyes_open", "eyes_half", "eyes_closed", "brows_neutral", "brows_raised", "brows_frown"]
    parts += [f"mouth_{v}" for v in VISEMES]
    lines = [
        "# A character pack of the studio: drawn by assets/characters/make_characters.py (CC0).",
        f"# {person.description}.",
        f"name: {person.name}",
        "display_name:",
        f"  ky: {person.display['ky']}",
        f"  ru: {person.display['ru']}",
        "licence: CC0-1.0",
        f"size_px: {pair((W, H))}          # body and pose parts: the whole figure",
        "anchors:                    # where each part's centre sits on the figure, head at rest",
        f"  head: {pair(HEAD_ANCHOR)}",
        f"  eyes: {pair(EYES_ANCHOR)}",
        f"  brows: {pair(BROWS_ANCHOR)}",
        f"  mouth: {pair(MOUTH_ANCHOR)}",
        "part_sizes:",
        f"  head: {pair(HEAD_BOX)}",
        f"  eyes: {pair(EYES_BOX)}",
        f"  brows: {pair(BROWS_BOX)}",
        f"  mouth: {pair(MOUTH_BOX)}",
        "parts:",
        *[f"  {part}: {part}.png" for part in parts],
        "poses:                      # whole-figure alternatives to body, holding a prop or gesturing",
        *[f"  {pose}: pose_{pose}.png" for pose in POSES],
    ]
    return "\n".join(lines) + "\n"


def save(image: Image.Image, path: Path) -> None:
    # Palette PNGs keep the packs small; 256 colours are plenty for flat shapes with soft edges.
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(path, optimize=True)


def make_person(person: Person, root: Path) -> None:
    folder = root / person.name
    folder.mkdir(parents=True, exist_ok=True)
    save(draw_body(person, None), folder / "body.png")
    for pose in POSES:
        save(draw_body(person, pose), folder / f"pose_{pose}.png")
    save(draw_head(person), folder / "head.png")
    for state in ("open", "half", "closed"):
        save(draw_eyes(person, state), folder / f"eyes_{state}.png")
    for state in ("neutral", "raised", "frown"):
        save(draw_brows(person, state), folder / f"brows_{state}.png")
    for viseme in VISEMES:
        save(draw_mouth(person, viseme), folder / f"mouth_{viseme}.png")
    (folder / "character.yaml").write_text(character_yaml(person), encoding="utf-8")


def make_props(root: Path) -> None:
    folder = root / "props"
    folder.mkdir(parents=True, exist_ok=True)
    p = Painter(520, 440)
    draw_envelope(p, 260, 280, 400, 240, angle=-6, lw=6)
    save(p.result(), folder / "envelope.png")
    p = Painter(360, 640)
    draw_phone(p, 180, 320, 320, 600, detail=False)
    # The call screen, drawn supersampled like the rest: an unknown number calling, in both languages.
    d = ImageDraw.Draw(p.im)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * SS, y0 * SS, x1 * SS, y1 * SS)

    font = ImageFont.truetype(str(FONT), 28 * SS)
    small = ImageFont.truetype(str(FONT_REGULAR), 22 * SS)
    d.ellipse(box(120, 120, 240, 240), fill=(236, 240, 248))
    d.ellipse(box(155, 140, 205, 190), fill=(120, 140, 170))
    d.chord(box(142, 192, 218, 268), 180, 360, fill=(120, 140, 170))
    d.text((180 * SS, 290 * SS), "Белгисиз номер", font=font, fill=(255, 255, 255), anchor="mm")
    d.text((180 * SS, 328 * SS), "Неизвестный номер", font=small, fill=(220, 230, 245), anchor="mm")
    for x, colour in ((100, (56, 190, 96)), (260, (226, 64, 60))):
        d.ellipse(box(x - 42, 470, x + 42, 554), fill=colour)
    for x, start in ((100, 100), (260, 190)):  # a handset: an arc with an earpiece and a mouthpiece
        d.arc(box(x - 24, 512 - 24, x + 24, 512 + 24), start, start + 160, fill=(255, 255, 255), width=10 * SS)
        for angle in (start, start + 160):
            ex = x + 24 * math.cos(math.radians(angle)) - 3
            ey = 512 + 24 * math.sin(math.radians(angle))
            d.ellipse(box(ex - 9, ey - 9, ex + 9, ey + 9), fill=(255, 255, 255))
    phone = p.result()
    save(phone, folder / "phone-call.png")
    (folder / "README.md").write_text(
        "Props drawn by `../make_characters.py` (own work, CC0): an envelope with banknotes, a phone\n"
        "showing an incoming call from an unknown number (Белгисиз номер / Неизвестный номер).\n"
        "Characters hold smaller copies in the `envelope` and `phone` poses.\n",
        encoding="utf-8",
    )


def contact_sheet(root: Path, out: Path) -> None:
    """Every character in the default pose and two others, with a few mouth shapes: for docs."""
    import sys

    sys.path.insert(0, str(HERE.parent.parent))
    from studio.video.characters import load_character_pack, render_character
    from studio.video.life import Brows, CharacterState, Eyes
    from studio.video.lipsync import Viseme

    height = 520
    states = [
        CharacterState(),
        CharacterState(viseme=Viseme.A, brows=Brows.RAISED, prop="present"),
        CharacterState(viseme=Viseme.O, eyes=Eyes.HALF, prop="envelope"),
        CharacterState(viseme=Viseme.E, brows=Brows.FROWN, prop="refuse"),
        CharacterState(viseme=Viseme.U, eyes=Eyes.CLOSED, prop="phone"),
    ]
    packs = [load_character_pack(root / person.name) for person in PEOPLE]
    cell_w = 260
    sheet = Image.new("RGB", (cell_w * len(states) * 2 + 40, (height + 60) * 2 + 20), (240, 244, 248))
    d = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(FONT), 22)
    for index, pack in enumerate(packs):
        ox = (index % 2) * (cell_w * len(states) + 20) + 10
        oy = (index // 2) * (height + 60) + 10
        d.rounded_rectangle((ox, oy, ox + cell_w * len(states), oy + height + 50), 18, fill=(255, 255, 255))
        for k, state in enumerate(states):
            image = render_character(pack, state, height)
            sheet.paste(image, (ox + k * cell_w + (cell_w - image.width) // 2, oy + 8), image)
        d.text(
            (ox + 16, oy + height + 24),
            f"{pack.name} — {pack.display_name['ky']} / {pack.display_name['ru']}",
            font=font,
            fill=(11, 31, 58),
            anchor="lm",
        )
    sheet.save(out, optimize=True)


def main() -> None:
    for person in PEOPLE:
        make_person(person, HERE)
    make_props(HERE)
    contact_sheet(HERE, HERE.parent.parent / "docs" / "characters.png")


if __name__ == "__main__":
    main()
