"""Named output formats: size, medium, safe zone and the distances that size text and QR codes.

Pure data. Print formats are defined by their trimmed physical size; the canvas adds the bleed on
every side. Screen formats are pixel sizes with the platform's safe zone (where its own buttons and
captions do not cover the design).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

MM_PER_INCH = 25.4

#: Minimum font size per metre of viewing distance, in millimetres. A cap height of about 2.5 mm per
#: metre keeps a line readable at that distance (≈1 inch per 33 ft); Noto Sans' cap height is 0.714 em.
MIN_FONT_MM_PER_M = 3.5

#: A QR code (its modules, quiet zone excluded) should be about a tenth of the distance it is scanned
#: from: a phone camera resolves it reliably up to ten times its width.
QR_WIDTH_PER_SCAN_DISTANCE = 0.10


@dataclass(frozen=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class AudioSpec:
    """How an audio format is delivered: container, loudness target and, for radio, the exact slot length."""

    extension: str  # "wav", "mp3", "ogg"
    media_type: str
    codec: tuple[str, ...]  # ffmpeg output options
    rate_hz: int
    channels: int
    loudness_lufs: float  # EBU R128 integrated loudness
    true_peak_dbtp: float  # the ceiling no (inter-sample) peak may pass
    slot_s: float | None = None  # exact length (radio); None: as long as the script
    chapters: bool = False  # a chapter per scene (podcasts)


@dataclass(frozen=True)
class Format:
    name: str
    medium: Literal["screen", "print", "audio"]
    description: str
    width_px: int  # trimmed size (print) or full size (screen)
    height_px: int
    safe_px: Insets  # inside the trimmed area
    dpi: int = 72
    bleed_mm: float = 0.0
    viewing_distance_m: float = 0.4
    scan_distance_m: float = 0.3
    #: A floor for text size set by the paper, not the distance (newsprint fills small counters).
    min_text_mm: float = 0.0
    grayscale: bool = False  # printed in black only (a newspaper's grayscale pages)
    audio: AudioSpec | None = None  # audio formats only

    @property
    def is_audio(self) -> bool:
        return self.medium == "audio"

    @property
    def is_print(self) -> bool:
        return self.medium == "print"

    @property
    def bleed_px(self) -> int:
        return round(self.bleed_mm / MM_PER_INCH * self.dpi)

    @property
    def canvas_px(self) -> tuple[int, int]:
        """Size of the drawn canvas: the trimmed size plus bleed on every side."""
        return (self.width_px + 2 * self.bleed_px, self.height_px + 2 * self.bleed_px)

    @property
    def trim_mm(self) -> tuple[float, float]:
        return (self.width_px / self.dpi * MM_PER_INCH, self.height_px / self.dpi * MM_PER_INCH)

    def px_to_mm(self, px: float) -> float:
        return px / self.dpi * MM_PER_INCH

    def mm_to_px(self, mm: float) -> float:
        return mm / MM_PER_INCH * self.dpi

    @property
    def min_text_px(self) -> int:
        """The smallest font size still readable at this format's viewing distance."""
        if self.is_print:
            distance = round(self.mm_to_px(MIN_FONT_MM_PER_M * self.viewing_distance_m))
            # The paper's floor is a hard minimum: round it up, never below.
            return max(distance, math.ceil(self.mm_to_px(self.min_text_mm) - 1e-6))
        # Screens: a feed post is seen at phone width; below ~2.6 % of the short side text is a blur.
        return max(18, round(0.026 * min(self.width_px, self.height_px)))

    @property
    def min_qr_px(self) -> int:
        """The smallest QR code (modules only) that scans at this format's scanning distance."""
        if self.is_print:
            return round(self.mm_to_px(QR_WIDTH_PER_SCAN_DISTANCE * self.scan_distance_m * 1000))
        # On screens the code is scanned off another screen held close or from a screenshot.
        return round(0.16 * min(self.width_px, self.height_px))


def _screen(name: str, w: int, h: int, safe: tuple[int, int, int, int], description: str) -> Format:
    return Format(name, "screen", description, w, h, Insets(*safe), viewing_distance_m=0.4)


def _print(
    name: str,
    w_mm: float,
    h_mm: float,
    dpi: int,
    margin_mm: float,
    viewing_m: float,
    scan_m: float,
    description: str,
) -> Format:
    w_px, h_px = round(w_mm / MM_PER_INCH * dpi), round(h_mm / MM_PER_INCH * dpi)
    margin = round(margin_mm / MM_PER_INCH * dpi)
    return Format(
        name,
        "print",
        description,
        w_px,
        h_px,
        Insets(margin, margin, margin, margin),
        dpi=dpi,
        bleed_mm=3.0,
        viewing_distance_m=viewing_m,
        scan_distance_m=scan_m,
    )


def _radio(slot_s: int) -> Format:
    # Broadcast WAV as stations take it: 48 kHz 16-bit PCM, EBU R128 −23 LUFS, true peak ≤ −1 dBTP.
    spec = AudioSpec("wav", "audio/wav", ("-c:a", "pcm_s16le"), 48_000, 2, -23.0, -1.0, slot_s=float(slot_s))
    return Format(f"radio-spot-{slot_s}", "audio", f"Radio spot, exactly {slot_s} s, WAV 48 kHz, −23 LUFS", 0, 0,
                  Insets(0, 0, 0, 0), audio=spec)  # fmt: skip


#: Podcast apps normalise to about −16 LUFS; MP3 plays everywhere and carries ID3 chapters. VBR quality 2
#: (~190 kbit/s): 128 kbit/s CBR loses ~0.5 LU of loudness to its low-pass filter.
_PODCAST = AudioSpec("mp3", "audio/mpeg", ("-c:a", "libmp3lame", "-b:a", "128k"), 48_000, 2, -16.0, -1.5, chapters=True)
#: Telegram and WhatsApp voice notes: Ogg Opus, mono, speech bitrate.
_MESSENGER = AudioSpec(
    "ogg", "audio/ogg", ("-c:a", "libopus", "-b:a", "48k", "-application", "voip"), 48_000, 1, -16.0, -1.5
)

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _screen("instagram-post", 1080, 1080, (64, 64, 64, 64), "Instagram / Facebook feed, 1:1"),
        _screen("instagram-portrait", 1080, 1350, (64, 64, 64, 64), "Instagram feed, 4:5"),
        # Stories and reels: the top 250 px carry the account bar, the bottom 340 px the reply box.
        _screen("story", 1080, 1920, (64, 250, 64, 340), "Instagram / Facebook / WhatsApp story, 9:16"),
        _screen("facebook-link", 1200, 630, (48, 40, 48, 40), "Facebook / Telegram link preview, 1.91:1"),
        _screen("x-post", 1600, 900, (64, 56, 64, 56), "X / Telegram post, 16:9"),
        _screen("youtube", 1920, 1080, (96, 54, 96, 54), "YouTube, 16:9 (title-safe 90 %)"),
        _screen("square", 1080, 1080, (64, 64, 64, 64), "Square video, 1:1"),
        _print("a4", 210, 297, 300, 8, 1.0, 0.5, "A4 poster, 300 dpi"),
        _print("a3", 297, 420, 300, 10, 1.5, 0.6, "A3 poster, 300 dpi"),
        _print("a2", 420, 594, 300, 12, 2.0, 1.0, "A2 poster, 300 dpi"),
        # Large prints are seen from afar: 150 and 100 dpi are finer than the eye resolves there.
        _print("street-banner-3x1m", 3000, 1000, 150, 50, 8.0, 3.0, "Street banner 3 × 1 m, 150 dpi"),
        _print("billboard-6x3m", 6000, 3000, 100, 150, 25.0, 8.0, "Billboard 6 × 3 m, 100 dpi"),
        _radio(15),
        _radio(30),
        _radio(60),
        Format(
            "podcast", "audio", "Podcast episode, MP3 with chapters, −16 LUFS", 0, 0, Insets(0, 0, 0, 0), audio=_PODCAST
        ),  # fmt: skip
        Format(
            "messenger",
            "audio",
            "Telegram / WhatsApp voice note, Ogg Opus, −16 LUFS",
            0,
            0,
            Insets(0, 0, 0, 0),
            audio=_MESSENGER,
        ),  # fmt: skip
        # Booklets are read in the hand and typeset as vectors; the dpi sizes their previews only.
        _print("a5-booklet", 148, 210, 150, 14, 0.35, 0.25, "A5 booklet, saddle-stitched (8, 12 or 16 pages)"),
        _print("dl-trifold", 99, 210, 150, 8, 0.35, 0.25, "DL tri-fold leaflet: an A4 sheet folded in three"),
    )
}

#: Newspaper ads: read at arm's length, scanned from about 20 cm; 300 dpi, no bleed (the ad sits in a
#: page), a margin inside the module of 2.5 % of its long side (at least 3 mm, as posters have); type no
#: smaller than 8 pt on newsprint.
NEWSPAPER_DPI = 300
NEWSPAPER_MARGIN_MM = 3.0
NEWSPAPER_MARGIN_SHARE = 0.025
NEWSPAPER_MIN_TEXT_MM = 8 * MM_PER_INCH / 72


#: Newspaper ad formats are named ``newspaper-MODULE`` (and ``newspaper-MODULE-gray``) after the campaign's grid.
NEWSPAPER_PREFIX = "newspaper-"
GRAY_SUFFIX = "-gray"


def newspaper_format(name: str, w_mm: float, h_mm: float, grayscale: bool, paper: str | None = None) -> Format:
    """A newspaper ad module of ``w_mm`` × ``h_mm`` (from the campaign's module grid)."""
    base = _print(
        name,
        w_mm,
        h_mm,
        NEWSPAPER_DPI,
        max(NEWSPAPER_MARGIN_MM, NEWSPAPER_MARGIN_SHARE * max(w_mm, h_mm)),
        0.4,
        0.2,
        f"{paper or 'Newspaper'} ad {w_mm:g} × {h_mm:g} mm{', grayscale' if grayscale else ''}",
    )
    return replace(base, bleed_mm=0.0, min_text_mm=NEWSPAPER_MIN_TEXT_MM, grayscale=grayscale)


SOCIAL_FORMATS = ("instagram-post", "instagram-portrait", "story", "facebook-link", "x-post")
PRINT_FORMATS = ("a4", "a3", "a2", "street-banner-3x1m", "billboard-6x3m")
VIDEO_FORMATS = ("youtube", "story", "square")
AUDIO_FORMATS = ("radio-spot-15", "radio-spot-30", "radio-spot-60", "podcast", "messenger")
INFOGRAPHIC_FORMATS = ("instagram-post", "instagram-portrait", "story", "a4", "a3")
BOOKLET_FORMATS = ("a5-booklet", "dl-trifold")
#: Saddle-stitched booklets: the page counts offered (a multiple of 4, one folded sheet per 4 pages).
BOOKLET_PAGE_COUNTS = (8, 12, 16)
#: A DL tri-fold is one sheet, six panels.
TRIFOLD_PAGES = 6


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f'unknown format "{name}"; known: {", ".join(FORMATS)}') from None
