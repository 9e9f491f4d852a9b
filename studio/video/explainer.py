"""Rendering one explainer-video job: load script → voice → build plan → encode → label.

Every time in the video comes from the audio actually synthesised; the visible synthetic-media
badge is drawn over every frame and the spoken disclosure opens the narration. The explainer's
shape comes from the design files (``templates/designs/NAME-*.yaml`` for the cards and
``NAME.video.yaml`` for motion, transitions, pacing and staging), the scenes from the script.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from studio.campaign import load_video_design
from studio.campaign.models import Campaign, Deliverable
from studio.disclosure import SPOKEN
from studio.encode import Audio, settings_for
from studio.encode.encoder import SegmentRunner
from studio.encode.model import EncodeSettings
from studio.errors import SpecError, VoiceError
from studio.files import sha256_of, write_atomic
from studio.fonts import PillowMeasure
from studio.formats import Format, get_format
from studio.kinds.base import Output
from studio.kinds.marks import VIDEO_DISCLOSURE, provenance, render_payload, signing_keys, synthetic_label
from studio.label.watermark import Payload, watermark_layers
from studio.layout.design import shape_of
from studio.plan import Job
from studio.qr import Placement, tag_url
from studio.video.design import VideoDesign
from studio.video.plan import (
    CaptionStyle,
    Frame,
    Measured,
    MeasuredSentence,
    MeasuredUtterance,
    SpokenWord,
    VideoPlan,
    build_plan,
    spread_words,
)
from studio.video.script import Script, load_script
from studio.video.timeline import Pacing, to_srt
from studio.voice import SpeechCache, get_engine, speak_sentences, split_sentences
from studio.voice.choose import choose
from studio.voice.narration import Narration
from studio.voice.speech import Speech

if TYPE_CHECKING:
    from studio.encode.encoder import Readback, SoundEncode
    from studio.video.paint import Painter

#: x264 preset of final renders: ~12× smaller files than ultrafast (a minute of 1080p ≈ 4 MB, fit to
#: send over Telegram and WhatsApp) for more encoding time; drafts use ultrafast.
FINAL_PRESET = "veryfast"
#: ... with the quickest motion search: on the sample explainer's frames x264 took 40 % less time for
#: the same quality (PSNR 45.2 dB either way) in a file 10 % larger.
FINAL_X264 = "subme=1:me=dia"


@dataclass(frozen=True)
class VideoOptions:
    cache_dir: Path  # the speech cache: a re-render speaks nothing twice
    draft: bool = False
    music: bool = True  # the bundled music bed under the narration
    #: The explainer's shape; None: the deliverable's ``NAME.video.yaml`` (or the built-in shape).
    design: VideoDesign | None = None
    #: Pauses and holds overriding the design's (short test videos).
    pacing: Pacing | None = None
    #: ffmpeg processes encoding parts of the video at once (one video on every core); 1: one process.
    segments: int = 1
    #: Where the parts run: None on this machine, else e.g. on the Dask cluster the job runs on.
    runner: SegmentRunner | None = None
    #: The script already read (the editor's unsaved text); None: the deliverable's template.
    script: Script | None = None


@dataclass(frozen=True)
class VoicedScript:
    """The script with every utterance spoken: the disclosure, then each scene's utterances in order."""

    script: Script
    intro: Narration
    lines: tuple[tuple[Narration, ...], ...]  # per scene, per utterance (a dialogue's lines)

    @property
    def scenes(self) -> tuple[Narration, ...]:
        """Every utterance after the disclosure, in order (audio versions say them one after another)."""
        return tuple(n for scene in self.lines for n in scene)

    @property
    def narrations(self) -> tuple[Narration, ...]:
        return (self.intro, *self.scenes)

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(sorted({n.engine for n in self.narrations}))

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n.notice for n in self.narrations if n.notice))

    def speech(self, ref: tuple[int, int, int]) -> Speech:
        part, utterance, sentence = ref
        narration = self.intro if part == 0 else self.lines[part - 1][utterance]
        return narration.sentences[sentence].speech


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
    """Speak the disclosure (by default the video's) and every scene's utterances, each in its speaker's
    voice, sentence by sentence. ``speed`` scales every voice's pace (radio spots fit their slot with it)."""

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
    scenes = []
    for i, scene in enumerate(script.scenes, 1):
        parts = []
        for n, u in enumerate(scene.utterances, 1):
            part = f"scene {i}, line {n}" if scene.kind == "dialogue" else f"scene {i}"
            parts.append(speak(u.text, u.speaker, part))
        scenes.append(tuple(parts))
    return VoicedScript(script, intro, tuple(scenes))


def _words(text: str, speech: Speech) -> tuple[SpokenWord, ...]:
    """The engine's word times when they match the written words one to one, else spread by length."""
    written = text.split()
    if speech.words and len(speech.words) == len(written):
        return tuple(SpokenWord(w, e.start_s, e.end_s) for w, e in zip(written, speech.words, strict=True))
    return spread_words(text, speech.duration_s)


def measured(voiced: VoicedScript) -> Measured:
    def utterance(n: Narration, speaker: str, part: int, index: int, prop: str | None) -> MeasuredUtterance:
        return MeasuredUtterance(
            speaker,
            tuple(
                MeasuredSentence(s.text, s.speech.duration_s, _words(s.text, s.speech), (part, index, k))
                for k, s in enumerate(n.sentences)
            ),
            prop,
        )

    scenes = []
    for i, (scene, narrations) in enumerate(zip(voiced.script.scenes, voiced.lines, strict=True), 1):
        scenes.append(
            tuple(
                utterance(n, u.speaker, i, k, u.prop)
                for k, (u, n) in enumerate(zip(scene.utterances, narrations, strict=True))
            )
        )
    return Measured(utterance(voiced.intro, "narrator", 0, 0, None), tuple(scenes))


def caption_style(campaign: Campaign, fmt: Format) -> CaptionStyle:
    safe_w = fmt.width_px - fmt.safe_px.left - fmt.safe_px.right
    # ~40 characters a line on a phone-width frame, the usual limit for subtitles.
    size = max(fmt.min_text_px, round(0.036 * min(fmt.width_px, fmt.height_px)))
    return CaptionStyle(campaign.brand.fonts["headline"], size, safe_w * 0.96)


def plan_frame(fmt: Format, settings: EncodeSettings) -> Frame:
    safe = fmt.safe_px
    shape = shape_of(fmt.width_px, fmt.height_px)
    return Frame(
        settings.size_px[0],
        settings.size_px[1],
        (round(safe.left), round(safe.top), round(safe.right), round(safe.bottom)),
        "landscape" if shape == "wide" else shape,
        fmt.name,
        settings.size_px[0] / fmt.width_px,
    )


@dataclass(frozen=True)
class PreparedVideo:
    """Everything an explainer's encode needs, spoken, planned and drawn, but not yet encoded: the
    cards and stills drawn (``pictures``), the sprites' own pictures drawn by ``draw`` when a part
    of the video needs them."""

    script: Script
    voiced: VoicedScript
    plan: VideoPlan
    settings: EncodeSettings
    pictures: dict[str, Image.Image]
    still_positions: dict[str, tuple[int, int]]
    narration: Audio
    qr_url: str
    watermark: Payload  # what the invisible mark on every card carries
    draw: Callable[[Sequence[str]], Mapping[str, Image.Image]]
    sound: SoundEncode | None = None  # its sound, already being encoded (see prepare_video)


def encode_settings(job: Job, options: VideoOptions) -> EncodeSettings:
    """How the job's video is encoded: its format's size; x264 settings of a final render or a draft."""
    fmt = get_format(job.format)
    final = {"preset": FINAL_PRESET, "x264_params": FINAL_X264}
    return settings_for((fmt.width_px, fmt.height_px), draft=options.draft, **({} if options.draft else final))


def plan_video(
    campaign: Campaign, job: Job, options: VideoOptions
) -> tuple[Script, VoicedScript, VideoPlan, EncodeSettings, str]:
    """Script, speech and the plan of one explainer job (nothing drawn yet)."""
    from studio.video.cast import Cast

    deliverable = campaign.deliverable(job.deliverable)
    fmt = get_format(job.format)
    lang = job.language
    assert deliverable.script is not None  # the spec requires it for videos
    display = f"templates/scripts/{deliverable.script}.{lang}.j2"
    script = (
        options.script
        or load_script(
            campaign.root,
            deliverable.script,
            lang,
            script_context(campaign, deliverable, lang, str(job.quarter)),
            display,
        )
    ).for_medium("video", display)
    voiced = voice_script(
        campaign,
        script,
        lang,
        SpeechCache(options.cache_dir),
        f'{display}: deliverable "{job.deliverable}" ({lang}, {job.format})',
    )
    settings = encode_settings(job, options)
    design = options.design or load_video_design(campaign.root, deliverable.design)
    if options.pacing is not None:
        pacing = design.pacing.model_copy(update=vars(options.pacing))
        design = design.model_copy(update={"pacing": pacing})
    plan = build_plan(
        script,
        measured(voiced),
        plan_frame(fmt, settings),
        settings.fps,
        design,
        design_prefix=deliverable.design,
        caption_style=caption_style(campaign, fmt),
        measure=PillowMeasure(),
        performer=Cast(campaign, voiced.speech, seed=f"{job.deliverable}/{lang}"),
        where=f"{display} ({job.format})",
    )
    qr_url = tag_url(campaign.reporting.url, Placement(job.deliverable, job.format, lang, str(job.quarter)))
    return script, voiced, plan, settings, qr_url


def painter_for(campaign: Campaign, job: Job, voiced: VoicedScript, settings: EncodeSettings, qr_url: str) -> Painter:
    """What draws one job's pictures: its brand, words, frame, characters and sets."""
    from studio.video.cast import Cast
    from studio.video.paint import Painter

    fmt = get_format(job.format)
    cast = Cast(campaign, voiced.speech, seed=f"{job.deliverable}/{job.language}")
    return Painter(
        campaign,
        campaign.deliverable(job.deliverable),
        job.language,
        fmt,
        qr_url,
        settings.size_px[0] / fmt.width_px,
        cast.picture,
        cast.stage,
        cast.front,
    )


def prepare_video(
    campaign: Campaign, job: Job, options: VideoOptions, *, readback: Readback | None = None, sound: bool = False
) -> PreparedVideo:
    """Script, speech, plan and every distinct picture of one explainer job; with ``sound``, its sound
    mixed and encoded (with ``readback``'s copy of it) from the moment the plan is made, while the
    pictures are drawn (``PreparedVideo.sound``, which the encode takes over and removes)."""
    from studio.encode.encoder import decode_music_early, default_music_bed
    from studio.encode.execute import start_sound, voice_track
    from studio.encode.ffmpeg import find_ffmpeg_early
    from studio.video.paint import badge_position, paint, paint_more

    find_ffmpeg_early()
    if sound and options.music:  # the music bed decoded while the video is planned, which leaves a core idle
        decode_music_early(default_music_bed(), encode_settings(job, options))
    script, voiced, plan, settings, qr_url = plan_video(campaign, job, options)
    if not options.music:
        plan = _without_music(plan)
    narration = voice_track(plan, voiced.speech)
    # the sound needs only the plan: encoded on a core the drawing below leaves partly idle
    early = start_sound(plan, narration, settings, readback) if sound else None
    try:
        painter = painter_for(campaign, job, voiced, settings, qr_url)
        # The invisible mark goes into the full-frame cards before motion, sprites and encoding: every
        # frame carries it and it moves and scales with the picture.
        payload = render_payload(campaign, job)
        # The cards on every core the video may use. The characters and captions on one thread: they
        # are drawn while the first segments encode, and a second drawing thread, mostly waiting on
        # Python's lock, took that CPU from them (two threads alone: 0.25 s sooner for 0.3 s more CPU;
        # one thread saves the benchmark explainer 0.3 s of CPU for youtube, 0.8 s to 0.9 s for story).
        pictures = paint(
            plan, painter, mark=lambda cards: watermark_layers(cards, payload), threads=options.segments, sprites=False
        )
    except BaseException:
        if early is not None:
            early.close()
        raise
    positions = {s.picture: badge_position(painter) for s in plan.stills if s.at_px is None}

    def draw(keys: Sequence[str]) -> dict[str, Image.Image]:
        return paint_more(plan, painter, keys, 1)

    return PreparedVideo(script, voiced, plan, settings, pictures, positions, narration, qr_url, payload, draw, early)


def to_webvtt_words(cues: tuple[Any, ...]) -> str:
    """WebVTT with each word's time as a cue timestamp (``<00:00:01.250>``) before it."""
    blocks = ["WEBVTT"]
    for c in cues:
        text = c.text
        if c.words and len(c.words) == len(text.split()):
            parts = [c.words[0].text] + [f"<{_vtt_time(w.start_s)}>{w.text}" for w in c.words[1:]]
            words = iter(parts)
            lines = [" ".join(next(words) for _ in line.split()) for line in c.lines]
        else:
            lines = list(c.lines)
        blocks.append(f"{_vtt_time(c.start_s)} --> {_vtt_time(c.end_s)}\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def render_video_job(
    campaign: Campaign, job: Job, quarter_dir: Path, options: VideoOptions, keys_dir: str | None = None
) -> list[Output]:
    """Render one explainer in one language and format: the labelled, signed MP4 and its captions."""
    from studio.encode.encoder import Readback
    from studio.encode.execute import encode_plan
    from studio.label.fingerprint import AUDIO_RATE_HZ, FRAME_HZ, THUMB_PX, video_fingerprint

    keys = signing_keys(keys_dir)  # before any work: a synthetic render cannot go out unsigned
    # the fingerprint's frames and sound, taken on the way into the encoder: no second decode
    readback = Readback(FRAME_HZ, THUMB_PX, AUDIO_RATE_HZ)
    video = prepare_video(campaign, job, options, readback=readback, sound=True)
    script, voiced, plan, settings, qr_url = video.script, video.voiced, video.plan, video.settings, video.qr_url
    lang = job.language

    folder = quarter_dir / job.folder
    stem = f"{job.format}.draft" if options.draft else job.format
    mp4 = folder / f"{stem}.mp4"
    staged = folder / f".{stem}.unsigned.mp4.part"  # never at the final name before it is labelled
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result = encode_plan(
            plan,
            video.pictures,
            video.narration,
            staged,
            settings,
            video.still_positions,
            draw=video.draw,
            segments=options.segments,
            runner=options.runner,
            readback=readback,
            sound=video.sound,
        )
        from studio.label import MP4, mark_synthetic

        assert result.thumbs is not None and result.sound is not None
        fingerprint = video_fingerprint(list(result.thumbs), FRAME_HZ, result.sound)
        soft_bindings, provenance_fields = provenance(video.watermark, fingerprint)
        label = synthetic_label(f"{script.title} ({lang}, {job.format})", soft_bindings)
        mark_synthetic(staged, MP4, label, keys, dest=mp4)
    finally:
        staged.unlink(missing_ok=True)
        if video.sound is not None:
            video.sound.close()  # (the encode removes it; here too when the encode never began)
    srt, vtt = folder / f"{stem}.srt", folder / f"{stem}.vtt"
    srt_data, vtt_data = to_srt(plan.cues).encode(), to_webvtt_words(plan.cues).encode()
    write_atomic(srt, srt_data)
    write_atomic(vtt, vtt_data)

    engine = "+".join(voiced.engines)
    spoken = plan.scenes[0]
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
            "captions_burned_in": any(t.role == "caption" for t in plan.sprites),
            "spoken_disclosure_s": [round(spoken.speech_starts_s[0], 3), round(disclosure_end, 3)],
            "notices": list(voiced.notices),
            "scenes": list(plan.scene_kinds),
            "characters": sorted(set(plan.characters.values())),
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


def _without_music(plan: VideoPlan) -> VideoPlan:
    from dataclasses import replace

    return replace(plan, music=False)
