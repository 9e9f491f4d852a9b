"""Lip-sync: mouth shapes (visemes) per video frame, from phoneme timings or from the audio.

Pure: numbers in, small integers out. Stable interface:

- `Viseme` (an IntEnum of 10 mouth shapes) and `openness(viseme)` (0 closed … 1 wide open);
- `visemes_from_phonemes(phonemes, fps, n_frames, lang="")` for engines that report phoneme
  timings (espeak-ng's library): exact, from espeak's own mnemonics for ky, ru and en;
- `visemes_from_audio(samples, rate, fps, n_frames)` for engines that do not (the espeak-ng
  program, RHVoice, gTTS): short-time energy for how open, a crude spectral feature (zero
  crossings) for which shape;
- `visemes_for_speech(speech, fps, n_frames, lang="")` picks the first when it can.

Both results are smoothed (`smooth_visemes`): no shape is held for a single frame, so the mouth
never flickers; where there is no voice the mouth is closed (`Viseme.REST`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from studio.voice.speech import PhonemeEvent, Speech


class Viseme(IntEnum):
    """A mouth shape. Each character pack has one ``mouth_<name>`` part per member."""

    REST = 0  # closed, relaxed: silence
    MBP = 1  # lips pressed: m, b, p
    FV = 2  # lower lip under the teeth: f, v
    SZ = 3  # teeth together, lips apart: s, z, sh, ch, ts
    LTD = 4  # slightly open, tongue behind the teeth: l, t, d, n, r, k, g
    I = 5  # noqa: E741 — the vowel's name; wide and narrow: i, ы, j
    U = 6  # small and round: u, ү, w
    E = 7  # half open: e, э
    O = 8  # noqa: E741 — round and open: o, ө
    A = 9  # wide open: a

    @property
    def part_name(self) -> str:
        """The pack part holding this shape, e.g. ``mouth_a``."""
        return f"mouth_{self.name.lower()}"


OPENNESS: dict[Viseme, float] = {
    Viseme.REST: 0.0,
    Viseme.MBP: 0.0,
    Viseme.FV: 0.1,
    Viseme.SZ: 0.15,
    Viseme.LTD: 0.25,
    Viseme.I: 0.45,
    Viseme.U: 0.4,
    Viseme.E: 0.65,
    Viseme.O: 0.8,
    Viseme.A: 1.0,
}


def openness(viseme: Viseme) -> float:
    """How open the mouth is in this shape, 0 (closed) … 1 (wide open)."""
    return OPENNESS[viseme]


# --- from phonemes ---------------------------------------------------------------------------

# espeak-ng mnemonics (stress marks already removed by the voice layer); ";" palatalisation,
# ":" length and "#", "-" variants are stripped before looking up.
_VOWELS: dict[str, Viseme] = {
    "a": Viseme.A, "A": Viseme.A, "V": Viseme.A, "&": Viseme.A, "aa": Viseme.A,
    "@": Viseme.E, "3": Viseme.E, "e": Viseme.E, "E": Viseme.E, "eI": Viseme.E, "e@": Viseme.E,
    "i": Viseme.I, "I": Viseme.I, "i@": Viseme.I, "j": Viseme.I,
    "o": Viseme.O, "O": Viseme.O, "0": Viseme.O, "oU": Viseme.O, "OI": Viseme.O, "o@": Viseme.O,
    "u": Viseme.U, "U": Viseme.U, "w": Viseme.U, "W": Viseme.U, "Y": Viseme.U, "U@": Viseme.U,
    "aI": Viseme.A, "aU": Viseme.A, "a#": Viseme.A,
}  # fmt: skip
_CONSONANTS: dict[str, Viseme] = {
    "p": Viseme.MBP, "b": Viseme.MBP, "m": Viseme.MBP,
    "f": Viseme.FV, "v": Viseme.FV,
    "s": Viseme.SZ, "z": Viseme.SZ, "S": Viseme.SZ, "Z": Viseme.SZ, "ts": Viseme.SZ, "tS": Viseme.SZ,
    "dZ": Viseme.SZ, "s2": Viseme.SZ, "C": Viseme.SZ, "T": Viseme.SZ, "D": Viseme.SZ,
    "t": Viseme.LTD, "d": Viseme.LTD, "n": Viseme.LTD, "l": Viseme.LTD, "L": Viseme.LTD,
    "r": Viseme.LTD, "R": Viseme.LTD, "k": Viseme.LTD, "g": Viseme.LTD, "q": Viseme.LTD,
    "x": Viseme.LTD, "h": Viseme.LTD, "G": Viseme.LTD, "N": Viseme.LTD, "X": Viseme.LTD,
    "Q": Viseme.LTD, "n^": Viseme.LTD, "l^": Viseme.LTD, "r-": Viseme.LTD, "?": Viseme.LTD,
}  # fmt: skip


def viseme_of_phoneme(symbol: str, lang: str = "") -> Viseme:
    """The mouth shape for one espeak-ng phoneme mnemonic in `lang` (ky, ru, en)."""
    base = symbol.strip("'\",;:#-!_=")
    if not base:
        # A bare ";" is Russian's palatal glide, voiced like a short "и".
        return Viseme.I if ";" in symbol else Viseme.REST
    if base.startswith("("):  # a language switch marker, "(en)": no sound
        return Viseme.REST
    # "y" is ү (rounded) for Kyrgyz and most voices but ы (spread) for Russian.
    if base.startswith("y"):
        return Viseme.I if lang == "ru" else Viseme.U
    for table in (_CONSONANTS, _VOWELS):
        if base in table:
            return table[base]
    for table in (_CONSONANTS, _VOWELS):
        # Longest known prefix: "ts;" → "ts", "i@3" → "i@", "aI@" → "aI".
        for length in range(len(base) - 1, 0, -1):
            if base[:length] in table:
                return table[base[:length]]
    return Viseme.LTD


def visemes_from_phonemes(phonemes: Sequence[PhonemeEvent], fps: float, n_frames: int, lang: str = "") -> list[Viseme]:
    """One viseme per frame from timed phonemes (seconds from frame 0's start).

    Each frame takes the shape that covers most of it; a frame mostly in silence is REST.
    """
    _check_frames(fps, n_frames)
    # Time covered per frame and shape: (n_frames, len(Viseme)).
    cover = np.zeros((n_frames, len(Viseme)), dtype=np.float64)
    for event in phonemes:
        shape = viseme_of_phoneme(event.phoneme, lang)
        first = max(0, math.floor(event.start_s * fps))
        last = min(n_frames - 1, math.ceil(event.end_s * fps) - 1)
        for frame in range(first, last + 1):
            overlap = min(event.end_s, (frame + 1) / fps) - max(event.start_s, frame / fps)
            if overlap > 0:
                cover[frame, shape] += overlap
    frame_s = 1.0 / fps
    silence = frame_s - cover.sum(axis=1)
    # Ties go to the more open shape, the one the eye notices.
    order = np.array([openness(v) for v in Viseme]) * 1e-9
    best = np.argmax(cover + order, axis=1)
    result = [Viseme(int(b)) if cover[i].max() >= silence[i] else Viseme.REST for i, b in enumerate(best)]
    return smooth_visemes(result, shortest_run(fps))


# --- from audio ------------------------------------------------------------------------------

SILENCE_DBFS = -45.0  # below this a frame is silence, whatever the speech's level
SPEECH_RANGE_DB = 30.0  # frames this far below the loud frames count as closed


def frame_features(
    samples: npt.NDArray[np.int16], rate: int, fps: float, n_frames: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per frame: level in dBFS and zero-crossing rate (crossings per sample) of the audio under it.

    Frames past the end of the samples are silent (-120 dBFS).
    """
    _check_frames(fps, n_frames)
    audio = samples.astype(np.float64) / 32768.0
    level = np.full(n_frames, -120.0)
    zcr = np.zeros(n_frames)
    for frame in range(n_frames):
        start = round(frame * rate / fps)
        end = min(len(audio), round((frame + 1) * rate / fps))
        if end - start < 8:
            continue
        window = audio[start:end]
        rms = float(np.sqrt(np.mean(window**2)))
        level[frame] = 20 * math.log10(rms) if rms > 1e-6 else -120.0
        signs = np.signbit(window)
        zcr[frame] = float(np.count_nonzero(signs[1:] != signs[:-1])) / (end - start)
    return level, zcr


def visemes_from_audio(samples: npt.NDArray[np.int16], rate: int, fps: float, n_frames: int) -> list[Viseme]:
    """One viseme per frame from the sound alone, for engines without phoneme timings.

    Openness follows the level relative to the speech's loud frames; hiss (many zero
    crossings, little energy) is a fricative (SZ or FV); a short dip inside speech is a lip
    closure (MBP); low, dark sound is rounded (O or U); silence is REST.
    """
    level, zcr = frame_features(samples, rate, fps, n_frames)
    voiced = level > SILENCE_DBFS
    if not voiced.any():
        return [Viseme.REST] * n_frames
    peak = float(np.percentile(level[voiced], 90))
    # 0 … 1: how loud against the speech's own loud frames.
    loud = np.clip((level - (peak - SPEECH_RANGE_DB)) / SPEECH_RANGE_DB, 0.0, 1.0)
    voiced_zcr = zcr[voiced]
    hiss = float(np.percentile(voiced_zcr, 80)) if len(voiced_zcr) else 1.0
    dark = float(np.percentile(voiced_zcr, 25)) if len(voiced_zcr) else 0.0
    result: list[Viseme] = []
    for frame in range(n_frames):
        if not voiced[frame] or loud[frame] < 0.15:
            result.append(Viseme.REST)
            continue
        value = float(loud[frame])
        if zcr[frame] >= hiss and value < 0.75:
            result.append(Viseme.SZ if zcr[frame] > 1.5 * hiss or value > 0.4 else Viseme.FV)
        elif value >= 0.8:
            result.append(Viseme.O if zcr[frame] <= dark else Viseme.A)
        elif value >= 0.6:
            result.append(Viseme.U if zcr[frame] <= dark else Viseme.E)
        elif value >= 0.35:
            result.append(Viseme.LTD if zcr[frame] > dark else Viseme.I)
        else:
            result.append(Viseme.MBP)
    # A closed frame between two open ones inside speech is a lip closure, not silence.
    for frame in range(1, n_frames - 1):
        if result[frame] == Viseme.REST and voiced[frame] and result[frame - 1] != Viseme.REST:
            result[frame] = Viseme.MBP
    return smooth_visemes(result, shortest_run(fps))


def visemes_for_speech(speech: Speech, fps: float, n_frames: int, lang: str = "") -> list[Viseme]:
    """The engine's phoneme timings when it gave them, else the audio."""
    if speech.phonemes:
        return visemes_from_phonemes(speech.phonemes, fps, n_frames, lang)
    return visemes_from_audio(speech.samples, speech.sample_rate_hz, fps, n_frames)


# --- smoothing -------------------------------------------------------------------------------


#: The shortest a mouth shape shows: two frames at 30 fps, held on twos; one in a 15 fps draft, so
#: that a draft's mouth changes as often as the final video's.
MIN_SHAPE_S = 1 / 15


def shortest_run(fps: float) -> int:
    """The fewest frames a mouth shape holds at ``fps`` (see MIN_SHAPE_S)."""
    return max(1, round(fps * MIN_SHAPE_S))


def smooth_visemes(visemes: Sequence[Viseme], min_run: int = 2) -> list[Viseme]:
    """Hold every shape at least `min_run` frames: a one-frame shape is a flicker.

    A short lip closure (MBP) is what the eye reads as "p" or "m", so it takes a frame from
    its longer neighbour; any other short shape becomes the neighbour closest in openness.
    """
    frames = list(visemes)
    if len(frames) < min_run:
        return [Viseme.REST] * len(frames) if Viseme.REST in frames else frames
    changed = True
    while changed:
        changed = False
        runs = _runs(frames)
        for index, (start, length, shape) in enumerate(runs):
            if length >= min_run:
                continue
            before = runs[index - 1] if index > 0 else None
            after = runs[index + 1] if index + 1 < len(runs) else None
            longer = max((run for run in (before, after) if run), key=lambda run: run[1], default=None)
            if shape == Viseme.MBP and longer is not None and longer[1] > min_run:
                # Grow the closure into the longer neighbour.
                if longer is before:
                    frames[start - 1] = shape
                else:
                    frames[start + length] = shape
            else:
                choices = [run for run in (before, after) if run]
                if not choices:
                    continue
                target = min(choices, key=lambda run: (abs(openness(run[2]) - openness(shape)), -run[1]))
                for frame in range(start, start + length):
                    frames[frame] = target[2]
            changed = True
            break
    return frames


def _runs(frames: Sequence[Viseme]) -> list[tuple[int, int, Viseme]]:
    runs: list[tuple[int, int, Viseme]] = []
    start = 0
    for index in range(1, len(frames) + 1):
        if index == len(frames) or frames[index] != frames[start]:
            runs.append((start, index - start, frames[start]))
            start = index
    return runs


def openness_track(visemes: Sequence[Viseme]) -> npt.NDArray[np.float64]:
    """Openness per frame, for measuring lip-sync against the audio."""
    return np.array([openness(v) for v in visemes], dtype=np.float64)


def _check_frames(fps: float, n_frames: int) -> None:
    if fps <= 0:
        raise ValueError(f"fps must be > 0, got {fps}")
    if n_frames < 0:
        raise ValueError(f"n_frames must be >= 0, got {n_frames}")
