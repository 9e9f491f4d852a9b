"""Print profiles: the press a print file is made for. Pure data.

A profile names its ICC output profile (``assets/icc/``), the total ink limit, how the press spreads
ink (dot gain at 50 %, the halftone screen ruling, blur) for the QR press simulation, the recipe for
large black areas (rich black) and the smallest text the paper holds. ``rgb`` keeps the RGB PDF for
digital printers that take sRGB.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Near-black colours (relative luminance at or below this) print as pure black (K only) in text and
#: QR modules: four-colour small text fringes when the plates are a hair out of register.
KEY_LUMINANCE = 0.06

#: Fills this large (mm²) in near-neutral black print as rich black: K alone looks grey on large areas.
RICH_BLACK_MIN_AREA_MM2 = 400.0

POINT_MM = 25.4 / 72


@dataclass(frozen=True)
class PrintProfile:
    name: str
    description: dict[str, str]  # per report language (ky, ru) and en for messages
    icc_file: str | None  # under assets/icc/; None: RGB
    condition: str = ""  # OutputConditionIdentifier in the ICC registry
    condition_info: str = ""
    ink_limit: int = 300  # total area coverage, %
    dot_gain: float = 0.0  # tone value increase at 50 %, as a fraction
    lpi: int = 150  # halftone screen ruling
    blur_mm: float = 0.0  # ink spread into paper and the camera's optics, Gaussian sigma
    paper: float = 1.0  # reflectance of the paper
    solid_black: float = 0.0  # reflectance of a solid black patch
    rich_black: tuple[int, int, int, int] = (0, 0, 0, 255)  # C, M, Y, K (0-255) for large black fills
    min_text_pt: float = 0.0  # smallest type the paper holds, whatever the reading distance

    @property
    def is_cmyk(self) -> bool:
        return self.icc_file is not None

    @property
    def min_text_mm(self) -> float:
        return self.min_text_pt * POINT_MM


def _pct(*inks: int) -> tuple[int, int, int, int]:
    c, m, y, k = (round(v * 255 / 100) for v in inks)
    return (c, m, y, k)


PROFILES: dict[str, PrintProfile] = {
    p.name: p
    for p in (
        PrintProfile(
            "coated",
            {
                "en": "coated paper, sheet-fed offset (FOGRA39)",
                "ky": "жылмакай кагаз, офсет (FOGRA39)",
                "ru": "мелованная бумага, офсет (FOGRA39)",
            },
            "taza-coated-fogra39.icc",
            condition="FOGRA39",
            condition_info="Coated FOGRA39 (ISO 12647-2:2004 Amd 1), paper type 1/2, 300 % ink",
            ink_limit=300,
            dot_gain=0.14,
            lpi=150,
            blur_mm=0.03,
            paper=0.88,
            solid_black=0.03,
            rich_black=_pct(60, 40, 40, 100),
        ),
        PrintProfile(
            "uncoated",
            {
                "en": "uncoated offset paper (FOGRA29)",
                "ky": "жылмаланбаган кагаз, офсет (FOGRA29)",
                "ru": "немелованная бумага, офсет (FOGRA29)",
            },
            "taza-uncoated-fogra29.icc",
            condition="FOGRA29",
            condition_info="Uncoated FOGRA29 (ISO 12647-2:2004), paper type 4, 280 % ink",
            ink_limit=280,
            dot_gain=0.18,
            lpi=120,
            blur_mm=0.05,
            paper=0.85,
            solid_black=0.05,
            rich_black=_pct(50, 40, 40, 100),
            min_text_pt=6.0,
        ),
        PrintProfile(
            "newsprint",
            {
                "en": "newsprint, coldset offset (CGATS TR 002)",
                "ky": "гезит кагазы, колдсет офсет (CGATS TR 002)",
                "ru": "газетная бумага, колдсет офсет (CGATS TR 002)",
            },
            "taza-newsprint-snap.icc",
            condition="CGATS TR 002",
            condition_info="Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007), 240 % ink",
            ink_limit=240,
            dot_gain=0.26,
            lpi=85,
            blur_mm=0.08,
            paper=0.60,
            solid_black=0.08,
            rich_black=_pct(40, 30, 30, 100),
            # Coldset ink spreads into newsprint and fills the counters of smaller type.
            min_text_pt=8.0,
        ),
        PrintProfile(
            "rgb",
            {
                "en": "RGB for digital printers (sRGB)",
                "ky": "санариптик принтер үчүн RGB (sRGB)",
                "ru": "RGB для цифровой печати (sRGB)",
            },
            None,
        ),
    )
}

DEFAULT_PROFILE = "rgb"


def profile_names() -> str:
    return ", ".join(f"{p.name} ({p.description['en']})" for p in PROFILES.values())


def get_profile(name: str) -> PrintProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f'unknown print profile "{name}"; known: {profile_names()}') from None
