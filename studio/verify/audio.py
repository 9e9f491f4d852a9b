"""`studio verify` on audio files (WAV, MP3, Ogg): spoken disclosure, loudness, length, metadata, C2PA.

Loudness and true peak are measured by ffmpeg's EBU R128 meter (``ebur128``) on the delivered file.
Targets come from the file's manifest entry (its format and any loudness override), else from its
container: WAV is held to radio's −23 LUFS, MP3 and Ogg to −16 LUFS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.disclosure import SPOKEN_AUDIO
from studio.errors import StudioError
from studio.formats import FORMATS
from studio.verify.checks import NO_MANIFEST_WINDOW_S, c2pa_result, spoken_result, xmp_result
from studio.verify.decode import AUDIO_RATE_HZ, audio_start
from studio.verify.entry import Lookup
from studio.verify.model import CheckName, CheckResult, Status

if TYPE_CHECKING:
    from studio.verify.run import VerifyOptions

#: Loudness must be within this of its target (EBU R128 allows ±1 LU for live; files are held closer).
LOUDNESS_TOLERANCE_LU = 0.5
#: A radio spot's length must be within this of its slot.
SLOT_TOLERANCE_S = 0.010
AUDIO_AFTER_S = 0.5
#: Without a manifest: the container's usual target (loudness, true-peak ceiling).
DEFAULT_TARGETS = {"audio/wav": (-23.0, -1.0), "audio/mpeg": (-16.0, -1.5), "audio/ogg": (-16.0, -1.5)}


@dataclass(frozen=True)
class AudioPartial:
    checks: tuple[CheckResult, ...]
    format: str | None
    format_from: str | None
    duration_s: float | None
    synthetic: bool


def read_tags(path: Path, ffmpeg: str | None = None, stream: bool = False) -> dict[str, str]:
    """The file's metadata tags (ID3, RIFF INFO, Vorbis comments) as ffmpeg reads them, keys lower-cased.

    ``stream``: the audio stream's tags rather than the file's (Ogg keeps its Vorbis comments there).
    """
    from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe

    which = ["-map_metadata", "0:s:a:0"] if stream else []
    raw = run_ffmpeg_pipe(
        ffmpeg_exe(ffmpeg), ["-i", str(path), *which, "-f", "ffmetadata", "pipe:1"], what=f"{path}: tags"
    )
    tags: dict[str, str] = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.startswith("[CHAPTER]"):
            break
        key, sep, value = line.partition("=")
        if sep and not key.startswith(";"):
            tags[key.strip().lower()] = value.strip()
    return tags


def loudness_result(path: Path, target: tuple[float, float], source: str, ffmpeg: str | None) -> CheckResult:
    from studio.audio.loudness import measure_file

    lufs, ceiling = target
    try:
        measured = measure_file(path, ffmpeg)
    except StudioError as exc:
        return CheckResult(CheckName.LOUDNESS, Status.FAIL, f"cannot measure loudness: {exc}")
    facts = {
        "integrated_lufs": measured.integrated_lufs,
        "true_peak_dbtp": measured.true_peak_dbtp,
        "range_lu": measured.range_lu,
        "target_lufs": lufs,
        "true_peak_max_dbtp": ceiling,
        "target_from": source,
    }
    said = f"{measured.integrated_lufs:.1f} LUFS, true peak {measured.true_peak_dbtp:.1f} dBTP"
    problems = []
    if abs(measured.integrated_lufs - lufs) > LOUDNESS_TOLERANCE_LU:
        problems.append(f"{measured.integrated_lufs:.1f} LUFS is not within {LOUDNESS_TOLERANCE_LU} LU of {lufs:g}")
    if measured.true_peak_dbtp > ceiling:
        problems.append(f"true peak {measured.true_peak_dbtp:.1f} dBTP is over {ceiling:g} dBTP")
    if problems:
        return CheckResult(CheckName.LOUDNESS, Status.FAIL, "; ".join(problems) + f" ({source})", facts)
    return CheckResult(CheckName.LOUDNESS, Status.PASS, f"{said} (target {lufs:g} LUFS, {source})", facts)


def _duration_s(path: Path, ffmpeg: str | None) -> float | None:
    """Exact length from the decoded samples (containers' headers can round)."""
    from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe

    try:
        raw = run_ffmpeg_pipe(
            ffmpeg_exe(ffmpeg),
            ["-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le", "pipe:1"],
            what=f"{path}: decoding",
        )
    except StudioError:
        return None
    return len(raw) / 2 / 48000


def verify_audio(path: Path, media: str, lookup: Lookup, options: VerifyOptions) -> AudioPartial:
    from studio.label import OGG, WAV, read_credentials, read_xmp_label
    from studio.label.mark import SYNTHETIC_SOURCE_TYPES

    entry = lookup.entry
    # Every audio deliverable is AI-voiced: a file with no manifest is held to the synthetic labels.
    synthetic = entry.synthetic if entry is not None else True
    fmt = FORMATS.get(entry.format) if entry is not None and entry.format else None
    spec = fmt.audio if fmt is not None else None
    checks: list[CheckResult] = []

    # Spoken disclosure, where the manifest places it (else the first seconds).
    window = None if entry is None else entry.spoken_disclosure_s
    language = None if entry is None else entry.language
    read_s = (window[1] if window else NO_MANIFEST_WINDOW_S) + AUDIO_AFTER_S
    try:
        audio = audio_start(path, read_s, options.ffmpeg)
        text = SPOKEN_AUDIO.get(language) if window is not None and language else None
        checks.append(spoken_result(audio, AUDIO_RATE_HZ, window, text, synthetic))
    except StudioError as exc:
        checks.append(CheckResult(CheckName.SPOKEN_DISCLOSURE, Status.FAIL, str(exc)))

    # Loudness and true peak against the format's target (or the deliverable's own).
    if spec is not None:
        target = (entry.loudness_target_lufs or spec.loudness_lufs, spec.true_peak_dbtp)  # type: ignore[union-attr]
        source = f"format {fmt.name}"  # type: ignore[union-attr]
    else:
        target = DEFAULT_TARGETS[media]
        source = f"the usual target for {media}"
    checks.append(loudness_result(path, target, source, options.ffmpeg))
    duration = _duration_s(path, options.ffmpeg)
    if spec is not None and spec.slot_s is not None:
        if duration is None:
            checks.append(CheckResult(CheckName.SLOT_LENGTH, Status.FAIL, "the audio cannot be decoded"))
        else:
            off = duration - spec.slot_s
            facts = {"duration_s": round(duration, 4), "slot_s": spec.slot_s}
            status = Status.PASS if abs(off) <= SLOT_TOLERANCE_S else Status.FAIL
            checks.append(
                CheckResult(
                    CheckName.SLOT_LENGTH,
                    status,
                    f"{duration:.3f} s for a {spec.slot_s:g} s slot ({off * 1000:+.0f} ms)",
                    facts,
                )
            )

    # Machine-readable marks: XMP in WAV; ID3 / Vorbis tags otherwise; C2PA except in Ogg.
    if media == WAV:
        try:
            xmp = read_xmp_label(path, media)
            checks.append(xmp_result(xmp, None, synthetic, SYNTHETIC_SOURCE_TYPES))
        except StudioError as exc:
            checks.append(xmp_result(None, str(exc), synthetic, SYNTHETIC_SOURCE_TYPES))
        xmp_type = None if xmp is None else xmp.digital_source_type
    else:
        xmp_type = None
        try:
            declared = read_tags(path, options.ffmpeg, stream=media == OGG).get("digitalsourcetype")
        except StudioError as exc:
            declared = None
            checks.append(CheckResult(CheckName.XMP, Status.FAIL, f"tags cannot be read: {exc}"))
        else:
            ok = declared in SYNTHETIC_SOURCE_TYPES
            checks.append(
                CheckResult(
                    CheckName.XMP,
                    Status.PASS if ok or not synthetic else Status.FAIL,
                    f"metadata tag DigitalSourceType = {declared}" if declared else "no DigitalSourceType tag",
                    {"digital_source_type": declared},
                )
            )
    if media == OGG:
        checks.append(
            CheckResult(
                CheckName.C2PA,
                Status.SKIP,
                "Ogg cannot carry C2PA content credentials (the C2PA SDK has no Ogg support); "
                "it is labelled by its spoken disclosure and metadata tags",
            )
        )
    else:
        credentials, error = None, None
        try:
            credentials = read_credentials(path, media, options.trust_anchors)
        except StudioError as exc:
            error = str(exc)
        checks.append(
            c2pa_result(
                credentials,
                error,
                synthetic,
                options.trust_anchors is not None,
                xmp_type,
                SYNTHETIC_SOURCE_TYPES,
            )
        )
    return AudioPartial(
        tuple(checks),
        None if fmt is None else fmt.name,
        None if fmt is None else "manifest",
        duration,
        synthetic,
    )
