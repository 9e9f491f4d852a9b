"""The cast of an explainer: which character plays each speaker, how it moves, how it is drawn.

Joins the campaign's ``characters:`` mapping to the character packs, lip-sync and life
(:mod:`studio.video.characters`, :mod:`studio.video.life`) and the sets (:mod:`studio.video.sets`);
:func:`studio.video.plan.build_plan` asks it for one state per frame and
:mod:`studio.video.paint` for each distinct state's picture.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from studio.campaign import character_folder
from studio.campaign.models import Campaign
from studio.video.plan import StageLayout, Turn
from studio.voice.speech import Speech


class Cast:
    """Characters for one job: ``speech(ref)`` finds a sentence's audio, ``seed`` keeps life repeatable."""

    def __init__(
        self, campaign: Campaign, speech: Callable[[tuple[int, int, int]], Speech], seed: str, lang: str = ""
    ) -> None:
        self.campaign = campaign
        self.speech = speech
        self.seed = seed
        self.lang = lang or seed.rsplit("/", 1)[-1]
        self._packs: dict[str, Any] = {}

    def character(self, speaker: str) -> str | None:
        return self.campaign.characters.get(speaker)

    def poses(self, speaker: str) -> tuple[str, ...]:
        character = self.character(speaker)
        return tuple(self.pack(character).pose_names) if character else ()

    def states(
        self,
        speaker: str,
        frames: int,
        fps: int,
        talking: Sequence[Turn],
        listening: Sequence[Turn],
        poses: Sequence[tuple[str, int, int]] = (),
    ) -> Sequence[Hashable]:
        from studio.video.life import SpeechSegment, character_track, with_prop

        own = [SpeechSegment(t.start_f / fps, self.speech(t.ref), self.lang) for t in talking]
        others = [(t.start_f / fps, (t.start_f + t.frames) / fps) for t in listening]
        # Seeded by speaker and scene (its first line's audio): characters and scenes do not blink in step.
        first = (talking or listening)[0].ref[0] if (talking or listening) else 0
        track = character_track(own, others, fps, frames, f"{self.seed}/{speaker}/scene-{first}")
        for prop, first_frame, last_frame in poses:
            track = with_prop(track, prop, first_frame, last_frame)
        return track

    def breath(self, speaker: str, states: Sequence[Hashable], height_px: int) -> tuple[list[Hashable], list[int]]:
        import dataclasses

        character = self.character(speaker)
        scale = height_px / self.pack(character).size_px[1] if character else 0.0
        drawn: list[Hashable] = []
        drops: list[int] = []
        for state in states:
            bob = getattr(state, "bob", 0)
            # to the nearest even pixel: a breath of 0 to 3 pack pixels moves the figure 0 or 2 pixels
            drops.append(2 * round(bob * scale / 2))
            drawn.append(dataclasses.replace(state, bob=0) if bob else state)  # type: ignore[type-var]
        return drawn, drops

    def picture(self, character: str, state: object, height_px: int) -> Image.Image:
        from studio.video.characters import render_character

        return render_character(self.pack(character), state, height_px)  # type: ignore[arg-type]

    def pack(self, character: str) -> Any:
        pack = self._packs.get(character)
        if pack is None:  # looked up once per job: finding the folder asks the file system
            folder = character_folder(self.campaign.root, character)
            pack = self._packs[character] = _pack(folder if folder is not None else Path(character))
        return pack

    def _set(self, name: str) -> str:
        path = self.campaign.root / name
        return str(path) if path.is_file() else name

    def stage(self, name: str, width: int, height: int) -> Image.Image:
        """The set's background, ``width`` × ``height`` (RGB)."""
        from studio.video.sets import load_stage

        return load_stage(self._set(name), width, height).background

    def front(self, name: str, width: int, height: int) -> Image.Image | None:
        """What of the set stands in front of the characters (RGBA), or None."""
        from studio.video.sets import load_stage

        return load_stage(self._set(name), width, height).foreground

    def layout(self, name: str, width: int, height: int) -> StageLayout:
        from studio.video.sets import load_stage

        stage = load_stage(self._set(name), width, height)
        spots = {k: (round(s.x), round(s.floor_y), round(s.figure_height)) for k, s in stage.spots.items()}
        box = stage.foreground.getbbox() if stage.foreground is not None else None
        if box is not None:
            # Even corners: overlays land on whole chroma samples.
            box = (box[0] - box[0] % 2, box[1] - box[1] % 2, box[2] + box[2] % 2, box[3] + box[3] % 2)
            box = (box[0], box[1], min(box[2], width), min(box[3], height))
        prefer = {k: s.for_character for k, s in stage.spots.items() if s.for_character}
        return StageLayout(spots, box, prefer)


@functools.lru_cache(maxsize=16)
def _pack(folder: Path) -> Any:
    from studio.video.characters import load_character_pack

    return load_character_pack(folder)


def mouth_openness(state: object) -> float:
    """How open a character state's mouth is, 0 (closed) … 1 (wide open)."""
    from studio.video.lipsync import openness

    return openness(state.viseme)  # type: ignore[attr-defined]
