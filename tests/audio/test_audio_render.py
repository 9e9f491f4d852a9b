"""Audio deliverables end to end, with real voices: loudness by an independent meter, exact slot lengths,
the disclosure first, chapters, metadata, C2PA on each format, and bad input stopping cleanly."""

from __future__ import annotations

import json
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from studio.encode.ffmpeg import ffmpeg_exe
from studio.voice import rhvoice
from tests.cli_helpers import run_studio
from tests.conftest import make_project, sample_data
from tests.rhvoice_helpers import require_rhvoice

pytestmark = pytest.mark.slow  # a dozen seconds of speech, mixed and encoded

SCRIPT = {
    "ky": (
        "title: Кыска\nscenes:\n"
        "  - title: Пара — кылмыш\n    narration: Мен пара бербейм. Сиз да бербеңиз.\n"
        "  - only: video\n    narration: Экрандагы кодду сканерлеңиз.\n"
        "  - title: Кабарлаңыз\n    narration: Коррупция тууралуу кабарлаңыз.\n"
    ),
    "ru": (
        "title: Коротко\nscenes:\n"
        "  - title: Взятка — преступление\n    narration: Я не даю взяток. И вы не давайте.\n"
        "  - only: video\n    narration: Отсканируйте код на экране.\n"
        "  - title: Сообщите\n    narration: Сообщите о коррупции.\n"
    ),
}
TARGETS = {"radio-spot-15.wav": (-23.0, -1.0), "podcast.mp3": (-16.0, -1.5), "messenger.ogg": (-16.0, -1.5)}


def audio_campaign(project: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    for lang, text in SCRIPT.items():
        (project / "templates" / "scripts" / f"tiny-audio.{lang}.j2").write_text(text, encoding="utf-8")
    data = sample_data()
    audio = next(d for d in data["deliverables"] if d["kind"] == "audio")
    audio.update(id="tiny-audio", script="tiny-audio", quarters=["2026Q1"],
                 formats=["radio-spot-15", "podcast", "messenger"])  # fmt: skip
    data["deliverables"] = [audio]
    if change is not None:
        change(data)
    path = project / "campaigns" / "tiny-audio.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def loudnorm(path: Path) -> tuple[float, float]:
    """Integrated loudness and true peak as ffmpeg's loudnorm filter measures them (a second meter)."""
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "loudnorm=print_format=json",
         "-f", "null", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    log = done.stderr.decode()
    stats = json.loads(log[log.rindex("{") : log.rindex("}") + 1])
    return float(stats["input_i"]), float(stats["input_tp"])


def ffmetadata(path: Path, stream: bool = False) -> str:
    which = ["-map_metadata", "0:s:a:0"] if stream else []
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), *which, "-f", "ffmetadata", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.decode()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, keys_dir: Path) -> tuple[Path, Path, Any]:
    """The tiny audio deliverable in Kyrgyz and Russian, every audio format, through `studio render`."""
    project = make_project(tmp_path_factory.mktemp("audio") / "project")
    path = audio_campaign(project)
    out = project / "renders"
    with pytest.MonkeyPatch.context() as monkeypatch:
        import sys

        from studio.cli import main

        monkeypatch.setattr(
            sys,
            "argv",
            ["studio", "render", str(path), "-q", "2026Q1", "--workers", "2", "--out", str(out), "--keys",
             str(keys_dir)],
        )  # fmt: skip
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, "the tiny audio campaign must render"
    quarter = out / "tash-komur-2026" / "2026Q1"
    manifest = json.loads((quarter / "manifest.json").read_text(encoding="utf-8"))
    return project, quarter, manifest


def files(quarter: Path) -> list[Path]:
    return sorted(p for p in (quarter / "tiny-audio").rglob("*") if p.is_file())


def test_every_language_and_format_is_delivered_and_nothing_else(rendered: tuple[Path, Path, Any]) -> None:
    _, quarter, manifest = rendered
    names = [p.relative_to(quarter / "tiny-audio").as_posix() for p in files(quarter)]
    assert names == [f"{lang}/{name}" for lang in ("ky", "ru") for name in sorted(TARGETS)]
    entries = {e["path"]: e for e in manifest["renders"]}
    engine = "rhvoice" if rhvoice.available() else "espeak"
    for name in names:
        entry = entries[f"tiny-audio/{name}"]
        assert entry["kind"] == "audio" and entry["synthetic"] is True
        assert entry["voice_engine"] == engine
        assert entry["spoken_disclosure_s"][0] <= 0.5


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_loudness_and_true_peak_by_an_independent_meter(rendered: tuple[Path, Path, Any], name: str) -> None:
    _, quarter, _ = rendered
    target, ceiling = TARGETS[name]
    for lang in ("ky", "ru"):
        integrated, true_peak = loudnorm(quarter / "tiny-audio" / lang / name)
        assert abs(integrated - target) <= 0.5, (lang, name, integrated)
        assert true_peak <= ceiling, (lang, name, true_peak)


def test_radio_spots_last_exactly_their_slot(rendered: tuple[Path, Path, Any]) -> None:
    _, quarter, _ = rendered
    for lang in ("ky", "ru"):
        with wave.open(str(quarter / "tiny-audio" / lang / "radio-spot-15.wav")) as spot:
            assert (spot.getframerate(), spot.getsampwidth(), spot.getnchannels()) == (48_000, 2, 2)
            assert abs(spot.getnframes() / 48_000 - 15.0) <= 0.010


def test_podcast_has_a_chapter_per_audio_scene(rendered: tuple[Path, Path, Any]) -> None:
    _, quarter, _ = rendered
    meta = ffmetadata(quarter / "tiny-audio" / "ky" / "podcast.mp3")
    assert meta.count("[CHAPTER]") == 2  # the `only: video` scene is skipped
    assert "title=Пара — кылмыш" in meta and "title=Кабарлаңыз" in meta
    assert "language=kir" in meta


def test_voice_note_carries_its_labels_in_vorbis_comments(rendered: tuple[Path, Path, Any]) -> None:
    _, quarter, _ = rendered
    meta = ffmetadata(quarter / "tiny-audio" / "ru" / "messenger.ogg", stream=True)
    assert "compositeWithTrainedAlgorithmicMedia" in meta
    assert "language=rus" in meta
    probe = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(quarter / "tiny-audio" / "ru" / "messenger.ogg")],
                           capture_output=True).stderr.decode()  # fmt: skip
    assert "Audio: opus" in probe and "mono" in probe


def test_c2pa_is_valid_on_wav_and_mp3(rendered: tuple[Path, Path, Any], keys_dir: Path) -> None:
    from studio.label import MP3, WAV, read_credentials, read_xmp_label

    _, quarter, _ = rendered
    for name, media in (("radio-spot-15.wav", WAV), ("podcast.mp3", MP3)):
        credentials = read_credentials(quarter / "tiny-audio" / "ky" / name, media, keys_dir)
        assert credentials.valid and credentials.trusted, (name, credentials.failure_codes)
        assert any(t.endswith("compositeWithTrainedAlgorithmicMedia") for t in credentials.digital_source_types)
    xmp = read_xmp_label(quarter / "tiny-audio" / "ky" / "radio-spot-15.wav")
    assert xmp is not None and xmp.digital_source_type.endswith("compositeWithTrainedAlgorithmicMedia")


def test_studio_verify_passes_the_audio_and_catches_a_changed_sample(
    rendered: tuple[Path, Path, Any], keys_dir: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    _, quarter, _ = rendered
    result = run_studio(capsys, monkeypatch, "verify", str(quarter / "tiny-audio"), "--trust", str(keys_dir), "--json")
    assert result.code == 0, result.out
    report = json.loads(result.out)
    by_file = {Path(f["path"]).name + Path(f["path"]).parent.name: f for f in report["files"]}
    spot = {c["name"]: c for c in by_file["radio-spot-15.wavky"]["checks"]}
    assert spot["spoken-disclosure"]["status"] == "pass" and spot["spoken-disclosure"]["facts"]["onset_s"] <= 1.0
    assert spot["loudness"]["status"] == "pass" and spot["slot-length"]["status"] == "pass"
    assert spot["c2pa"]["status"] == "pass"
    assert {c["name"]: c for c in by_file["messenger.oggru"]["checks"]}["c2pa"]["status"] == "skip"
    # One changed sample in a copy: the signature no longer matches the audio.
    copy = tmp_path / "radio-spot-15.wav"
    data = bytearray((quarter / "tiny-audio" / "ky" / "radio-spot-15.wav").read_bytes())
    data[100_000] ^= 0x40
    copy.write_bytes(bytes(data))
    result = run_studio(capsys, monkeypatch, "verify", str(copy), "--trust", str(keys_dir))
    assert result.code == 1
    assert "C2PA manifest is Invalid" in result.out


def test_a_script_that_overruns_its_slot_fails_and_writes_nothing(
    tmp_path: Path, keys_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project")
    long = " ".join(["Коррупция тууралуу кабарлаңыз, атыңызды айтпасаңыз да болот."] * 6)
    path = audio_campaign(project, lambda d: d["deliverables"][0].update(formats=["radio-spot-15"], languages=["ky"]))
    script = project / "templates" / "scripts" / "tiny-audio.ky.j2"
    script.write_text(f"title: Узун\nscenes:\n  - narration: {long}\n", encoding="utf-8")
    out = project / "renders"
    result = run_studio(capsys, monkeypatch, "render", str(path), "-q", "2026Q1", "--workers", "1", "--out", str(out),
                        "--keys", str(keys_dir))  # fmt: skip
    assert result.code == 1
    failed = [line for line in result.err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1
    assert 'deliverable "tiny-audio" (ky, radio-spot-15): the script is' in failed[0]
    assert "s over the 15 s slot" in failed[0]
    assert not list((out / "tash-komur-2026" / "2026Q1").rglob("*.wav"))
    assert not list(out.rglob("*.part"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["deliverables"][0].update(loudness_lufs=-35),
         "loudness_lufs -35 is outside -31 … -9 LUFS"),
        (lambda d: d["voices"]["narrator"].update(voice={"ky": "Bob", "ru": "Aleksandr"}),
         'voices.narrator.voice.ky: RHVoice voice "Bob" is not installed; installed voices: Aleksandr (ru)'),
        (lambda d: d["voices"]["narrator"].update(voice={"ky": "Anna", "ru": "Aleksandr"}),
         'voices.narrator.voice.ky: RHVoice voice "Anna" speaks ru, not ky; ky voices: Azamat, Nazgul'),
        (lambda d: d["voices"]["narrator"].update(voice={"ky": "Azamat"}),
         "voices.narrator.voice: no Russian (ru) voice; give one per language"),
    ],
    ids=["loudness", "not-installed", "wrong-language", "missing-language"],
)  # fmt: skip
def test_bad_audio_settings_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    change: Callable[[dict[str, Any]], None], expected: str,
) -> None:  # fmt: skip
    if "RHVoice" in expected:
        require_rhvoice()
    path = audio_campaign(make_project(tmp_path / "project"), change)
    result = run_studio(capsys, monkeypatch, "validate", str(path))
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and expected in lines[0].replace("−", "-"), result.err


def test_without_rhvoice_espeak_speaks_and_the_run_says_so_once(
    tmp_path: Path, keys_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(rhvoice.DISABLE_ENV, "1")
    project = make_project(tmp_path / "project")
    path = audio_campaign(project, lambda d: d["deliverables"][0].update(formats=["messenger"]))
    out = project / "renders"
    result = run_studio(capsys, monkeypatch, "render", str(path), "-q", "2026Q1", "--workers", "1", "--out", str(out),
                        "--keys", str(keys_dir))  # fmt: skip
    assert result.code == 0, result.err
    assert result.err.count("RHVoice is not installed") == 1
    assert "tools/install-voices.sh" in result.err
    manifest = json.loads((out / "tash-komur-2026" / "2026Q1" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["voice_engine"] for e in manifest["renders"]} == {"espeak"}
