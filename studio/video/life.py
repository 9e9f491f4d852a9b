"""Life for synthetic characters: lip-sync, blinks, breathing, head movement, listening.

Pure and deterministic: the same speech, fps and seed give the same frames. Stable interface:

- `CharacterState` (frozen, hashable): viseme, eyes, brows, head offset, body bob, emphasis,
  prop. Every field is a small integer or enum, so a whole scene has few DISTINCT states; a
  renderer draws each distinct state once (`studio.video.characters.render_character`, cached)
  and sequences them, never compositing a full frame per frame in Python.
- `SpeechSegment(start_s, speech, lang)`: one line a character says, placed on the scene's
  timeline (seconds from the scene's frame 0).
- `character_track(own, others, fps, n_frames, seed, ...) -> list[CharacterState]`: one state
  per frame. The mouth follows the character's own speech (phoneme timings when the engine
  gave them, the audio otherwise) and is closed at all other times; eyes blink every 2–6 s;
  the body breathes (0–3 px bob at the pack's own scale); the head moves a little, more while
  speaking; while someone else speaks the character listens: nods at the end of their lines,
  raises the brows now and then, blinks after a nod. `emphasis` is True while the character
  speaks (a renderer may bring the speaker forward or light them).
- `with_prop(track, prop, first_frame, last_frame)` puts a prop (a pose of the pack, e.g.
  ``"envelope"``) in the character's hands for a range of frames.

Offsets are in the pack's own pixels (`CharacterPack.size_px`); `render_character` scales them.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np

from studio.video.lipsync import Viseme, shortest_run, smooth_visemes, visemes_for_speech
from studio.voice.speech import PhonemeEvent, Speech


class Eyes(IntEnum):
    OPEN = 0
    HALF = 1
    CLOSED = 2


class Brows(IntEnum):
    NEUTRAL = 0
    RAISED = 1
    FROWN = 2


@dataclass(frozen=True)
class CharacterState:
    """How a character looks in one frame. Hashable: equal states render identically."""

    viseme: Viseme = Viseme.REST
    eyes: Eyes = Eyes.OPEN
    brows: Brows = Brows.NEUTRAL
    head_dx: int = 0
    head_dy: int = 0
    bob: int = 0
    emphasis: bool = False
    prop: str | None = None


@dataclass(frozen=True, eq=False)
class SpeechSegment:
    """A line spoken by one character, starting `start_s` seconds into the scene."""

    start_s: float
    speech: Speech
    lang: str = ""

    @property
    def end_s(self) -> float:
        return self.start_s + self.speech.duration_s


Span = tuple[float, float]

BLINK_INTERVAL_S = (2.0, 6.0)
BREATH_PERIOD_S = (3.4, 4.6)
MAX_BOB_PX = 3
# Head offsets in pack pixels: small steps, few distinct values.
HEAD_DX_PX = (-6, -3, 0, 3, 6)
HEAD_DY_PX = (-3, 0, 3)
NOD_PX = (4, 9, 9, 4)  # head down and back up over four steps
EMPHASIS_GAP_S = 0.6  # pauses shorter than this between one's own lines keep the emphasis


def rng_for(seed: str | int) -> random.Random:
    """A generator seeded by a stable hash (Python's own str hash changes between runs)."""
    digest = hashlib.sha256(str(seed).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def mouth_track(own: Sequence[SpeechSegment], fps: float, n_frames: int) -> list[Viseme]:
    """Visemes for the whole scene: each segment lip-synced where it sits, REST elsewhere."""
    track = [Viseme.REST] * n_frames
    for segment in own:
        first = max(0, math.floor(segment.start_s * fps))
        if first >= n_frames:
            continue
        lead_s = segment.start_s - first / fps  # where the speech starts inside frame `first`
        count = min(n_frames - first, math.ceil((lead_s + segment.speech.duration_s) * fps) + 1)
        speech = _delayed(segment.speech, lead_s)
        local = visemes_for_speech(speech, fps, count, segment.lang)
        for index, shape in enumerate(local):
            if shape != Viseme.REST:
                track[first + index] = shape
    return smooth_visemes(track, shortest_run(fps))


def _delayed(speech: Speech, lead_s: float) -> Speech:
    """The speech starting `lead_s` later (silence before it), events moved with it."""
    if lead_s <= 0:
        return speech
    pad = np.zeros(round(lead_s * speech.sample_rate_hz), dtype=np.int16)
    phonemes = tuple(
        PhonemeEvent(event.start_s + lead_s, event.end_s + lead_s, event.phoneme) for event in speech.phonemes
    )
    return Speech(np.concatenate([pad, speech.samples]), speech.sample_rate_hz, phonemes, ())


def _spans(segments: Sequence[SpeechSegment | Span]) -> list[Span]:
    spans = [(s.start_s, s.end_s) if isinstance(s, SpeechSegment) else (float(s[0]), float(s[1])) for s in segments]
    return sorted(spans)


def _merge(spans: list[Span], gap_s: float) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start - merged[-1][1] < gap_s:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _frames(span: Span, fps: float, n_frames: int) -> range:
    return range(max(0, math.floor(span[0] * fps)), min(n_frames, math.ceil(span[1] * fps)))


def character_track(
    own: Sequence[SpeechSegment],
    others: Sequence[SpeechSegment | Span],
    fps: float,
    n_frames: int,
    seed: str | int,
    *,
    brows: Brows = Brows.NEUTRAL,
    prop: str | None = None,
) -> list[CharacterState]:
    """One `CharacterState` per frame for a character in a scene.

    `own` are the character's lines, `others` the lines (or (start_s, end_s) spans) of everyone
    else in the scene; `seed` should name the character and the scene (``"official/scene-3"``)
    so two characters in one scene, or one character in two scenes, do not blink in step.
    `brows` is the resting expression (FROWN for a stern official), `prop` a pose held
    throughout (see `with_prop` for part of a scene).
    """
    if fps <= 0 or n_frames < 0:
        raise ValueError(f"need fps > 0 and n_frames >= 0, got fps={fps}, n_frames={n_frames}")
    rng = rng_for(seed)
    mouth = mouth_track(own, fps, n_frames)
    speaking = [False] * n_frames
    for span in _merge(_spans(own), EMPHASIS_GAP_S):
        for frame in _frames(span, fps, n_frames):
            speaking[frame] = True
    listening = [False] * n_frames
    other_spans = _merge(_spans(others), 0.2)
    for span in other_spans:
        for frame in _frames(span, fps, n_frames):
            listening[frame] = not speaking[frame]

    eyes = [Eyes.OPEN] * n_frames
    brow = [brows] * n_frames
    head_dy_extra = [0] * n_frames

    def blink_at(frame: int) -> None:
        half = max(1, round(0.04 * fps))
        closed = max(1, round(0.07 * fps))
        sequence = [Eyes.HALF] * half + [Eyes.CLOSED] * closed + [Eyes.HALF] * half
        for offset, state in enumerate(sequence):
            if 0 <= frame + offset < n_frames:
                eyes[frame + offset] = state

    # Blinks every 2–6 s, the first one early so a short scene still blinks.
    t = rng.uniform(0.6, 2.5)
    while t * fps < n_frames:
        blink_at(math.floor(t * fps))
        t += rng.uniform(*BLINK_INTERVAL_S)

    # The speaker raises the brows at the start of some lines: a visible "listen to me".
    for span in _merge(_spans(own), EMPHASIS_GAP_S):
        if rng.random() < 0.6:
            start = math.floor(span[0] * fps)
            for frame in range(start, min(n_frames, start + round(0.5 * fps))):
                brow[frame] = Brows.RAISED

    # The listener nods at the end of the other's lines, blinks after, raises brows mid-line.
    step = max(1, round(0.08 * fps))
    for span in other_spans:
        end = math.floor(span[1] * fps)
        if rng.random() < 0.8:
            start = end - len(NOD_PX) * step
            for index, depth in enumerate(NOD_PX):
                for frame in range(start + index * step, start + (index + 1) * step):
                    if 0 <= frame < n_frames and listening[frame]:
                        head_dy_extra[frame] = depth
            if rng.random() < 0.5:
                blink_at(end + 1)
        if span[1] - span[0] > 2.0 and rng.random() < 0.5:
            middle = math.floor(rng.uniform(span[0] + 0.5, span[1] - 1.2) * fps)
            for frame in range(middle, min(n_frames, middle + round(0.7 * fps))):
                if 0 <= frame < n_frames and listening[frame]:
                    brow[frame] = Brows.RAISED

    # Breathing: a slow sine quantised to whole pixels.
    period = rng.uniform(*BREATH_PERIOD_S)
    phase = rng.uniform(0, 2 * math.pi)
    bob = [round(MAX_BOB_PX / 2 * (1 + math.sin(2 * math.pi * f / fps / period + phase))) for f in range(n_frames)]

    # Head: holds a pose, then moves to a neighbouring one; more often while speaking.
    head_dx = [0] * n_frames
    head_dy = [0] * n_frames
    pose = (2, 1)  # indices into HEAD_DX_PX, HEAD_DY_PX: centred
    frame = 0
    while frame < n_frames:
        hold = rng.uniform(0.5, 1.4) if speaking[frame] else rng.uniform(1.8, 4.0)
        end = min(n_frames, frame + max(1, round(hold * fps)))
        for f in range(frame, end):
            head_dx[f] = HEAD_DX_PX[pose[0]]
            head_dy[f] = HEAD_DY_PX[pose[1]]
        frame = end
        if frame < n_frames:
            spread = 2 if speaking[frame] else 1
            pose = (
                min(len(HEAD_DX_PX) - 1, max(0, pose[0] + rng.randint(-spread, spread))),
                min(len(HEAD_DY_PX) - 1, max(0, pose[1] + rng.randint(-1, 1))),
            )

    return [
        CharacterState(
            viseme=mouth[f],
            eyes=eyes[f],
            brows=brow[f],
            head_dx=head_dx[f],
            head_dy=head_dy[f] + head_dy_extra[f],
            bob=bob[f],
            emphasis=speaking[f],
            prop=prop,
        )
        for f in range(n_frames)
    ]


def with_prop(
    track: Sequence[CharacterState], prop: str | None, first_frame: int, last_frame: int
) -> list[CharacterState]:
    """The track with `prop` held from `first_frame` to `last_frame` inclusive (None puts it down)."""
    return [
        replace(state, prop=prop) if first_frame <= index <= last_frame else state for index, state in enumerate(track)
    ]
