"""Explainer videos end to end: real espeak-ng speech, real ffmpeg encodes, read back independently."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from studio.campaign import load_campaign
from studio.encode import probe_mp4
from studio.errors import VoiceError
from studio.plan import Job
from studio.quarters import Quarter
from studio.video.explainer import VideoOptions, render_video_job
from studio.video.timeline import Pacing
from studio.voice import rhvoice
from studio.voice.analysis import speech_problems
from tests.conftest import make_project, make_tiny_video_campaign

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SHORT = Pacing(intro_s=1.0, end_s=1.5)
Q1 = Quarter.parse("2026Q1")


def ffmpeg_facts(path: Path) -> str:
    """What ffmpeg itself says of the file's streams (an independent reader)."""
    done = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return done.stderr


def decoded_frames(path: Path) -> int:
    """Frames a player shows (at 30 a second), whether stored or repeats of the one before."""
    done = subprocess.run(
        [FFMPEG, "-hide_banner", "-i", str(path), "-map", "0:v", "-vf", "fps=30", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.findall(r"frame=\s*(\d+)", done.stderr)[-1])


def decoded_audio(path: Path, rate: int = 16_000) -> np.ndarray:
    done = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a", "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(done.stdout, dtype="<i2")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path) -> dict:
    """The tiny explainer in Russian, full size story (captions burned in), with the music bed under it."""
    root = make_project(tmp_path_factory.mktemp("video") / "project")
    campaign = load_campaign(make_tiny_video_campaign(root))
    quarter_dir = root / "renders" / "tiny" / "2026Q1"
    job = Job(Q1, "tiny-video", "ru", "story", "video")
    options = VideoOptions(root / "speech", pacing=SHORT)
    outputs = render_video_job(campaign, job, quarter_dir, options, str(keys_dir))
    return {"outputs": outputs, "campaign": campaign, "root": root, "quarter_dir": quarter_dir}


def test_mp4_plays_everywhere_and_lasts_as_long_as_its_timeline(rendered: dict) -> None:
    video = rendered["outputs"][0]
    facts = probe_mp4(video.path)
    said = ffmpeg_facts(video.path)
    assert re.search(r"Video: h264 \(High\).*yuv420p.*1080x1920", said), said
    # shown at 30 frames a second; a frame that repeats the one before is not stored again
    assert "30 tbr" in said and facts.video is not None and facts.video.fps == 30
    assert facts.video.frames < facts.video.shown_frames
    assert re.search(r"Audio: aac .* 48000 Hz, stereo", said), said
    assert facts.faststart  # moov before mdat: plays while downloading
    frames = decoded_frames(video.path)
    duration = video.extra["duration_s"]
    assert abs(frames / 30 - duration) <= 1 / 30 + 1e-6
    assert facts.audio is not None and abs(facts.audio.duration_s - duration) <= 0.05


def test_manifest_fields_of_a_video(rendered: dict) -> None:
    video, srt, vtt = rendered["outputs"]
    # The sample campaign speaks with RHVoice; espeak stands in where RHVoice is not installed.
    assert video.extra["voice_engine"] == ("rhvoice" if rhvoice.available() else "espeak")
    assert video.extra["synthetic"] is True
    assert video.extra["disclosure"] == ["visible-badge", "spoken", "watermark", "xmp", "c2pa"]
    assert video.extra["captions"] == ["story.srt", "story.vtt"]
    assert srt.path.read_text(encoding="utf-8").startswith("1\n")
    assert vtt.path.read_text(encoding="utf-8").startswith("WEBVTT")
    assert video.qr_url and "f=story" in video.qr_url


def cue_starts(vtt: Path) -> list[float]:
    starts = []
    for h, m, s, ms in re.findall(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) -->", vtt.read_text(encoding="utf-8"), re.M):
        starts.append(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000)
    return starts


def test_every_caption_starts_within_100_ms_of_its_speech(rendered: dict) -> None:
    video, _, vtt = rendered["outputs"]
    rate = 16_000
    audio = decoded_audio(video.path, rate).astype(np.float64)
    frame = rate // 100  # 10 ms
    energy = np.sqrt(np.convolve(audio**2, np.ones(frame) / frame, mode="same"))[::frame]
    floor = np.percentile(energy, 20)
    loud = energy > max(floor * 8, 200)
    starts = cue_starts(vtt.path)
    assert len(starts) == 2  # the spoken disclosure and the one scripted sentence
    for start in starts:
        window = loud[int((start - 0.3) * 100) : int((start + 0.3) * 100)]
        onset = int((start - 0.3) * 100) + int(np.argmax(window))
        assert window.any(), f"no speech near the caption at {start} s"
        assert abs(onset / 100 - start) <= 0.1, (onset / 100, start)


def test_narration_is_speech_not_silence_noise_or_a_tone(rendered: dict) -> None:
    video = rendered["outputs"][0]
    start, end = video.extra["spoken_disclosure_s"]
    audio = decoded_audio(video.path, 22_050)
    spoken = audio[int(start * 22_050) : int(end * 22_050)]
    assert speech_problems(spoken, 22_050, "Это видео создано с помощью искусственного интеллекта.") == ()
    assert speech_problems(np.zeros(22_050 * 2, dtype=np.int16), 22_050) != ()


def test_captions_are_burned_into_the_story_format(rendered: dict) -> None:
    """The caption plate shows at the sentence's time and is gone on the silent end card."""
    video, _, vtt = rendered["outputs"]
    start = cue_starts(vtt.path)[1]

    def lower_band_dark_fraction(t: float) -> float:
        done = subprocess.run(
            [
                FFMPEG,
                "-v",
                "error",
                "-ss",
                f"{t:.3f}",
                "-i",
                str(video.path),
                "-frames:v",
                "1",
                "-vf",
                "scale=270:480,format=gray",
                "-f",
                "rawvideo",
                "-",
            ],
            capture_output=True,
            check=True,
        )
        frame = np.frombuffer(done.stdout, dtype=np.uint8).reshape(480, 270)
        band = frame[300:400, 20:250]  # where the caption plate sits, above the story's reply box
        return float((band < 25).mean())

    assert lower_band_dark_fraction(start + 0.3) > 0.05
    assert lower_band_dark_fraction(video.extra["duration_s"] - 0.2) < 0.01


def test_draft_is_small_and_fast(tmp_path: Path, keys_dir: Path) -> None:
    root = make_project(tmp_path / "project")
    campaign = load_campaign(make_tiny_video_campaign(root))
    job = Job(Q1, "tiny-video", "ky", "youtube", "video")
    options = VideoOptions(root / "speech", draft=True, pacing=SHORT)
    video = render_video_job(campaign, job, root / "out", options, str(keys_dir))[0]
    assert video.path.name == "youtube.draft.mp4"
    assert (video.width_px, video.height_px) == (640, 360)
    facts = probe_mp4(video.path).video
    assert facts is not None and facts.fps == 15 and "15 tbr" in ffmpeg_facts(video.path)


def test_kyrgyz_with_gtts_and_no_fallback_is_refused(tmp_path: Path, keys_dir: Path) -> None:
    def gtts_voices(data: dict) -> None:
        data["voices"]["narrator"] = {"engine": "gtts"}
        data["voice_fallback"] = False

    root = make_project(tmp_path / "project")
    campaign = load_campaign(make_tiny_video_campaign(root, gtts_voices))
    job = Job(Q1, "tiny-video", "ky", "story", "video")
    with pytest.raises(VoiceError, match=r'tiny-video" \(ky, story\), spoken disclosure: .*gtts.*"ky"'):
        render_video_job(
            campaign, job, root / "out", VideoOptions(root / "speech", draft=True, pacing=SHORT), str(keys_dir)
        )
    assert not (root / "out").exists() or not list((root / "out").rglob("*.mp4"))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: every HTTP request gTTS makes fails at once, as on the city's machines."""
    import requests

    def unreachable(*_args: object, **_kwargs: object) -> None:
        raise requests.ConnectionError("network unreachable")

    monkeypatch.setattr(requests.Session, "send", unreachable)


@pytest.mark.usefixtures("offline")
def test_gtts_offline_falls_back_to_espeak_and_says_so(tmp_path: Path, keys_dir: Path) -> None:
    def gtts_voices(data: dict) -> None:
        for voice in data["voices"].values():
            voice["engine"] = "gtts"
            for rhvoice_only in ("voice", "speed", "volume"):
                voice.pop(rhvoice_only, None)
        data["voice_fallback"] = True

    root = make_project(tmp_path / "project")
    campaign = load_campaign(make_tiny_video_campaign(root, gtts_voices))
    job = Job(Q1, "tiny-video", "ru", "square", "video")
    video = render_video_job(
        campaign, job, root / "out", VideoOptions(root / "speech", draft=True, pacing=SHORT), str(keys_dir)
    )[0]
    assert video.extra["voice_engine"] == "espeak"
    assert any("gtts" in n and "espeak" in n for n in video.extra["notices"])
    assert json.dumps(video.extra)  # manifest-ready


@pytest.mark.usefixtures("offline")
def test_gtts_offline_without_fallback_is_an_error(tmp_path: Path, keys_dir: Path) -> None:
    def gtts_voices(data: dict) -> None:
        data["voices"]["narrator"] = {"engine": "gtts"}
        data["voice_fallback"] = False

    root = make_project(tmp_path / "project")
    campaign = load_campaign(make_tiny_video_campaign(root, gtts_voices))
    job = Job(Q1, "tiny-video", "ru", "square", "video")
    with pytest.raises(VoiceError, match="spoken disclosure"):
        render_video_job(
            campaign, job, root / "out", VideoOptions(root / "speech", draft=True, pacing=SHORT), str(keys_dir)
        )


def test_a_synthetic_video_is_not_rendered_without_signing_keys(tmp_path: Path) -> None:
    from studio.errors import RenderError

    root = make_project(tmp_path / "project")
    campaign = load_campaign(make_tiny_video_campaign(root))
    job = Job(Q1, "tiny-video", "ky", "story", "video")
    options = VideoOptions(root / "speech", draft=True, pacing=SHORT)
    with pytest.raises(RenderError, match=r"synthetic renders must be signed.*run `studio keys init`"):
        render_video_job(campaign, job, root / "out", options, str(tmp_path / "no-keys"))
    assert not (root / "out").exists() or not any((root / "out").rglob("*.*"))


def test_switching_the_label_off_for_a_video_is_an_error(write_campaign) -> None:
    from studio.errors import SpecError

    path = write_campaign(lambda d: d["deliverables"][6].update(disclosure=False))
    with pytest.raises(SpecError, match=r"deliverables\[6\]: disclosure: false is not allowed: .*AI-voiced video"):
        load_campaign(path)
