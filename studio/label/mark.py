"""Marking a render as synthetic for machines (XMP, then a signed C2PA manifest), and checking the marks.

The order matters: XMP is written first and the manifest signed last, because the signature covers the
bytes and any later write would break it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from studio.label import bmff
from studio.label.containers import embed_xmp, extract_xmp
from studio.label.credentials import Credentials, SoftBinding, read_credentials, sign_bytes, sign_file
from studio.label.files import media_type_of_file, replacing, scratch_beside
from studio.label.keys import SigningKeys
from studio.label.media import MP4, check_media_type
from studio.label.xmp import DigitalSourceType, XmpLabel, build_xmp_packet, parse_xmp_packet

SYNTHETIC_SOURCE_TYPES = frozenset(str(member) for member in DigitalSourceType)


def write_xmp(path: Path, packet: bytes, media_type: str | None = None, *, dest: Path | None = None) -> Path:
    """Write ``packet`` as the XMP of the file at ``path`` into ``dest`` (default: in place), atomically."""
    target = dest if dest is not None else path
    kind = media_type_of_file(path, media_type)
    with replacing(target) as tmp:
        _copy_with_xmp(path, tmp, packet, kind)
    return target


def _copy_with_xmp(source: Path, dest: Path, packet: bytes, media_type: str) -> None:
    if media_type == MP4:
        # a video is copied by the kernel and the box appended in place, never read whole into memory
        shutil.copyfile(source, dest)
        with dest.open("r+b") as stream:
            bmff.append_xmp(stream, packet)
    else:
        dest.write_bytes(embed_xmp(source.read_bytes(), packet, media_type, str(source)))


def read_xmp_label(source: Path | bytes, media_type: str | None = None) -> XmpLabel | None:
    """The XMP label of a PNG, JPEG or MP4 (a path or its bytes), or None when it has no XMP packet."""
    if isinstance(source, bytes):
        packet = extract_xmp(source, media_type)
    else:
        kind = media_type_of_file(source, media_type)
        if kind == MP4:
            with source.open("rb") as stream:
                packet = bmff.read_xmp(stream)
        else:
            packet = extract_xmp(source.read_bytes(), kind, str(source))
    return None if packet is None else parse_xmp_packet(packet)


@dataclass(frozen=True)
class SyntheticLabel:
    """How a synthetic render is marked for machines.

    ``source_type``: the IPTC digital source type, in the XMP and in the manifest's ``c2pa.created`` action.
    ``soft_bindings``: what leads a stripped copy back to the manifest (watermark, fingerprint).
    ``disclosure_text``: the XMP ``dc:description`` (e.g. ``"ЖИ менен түзүлгөн · Создано с помощью ИИ"``),
    with optional ``(language tag, text)`` alternatives. ``software_agent`` (e.g. ``"Taza Studio 0.1.0"``):
    the XMP creator tool and the manifest's software agent and claim generator. ``title``: the manifest title.
    """

    source_type: DigitalSourceType
    disclosure_text: str
    software_agent: str
    disclosure_by_language: tuple[tuple[str, str], ...] = ()
    title: str | None = None
    #: the render's watermark and fingerprint, signed into the manifest as ``c2pa.soft-binding`` assertions
    soft_bindings: tuple[SoftBinding, ...] = ()

    def xmp_packet(self) -> bytes:
        return build_xmp_packet(
            self.source_type, self.disclosure_text, self.software_agent, self.disclosure_by_language
        )


def mark_synthetic_bytes(data: bytes, media_type: str | None, label: SyntheticLabel, keys: SigningKeys) -> bytes:
    """``data`` (PNG, JPEG or MP4) marked as synthetic: XMP first, then a signed C2PA manifest over it."""
    labelled = embed_xmp(data, label.xmp_packet(), media_type)
    return sign_bytes(
        labelled,
        media_type,
        keys,
        source_type=label.source_type,
        software_agent=label.software_agent,
        title=label.title,
        soft_bindings=label.soft_bindings,
    )


def mark_synthetic(
    path: Path, media_type: str | None, label: SyntheticLabel, keys: SigningKeys, *, dest: Path | None = None
) -> Path:
    """Mark the file at ``path`` as synthetic into ``dest`` (default: in place), in one atomic replace.

    XMP goes into a scratch copy beside the target, which is then signed onto the target. Returns the written path.
    """
    target = dest if dest is not None else path
    kind = media_type_of_file(path, media_type)
    packet = label.xmp_packet()
    with scratch_beside(target) as staged:
        _copy_with_xmp(path, staged, packet, kind)
        sign_file(
            staged,
            kind,
            keys,
            source_type=label.source_type,
            software_agent=label.software_agent,
            title=label.title,
            dest=target,
            where=str(path),
            soft_bindings=label.soft_bindings,
        )
    return target


@dataclass(frozen=True)
class LabelReport:
    """The machine-readable marks of one file: its XMP label and its C2PA credentials."""

    media_type: str
    xmp: XmpLabel | None
    credentials: Credentials
    #: whether trust anchors were given, so an untrusted signer counts as a problem
    trust_checked: bool

    def problems(self) -> tuple[str, ...]:
        """Why this file is not a correctly marked synthetic render, one sentence each; empty when it is."""
        found: list[str] = []
        xmp, cred = self.xmp, self.credentials
        if xmp is None:
            found.append("no XMP packet")
        elif xmp.digital_source_type is None:
            found.append("XMP has no Iptc4xmpExt:DigitalSourceType")
        elif xmp.digital_source_type not in SYNTHETIC_SOURCE_TYPES:
            found.append(f'XMP digital source type "{xmp.digital_source_type}" does not say synthetic')
        if xmp is not None and not (xmp.description or "").strip():
            found.append("XMP has no disclosure text (dc:description)")
        if not cred.present:
            found.append("no C2PA manifest (a re-encode, remux or metadata edit drops it)")
            return tuple(found)
        if not cred.valid:
            found.append(f"C2PA manifest is invalid: {', '.join(cred.failure_codes) or cred.state}")
        elif self.trust_checked and not cred.trusted:
            found.append(f"C2PA signer is not under the given trust anchors ({cred.signer or 'unknown signer'})")
        synthetic = [t for t in cred.digital_source_types if t in SYNTHETIC_SOURCE_TYPES]
        if not synthetic:
            found.append("C2PA actions declare no synthetic digitalSourceType")
        elif (
            xmp is not None
            and xmp.digital_source_type in SYNTHETIC_SOURCE_TYPES
            and xmp.digital_source_type not in synthetic
        ):
            found.append(f'XMP says "{xmp.digital_source_type}" but C2PA says "{synthetic[0]}"')
        return tuple(found)


def verify_label(
    source: Path | bytes, media_type: str | None = None, *, trust_anchors: bytes | Path | None = None
) -> LabelReport:
    """Read back the XMP label and validate the C2PA credentials of a PNG, JPEG or MP4 (a path or its bytes).

    With ``trust_anchors`` (PEM, a file, or a keys folder) an untrusted signer is a problem; without, only a
    missing, invalid or inconsistent mark is.
    """
    if isinstance(source, bytes):
        kind = check_media_type(source[:12], media_type, "data")
    else:
        kind = media_type_of_file(source, media_type)
    return LabelReport(
        media_type=kind,
        xmp=read_xmp_label(source, kind),
        credentials=read_credentials(source, kind, trust_anchors),
        trust_checked=trust_anchors is not None,
    )
