"""Machine-readable synthetic-media labels: XMP digital source type and signed C2PA content credentials.

Importing this package loads c2pa-rs and cryptography (~0.1 s): import it where labels are written or checked.
"""

from __future__ import annotations

from studio.label.containers import embed_xmp, extract_xmp
from studio.label.credentials import (
    Credentials,
    SoftBinding,
    ValidationIssue,
    read_credentials,
    sign_bytes,
    sign_file,
    sign_stream,
)
from studio.label.errors import LabelError
from studio.label.keys import (
    KeyFiles,
    SigningKeys,
    check_signing_keys,
    default_keys_folder,
    init_keys,
    load_signing_keys,
    load_trust_anchors,
)
from studio.label.mark import (
    LabelReport,
    SyntheticLabel,
    mark_synthetic,
    mark_synthetic_bytes,
    read_xmp_label,
    verify_label,
    write_xmp,
)
from studio.label.media import JPEG, MP3, MP4, OGG, PDF, PNG, WAV
from studio.label.xmp import DigitalSourceType, XmpLabel, build_xmp_packet, parse_xmp_packet

__all__ = [
    "JPEG",
    "MP3",
    "MP4",
    "OGG",
    "PDF",
    "PNG",
    "WAV",
    "Credentials",
    "DigitalSourceType",
    "KeyFiles",
    "LabelError",
    "LabelReport",
    "SigningKeys",
    "SoftBinding",
    "SyntheticLabel",
    "ValidationIssue",
    "XmpLabel",
    "build_xmp_packet",
    "check_signing_keys",
    "default_keys_folder",
    "embed_xmp",
    "extract_xmp",
    "init_keys",
    "load_signing_keys",
    "load_trust_anchors",
    "mark_synthetic",
    "mark_synthetic_bytes",
    "parse_xmp_packet",
    "read_credentials",
    "read_xmp_label",
    "sign_bytes",
    "sign_file",
    "sign_stream",
    "verify_label",
    "write_xmp",
]
