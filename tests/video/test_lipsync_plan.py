"""Lip-sync measured, not assumed: in the planned dialogue, each character's mouth opening per frame
follows its own speaker's speech energy, and stays closed while only the other one speaks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.campaign import load_campaign
from studio.plan import Job
from studio.quarters import Quarter
from studio.video.cast import mouth_openness
from studio.video.explainer import VideoOptions, plan_video
from studio.video.plan import CharacterPicture, VideoPlan
from tests.conftest import SAMPLE


def speech_energy(plan: VideoPlan, voiced, speaker: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    """RMS of ``speaker``'s own audio under each video frame."""
    energy = np.zeros(plan.frames)
    for clip in plan.voice:
        if clip.speaker != speaker:
            continue
        said = voiced.speech(clip.ref)
        samples = said.samples.astype(np.float64) / 32768.0
        per_frame = said.sample_rate_hz / plan.fps
        first = round(clip.start_s * plan.fps)
        for k in range(int(len(samples) / per_frame)):
            chunk = samples[int(k * per_frame) : int((k + 1) * per_frame)]
            if first + k < plan.frames:
                energy[first + k] = np.sqrt(np.mean(chunk**2))
    return energy


def mouth(plan: VideoPlan, speaker: str, scene_start: int, scene_end: int) -> np.ndarray:
    track = next(
        t
        for t in plan.sprites
        if t.role == "character" and t.speaker == speaker and t.start_f <= scene_start < scene_end <= t.end_f
    )
    opening = []
    for f in range(scene_start, scene_end):
        spec = plan.pictures[track.picture_at(f)]  # type: ignore[index]
        assert isinstance(spec, CharacterPicture)
        opening.append(mouth_openness(spec.state))
    return np.array(opening)


CASES = [
    ("what-is-a-bribe-video", "2026Q1", ("official", "citizen")),  # at the counter
    ("fake-call-video", "2026Q2", ("caller", "citizen")),  # the caller on a phone's screen
]


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize(("deliverable", "quarter", "pair"), CASES)
def test_mouths_follow_their_own_speakers_speech(
    deliverable: str, quarter: str, pair: tuple[str, str], lang: str, speech_cache: Path
) -> None:
    campaign = load_campaign(SAMPLE)
    job = Job(Quarter.parse(quarter), deliverable, lang, "youtube", "video")
    _script, voiced, plan, _settings, _url = plan_video(campaign, job, VideoOptions(speech_cache))
    scene = next(s for s in plan.scenes if s.kind == "dialogue")
    start, end = scene.start_f, scene.start_f + scene.frames
    assert end - start >= 10 * plan.fps  # a real conversation, not a line each
    energies = {sp: speech_energy(plan, voiced, sp)[start:end] for sp in pair}
    for speaker, other in (pair, pair[::-1]):
        opening = mouth(plan, speaker, start, end)
        r = float(np.corrcoef(opening, energies[speaker])[0, 1])
        assert r >= 0.5, f"{lang} {speaker}: mouth opening against own speech energy r = {r:.2f}"
        # Against the other speaker's speech the mouth does not move.
        assert float(np.corrcoef(opening, energies[other])[0, 1]) < 0.1
        only_other = (energies[other] > 1e-3) & (energies[speaker] == 0)
        assert only_other.sum() > plan.fps  # the other one speaks for over a second
        assert opening[only_other].max() == 0.0, f"{speaker}'s mouth moves while only {other} speaks"
