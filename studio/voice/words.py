"""Word timings for any engine: the engine's own when it reports them, else estimated from the audio.

`word_events(text, speech)` gives one `WordEvent` per written word of `text` (punctuation
stripped, as captions show them). espeak-ng's library reports exact word positions; for the
espeak-ng program, RHVoice and gTTS the words are laid over the voiced part of the audio in
proportion to their length, split at the pauses that punctuation makes. Pure: numpy only.
"""

from __future__ import annotations

import re

import numpy as np

from studio.voice.speech import Speech, WordEvent

FRAME_S = 0.01
PAUSE_S = 0.12  # a silence this long inside speech is a pause between words
_TOKEN = re.compile(r"\S+")
_PUNCTUATION = ".,;:!?…—–-\"'«»„“”()[]"
_BREAK = re.compile(r"[.,;:!?…—–]$")


def written_words(text: str) -> list[str]:
    """The words of `text` as captions show them: split at spaces, punctuation stripped."""
    words = (token.strip(_PUNCTUATION) for token in _TOKEN.findall(text))
    return [word for word in words if word]


def _weight(word: str) -> float:
    # Digits are read as whole number words: "2024" is far longer to say than to write.
    return sum(3.0 if ch.isdigit() else 1.0 for ch in word) + 1.0


def _voiced_runs(speech: Speech) -> list[tuple[float, float]]:
    """Stretches of voice, in seconds, split at pauses of at least PAUSE_S."""
    frame = max(1, round(speech.sample_rate_hz * FRAME_S))
    count = len(speech.samples) // frame
    if count == 0:
        return []
    blocks = speech.samples[: count * frame].astype(np.float64).reshape(count, frame) / 32768
    level = 20 * np.log10(np.sqrt(np.mean(blocks**2, axis=1)) + 1e-9)
    loud = level > max(-45.0, float(level.max()) - 35.0)
    step = frame / speech.sample_rate_hz  # a frame's exact length in seconds
    runs: list[tuple[float, float]] = []
    start = None
    gap = 0
    for index, on in enumerate(loud):
        if on:
            if start is None:
                start = index
            gap = 0
        elif start is not None:
            gap += 1
            if gap * step >= PAUSE_S:
                runs.append((start * step, (index - gap + 1) * step))
                start, gap = None, 0
    if start is not None:
        runs.append((start * step, (count - gap) * step))
    return runs


def estimate_word_events(text: str, speech: Speech) -> tuple[WordEvent, ...]:
    """Lay the written words over the voiced audio, in proportion to their length.

    When the audio has as many pauses as the text has punctuation breaks, each phrase gets
    its own stretch of voice; otherwise all words share the voiced time.
    """
    tokens = [token for token in _TOKEN.findall(text) if token.strip(_PUNCTUATION)]
    runs = _voiced_runs(speech)
    if not tokens or not runs:
        return ()
    phrases: list[list[str]] = [[]]
    for index, token in enumerate(tokens):
        phrases[-1].append(token)
        if _BREAK.search(token) and index + 1 < len(tokens):
            phrases.append([])
    if len(phrases) == len(runs):
        groups = list(zip(phrases, [[run] for run in runs], strict=True))
    else:
        groups = [(tokens, runs)]
    events: list[WordEvent] = []
    for group_tokens, group_runs in groups:
        words = [token.strip(_PUNCTUATION) for token in group_tokens]
        weights = np.array([_weight(word) for word in words])
        voiced = sum(end - start for start, end in group_runs)
        edges = np.concatenate([[0.0], np.cumsum(weights) / weights.sum() * voiced])
        times = [_voiced_to_real(float(edge), group_runs) for edge in edges]
        for index, word in enumerate(words):
            start, end = times[index], times[index + 1]
            if end > start:
                events.append(WordEvent(start, end, word))
    return tuple(events)


def _voiced_to_real(position: float, runs: list[tuple[float, float]]) -> float:
    """A position along the voiced time only → seconds in the audio."""
    for start, end in runs:
        if position <= end - start + 1e-9:
            return start + position
        position -= end - start
    return runs[-1][1]


def word_events(text: str, speech: Speech) -> tuple[WordEvent, ...]:
    """One timed event per written word of `text` (what a caption shows).

    With the engine's word timings: taken as they are when the engine spoke the same words;
    when it spoke a normalised text ("2024-жылы" said as five words), each written word takes
    the stretch of the spoken words at the same relative place. Without them: estimated
    from the audio (`estimate_word_events`).
    """
    if not speech.words:
        return estimate_word_events(text, speech)
    written = written_words(text)
    spoken = speech.words
    if [word.text for word in spoken] == written:
        return spoken
    if not written:
        return ()
    # Knots of a piecewise-linear map from "how far into the words" to seconds.
    spoken_weights = np.array([_weight(word.text) for word in spoken])
    knots_x = [0.0]
    knots_t = [spoken[0].start_s]
    total = 0.0
    for said, weight in zip(spoken, spoken_weights, strict=True):
        knots_x.extend([total + 1e-6, total + float(weight)])
        knots_t.extend([said.start_s, said.end_s])
        total += float(weight)
    written_weights = np.array([_weight(word) for word in written])
    edges = np.concatenate([[0.0], np.cumsum(written_weights)]) / written_weights.sum() * total
    times = np.interp(edges, knots_x, knots_t)
    events: list[WordEvent] = []
    for index, word in enumerate(written):
        start = float(times[index])
        end = float(times[index + 1])
        events.append(WordEvent(start, max(end, start + 1e-3), word))
    return tuple(events)
