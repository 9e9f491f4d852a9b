"""One frame of a video plan composed in Python: for previews, contact sheets and golden-frame tests.

The encoder never composes frames in Python (ffmpeg does, far faster); this draws the same layers
in the same order — card, sprites (faded where they fade), stills — for a single frame, without the
cards' camera motion and crossfades, so a frame of any scene can be looked at without encoding the video.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PIL import Image, ImageOps

from studio.video.plan import VideoPlan


def compose_frame(
    plan: VideoPlan,
    picture: Callable[[str], Image.Image],
    frame: int,
    still_positions: Mapping[str, tuple[int, int]],
) -> Image.Image:
    """Frame ``frame`` of ``plan`` (RGB, the plan's size); ``picture(key)`` draws a picture."""
    if not 0 <= frame < plan.frames:
        raise ValueError(f"frame {frame} is outside the video (0 .. {plan.frames - 1})")
    card = next(c for c in plan.cards if c.start_f <= frame < c.start_f + c.frames)
    canvas = ImageOps.fit(picture(card.picture).convert("RGB"), plan.size_px, Image.Resampling.LANCZOS)
    canvas = canvas.convert("RGBA")
    for track in plan.sprites:
        key = track.picture_at(frame)
        if key is None:
            continue
        image = picture(key).convert("RGBA")
        if (opacity := track.opacity_at(frame)) < 1:
            image.putalpha(image.getchannel("A").point(lambda a: round(a * opacity)))
        x, y = track.corner_px(image.size)  # where the encoder lays it
        y += track.drop_at(frame)
        canvas.alpha_composite(image, (max(0, x), max(0, y)), (max(0, -x), max(0, -y)))
    t = frame / plan.fps
    for still in plan.stills:
        if still.start_s <= t and (still.end_s is None or t < still.end_s):
            at = still.at_px if still.at_px is not None else still_positions[still.picture]
            canvas.alpha_composite(picture(still.picture).convert("RGBA"), at)
    return canvas.convert("RGB")


def scene_middle_frames(plan: VideoPlan) -> list[tuple[str, int]]:
    """(kind, frame) for the middle of each scene, title and end cards included."""
    return [(s.kind, s.start_f + s.frames // 2) for s in plan.scenes]
