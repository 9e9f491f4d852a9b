"""``studio verify COPY --against FOLDER``: where a copy with its metadata gone came from, and what changed.

A messenger strips XMP and C2PA and re-encodes. What is left is the picture and the sound: the invisible
watermark names the render (and the organisation), the fingerprints confirm that the pictures and the
sound are that render's. A copy is said to come from a render only when the pictures match it; when the
pictures match but the sound does not, it is reported as re-voiced, never as the render. A copy that
matches nothing is reported as such.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from studio.batch.manifest import MANIFEST_NAME, ManifestEntry, ManifestError, load_manifest
from studio.encode.ffmpeg import ffmpeg_exe, run_ffmpeg_pipe
from studio.errors import EncodeError, StudioError
from studio.files import sha256_of
from studio.label.fingerprint import (
    AUDIO_HOP,
    AUDIO_RATE_HZ,
    PICTURE_MATCH_BITS,
    Fingerprint,
    VideoMatch,
    audio_ber,
    audio_bits,
    audio_silent,
    compare_videos,
    picture_distance,
    picture_hashes,
    thumbnail,
)
from studio.label.watermark import Detection, detect, tile_px

#: A copy whose size, once the rescale the watermark measured is undone, falls short of its render's
#: by more than this fraction was cropped.
CROP_MIN = 0.03
#: Trims shorter than this are re-encoding slack, not cuts.
TRIM_MIN_S = 0.6


class CopyError(StudioError):
    """A copy that cannot be traced at all: not media, a broken file, several renders matching."""


class Verdict(StrEnum):
    TRACED = "traced"  # pictures (and sound) match one render
    REVOICED = "revoiced"  # pictures match a render, its sound does not
    ALTERED = "altered"  # the watermark names a render whose pictures do not match
    RESEMBLES = "resembles"  # the pictures look like a render's, but no watermark confirms it
    UNMATCHED = "unmatched"  # matches no render


@dataclass(frozen=True)
class Render:
    """A rendered file listed in a manifest, with its watermark id and fingerprint."""

    path: Path
    entry: ManifestEntry
    fingerprint: Fingerprint

    @property
    def watermark_render(self) -> str | None:
        return None if self.entry.watermark is None else self.entry.watermark.render

    @property
    def watermark_organisation(self) -> str | None:
        return None if self.entry.watermark is None else self.entry.watermark.organisation

    @property
    def is_video(self) -> bool:
        return self.fingerprint.is_video

    @property
    def title(self) -> str:
        e = self.entry
        return f"{e.deliverable}, {e.language}, {e.format}, {e.quarter}"


@dataclass(frozen=True)
class Match:
    """A render compared with the copy. ``similarity``: 1 identical pictures, 0 unrelated."""

    render: Render
    picture_bits: float
    watermark: bool
    video: VideoMatch | None = None
    frame_s: float | None = None  # a still copy matching a video's frame: where in the video

    @property
    def similarity(self) -> float:
        return max(0.0, 1.0 - self.picture_bits / 32.0)

    @property
    def pictures_match(self) -> bool:
        if self.video is not None:
            return self.video.pictures_match
        return self.picture_bits <= PICTURE_MATCH_BITS


@dataclass(frozen=True)
class CopyReport:
    """What ``verify --against`` found for one copy."""

    path: Path
    media: str  # "image", "video" or "audio"
    verdict: Verdict
    detection: Detection | None
    match: Match | None
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    size_px: tuple[int, int] | None = None
    duration_s: float | None = None
    others: tuple[Match, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.TRACED

    def lines(self) -> list[str]:
        """The report for people, first line the verdict."""
        m = self.match
        where = f"{m.render.path} ({m.render.title})" if m is not None else ""
        head = {
            Verdict.TRACED: f"{self.path}: comes from {where}",
            Verdict.REVOICED: f"{self.path}: NOT our render: its pictures match {where}, "
            "its sound does not (re-voiced)",
            Verdict.ALTERED: f"{self.path}: NOT our render: it carries the watermark of {where}, "
            "but its pictures do not match it (altered)",
            Verdict.RESEMBLES: f"{self.path}: NOT confirmed: it looks like {where}, but carries no readable "
            "watermark (too damaged to read, or an imitation in the same design)",
            Verdict.UNMATCHED: f"{self.path}: matches none of the renders; not ours",
        }[self.verdict]
        out = [head]
        d = self.detection
        if d is not None:
            if d.payload is not None:
                out.append(
                    f"  watermark: render {d.payload.render_hex}, organisation {d.payload.organisation_hex} "
                    f"(read on {d.frames_synced} of {d.frames_read} frames, confidence {d.confidence:.0%})"
                )
            else:
                out.append("  watermark: none found")
        if m is not None:
            if self.media == "audio" and m.video is not None and m.video.audio_ber is not None:
                out.append(f"  sound: matches ({m.video.audio_ber:.0%} of its bits differ)")
            elif m.video is not None:
                v = m.video
                out.append(
                    f"  pictures: {'match' if v.pictures_match else 'do not match'} "
                    f"({v.picture_bits:.1f} of 64 bits differ a frame, {v.frames_compared} frames)"
                )
                if v.audio_ber is not None:
                    verb = "matches" if v.audio_matches else "does not match"
                    out.append(f"  sound: {verb} ({v.audio_ber:.0%} of its bits differ)")
            else:
                at = f", the frame at {m.frame_s:.1f} s" if m.frame_s is not None else ""
                out.append(f"  picture: similarity {m.similarity:.0%} ({m.picture_bits:.0f} of 64 bits differ{at})")
            if m.render.entry.synthetic:
                out.append("  the render is labelled as made with AI (badge, watermark, XMP, C2PA)")
        if self.changes:
            out.append("  changed: " + "; ".join(self.changes))
        out += [f"  note: {n}" for n in self.notes]
        return out

    def to_dict(self) -> dict[str, Any]:
        m = self.match
        d = self.detection
        return {
            "path": str(self.path),
            "media": self.media,
            "verdict": str(self.verdict),
            "render": None if m is None else str(m.render.path),
            "watermark": None
            if d is None or d.payload is None
            else {
                "render": d.payload.render_hex,
                "organisation": d.payload.organisation_hex,
                "confidence": d.confidence,
            },
            "similarity": None if m is None else round(m.similarity, 3),
            "audio_ber": None if m is None or m.video is None else m.video.audio_ber,
            "changes": list(self.changes),
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------- the renders


def load_renders(against: Path) -> list[Render]:
    """Every fingerprinted render listed by the manifests at or below ``against``."""
    if not against.exists():
        raise CopyError(f"{against}: no such folder of renders")
    manifests = [against] if against.is_file() else sorted(against.rglob(MANIFEST_NAME))
    renders: list[Render] = []
    for manifest in manifests:
        try:
            entries = load_manifest(manifest).renders
        except ManifestError as exc:
            raise CopyError(str(exc)) from None
        for entry in entries:
            if entry.role == "print" or entry.draft:
                continue  # a print PDF shares its proof's mark and fingerprint: the proof stands for both
            fp = Fingerprint.from_dict(entry.fingerprint)
            if fp is not None:
                renders.append(Render(manifest.parent / entry.path, entry, fp))
    if not renders:
        raise CopyError(
            f"{against}: no manifest there lists a fingerprinted render (renders made before fingerprints "
            "were added must be rendered again)"
        )
    return renders


# ---------------------------------------------------------------- reading the copy

_AUDIO_MAGIC = (b"ID3", b"OggS", b"fLaC", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xf1", b"\xff\xf9")


def sniff(path: Path) -> str:
    """ "image", "video" or "audio" from the file's first bytes; a CopyError for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise CopyError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "audio" if brand in (b"M4A ", b"M4B ") else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"  # Matroska / WebM
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if head.startswith(_AUDIO_MAGIC):
        return "audio"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "image"
    raise CopyError(f"{path}: not an image, video or audio file (it starts with {head[:8]!r})")


def mp4_damage(path: Path) -> str | None:
    """Why an MP4 is truncated or broken (a box running past the end of the file, no ``moov``), or None."""
    size = path.stat().st_size
    pos, kinds = 0, []
    with path.open("rb") as fh:
        while pos + 8 <= size:
            fh.seek(pos)
            box, kind = struct.unpack(">I4s", fh.read(8))
            if box == 1:
                (box,) = struct.unpack(">Q", fh.read(8))
            elif box == 0:
                box = size - pos
            if box < 8:
                return f"a malformed {kind.decode('latin-1')!r} box at byte {pos}"
            kinds.append(kind)
            if pos + box > size:
                return (
                    f"truncated: its {kind.decode('latin-1')!r} box needs {pos + box - size:,} more bytes "
                    f"than the file's {size:,}"
                )
            pos += box
    if b"moov" not in kinds:
        return "truncated or damaged: it has no 'moov' box (the index of its frames)"
    return None


_STREAM = re.compile(r"Stream #\d+:\d+.*?: (Video|Audio): .*?(?:, (\d{2,5})x(\d{2,5}))?[, \[]")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")


def media_info(path: Path, ffmpeg: str | None = None) -> tuple[tuple[int, int] | None, float, bool]:
    """(frame size or None, duration in seconds, has sound), as ffmpeg reads them."""
    import subprocess

    done = subprocess.run(
        [ffmpeg_exe(ffmpeg), "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True, text=True
    )
    text = done.stderr
    size: tuple[int, int] | None = None
    audio = False
    for line in text.splitlines():
        if "Stream #" not in line:
            continue
        if ": Video:" in line and size is None and "attached pic" not in line:
            found = re.search(r", (\d{2,5})x(\d{2,5})", line)
            if found:
                size = (int(found.group(1)), int(found.group(2)))
        elif ": Audio:" in line:
            audio = True
    d = _DURATION.search(text)
    duration = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3)) if d else 0.0
    if size is None and not audio:
        reason = text.strip().splitlines()[-1] if text.strip() else "ffmpeg cannot read it"
        raise CopyError(f"{path}: no picture or sound can be read from it ({reason})")
    return size, duration, audio


def _decode_audio(path: Path, ffmpeg: str | None) -> np.ndarray:
    raw = run_ffmpeg_pipe(
        ffmpeg_exe(ffmpeg),
        ["-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(AUDIO_RATE_HZ), "-f", "f32le", "pipe:1"],
        what=f"{path}: decoding the sound",
    )
    return np.frombuffer(raw, dtype="<f4")


def _phases(samples: np.ndarray) -> list[np.ndarray]:
    """The copy's audio bits at four sub-hop offsets: its cut rarely falls where the render's hops do."""
    return [audio_bits(samples, o) for o in range(0, AUDIO_HOP, AUDIO_HOP // 4)]


# ---------------------------------------------------------------- tracing


def trace_copy(path: Path, renders: Sequence[Render], ffmpeg: str | None = None) -> CopyReport:
    """Trace one copy against ``renders``. Raises CopyError for what cannot be traced at all."""
    media = sniff(path)
    if media == "image":
        return _trace_still(path, renders)
    with path.open("rb") as fh:
        is_bmff = fh.read(12)[4:8] == b"ftyp"
    if media == "video" and is_bmff:
        damage = mp4_damage(path)
        if damage is not None:
            raise CopyError(f"{path}: a broken MP4, {damage}; ask for the whole file")
    try:
        size, duration, has_audio = media_info(path, ffmpeg)
    except EncodeError as exc:
        raise CopyError(f"{path}: {exc}") from None
    if size is None:
        return _trace_audio(path, duration, renders, ffmpeg)
    return _trace_video(path, size, duration, has_audio, renders, ffmpeg)


def _watermark_renders(detection: Detection | None, renders: Sequence[Render]) -> set[Path]:
    if detection is None or detection.payload is None:
        return set()
    p = detection.payload
    return {
        r.path
        for r in renders
        if r.watermark_render == p.render_hex and r.watermark_organisation in (None, p.organisation_hex)
    }


def _decide(
    path: Path,
    media: str,
    detection: Detection | None,
    matches: list[Match],
    marked: set[Path],
) -> tuple[Verdict, Match | None, tuple[Match, ...]]:
    """Which render the copy comes from, if any; a CopyError when several fit and nothing tells them apart."""
    by_mark = [m for m in matches if m.render.path in marked]
    fitting = [m for m in matches if m.pictures_match]
    if by_mark:
        best = min(by_mark, key=lambda m: m.picture_bits)
        if not best.pictures_match:
            return Verdict.ALTERED, best, ()
        return _with_sound(best), best, tuple(m for m in fitting if m is not best)
    if not fitting:
        return Verdict.UNMATCHED, None, ()
    # no watermark to tell them apart: the sound can (the same slides in Kyrgyz and Russian)
    # (a copy in the same design but without the mark is never taken for the render)
    sounding = [m for m in fitting if m.video is not None and m.video.audio_matches]
    if len(sounding) == 1:
        return Verdict.RESEMBLES, sounding[0], ()
    if len(fitting) > 1:
        ranked = sorted(fitting, key=lambda m: m.picture_bits)
        listed = "; ".join(f"{m.render.path} (similarity {m.similarity:.0%})" for m in ranked)
        raise CopyError(f"{path}: matches {len(ranked)} renders and no watermark tells them apart: {listed}")
    return Verdict.RESEMBLES, fitting[0], ()


def _with_sound(match: Match) -> Verdict:
    if match.video is not None and match.video.audio_matches is False:
        return Verdict.REVOICED
    return Verdict.TRACED


def _mark_notes(detection: Detection | None, marked: set[Path]) -> list[str]:
    if detection is not None and detection.payload is not None and not marked:
        return [
            f"its watermark names render {detection.payload.render_hex} (organisation "
            f"{detection.payload.organisation_hex}), which is not among the renders searched"
        ]
    return []


def _size_changes(copy_px: tuple[int, int], render: Render, detection: Detection | None) -> list[str]:
    w0, h0 = render.entry.width_px, render.entry.height_px
    if not w0 or not h0:
        return []
    changes = []
    w, h = copy_px
    scale = None
    if detection is not None and detection.payload is not None and detection.period_px:
        scale = detection.period_px / tile_px((w0, h0))
    if scale is None:
        scale = min(w / w0, h / h0)
    cut_w, cut_h = 1 - w / (w0 * scale), 1 - h / (h0 * scale)
    if max(cut_w, cut_h) > CROP_MIN:
        changes.append(f"cropped (about {max(cut_w, 0):.0%} of its width and {max(cut_h, 0):.0%} of its height cut)")
    if abs(scale - 1) > 0.02:
        changes.append(f"rescaled to {scale:.0%} ({w0}×{h0} → {w}×{h})")
    return changes


def _trace_still(path: Path, renders: Sequence[Render]) -> CopyReport:
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise CopyError(f"{path}: a broken image ({exc})") from None
    detection = detect(image)
    hashes = picture_hashes(thumbnail(image))
    matches = []
    marked = _watermark_renders(detection, renders)
    for r in renders:
        if r.is_video:
            distances = [picture_distance(hashes, frame) for frame in r.fingerprint.pictures]
            if not distances:
                continue
            i = int(np.argmin(distances))
            hz = r.fingerprint.frame_hz or 1.0
            matches.append(Match(r, float(distances[i]), r.path in marked, frame_s=i / hz))
        elif r.fingerprint.pictures:  # (a sound's fingerprint has no pictures)
            matches.append(Match(r, float(picture_distance(hashes, r.fingerprint.pictures[0])), r.path in marked))
    verdict, match, others = _decide(path, "image", detection, matches, marked)
    changes: list[str] = []
    notes = _mark_notes(detection, marked)
    if match is not None:
        if sha256_of(path) == match.render.entry.sha256:
            changes.append("none: it is the signed render itself")
        else:
            changes.append("re-encoded (its bytes and metadata are not the signed render's)")
            changes += _size_changes(image.size, match.render, detection)
        if match.frame_s is not None:
            notes.append(f"a still of the video at {match.frame_s:.1f} s")
    return CopyReport(path, "image", verdict, detection, match, tuple(changes), tuple(notes), image.size, None, others)


def _trace_video(
    path: Path,
    size: tuple[int, int],
    duration: float,
    has_audio: bool,
    renders: Sequence[Render],
    ffmpeg: str | None,
) -> CopyReport:
    from studio.label.readback import decode_video

    try:
        decoded = decode_video(path, size, duration, has_audio=has_audio, watermark_frames=10, ffmpeg=ffmpeg)
    except EncodeError as exc:
        raise CopyError(f"{path}: cannot be decoded ({str(exc).splitlines()[-1]})") from None
    if len(decoded.thumbs) == 0:
        raise CopyError(f"{path}: no frame of it can be decoded")
    detection = detect(list(decoded.frames)) if len(decoded.frames) else None
    if detection is not None and detection.period_px is not None:
        # the frames were read shrunk: the tile's size in the copy's own pixels
        detection = replace(detection, period_px=detection.period_px * size[0] / decoded.frames.shape[2])
    copy_print = decoded.fingerprint()
    sound = decoded.audio if decoded.audio is not None and not audio_silent(decoded.audio) else None
    phases = _phases(sound) if sound is not None else []
    marked = _watermark_renders(detection, renders)
    matches = []
    for r in renders:
        if not r.is_video:
            continue
        v = compare_videos(copy_print, r.fingerprint, phases)
        matches.append(Match(r, v.picture_bits, r.path in marked, video=v))
    verdict, match, others = _decide(path, "video", detection, matches, marked)
    changes: list[str] = []
    notes = _mark_notes(detection, marked)
    if match is not None:
        if sha256_of(path) == match.render.entry.sha256:
            changes.append("none: it is the signed render itself")
        else:
            changes.append("re-encoded (its bytes and metadata are not the signed render's)")
            changes += _size_changes(size, match.render, detection)
            found = match.video
            total = match.render.entry.duration_s or 0.0
            assert found is not None
            v = found
            start = v.audio_offset_s if v.audio_matches and v.audio_offset_s is not None else v.offset_s
            end_cut = total - (start + duration)
            if start > TRIM_MIN_S or end_cut > TRIM_MIN_S:
                changes.append(
                    f"trimmed: starts {max(start, 0):.1f} s into the render, "
                    f"ends {max(end_cut, 0):.1f} s before its end"
                )
            if v.audio_matches is False:
                changes.append("re-voiced: the sound is not the render's")
            elif sound is None and match.render.fingerprint.audio is not None:
                changes.append("sound removed (the spoken disclosure with it)")
    return CopyReport(path, "video", verdict, detection, match, tuple(changes), tuple(notes), size, duration, others)


def _trace_audio(path: Path, duration: float, renders: Sequence[Render], ffmpeg: str | None) -> CopyReport:
    """A sound file (a voice message, the track pulled out of a video): its sound against the videos'."""
    samples = _decode_audio(path, ffmpeg)
    if audio_silent(samples):
        raise CopyError(f"{path}: the sound is silent; nothing to compare")
    phases = _phases(samples)
    best: tuple[float, float, Render] | None = None
    found = []
    for r in renders:
        if r.fingerprint.audio is None:
            continue
        ber, shift = min(audio_ber(bits, r.fingerprint.audio) for bits in phases)
        found.append((ber, shift * AUDIO_HOP / AUDIO_RATE_HZ, r))
    from studio.label.fingerprint import AUDIO_MATCH_BER

    fitting = sorted((f for f in found if f[0] <= AUDIO_MATCH_BER), key=lambda f: f[0])
    if len(fitting) > 1 and fitting[1][0] - fitting[0][0] < 0.05:
        listed = "; ".join(f"{r.path} ({1 - ber:.0%} of bits agree)" for ber, _, r in fitting[:3])
        raise CopyError(f"{path}: its sound matches {len(fitting)} renders: {listed}")
    if fitting:
        best = fitting[0]
    if best is None:
        return CopyReport(path, "audio", Verdict.UNMATCHED, None, None, duration_s=duration)
    ber, offset, render = best
    v = VideoMatch(0.0, offset, 0, ber, offset)
    match = Match(render, 0.0, False, video=v)
    changes = ["the sound alone (no pictures)"]
    if offset > TRIM_MIN_S:
        changes.append(f"starts {offset:.1f} s into the render")
    return CopyReport(path, "audio", Verdict.TRACED, None, match, tuple(changes), (), None, duration)
