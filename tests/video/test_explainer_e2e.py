"""Explainers end to end with every scene kind: real speech, real ffmpeg, read back and verified."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageFilter

from studio.batch.manifest import ManifestEntry
from studio.campaign import load_campaign
from studio.campaign.models import Campaign
from studio.encode import SoundEncode, probe_mp4
from studio.plan import Job
from studio.quarters import Quarter
from studio.verify import BadgeStyle, CheckName, Status, reports_table, verify_paths
from studio.video.explainer import VideoOptions, painter_for, plan_video, render_video_job
from studio.video.paint import badge_position, drawer
from studio.video.preview import compose_frame
from tests.conftest import make_project
from tests.video.conftest import scenes_job

pytestmark = pytest.mark.slow
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def decoded_frame(path: Path, index: int, size: tuple[int, int], fps: int) -> Image.Image:
    """Frame ``index`` as a player shows it: the file stores a frame only where the picture changes,
    so the decoded frames are first repeated at ``fps`` (as a player holds them), then counted."""
    done = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(path), "-vf", f"fps={fps},select=eq(n\\,{index})", "-frames:v", "1"]
        + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    )
    return Image.frombytes("RGB", size, done.stdout)


@pytest.fixture(scope="module")
def bribe(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path, speech_cache: Path) -> dict:
    """The bribe explainer in Kyrgyz, a draft of the youtube format: the 60 s explainer of the suite."""
    root = make_project(tmp_path_factory.mktemp("bribe") / "project")
    campaign = load_campaign(root / "campaigns" / "tash-komur-2026.yaml")
    job = Job(Quarter.parse("2026Q1"), "what-is-a-bribe-video", "ky", "youtube", "video")
    options = VideoOptions(speech_cache, draft=True)
    outputs = render_video_job(campaign, job, root / "out", options, str(keys_dir))
    return {"campaign": campaign, "job": job, "outputs": outputs, "options": options, "quarter_dir": root / "out"}


def test_the_draft_explainer_renders_end_to_end_and_lists_its_scenes(bribe: dict) -> None:
    video, srt, vtt = bribe["outputs"]
    assert video.extra["scenes"] == ["presenter", "dialogue", "stat", "steps", "presenter"]
    assert video.extra["characters"] == ["citizen", "official", "presenter"]
    assert video.extra["duration_s"] >= 55
    facts = probe_mp4(video.path)
    assert facts.video is not None and (facts.video.width, facts.video.height) == (640, 360)
    assert abs(facts.duration_s - video.extra["duration_s"]) < 0.1
    assert "<00:" in vtt.path.read_text(encoding="utf-8")  # word timestamps
    entry = ManifestEntry.of_output(bribe["job"], video, bribe["quarter_dir"], "key", True)
    assert entry.scenes == tuple(video.extra["scenes"]) and entry.characters == ("citizen", "official", "presenter")
    assert "<" not in srt.path.read_text(encoding="utf-8")


def test_the_draft_passes_studio_verify(bribe: dict, keys_dir: Path) -> None:
    video = bribe["outputs"][0]
    (report,) = verify_paths([video.path], trust_anchors=keys_dir, badge=BadgeStyle.of(bribe["campaign"]))
    for name in (CheckName.VISIBLE_LABEL, CheckName.SPOKEN_DISCLOSURE, CheckName.XMP, CheckName.C2PA):
        check = report.check(name)
        assert check is not None and check.status == Status.PASS, reports_table([report])


def test_the_encoder_draws_what_the_plan_says(bribe: dict, speech_cache: Path) -> None:
    """A frame mid-dialogue, decoded from the MP4, against the same frame composed from the plan."""
    campaign, job = bribe["campaign"], bribe["job"]
    _script, voiced, plan, settings, qr_url = plan_video(campaign, job, bribe["options"])
    painter = painter_for(campaign, job, voiced, settings, qr_url)
    scene = next(s for s in plan.scenes if s.kind == "dialogue")
    line = next(v for v in plan.voice if v.speaker == "official")
    frame = round((line.start_s + line.duration_s / 2) * plan.fps)
    assert scene.start_f < frame < scene.start_f + scene.frames
    positions = {s.picture: badge_position(painter) for s in plan.stills}
    composed = compose_frame(plan, drawer(plan, painter), frame, positions)
    decoded = decoded_frame(bribe["outputs"][0].path, frame, plan.size_px, plan.fps)
    # Edges differ a little (resampling, a draft's x264 at crf 28): both are softened a little before
    # comparing (the same frame: 1.4); a missing or misplaced layer differs by tens, and the dialogue a
    # second later (the other speaker lit, props in hands) by 4.8.
    soft = ImageFilter.GaussianBlur(1.5)
    diff = np.abs(np.asarray(composed.filter(soft), np.int16) - np.asarray(decoded.filter(soft), np.int16))
    assert float(diff.mean()) < 2.5, float(diff.mean())
    # And the speaker's face is where the plan put it: the region around each character matches.
    for track in (t for t in plan.sprites if t.role == "character" and t.start_f == scene.start_f):
        x, y = track.at_px
        region = diff[max(0, y - plan.size_px[1] // 3) : y, max(0, x - 40) : x + 40]
        # Saturated clothes lose most to 4:2:0 chroma at draft size; a missing figure differs by 40 and more.
        assert float(region.mean()) < 9.0, (track.speaker, float(region.mean()))


def test_every_scene_kind_passes_studio_verify(
    scenes_campaign: Campaign, tmp_path: Path, keys_dir: Path, speech_cache: Path
) -> None:
    """Title, bullets, presenter, dialogue, steps, stat and charts, story format with burned captions."""
    video = render_video_job(
        scenes_campaign, scenes_job("ru", "story"), tmp_path, VideoOptions(speech_cache, draft=True), str(keys_dir)
    )[0]
    assert video.extra["scenes"] == ["title", "bullets", "presenter", "dialogue", "steps", "stat", "chart", "chart"]
    assert video.extra["captions_burned_in"] is True
    (report,) = verify_paths([video.path], trust_anchors=keys_dir, badge=BadgeStyle.of(scenes_campaign))
    for name in (CheckName.VISIBLE_LABEL, CheckName.SPOKEN_DISCLOSURE, CheckName.XMP, CheckName.C2PA):
        check = report.check(name)
        assert check is not None and check.status == Status.PASS, reports_table([report])


def test_each_picture_is_drawn_once_and_let_go_after_its_part(
    bribe: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In two segments: every character picture is drawn once, though some show on both sides of the
    cut, and those that show only in the first part are let go once it is made (a video's pictures
    are never all held at once). A character's undimmed pictures are also kept, within a budget, by
    its pack's cache: the dimmed ones (a listener's, drawn for this video alone) are counted."""
    import gc
    import weakref

    import studio.encode.encoder as encoder
    from studio.encode.execute import encode_plan
    from studio.video.explainer import prepare_video
    from studio.video.plan import CharacterPicture

    video = prepare_video(bribe["campaign"], bribe["job"], bribe["options"])
    plan = video.plan
    cuts: list[tuple[tuple[int, int], ...]] = []
    real = encoder.plan_segments
    monkeypatch.setattr(encoder, "plan_segments", lambda *a, **k: cuts.append(real(*a, **k)) or cuts[-1])
    drawn: list[list[str]] = []
    alive: dict[str, weakref.ref[Image.Image]] = {}
    gone_at_call: list[set[str]] = []  # the pictures let go when each draw was asked for

    def draw(keys):  # type: ignore[no-untyped-def]
        gc.collect()
        gone_at_call.append({k for k, ref in alive.items() if ref() is None})
        made = video.draw(keys)
        drawn.append(list(keys))
        alive.update({k: weakref.ref(made[k]) for k in keys})
        return made

    encode_plan(
        plan, video.pictures, video.narration, tmp_path / "v.mp4", video.settings, video.still_positions,
        segments=2, draw=draw,
    )  # fmt: skip
    ((_, cut), _) = cuts[0]
    every = [k for keys in drawn for k in keys]
    assert len(every) == len(set(every)) > 0
    first = {c.picture for t in plan.sprites for c in t.clips if c.picture and c.start_f < cut}
    later = {c.picture for t in plan.sprites for c in t.clips if c.picture and c.start_f + c.frames > cut}
    assert first & later  # pictures on both sides of the cut, drawn once all the same
    dimmed = {k for k, spec in plan.pictures.items() if isinstance(spec, CharacterPicture) and spec.dim < 1}
    only_first = (first - later) & dimmed
    # the second part's first drawing: by then the first part's own pictures are gone
    second = next(i for i, keys in enumerate(drawn) if not set(keys) <= first)
    assert only_first and only_first <= gone_at_call[second], len(only_first - gone_at_call[second])


def test_the_sound_is_encoded_from_before_the_pictures_are_drawn(bribe: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """The render starts the explainer's sound as soon as its plan is made, so that its encode runs
    while the cards are drawn; if the drawing fails, the sound and its folder go with it."""
    import studio.encode.execute as execute
    import studio.video.paint as paint
    from studio.video.explainer import prepare_video

    order: list[str] = []
    started: list[SoundEncode] = []
    real_sound, real_paint = execute.SoundEncode, paint.paint

    def sound(*args, **kwargs):  # type: ignore[no-untyped-def]
        order.append("sound")
        started.append(real_sound(*args, **kwargs))
        return started[-1]

    def drawing(*args, **kwargs):  # type: ignore[no-untyped-def]
        order.append("cards")
        return real_paint(*args, **kwargs)

    monkeypatch.setattr(execute, "SoundEncode", sound)
    monkeypatch.setattr(paint, "paint", drawing)
    video = prepare_video(bribe["campaign"], bribe["job"], bribe["options"], sound=True)
    assert order == ["sound", "cards"] and video.sound is started[0]
    assert video.sound.wait().stat().st_size > 10_000  # the encoded sound, while nothing else was asked
    video.sound.close()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(paint, "paint", broken)
    with pytest.raises(OSError, match="disk full"):
        prepare_video(bribe["campaign"], bribe["job"], bribe["options"], sound=True)
    assert len(started) == 2 and not started[1].path.parent.exists()
