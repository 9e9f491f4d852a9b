"""`studio voices`, `studio voices sample`, `studio formats`, and scripts' `only: video / audio` scenes."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.errors import SpecError
from studio.video.script import parse_script
from studio.voice import read_wav, rhvoice
from studio.voice.analysis import speech_problems
from tests.cli_helpers import run_studio
from tests.rhvoice_helpers import require_rhvoice


def test_voices_lists_every_engine_with_licence_and_version(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = run_studio(capsys, monkeypatch, "voices")
    assert result.code == 0
    lines = result.out.splitlines()
    espeak = [line for line in lines if line.startswith("│ espeak")]
    assert len(espeak) == 3 and all("GPL-3.0-or-later" in line for line in espeak)
    if rhvoice.available():
        azamat = next(line for line in lines if "Azamat" in line)
        assert "ky" in azamat and "male" in azamat and "LGPL-2.1+" in azamat and rhvoice.engine_version() in azamat
        assert "CC-BY-NC-ND-4.0" in next(line for line in lines if "Pavel" in line)
    else:
        assert "tools/install-voices.sh" in result.out


def test_voices_sample_writes_a_wav_of_speech(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_rhvoice()
    dest = tmp_path / "nazgul.wav"
    result = run_studio(capsys, monkeypatch, "voices", "sample", "Nazgul", "Салам, Таш-Көмүр! Бүгүн 2026-жыл.", "-o",
                        str(dest))  # fmt: skip
    assert result.code == 0, result.err
    speech = read_wav(dest)
    assert speech.sample_rate_hz == 24_000 and speech.duration_s > 1.5
    assert speech_problems(speech.samples, speech.sample_rate_hz) == ()
    assert "s of ky speech" in result.out


def test_voices_sample_of_an_unknown_voice_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_rhvoice()
    dest = tmp_path / "x.wav"
    result = run_studio(capsys, monkeypatch, "voices", "sample", "Bob", "Салам", "-o", str(dest))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and 'RHVoice voice "Bob" is not installed; installed voices: Aleksandr (ru)' in lines[0]
    assert not dest.exists()


def test_espeak_sample_works_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "e.wav"
    result = run_studio(capsys, monkeypatch, "voices", "sample", "espeak", "Я не даю взяток.", "--lang", "ru", "-o",
                        str(dest))  # fmt: skip
    assert result.code == 0 and read_wav(dest).duration_s > 0.8


def test_formats_lists_the_audio_formats(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = run_studio(capsys, monkeypatch, "formats")
    assert "radio-spot-30" in result.out and "30 s, WAV" in result.out
    assert "podcast" in result.out and "messenger" in result.out


SCRIPT = """title: T
scenes:
  - narration: Бардыгы үчүн.
  - only: video
    narration: Экрандагы кодду сканерлеңиз.
  - only: audio
    narration: Номерди эстеп калыңыз.
"""


def test_scenes_marked_for_one_medium_are_said_only_there(tmp_path: Path) -> None:
    script = parse_script(SCRIPT, "t", "ky", tmp_path, "t.ky.j2")
    assert [s.narration for s in script.for_medium("video").scenes] == ["Бардыгы үчүн.", "Экрандагы кодду сканерлеңиз."]
    assert [s.narration for s in script.for_medium("audio").scenes] == ["Бардыгы үчүн.", "Номерди эстеп калыңыз."]
    with pytest.raises(
        SpecError, match='t.ky.j2: scene 1: only: "radio" is not allowed; use only: video or only: audio'
    ):
        parse_script("title: T\nscenes:\n  - only: radio\n    narration: Х.\n", "t", "ky", tmp_path, "t.ky.j2")
    only_video = parse_script("title: T\nscenes:\n  - only: video\n    narration: Х.\n", "t", "ky", tmp_path, "t.ky.j2")
    with pytest.raises(SpecError, match="no scene is meant for audio"):
        only_video.for_medium("audio", "t.ky.j2")


SETUP = Path(__file__).resolve().parents[2] / "tools" / "install-voices.sh"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TAZA_SKIP_VOICES": "1", "PATH": "/usr/bin:/bin"}, "TAZA_SKIP_VOICES=1: not installing RHVoice."),
        ({"PATH": "/nonexistent"}, "this is not a Debian or Ubuntu system (no apt-get); RHVoice not installed."),
    ],
    ids=["skipped", "no-apt"],
)
def test_voice_setup_changes_nothing_where_it_cannot_and_says_so(env: dict[str, str], expected: str) -> None:
    import subprocess

    done = subprocess.run(["/bin/sh", str(SETUP)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert f"voices: {expected}" in done.stdout
    assert "will speak with espeak-ng" in done.stdout and "sudo sh tools/install-voices.sh" in done.stdout
