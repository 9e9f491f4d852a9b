"""Video encoder and audio mix for the explainer videos.

Slides drawn as images + narration + music bed → MP4 (H.264 yuv420p, AAC, faststart) that plays in
browsers, Telegram and WhatsApp. Planning (:mod:`.timeline`, :mod:`.motion`, :mod:`.graph`,
:mod:`.mix`) is pure; :mod:`.encoder`, :mod:`.audio` and :mod:`.ffmpeg` run ffmpeg;
:mod:`.probe` reads an MP4's facts back from its boxes.
"""

from __future__ import annotations

from studio.encode.audio import Audio, AudioSource, load_audio
from studio.encode.encoder import (
    EncodePlan,
    EncodeResult,
    SoundEncode,
    default_music_bed,
    encode_video,
    plan_encode,
)
from studio.encode.mix import MixSettings, mix_tracks
from studio.encode.model import (
    CUT,
    NO_MOTION,
    SIZES,
    EncodeSettings,
    Motion,
    MotionKind,
    Overlay,
    Slide,
    Sprite,
    SpriteTiming,
    Transition,
    TransitionKind,
    crossfade,
    settings_for,
)
from studio.encode.probe import AudioFacts, MediaFacts, VideoFacts, probe_mp4

__all__ = [
    "CUT",
    "NO_MOTION",
    "SIZES",
    "Audio",
    "AudioFacts",
    "AudioSource",
    "EncodePlan",
    "EncodeResult",
    "EncodeSettings",
    "MediaFacts",
    "MixSettings",
    "Motion",
    "MotionKind",
    "Overlay",
    "Slide",
    "Sprite",
    "SoundEncode",
    "SpriteTiming",
    "Transition",
    "TransitionKind",
    "VideoFacts",
    "crossfade",
    "default_music_bed",
    "encode_video",
    "load_audio",
    "mix_tracks",
    "plan_encode",
    "probe_mp4",
    "settings_for",
]
