"""What messengers and people do to a file they pass on, done with real ffmpeg and Pillow.

Shared by the robustness tests (tests/verify/test_copies.py) and bench/watermark.py. Each function writes
a copy with no metadata: ffmpeg's ``-map_metadata -1`` and a fresh JPEG drop XMP and C2PA, as platforms do.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
from PIL import Image

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def _ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def _x264(src: Path, dst: Path, vf: str, *, bitrate: str, audio: str, pre: tuple[str, ...] = ()) -> Path:
    _ffmpeg(
        *pre,
        "-i",
        str(src),
        "-map_metadata",
        "-1",
        "-vf",
        vf,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-b:v",
        bitrate,
        "-maxrate",
        bitrate,
        "-bufsize",
        bitrate,
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        audio,
        "-ac",
        "1",
        str(dst),
    )
    return dst


# ---------------------------------------------------------------- videos


def whatsapp_video(src: Path, dst: Path) -> Path:
    """H.264 at about 1 Mbit/s, 848 px wide (the long side), AAC 64 kbit/s mono."""
    return _x264(src, dst, "scale='if(gt(iw,ih),848,-2)':'if(gt(iw,ih),-2,848)'", bitrate="1000k", audio="64k")


def telegram_video(src: Path, dst: Path) -> Path:
    """H.264 at about 1.6 Mbit/s, 1280 px on the long side."""
    return _x264(src, dst, "scale='if(gt(iw,ih),1280,-2)':'if(gt(iw,ih),-2,1280)'", bitrate="1600k", audio="96k")


def crop_video(src: Path, dst: Path, fraction: float = 0.10) -> Path:
    """A tenth of the width and height cut off (half each side), re-encoded."""
    keep = 1 - fraction
    return _x264(src, dst, f"crop=trunc(iw*{keep}/2)*2:trunc(ih*{keep}/2)*2", bitrate="2000k", audio="96k")


def screenshot_video(src: Path, dst: Path) -> Path:
    """A screen recording: shrunk to 62 %, bilinear, re-encoded."""
    return _x264(src, dst, "scale=trunc(iw*0.62/2)*2:-2:flags=bilinear", bitrate="1500k", audio="96k")


def trim_video(src: Path, dst: Path, seconds: float = 2.0) -> Path:
    """The first and last ``seconds`` cut off, re-encoded."""
    from studio.encode import probe_mp4

    duration = probe_mp4(src).duration_s
    pre = ("-ss", f"{seconds:.3f}", "-t", f"{duration - 2 * seconds:.3f}")
    return _x264(src, dst, "null", bitrate="2000k", audio="96k", pre=pre)


def revoice_video(src: Path, dst: Path, voice: Path) -> Path:
    """The pictures kept (stream copy), the sound replaced by ``voice``."""
    _ffmpeg(
        "-i", str(src), "-i", str(voice), "-map", "0:v:0", "-map", "1:a:0", "-map_metadata", "-1",
        "-c:v", "copy", "-c:a", "aac", "-shortest", str(dst),
    )  # fmt: skip
    return dst


VIDEO_CHANGES: dict[str, Callable[[Path, Path], Path]] = {
    "whatsapp": whatsapp_video,
    "telegram": telegram_video,
    "crop 10 %": crop_video,
    "screenshot": screenshot_video,
    "trim 2 s": trim_video,
}


# ---------------------------------------------------------------- stills


def _jpeg(image: Image.Image, quality: int, long_side: int | None) -> bytes:
    image = image.convert("RGB")
    if long_side is not None and max(image.size) > long_side:
        f = long_side / max(image.size)
        image = image.resize((round(image.width * f), round(image.height * f)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def whatsapp_still(src: Path, dst: Path) -> Path:
    """JPEG quality 70 at 1080 px on the long side."""
    with Image.open(src) as image:
        dst.write_bytes(_jpeg(image, 70, 1080))
    return dst


def telegram_still(src: Path, dst: Path) -> Path:
    """JPEG quality 87 at 1280 px on the long side."""
    with Image.open(src) as image:
        dst.write_bytes(_jpeg(image, 87, 1280))
    return dst


def crop_still(src: Path, dst: Path, fraction: float = 0.10) -> Path:
    """A tenth of the width and height cut off (half each side), JPEG quality 85."""
    with Image.open(src) as image:
        w, h = image.size
        dx, dy = round(w * fraction / 2), round(h * fraction / 2)
        dst.write_bytes(_jpeg(image.crop((dx, dy, w - dx, h - dy)), 85, None))
    return dst


def screenshot_still(src: Path, dst: Path) -> Path:
    """A phone screenshot: shrunk to 62 % (bilinear), saved as PNG."""
    with Image.open(src) as image:
        small = image.convert("RGB").resize(
            (round(image.width * 0.62), round(image.height * 0.62)), Image.Resampling.BILINEAR
        )
        small.save(dst, "PNG")
    return dst


STILL_CHANGES: dict[str, Callable[[Path, Path], Path]] = {
    "whatsapp": whatsapp_still,
    "telegram": telegram_still,
    "crop 10 %": crop_still,
    "screenshot": screenshot_still,
}


# ---------------------------------------------------------------- the sample renders

#: A short explainer: the disclosure and three scenes, about 12 s, so trimming 2 s off each end leaves most.
SAMPLE_SCRIPT = {
    "ky": (
        "title: Пара жөнүндө кыскача\nscenes:\n"
        "  - title: Пара — кылмыш\n    narration: Мен пара бербейм. Пара баарыбызга зыян.\n"
        "  - title: Бул ар бирибизге тиешелүү\n    narration: Ар бир жашыруун төлөм шаардан уурдайт.\n"
        "  - title: Кабарлаңыз\n    narration: Коррупция тууралуу телефон же сайт аркылуу кабарлаңыз.\n"
    ),
    "ru": (
        "title: Коротко о взятках\nscenes:\n"
        "  - title: Взятка — преступление\n    narration: Я не даю взяток. Взятка вредит всем нам.\n"
        "  - title: Это касается каждого\n    narration: Каждый платёж под столом крадёт у города.\n"
        "  - title: Сообщите\n    narration: Сообщите о коррупции по телефону или на сайте.\n"
    ),
}


def render_samples(
    root: Path, keys_dir: Path, quarters: tuple[str, ...] = ("2026Q1",), *, short: bool = True
) -> dict[str, Path]:
    """Render, into ``root`` (a copy of the project), a synthetic social ad (instagram-post, ky) and the
    short explainer (youtube, ru) for each of ``quarters``, with their manifests, as a batch leaves them.
    ``short=False``: the sample campaign's own first explainer instead of the short one.

    Returns ``{"still": …, "video": …, "renders": …}`` for the first quarter, plus the campaign's renders
    folder (``renders/<campaign>``).
    """
    import yaml

    from studio.batch.manifest import ManifestEntry, write_manifest
    from studio.campaign import load_campaign
    from studio.plan import Job
    from studio.quarters import Quarter
    from studio.stills.render import render_job
    from studio.video.explainer import VideoOptions, render_video_job
    from studio.video.timeline import Pacing
    from tests.conftest import sample_data

    for lang, text in SAMPLE_SCRIPT.items():
        (root / "templates" / "scripts" / f"sample-short.{lang}.j2").write_text(text, encoding="utf-8")
    data = sample_data()
    video = next(d for d in data["deliverables"] if d["kind"] == "video")
    video.update(id="sample-video", quarters=list(quarters))
    if short:
        video["script"] = "sample-short"
    social = next(d for d in data["deliverables"] if d["id"] == "men-para-berbeym-social")
    social.update(id="sample-ad", synthetic=True, quarters=list(quarters))
    data["deliverables"] = [social, video]
    path = root / "campaigns" / "samples.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    campaign = load_campaign(path)
    found: dict[str, Path] = {"renders": root / "renders" / campaign.id}
    for quarter in quarters:
        quarter_dir = root / "renders" / campaign.id / quarter
        q = Quarter.parse(quarter)
        entries = {}
        still_job = Job(q, "sample-ad", "ky", "instagram-post", "social")
        stills = render_job(campaign, still_job, quarter_dir, str(keys_dir))
        video_job = Job(q, "sample-video", "ru", "youtube", "video")
        pacing = Pacing(intro_s=1.0, end_s=1.5) if short else Pacing()
        options = VideoOptions(root / "speech", pacing=pacing, music=True)
        videos = render_video_job(campaign, video_job, quarter_dir, options, str(keys_dir))
        for job, outs in ((still_job, stills), (video_job, videos)):
            for out in outs:
                entry = ManifestEntry.of_output(job, out, quarter_dir, "", draft=False)
                entries[entry.path] = entry
        write_manifest(quarter_dir, campaign.id, quarter, entries.values())
        if quarter == quarters[0]:
            found["still"] = stills[0].path
            found["video"] = videos[0].path
            found["quarter"] = quarter_dir
    return found
