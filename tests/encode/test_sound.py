"""The sound, mixed and encoded once in a process of its own, started before the pictures are drawn
and joined to them without encoding again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from encode_helpers import speech_like
from PIL import Image

from studio.encode import Slide, SoundEncode, default_music_bed, encode_video, load_audio, settings_for
from studio.errors import EncodeError

SMALL = settings_for((160, 90))


def test_a_sound_started_early_is_the_video_sound_and_is_removed_after(
    tmp_path: Path, slides_rgb: list[Image.Image]
) -> None:
    slides = [Slide(slides_rgb[0], 1.0), Slide(slides_rgb[1], 1.0)]
    voice = speech_like(2.0)
    early = SoundEncode(voice, 60, SMALL, music=default_music_bed())
    folder = early.path.parent
    encode_video(slides, None, tmp_path / "early.mp4", SMALL, sound=early)
    encode_video(slides, voice, tmp_path / "late.mp4", SMALL, music=default_music_bed())
    assert not folder.exists()
    heard = load_audio(tmp_path / "early.mp4", 48_000, 2)
    same = load_audio(tmp_path / "late.mp4", 48_000, 2)
    assert heard.shape == same.shape and len(heard) >= 2 * 48_000
    assert float(np.abs(heard).max()) > 0.05  # narration and music, not silence
    assert np.array_equal(heard, same)


def test_a_sound_made_for_another_length_is_refused_and_removed(tmp_path: Path, slides_rgb: list[Image.Image]) -> None:
    early = SoundEncode(speech_like(1.0), 29, SMALL)
    folder = early.path.parent
    with pytest.raises(EncodeError, match="29 frames.*the video has 30"):
        encode_video([Slide(slides_rgb[0], 1.0)], None, tmp_path / "v.mp4", SMALL, sound=early)
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []  # no video, no half-written file


def test_a_sound_closed_at_once_leaves_nothing(slides_rgb: list[Image.Image]) -> None:
    early = SoundEncode(speech_like(3.0), 90, SMALL, music=default_music_bed())
    early.close()  # waits for its ffmpeg: nothing writes into the removed folder afterwards
    assert not early.path.parent.exists()
    early.close()  # twice is harmless


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each ffmpeg run that reads audio into memory said it did (the runs themselves are real)."""
    import studio.encode.audio as audio

    said: list[str] = []
    real = audio.run_ffmpeg_pipe

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(kwargs.get("what", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(audio, "run_ffmpeg_pipe", counted)
    return said


def test_a_file_decoded_early_is_decoded_once(tmp_path: Path, decodes: list[str]) -> None:
    import studio.encode.audio as audio

    bed = tmp_path / "bed.wav"
    bed.write_bytes(audio.wav_bytes(speech_like(2.0)))
    early = audio.decode_early(bed, 48_000, 2)
    first = load_audio(bed, 48_000, 2)  # finds it decoded, or waits for the decode under way
    early.join()
    again = load_audio(bed, 48_000, 2)
    assert len(decodes) == 1 and first.shape == (96_000, 2) and np.array_equal(first, again)


def test_a_missing_file_decoded_early_is_said_by_the_load_that_needs_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from studio.encode.audio import decode_early

    decode_early(tmp_path / "gone.opus", 48_000, 2).join()
    assert capfd.readouterr().err == ""  # nothing printed from the background
    with pytest.raises(EncodeError, match="gone.opus: audio file not found"):
        load_audio(tmp_path / "gone.opus", 48_000, 2)


def test_the_music_decoded_early_is_the_music_the_sound_mixes(decodes: list[str]) -> None:
    """decode_music_early asks for the bed as SoundEncode loads it: the sound decodes it no more."""
    import studio.encode.audio as audio
    from studio.encode.encoder import decode_music_early

    audio._decoded_file.cache_clear()
    decode_music_early(default_music_bed(), SMALL).join()
    bed = f"{default_music_bed()}: decoding audio"
    assert decodes == [bed]
    with SoundEncode(speech_like(1.0), 30, SMALL, music=default_music_bed()) as sound:
        assert sound.wait().stat().st_size > 0
    assert decodes.count(bed) == 1  # (the narration is resampled: not a decode of the bed)
