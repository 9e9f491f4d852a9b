"""C2PA content credentials: sign a render with the organisation's keys, read and validate them back.

Runs c2pa-python (c2pa-rs) fully offline: no timestamp authority, no remote manifests, no OCSP. Signing
comes last, after every other write (XMP included): any later change to the file invalidates it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import c2pa

from studio.label.errors import LabelError
from studio.label.files import media_type_of_file, replacing
from studio.label.keys import SigningKeys, check_signing_keys, load_trust_anchors, parse_trust_anchors
from studio.label.media import check_media_type
from studio.label.xmp import DigitalSourceType, source_type_uri

#: reading and signing never reach the network; validation results are the same on a laptop and in CI
_OFFLINE = {"remote_manifest_fetch": False, "ocsp_fetch": False}


@dataclass(frozen=True)
class ValidationIssue:
    """One failed check from the C2PA validator: its code (e.g. ``assertion.dataHash.mismatch``) and why."""

    code: str
    explanation: str
    url: str | None = None


@dataclass(frozen=True)
class Credentials:
    """What a file's C2PA manifest says and whether it holds.

    ``present``: a manifest store was found. ``valid``: it is intact and its signature verifies (the
    validator's state is ``Valid`` or ``Trusted``). ``trusted``: its signer chains to a given trust anchor.
    ``failures`` lists every failed check: a valid but untrusted manifest carries ``signingCredential.untrusted``.
    """

    present: bool
    valid: bool = False
    trusted: bool = False
    state: str | None = None
    failures: tuple[ValidationIssue, ...] = ()
    digital_source_types: tuple[str, ...] = ()
    software_agents: tuple[str, ...] = ()
    title: str | None = None
    signer: str | None = None
    #: (alg, value) of each ``c2pa.soft-binding`` block: the watermark and fingerprint of the render
    soft_bindings: tuple[tuple[str, str], ...] = ()

    @property
    def failure_codes(self) -> tuple[str, ...]:
        return tuple(issue.code for issue in self.failures)


NO_CREDENTIALS = Credentials(present=False)


@dataclass(frozen=True)
class SoftBinding:
    """A C2PA soft binding: a watermark or fingerprint (``alg``, e.g. ``com.taza-studio.watermark.v1``) and
    its value (base64), which find the manifest again once a copy has lost it."""

    alg: str
    value: str

    def assertion(self) -> dict[str, Any]:
        return {"alg": self.alg, "blocks": [{"scope": {}, "value": self.value}]}


def manifest_definition(
    media_type: str,
    source_type: DigitalSourceType | str,
    software_agent: str,
    title: str | None = None,
    soft_bindings: Sequence[SoftBinding] = (),
) -> dict[str, Any]:
    """The manifest a render is signed with: one ``c2pa.created`` action naming its source type and maker,
    and a ``c2pa.soft-binding`` assertion for each watermark or fingerprint that leads a copy back to it."""
    uri = source_type_uri(source_type)
    created = {"action": "c2pa.created", "digitalSourceType": uri, "softwareAgent": {"name": software_agent}}
    definition: dict[str, Any] = {
        "claim_generator_info": [{"name": software_agent}],
        "format": media_type,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [created]}}],
    }
    for binding in soft_bindings:
        definition["assertions"].append({"label": "c2pa.soft-binding", "data": binding.assertion()})
    if title:
        definition["title"] = title
    return definition


def sign_stream(
    source: IO[bytes],
    dest: IO[bytes],
    media_type: str,
    keys: SigningKeys,
    *,
    source_type: DigitalSourceType | str,
    software_agent: str,
    title: str | None = None,
    where: str = "data",
    soft_bindings: Sequence[SoftBinding] = (),
) -> None:
    """Copy ``source`` to ``dest`` (opened ``w+b``) with a signed C2PA manifest; ``where`` names it in errors."""
    check_signing_keys(keys, where="signing keys")
    definition = manifest_definition(media_type, source_type, software_agent, title, soft_bindings)
    try:
        # no thumbnail: the hash already binds the manifest to the pixels, and a thumbnail costs ~45 ms and
        # ~17 KB per 1080 px image (decoding all of it for print sizes)
        context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}, "verify": _OFFLINE})
        signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, keys.chain_pem, keys.private_key_pem, None)
        )
        with context, signer, c2pa.Builder(definition, context=context) as builder:
            builder.sign(signer, media_type, source, dest)
    except c2pa.C2paError as exc:
        raise LabelError(f"{where}: C2PA signing failed: {exc}") from None


def sign_bytes(
    data: bytes,
    media_type: str | None,
    keys: SigningKeys,
    *,
    source_type: DigitalSourceType | str,
    software_agent: str,
    title: str | None = None,
    soft_bindings: Sequence[SoftBinding] = (),
) -> bytes:
    """``data`` (PNG, JPEG or MP4) with a signed C2PA manifest embedded."""
    kind = check_media_type(data[:12], media_type, "data")
    out = io.BytesIO()
    sign_stream(
        io.BytesIO(data),
        out,
        kind,
        keys,
        source_type=source_type,
        software_agent=software_agent,
        title=title,
        soft_bindings=soft_bindings,
    )
    return out.getvalue()


def sign_pdf_bytes(
    data: bytes,
    keys: SigningKeys,
    *,
    source_type: DigitalSourceType | str,
    software_agent: str,
    title: str | None = None,
) -> bytes:
    """A PDF (its XMP already written by the PDF writer) with a signed C2PA manifest, added as an
    incremental update holding the manifest as an associated file."""
    if not data.startswith(b"%PDF-"):
        raise LabelError(f"data: not a PDF file (starts with {data[:8]!r})")
    out = io.BytesIO()
    sign_stream(
        io.BytesIO(data),
        out,
        "application/pdf",
        keys,
        source_type=source_type,
        software_agent=software_agent,
        title=title,
    )
    return out.getvalue()


def sign_file(
    path: Path,
    media_type: str | None,
    keys: SigningKeys,
    *,
    source_type: DigitalSourceType | str,
    software_agent: str,
    title: str | None = None,
    dest: Path | None = None,
    where: str | None = None,
    soft_bindings: Sequence[SoftBinding] = (),
) -> Path:
    """Sign the file at ``path`` into ``dest`` (default: in place), atomically. Returns the written path.

    The signed file streams to disk, so a long video is not held in memory. ``where`` names the input in
    errors when ``path`` is a temporary file (default: ``path``).
    """
    target = dest if dest is not None else path
    kind = media_type_of_file(path, media_type)
    with replacing(target) as tmp, path.open("rb") as source, tmp.open("w+b") as out:
        sign_stream(
            source,
            out,
            kind,
            keys,
            source_type=source_type,
            software_agent=software_agent,
            title=title,
            where=where or str(path),
            soft_bindings=soft_bindings,
        )
    return target


def read_credentials(
    source: Path | bytes, media_type: str | None = None, trust_anchors: bytes | Path | None = None
) -> Credentials:
    """Find and validate the C2PA manifest of a PNG, JPEG or MP4 (a path or its bytes).

    ``trust_anchors``: PEM CA certificates (or a file or keys folder holding them). Only a signer that chains
    to one of them is ``trusted``; without anchors a sound manifest is ``valid`` and never ``trusted``.
    """
    if isinstance(trust_anchors, Path):
        anchors: bytes | None = load_trust_anchors(trust_anchors)
    elif trust_anchors is not None:
        anchors = parse_trust_anchors(trust_anchors, "trust anchors")
    else:
        anchors = None
    settings: dict[str, Any] = {"verify": _OFFLINE}
    if anchors is not None:
        # trust_anchors replaces the SDK's list: "trusted" then means "signed under these anchors" only
        settings["trust"] = {"trust_anchors": anchors.decode("ascii")}
    if isinstance(source, Path):
        kind = media_type_of_file(source, media_type)
        with source.open("rb") as stream:
            return _read(stream, kind, settings)
    return _read(io.BytesIO(source), check_media_type(source[:12], media_type, "data"), settings)


def _read(stream: IO[bytes], media_type: str, settings: dict[str, Any]) -> Credentials:
    with c2pa.Context.from_dict(settings) as context:
        try:
            reader = c2pa.Reader.try_create(media_type, stream, None, context)
            if reader is None:
                return NO_CREDENTIALS
            with reader:
                state = reader.get_validation_state()
                results = reader.get_validation_results() or {}
                manifest = reader.get_active_manifest() or {}
        except c2pa.C2paError as exc:
            # a manifest store is there (a missing one reads as None above) but cannot even be parsed
            issue = ValidationIssue("manifest.unreadable", str(exc))
            return Credentials(present=True, state="Invalid", failures=(issue,))
    return _credentials(state, results, manifest)


def _credentials(state: str | None, results: dict[str, Any], manifest: dict[str, Any]) -> Credentials:
    failures = tuple(
        ValidationIssue(str(item.get("code", "")), str(item.get("explanation", "")), item.get("url"))
        for section in results.values()
        if isinstance(section, dict)
        for item in section.get("failure", ())
    )
    source_types: list[str] = []
    agents: list[str] = []
    bindings: list[tuple[str, str]] = []
    for assertion in manifest.get("assertions", ()):
        if str(assertion.get("label", "")).startswith("c2pa.soft-binding"):
            data = assertion.get("data") or {}
            for block in data.get("blocks", ()):
                bindings.append((str(data.get("alg", "")), str(block.get("value", ""))))
            continue
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in assertion.get("data", {}).get("actions", ()):
            if "digitalSourceType" in action:
                source_types.append(str(action["digitalSourceType"]))
            agent = action.get("softwareAgent")
            if isinstance(agent, dict):
                agent = agent.get("name")
            if agent:
                agents.append(str(agent))
    info = manifest.get("signature_info") or {}
    signer = ", ".join(str(info[k]) for k in ("common_name", "issuer") if info.get(k)) or None
    return Credentials(
        present=True,
        valid=state in ("Valid", "Trusted"),
        trusted=state == "Trusted",
        state=state,
        failures=failures,
        digital_source_types=tuple(source_types),
        software_agents=tuple(agents),
        title=manifest.get("title"),
        signer=signer,
        soft_bindings=tuple(bindings),
    )
