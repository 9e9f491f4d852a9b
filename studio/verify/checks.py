"""The verdict of each check, from what was read out of the file. Pure: decoded data in, results out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from studio.verify.badge import BADGE_MIN_MATCH
from studio.verify.entry import Lookup
from studio.verify.model import CheckName, CheckResult, Status
from studio.voice.analysis import loudness_envelope, measure_speech, speech_problems

if TYPE_CHECKING:  # studio.label loads c2pa: imported where files are read
    from studio.label import Credentials, XmpLabel

#: The spoken disclosure must begin within this many seconds of the start.
DISCLOSURE_START_MAX_S = 1.0
#: Without a manifest, the disclosure is looked for in this many seconds from the start, and the speech
#: checked is this long from where it begins (the disclosure takes about 3 s in Kyrgyz, Russian or English).
NO_MANIFEST_WINDOW_S = 5.0
NO_MANIFEST_SPEECH_S = 3.0
#: Speech begins at the first 10 ms whose level is within this many dB of the disclosure's loud parts
#: (its 95th percentile); the music bed fades in from silence under the first words.
ONSET_RANGE_DB = 15.0
#: The C2PA code a sound manifest carries when no trust anchors were given to check its signer against.
UNTRUSTED = "signingCredential.untrusted"


def _s(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def spans(times_s: Sequence[float], gap_s: float = 1.01) -> str:
    """``[1, 2, 3, 7, 11.6]`` → ``"1–3 s, 7 s, 11.6 s"``: times no further apart than ``gap_s`` join up."""
    groups: list[list[float]] = []
    for t in sorted(times_s):
        if groups and t - groups[-1][-1] <= gap_s:
            groups[-1].append(t)
        else:
            groups.append([t])
    return ", ".join(f"{_s(g[0])}–{_s(g[-1])} s" if len(g) > 1 else f"{_s(g[0])} s" for g in groups)


def manifest_result(lookup: Lookup, sha256: str, size: int) -> CheckResult:
    """Whether the file is the one its manifest entry describes (sha256 and size)."""
    entry = lookup.entry
    if entry is None:
        return CheckResult(CheckName.MANIFEST, Status.SKIP, lookup.note)
    facts = {"manifest": str(lookup.manifest), "sha256": sha256, "manifest_sha256": entry.sha256}
    if entry.sha256 is not None and entry.sha256 != sha256:
        return CheckResult(
            CheckName.MANIFEST,
            Status.FAIL,
            f"changed since it was rendered: sha256 {sha256[:12]}… ({size} bytes) is not the manifest's "
            f"{entry.sha256[:12]}… ({entry.bytes} bytes) in {lookup.manifest}",
            facts,
        )
    said = "sha256 matches" if entry.sha256 else "no sha256 recorded"
    return CheckResult(CheckName.MANIFEST, Status.PASS, f"{lookup.note}; {said}", facts)


@dataclass(frozen=True)
class BadgeSamples:
    """How well the badge matched in each sampled picture (one for a still), checked as ``format``."""

    format: str
    times_s: tuple[float, ...]
    scores: tuple[float, ...]

    @property
    def missing_s(self) -> tuple[float, ...]:
        return tuple(t for t, s in zip(self.times_s, self.scores, strict=True) if s < BADGE_MIN_MATCH)

    @property
    def shown(self) -> bool:
        return bool(self.scores) and not self.missing_s


def visible_label_result(samples: BadgeSamples, synthetic: bool | None, video: bool) -> CheckResult:
    """The badge on a synthetic still, or on every sampled frame of a synthetic video; none on others."""
    missing = samples.missing_s
    lowest = min(samples.scores, default=0.0)
    facts = {
        "format": samples.format,
        "threshold": BADGE_MIN_MATCH,
        "sampled": len(samples.scores),
        "lowest_match": round(lowest, 3),
        "missing_s": [round(t, 2) for t in missing],
    }
    if not samples.scores:
        return CheckResult(CheckName.VISIBLE_LABEL, Status.FAIL, "no frame could be decoded to look for the badge")
    where = f"checked as {samples.format}; match ≥ {BADGE_MIN_MATCH:.2f}"
    if synthetic is None:
        return CheckResult(
            CheckName.VISIBLE_LABEL,
            Status.SKIP,
            "shows no badge, and neither a manifest nor the file's metadata says it is synthetic",
            facts,
        )
    if not synthetic:
        shown_at = [t for t in samples.times_s if t not in missing]
        if shown_at:
            at = f" at {spans(shown_at)}" if video else ""
            return CheckResult(
                CheckName.VISIBLE_LABEL,
                Status.FAIL,
                f"the manifest says it is not synthetic, but it shows the synthetic-media badge{at} ({where})",
                facts,
            )
        return CheckResult(CheckName.VISIBLE_LABEL, Status.PASS, "not synthetic, and shows no badge", facts)
    if not video:
        if missing:
            return CheckResult(
                CheckName.VISIBLE_LABEL,
                Status.FAIL,
                f"the synthetic-media badge is missing or covered (match {lowest:.2f} < {BADGE_MIN_MATCH:.2f}; "
                f"checked as {samples.format})",
                facts,
            )
        return CheckResult(CheckName.VISIBLE_LABEL, Status.PASS, f"badge shown (match {lowest:.2f}; {where})", facts)
    if missing:
        return CheckResult(
            CheckName.VISIBLE_LABEL,
            Status.FAIL,
            f"the synthetic-media badge is missing at {spans(missing)} ({len(missing)} of {len(samples.scores)} "
            f"sampled frames; {where})",
            facts,
        )
    return CheckResult(
        CheckName.VISIBLE_LABEL,
        Status.PASS,
        f"badge on all {len(samples.scores)} sampled frames, {spans(samples.times_s)} (lowest match {lowest:.2f}; "
        f"{where})",
        facts,
    )


def speech_onset_s(audio: npt.NDArray[np.int16], rate_hz: int, window: tuple[float, float]) -> float | None:
    """When speech first reaches within ``ONSET_RANGE_DB`` of the loud parts of ``window``; None if never."""
    envelope = loudness_envelope(audio, rate_hz)
    if not len(envelope):
        return None
    level = 20 * np.log10(np.maximum(envelope, 1e-9))
    first, last = round(window[0] * 100), max(round(window[0] * 100) + 1, round(window[1] * 100))
    inside = level[first:last]
    if not len(inside):
        return None
    threshold = float(np.percentile(inside, 95)) - ONSET_RANGE_DB
    loud = np.flatnonzero(level[:last] >= max(threshold, -60.0))
    return float(loud[0]) / 100 if len(loud) else None


def spoken_result(
    audio: npt.NDArray[np.int16] | None,
    rate_hz: int,
    window: tuple[float, float] | None,
    text: str | None,
    synthetic: bool | None,
) -> CheckResult:
    """The narration opens with the spoken disclosure: speech (not silence, noise or a tone) where the
    manifest places it (or in the first seconds), beginning within ``DISCLOSURE_START_MAX_S``."""
    if synthetic is False:
        return CheckResult(CheckName.SPOKEN_DISCLOSURE, Status.SKIP, "not synthetic: no spoken disclosure required")
    if audio is None:
        return CheckResult(CheckName.SPOKEN_DISCLOSURE, Status.FAIL, "no soundtrack: the spoken disclosure is missing")
    claimed = window
    audio_s = len(audio) / rate_hz
    if window is None:
        # No manifest: the disclosure is the first speech, and lasts about as long as any language's wording.
        onset = speech_onset_s(audio, rate_hz, (0.0, min(NO_MANIFEST_WINDOW_S, audio_s)))
        begin = onset if onset is not None else 0.0
        window = (begin, min(begin + NO_MANIFEST_SPEECH_S, audio_s))
        what = f"the first {window[1] - window[0]:.0f} s of sound from {window[0]:.1f} s"
    else:
        onset = speech_onset_s(audio, rate_hz, window)
        what = f"the disclosure at {window[0]:.1f}–{window[1]:.1f} s"
    start, end = window
    segment = audio[round(start * rate_hz) : round(end * rate_hz)]
    if len(segment) < rate_hz // 2:
        return CheckResult(
            CheckName.SPOKEN_DISCLOSURE, Status.FAIL, f"{what}: the soundtrack is too short to hold a disclosure"
        )
    measures = measure_speech(segment, rate_hz, text)
    facts = {
        "window_s": [round(start, 3), round(end, 3)],
        "from_manifest": claimed is not None,
        "onset_s": None if onset is None else round(onset, 2),
        "rms_dbfs": round(measures.rms_dbfs, 1) if math.isfinite(measures.rms_dbfs) else None,  # JSON has no -inf
        "syllable_rate_hz": round(measures.syllable_rate_hz, 2),
        "spectral_flatness": round(measures.spectral_flatness, 3),
        "seconds_per_char": None if measures.seconds_per_char is None else round(measures.seconds_per_char, 3),
    }
    problems = []
    not_speech = speech_problems(segment, rate_hz, text)
    if not_speech:
        problems.append(f"{what} is not speech: {', '.join(not_speech)}")
    if claimed is not None and claimed[0] > DISCLOSURE_START_MAX_S:
        problems.append(f"the manifest places the disclosure at {claimed[0]:.1f} s, after {DISCLOSURE_START_MAX_S} s")
    if onset is None:
        problems.append("no speech found before the end of the disclosure")
    elif onset > DISCLOSURE_START_MAX_S:
        problems.append(f"speech begins at {onset:.2f} s; the disclosure must begin within {DISCLOSURE_START_MAX_S} s")
    if problems:
        return CheckResult(CheckName.SPOKEN_DISCLOSURE, Status.FAIL, "; ".join(problems), facts)
    pace = "" if measures.seconds_per_char is None else f", {measures.seconds_per_char:.3f} s a character"
    return CheckResult(
        CheckName.SPOKEN_DISCLOSURE,
        Status.PASS,
        f"{what} is speech, beginning at {onset:.2f} s ({measures.rms_dbfs:.0f} dBFS, "
        f"{measures.syllable_rate_hz:.1f} syllables/s, spectral flatness {measures.spectral_flatness:.2f}{pace})",
        facts,
    )


def _term(uri: str | None) -> str:
    """The IPTC term of a digital source type URI, e.g. ``compositeWithTrainedAlgorithmicMedia``."""
    return "none" if uri is None else uri.rstrip("/").rsplit("/", 1)[-1]


def _not_held(
    name: CheckName, synthetic: bool | None, claimed: str | None, where: str, nothing: str, facts: dict[str, Any]
) -> CheckResult | None:
    """The verdict on a file not held to the synthetic labels; None when it is (``synthetic`` True).

    Not synthetic (by its manifest): passes when it claims nothing, fails when ``where`` declares ``claimed``.
    Unknown (no manifest, no badge, no mark): nothing to hold it to.
    """
    if synthetic is None:
        return CheckResult(name, Status.SKIP, f"{nothing}, and there is no manifest to require more", facts)
    if synthetic:
        return None
    if claimed is not None:
        return CheckResult(
            name, Status.FAIL, f"the manifest says it is not synthetic, but {where} declares {_term(claimed)}", facts
        )
    return CheckResult(name, Status.PASS, f"{nothing}, as the manifest says (not synthetic)", facts)


def xmp_result(
    xmp: XmpLabel | None, error: str | None, synthetic: bool | None, synthetic_types: frozenset[str]
) -> CheckResult:
    """A synthetic render's XMP declares a synthetic IPTC digital source type and the disclosure text;
    any other render's XMP declares nothing synthetic."""
    if error is not None:
        return CheckResult(CheckName.XMP, Status.FAIL, f"XMP cannot be read: {error}")
    source_type = None if xmp is None else xmp.digital_source_type
    facts = {"digital_source_type": source_type, "description": None if xmp is None else xmp.description}
    claimed = source_type if source_type in synthetic_types else None
    unheld = _not_held(CheckName.XMP, synthetic, claimed, "XMP", "XMP claims nothing synthetic", facts)
    if unheld is not None:
        return unheld
    if xmp is None:
        return CheckResult(CheckName.XMP, Status.FAIL, "no XMP packet (a re-encode or metadata strip drops it)", facts)
    if source_type is None:
        return CheckResult(CheckName.XMP, Status.FAIL, "XMP has no Iptc4xmpExt:DigitalSourceType", facts)
    if claimed is None:
        return CheckResult(
            CheckName.XMP, Status.FAIL, f'XMP digital source type "{source_type}" does not say synthetic', facts
        )
    if not (xmp.description or "").strip():
        return CheckResult(CheckName.XMP, Status.FAIL, "XMP has no disclosure text (dc:description)", facts)
    return CheckResult(
        CheckName.XMP, Status.PASS, f"DigitalSourceType {_term(source_type)}; dc:description “{xmp.description}”", facts
    )


def c2pa_state(credentials: Credentials | None) -> str:
    """``missing``, or the validator's state: ``Valid``, ``Trusted`` or ``Invalid``."""
    if credentials is None or not credentials.present:
        return "missing"
    return credentials.state or "Invalid"


def c2pa_result(
    credentials: Credentials | None,
    error: str | None,
    synthetic: bool | None,
    trust_checked: bool,
    xmp_type: str | None,
    synthetic_types: frozenset[str],
) -> CheckResult:
    """A synthetic render carries a sound C2PA manifest (trusted, when trust anchors are given) whose actions
    declare the same synthetic source type as its XMP; any other render carries none that claims synthetic."""
    if error is not None or credentials is None:
        return CheckResult(CheckName.C2PA, Status.FAIL, f"content credentials cannot be read: {error}")
    state = c2pa_state(credentials)
    declared = [t for t in credentials.digital_source_types if t in synthetic_types]
    codes = [c for c in credentials.failure_codes if trust_checked or c != UNTRUSTED]
    facts = {
        "state": state,
        "failure_codes": list(credentials.failure_codes),
        "digital_source_types": list(credentials.digital_source_types),
        "signer": credentials.signer,
        "trust_checked": trust_checked,
    }
    if credentials.present and not credentials.valid:
        return CheckResult(
            CheckName.C2PA, Status.FAIL, f"C2PA manifest is {state}: {', '.join(codes) or 'no reason given'}", facts
        )
    said = "no content credentials" if not credentials.present else f"C2PA {state}, declaring nothing synthetic"
    unheld = _not_held(CheckName.C2PA, synthetic, declared[0] if declared else None, "its C2PA", said, facts)
    if unheld is not None:
        return unheld
    if not credentials.present:
        return CheckResult(
            CheckName.C2PA, Status.FAIL, "no C2PA manifest (a re-encode, remux or metadata edit drops it)", facts
        )
    if trust_checked and not credentials.trusted:
        return CheckResult(
            CheckName.C2PA,
            Status.FAIL,
            f"C2PA {state}, but the signer ({credentials.signer or 'unknown'}) is not under the given trust anchors",
            facts,
        )
    if not declared:
        return CheckResult(
            CheckName.C2PA, Status.FAIL, f"C2PA {state}, but no action declares a synthetic source", facts
        )
    if xmp_type in synthetic_types and xmp_type not in declared:
        return CheckResult(
            CheckName.C2PA,
            Status.FAIL,
            f"C2PA declares {_term(declared[0])} but XMP says {_term(xmp_type)}",
            facts,
        )
    trust = "" if trust_checked else " (signer not checked: no trust anchors given)"
    return CheckResult(
        CheckName.C2PA,
        Status.PASS,
        f"C2PA {state}{trust}; declares {_term(declared[0])}; signed by {credentials.signer or 'unknown'}",
        facts,
    )


def qr_result(decoded: Sequence[str], expected: str | None, has_entry: bool, where: str) -> CheckResult:
    """Every QR code found decodes to the manifest's ``qr_url``; one that points elsewhere fails."""
    texts = list(dict.fromkeys(decoded))
    facts = {"decoded": texts, "expected": expected}
    if not has_entry:
        if texts:
            return CheckResult(
                CheckName.QR, Status.PASS, f"{where} decodes to {', '.join(texts)} (no manifest to compare with)", facts
            )
        return CheckResult(
            CheckName.QR, Status.SKIP, f"no QR code found in {where}, and no manifest expects one", facts
        )
    if expected is None:
        if texts:
            return CheckResult(
                CheckName.QR,
                Status.FAIL,
                f"{where} has a QR code to {', '.join(texts)}, but the manifest lists none for this file",
                facts,
            )
        return CheckResult(CheckName.QR, Status.SKIP, "the manifest lists no QR code for this file", facts)
    if not texts:
        return CheckResult(
            CheckName.QR,
            Status.FAIL,
            f"no QR code decodes from {where}; the manifest says it points to {expected}",
            facts,
        )
    elsewhere = [t for t in texts if t != expected]
    if elsewhere:
        return CheckResult(
            CheckName.QR,
            Status.FAIL,
            f"the QR code in {where} points to {elsewhere[0]}, not to the manifest's {expected}",
            facts,
        )
    return CheckResult(CheckName.QR, Status.PASS, f"{where} decodes to {expected}, as the manifest says", facts)
