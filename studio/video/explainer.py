"""Rendering one explainer-video job: script → speech → timeline → slides → MP4 + captions.

Every time in the video comes from the audio actually synthesised; the visible synthetic-media
badge is drawn over every frame and the spoken disclosure opens the narration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from studio.campaign import cached_design
from studio.campaign.models import Campaign, Copy, Deliverable
from studio.disclosure import SPOKEN
from studio.encode import (
    Audio,
    Motion,
    MotionKind,
    Overlay,
    Slide,
    crossfade,
    default_music_bed,
    encode_video,
    settings_for,
)
from studio.encode.model import CUT, NO_MOTION, EncodeSettings
from studio.errors import SpecError, VoiceError
from studio.files import sha256_of, write_atomic
from studio.fonts import PillowMeasure, pillow_font
from studio.formats import Format, get_format
from studio.kinds.base import Output
from studio.kinds.marks import VIDEO_DISCLOSURE, provenance, render_payload, signing_keys, synthetic_label
from studio.label.watermark import Payload, watermark_layers
from studio.layout.badge import build_badge
from studio.layout.engine import LayoutInput, build_layout
from studio.plan import Job
from studio.qr import Placement, tag_url
from studio.stills.raster import badge_tile, render_layout
from studio.video.script import Scene, Script, load_script
from studio.video.timeline import CaptionStyle, Pacing, SpokenLine, Timeline, build_timeline, to_srt, to_webvtt
from studio.voice import SpeechCache, get_engine, speak_sentences, split_sentences
from studio.voice.choose import choose
from studio.voice.narration import Narration

#: Formats seen muted in a feed get their captions burned into the picture.
BURNED_CAPTIONS = {"story", "square"}
#: x264 preset of final renders: ~12× smaller files than ultrafast (a minute of 1080p ≈ 5 MB, fit to
#: send over Telegram and WhatsApp) for more encoding time; drafts use ultrafast.
FINAL_PRESET = "veryfast"
AUDIO_RATE_HZ = 48_000


@dataclass(frozen=True)
class VideoOptions:
    cache_dir: Path  # the speech cache: a re-render speaks nothing twice
    draft: bool = False
    pacing: Pacing = Pacing()
    music: bool = True  # the bundled music bed under the narration


@dataclass(frozen=True)
class VoicedScript:
    """The script with each part's narration spoken (the intro part is the disclosure)."""

    script: Script
    intro: Narration
    scenes: tuple[Narration, ...]

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(sorted({self.intro.engine, *(n.engine for n in self.scenes)}))

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(n.notice for n in (self.intro, *self.scenes) if n.notice)


def script_context(campaign: Campaign, deliverable: Deliverable, lang: str, quarter: str) -> dict[str, Any]:
    """What a script template may use."""
    r = campaign.reporting
    return {
        "lang": lang,
        "quarter": quarter,
        "deliverable": deliverable.id,
        "title": deliverable.text[lang].headline,
        "campaign_title": campaign.title[lang],
        "organisation": campaign.organisation[lang],
        "hashtags": list(campaign.hashtags),
        "reporting": {
            "url": r.url,
            "short_text": r.short_text,
            "phone": r.phone or "",
            "call_to_action": r.call_to_action[lang],
        },
    }


def voice_script(
    campaign: Campaign,
    script: Script,
    lang: str,
    cache: SpeechCache,
    where: str,
    disclosure: str | None = None,
    speed: float = 1.0,
) -> VoicedScript:
    """Speak the disclosure (by default the video's) and every scene, each in its speaker's voice, sentence
    by sentence. ``speed`` scales every voice's pace (radio spots fit their slot with it)."""

    def speak(text: str, speaker: str, part: str) -> Narration:
        spec = campaign.voices.get(speaker)
        if spec is None:
            raise SpecError(
                f'{where}, {part}: speaker "{speaker}" has no voice; campaign voices: {", ".join(campaign.voices)}'
            )
        if speed != 1.0:
            spec = spec.model_copy(
                update={"speed": spec.speed * speed, "rate_wpm": min(450, round(spec.rate_wpm * speed))}
            )
        try:
            chosen = choose(spec, lang)
            fallback = get_engine("espeak") if campaign.voice_fallback and spec.engine == "gtts" else None
            narration = speak_sentences(
                split_sentences(text),
                chosen.voice,
                engine=chosen.engine,
                lexicon=campaign.pronunciation.get(lang),
                cache=cache,
                fallback=fallback,
            )
        except VoiceError as exc:
            raise VoiceError(f"{where}, {part}: {exc}") from None
        if chosen.notice and not narration.notice:
            narration = replace(narration, notice=chosen.notice)
        return narration

    intro = speak(disclosure or SPOKEN[lang], "narrator", "spoken disclosure")
    scenes = tuple(speak(scene.narration, scene.speaker, f"scene {i}") for i, scene in enumerate(script.scenes, 1))
    return VoicedScript(script, intro, scenes)


def _lines(narration: Narration) -> list[SpokenLine]:
    return [SpokenLine(s.text, s.speech.duration_s) for s in narration.sentences]


def caption_style(campaign: Campaign, fmt: Format) -> CaptionStyle:
    safe_w = fmt.width_px - fmt.safe_px.left - fmt.safe_px.right
    # ~40 characters a line on a phone-width frame, the usual limit for subtitles.
    size = max(fmt.min_text_px, round(0.036 * min(fmt.width_px, fmt.height_px)))
    return CaptionStyle(campaign.brand.fonts["headline"], size, safe_w * 0.96)


def narration_track(voiced: VoicedScript, timeline: Timeline) -> Audio:
    """Every sentence's audio placed at its start time on one track (float, 48 kHz)."""
    total = round(timeline.duration_s * AUDIO_RATE_HZ)
    track = np.zeros(total, dtype=np.float32)
    parts = (voiced.intro, *voiced.scenes)
    for segment, narration in zip((s for s in timeline.segments if s.kind != "end"), parts, strict=True):
        for start, sentence in zip(segment.speech_starts_s, narration.sentences, strict=True):
            samples = sentence.speech.samples.astype(np.float32) / 32768.0
            rate = sentence.speech.sample_rate_hz
            # Linear resampling to the track rate is transparent for speech band-limited to ~8 kHz.
            n_out = round(len(samples) * AUDIO_RATE_HZ / rate)
            resampled = np.interp(np.arange(n_out) * rate / AUDIO_RATE_HZ, np.arange(len(samples)), samples)
            at = round(start * AUDIO_RATE_HZ)
            end = min(total, at + n_out)
            track[at:end] += resampled[: end - at].astype(np.float32)
    return Audio(track, AUDIO_RATE_HZ)


def _slide_image(
    campaign: Campaign,
    deliverable: Deliverable,
    lang: str,
    fmt: Format,
    design: str,
    copy: Copy,
    qr_data: str,
    picture: Path | None = None,
) -> Image.Image:
    """A slide drawn by the layout engine, with the badge's corner kept free for the overlay."""
    slide = deliverable.model_copy(update={"text": {lang: copy}})
    spec = LayoutInput.of(
        campaign,
        slide,
        lang,
        fmt,
        cached_design(campaign.root, design),
        qr_data,
        picture=picture,
        synthetic=True,
        draw_badge=False,
    )
    return render_layout(build_layout(spec, PillowMeasure()))


def badge_overlay(campaign: Campaign, fmt: Format) -> Overlay:
    """The synthetic-media badge over every frame, from the first to the last."""
    badge = build_badge(fmt, campaign.brand.fonts["headline"], PillowMeasure(), campaign.brand.colors["dark"])
    return Overlay(badge_tile(badge), (badge.x, badge.y), 0.0, None)


def _scaled(overlay: Overlay, factor: float) -> Overlay:
    """An overlay for a draft (smaller) frame."""
    if factor == 1.0:
        return overlay
    w, h = overlay.image.size
    image = overlay.image.resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.Resampling.LANCZOS)
    x, y = overlay.position_px
    return Overlay(image, (round(x * factor), round(y * factor)), overlay.start_s, overlay.end_s)


def _scene_copy(scene: Scene) -> Copy:
    body = "\n".join(f"• {b}" for b in scene.bullets) or None
    return Copy(headline=scene.title or " ", body=body)


def caption_overlays(timeline: Timeline, style: CaptionStyle, fmt: Format) -> list[Overlay]:
    """One overlay per caption: white text on a dark plate, centred low in the safe area."""
    overlays = []
    font = pillow_font(style.font, style.size_px)
    ascent, descent = font.getmetrics()
    line_h = round(style.size_px * 1.2)
    measure = PillowMeasure()
    for caption in timeline.captions:
        widths = [measure.width(style.font, style.size_px, line) for line in caption.lines]
        pad = round(style.size_px * 0.45)
        w = round(max(widths) + 2 * pad)
        h = ascent + descent + (len(caption.lines) - 1) * line_h + 2 * pad
        plate = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(plate)
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=pad, fill=(0, 0, 0, 190))
        for i, (line, lw) in enumerate(zip(caption.lines, widths, strict=True)):
            draw.text(
                ((w - lw) / 2, pad + ascent + i * line_h), line, font=font, fill=(255, 255, 255, 255), anchor="ls"
            )
        x = (fmt.width_px - w) // 2
        y = fmt.height_px - fmt.safe_px.bottom - h - round(0.03 * fmt.height_px)
        overlays.append(Overlay(plate, (int(x), int(y)), caption.start_s, caption.end_s))
    return overlays


@dataclass(frozen=True)
class PreparedVideo:
    """Everything an explainer's encode needs, drawn and spoken but not yet encoded."""

    script: Script
    voiced: VoicedScript
    timeline: Timeline
    settings: EncodeSettings
    slides: tuple[Slide, ...]
    narration: Audio
    overlays: tuple[Overlay, ...]
    qr_url: str
    watermark: Payload  # what the invisible mark on every slide carries


def prepare_video(campaign: Campaign, job: Job, options: VideoOptions) -> PreparedVideo:
    """Script, speech, timeline, slides, captions and badge for one explainer job."""
    deliverable = campaign.deliverable(job.deliverable)
    fmt = get_format(job.format)
    lang = job.language
    where = f'deliverable "{job.deliverable}" ({lang}, {job.format})'
    assert deliverable.script is not None  # the spec requires it for videos
    display = f"templates/scripts/{deliverable.script}.{lang}.j2"
    script = load_script(
        campaign.root, deliverable.script, lang, script_context(campaign, deliverable, lang, str(job.quarter)), display
    ).for_medium("video", display)
    voiced = voice_script(campaign, script, lang, SpeechCache(options.cache_dir), where)
    settings = settings_for(
        (fmt.width_px, fmt.height_px), draft=options.draft, preset="ultrafast" if options.draft else FINAL_PRESET
    )
    style = caption_style(campaign, fmt)
    timeline = build_timeline(
        _lines(voiced.intro),
        [_lines(n) for n in voiced.scenes],
        settings.fps,
        options.pacing,
        style,
        PillowMeasure(),
        where,
    )

    qr_url = tag_url(campaign.reporting.url, Placement(job.deliverable, job.format, lang, str(job.quarter)))
    prefix = deliverable.design
    intro = _slide_image(campaign, deliverable, lang, fmt, f"{prefix}-intro", deliverable.text[lang], qr_url)
    scenes = [
        _slide_image(campaign, deliverable, lang, fmt, f"{prefix}-scene", _scene_copy(scene), qr_url, scene.image)
        for scene in script.scenes
    ]
    end = _slide_image(campaign, deliverable, lang, fmt, f"{prefix}-end", deliverable.text[lang], qr_url)
    payload = render_payload(campaign, job)
    images = watermark_layers([intro, *scenes, end], payload)
    # Gentle motion on the title and scenes; the end card holds still so its QR code scans off the screen.
    motions = [Motion(MotionKind.ZOOM_IN, 0.03)]
    motions += [Motion(MotionKind.ZOOM_IN if i % 2 == 0 else MotionKind.ZOOM_OUT, 0.04) for i in range(len(scenes))]
    motions += [NO_MOTION]
    slides = tuple(
        Slide(image, segment.duration_s, motion, CUT if i == len(images) - 1 else crossfade(0.4))
        for i, (image, segment, motion) in enumerate(zip(images, timeline.segments, motions, strict=True))
    )
    overlays = [badge_overlay(campaign, fmt)]
    if job.format in BURNED_CAPTIONS:
        overlays += caption_overlays(timeline, style, fmt)
    factor = settings.size_px[0] / fmt.width_px
    return PreparedVideo(
        script,
        voiced,
        timeline,
        settings,
        slides,
        narration_track(voiced, timeline),
        tuple(_scaled(o, factor) for o in overlays),
        qr_url,
        payload,
    )


def render_video_job(
    campaign: Campaign, job: Job, quarter_dir: Path, options: VideoOptions, keys_dir: str | None = None
) -> list[Output]:
    """Render one explainer in one language and format: the labelled, signed MP4 and its captions."""
    keys = signing_keys(keys_dir)  # before any work: a synthetic render cannot go out unsigned
    video = prepare_video(campaign, job, options)
    script, voiced, timeline, settings, qr_url = (
        video.script,
        video.voiced,
        video.timeline,
        video.settings,
        video.qr_url,
    )
    lang = job.language

    folder = quarter_dir / job.folder
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{job.format}.draft" if options.draft else job.format
    mp4 = folder / f"{stem}.mp4"
    staged = folder / f".{stem}.unsigned.mp4.part"  # never at the final name before it is labelled
    try:
        result = encode_video(
            video.slides,
            video.narration,
            staged,
            settings,
            music=default_music_bed() if options.music else None,
            overlays=video.overlays,
        )
        from studio.label import MP4, mark_synthetic
        from studio.label.readback import decode_video

        # the fingerprint of the pictures and sound as published: what a re-shared copy is matched against
        decoded = decode_video(staged, settings.size_px, result.duration_s, has_audio=True)
        soft_bindings, provenance_fields = provenance(video.watermark, decoded.fingerprint())
        label = synthetic_label(f"{script.title} ({lang}, {job.format})", soft_bindings)
        mark_synthetic(staged, MP4, label, keys, dest=mp4)
    finally:
        staged.unlink(missing_ok=True)
    srt, vtt = folder / f"{stem}.srt", folder / f"{stem}.vtt"
    srt_data, vtt_data = to_srt(timeline.captions).encode(), to_webvtt(timeline.captions).encode()
    write_atomic(srt, srt_data)
    write_atomic(vtt, vtt_data)

    engine = "+".join(voiced.engines)
    spoken = timeline.segments[0]
    disclosure_end = spoken.speech_starts_s[-1] + voiced.intro.sentences[-1].speech.duration_s
    w, h = settings.size_px
    rendered = Output(
        mp4,
        "video",
        "video/mp4",
        w,
        h,
        None,
        qr_url,
        sha256=sha256_of(mp4),  # streamed: a video need not sit in memory to be hashed
        bytes=mp4.stat().st_size,
        extra={
            "synthetic": True,
            "disclosure": list(VIDEO_DISCLOSURE),
            "voice_engine": engine,
            "duration_s": round(result.duration_s, 3),
            "fps": settings.fps,
            "captions": [srt.name, vtt.name],
            "captions_burned_in": job.format in BURNED_CAPTIONS,
            "spoken_disclosure_s": [round(spoken.speech_starts_s[0], 3), round(disclosure_end, 3)],
            "notices": list(voiced.notices),
            **provenance_fields,
        },
    )
    outputs = [rendered]
    for path, payload, media in ((srt, srt_data, "application/x-subrip"), (vtt, vtt_data, "text/vtt")):
        outputs.append(
            Output(
                path,
                "captions",
                media,
                0,
                0,
                None,
                None,
                sha256=hashlib.sha256(payload).hexdigest(),
                bytes=len(payload),
                extra={"synthetic": True, "voice_engine": engine},
            )
        )
    return outputs
