"""The organisation's signing keys for content credentials: a small CA, a signing certificate, loaders.

C2PA validators reject a self-signed signing certificate, so ``init_keys`` makes a two-level chain: a root
CA (the trust anchor that ``studio verify`` is given) and a leaf that signs renders. The CA's private key is
used once and never written: nobody can issue another certificate under this anchor, and if the leaf key
leaks, replacing the anchor is the remedy either way. Renewal is ``init_keys(..., overwrite=True)`` and
publishing the new anchor beside the old one.

Keys live outside the repository and outside renders, by default in ``~/.config/taza-studio/keys``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from studio.label.errors import LabelError
from studio.label.files import write_atomic

KEY_FILE = "signing-key.pem"
CHAIN_FILE = "signing-chain.pem"
ANCHOR_FILE = "trust-anchor.pem"
#: without a timestamp authority a credential is checked against the current time, so it stops
#: validating when the signing certificate expires: long enough for a campaign's archive, short enough to rotate
DEFAULT_VALID_YEARS = 5
_MAX_NAME = 64  # X.520 upper bound for organizationName


@dataclass(frozen=True)
class KeyFiles:
    """Where one organisation's signing material lives."""

    folder: Path

    @property
    def private_key(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def chain(self) -> Path:
        """Signing certificate first, then the CA certificate."""
        return self.folder / CHAIN_FILE

    @property
    def trust_anchor(self) -> Path:
        """The CA certificate alone: what a verifier trusts."""
        return self.folder / ANCHOR_FILE

    @property
    def all(self) -> tuple[Path, Path, Path]:
        return (self.private_key, self.chain, self.trust_anchor)


@dataclass(frozen=True)
class SigningKeys:
    """What signing needs: the certificate chain (leaf first) and the leaf's private key, as PEM (ES256)."""

    chain_pem: bytes
    private_key_pem: bytes = field(repr=False)


def default_keys_folder(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/taza-studio/keys``, else ``~/.config/taza-studio/keys``."""
    env = os.environ if environ is None else environ
    config = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "taza-studio" / "keys"


def init_keys(
    folder: Path | None,
    organisation: str,
    *,
    overwrite: bool = False,
    valid_years: int = DEFAULT_VALID_YEARS,
    now: dt.datetime | None = None,
) -> KeyFiles:
    """Create the organisation's CA and signing certificate (P-256) in ``folder`` (None: the default folder).

    Writes the signing key (mode 0600), the chain (leaf then CA) and the trust anchor (the CA certificate).
    Refuses to replace existing keys unless ``overwrite``: files signed before then verify only against the
    old anchor.
    """
    files = KeyFiles(folder if folder is not None else default_keys_folder())
    organisation = organisation.strip()
    if not organisation or len(organisation) > _MAX_NAME:
        raise LabelError(f'organisation name "{organisation}" must be 1 to {_MAX_NAME} characters')
    if not 1 <= valid_years <= 30:
        raise LabelError(f"valid_years {valid_years} is out of range; allowed: 1 .. 30")
    existing = [path for path in files.all if path.exists()]
    if existing and not overwrite:
        raise LabelError(
            f"{existing[0]}: signing keys already exist; keep them, or overwrite them knowingly "
            "(renders signed with them then verify only against the old trust anchor)"
        )
    now = now or dt.datetime.now(dt.UTC)
    not_before = now - dt.timedelta(hours=1)  # tolerate a verifier whose clock is slightly behind
    not_after = now + dt.timedelta(days=round(365.25 * valid_years))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(organisation, "Content Credentials Root CA")
    ca = (
        _certificate(ca_name, ca_name, ca_key.public_key(), not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        _certificate(_name(organisation, "Content Signing"), ca_name, leaf_key.public_key(), not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True), critical=True)
        # C2PA accepts emailProtection (or documentSigning) and rejects serverAuth for signing certificates
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    files.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_pem = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_atomic(files.private_key, key_pem, mode=0o600)
    write_atomic(files.chain, leaf.public_bytes(pem) + ca.public_bytes(pem), mode=0o644)
    write_atomic(files.trust_anchor, ca.public_bytes(pem), mode=0o644)
    return files


def _name(organisation: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePublicKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
    )


def _key_usage(*, digital_signature: bool = False, key_cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=key_cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def load_signing_keys(folder: Path | None = None, *, now: dt.datetime | None = None) -> SigningKeys:
    """The signing key and chain from ``folder`` (None: the default folder), checked as ``check_signing_keys``."""
    files = KeyFiles(folder if folder is not None else default_keys_folder())
    for path, what in ((files.private_key, "signing key"), (files.chain, "certificate chain")):
        if not path.is_file():
            raise LabelError(f"{path}: no {what}; create the organisation's signing keys first")
    mode = files.private_key.stat().st_mode & 0o777
    if mode & 0o077:
        raise LabelError(f"{files.private_key}: private key is readable by other users (mode {mode:o}); chmod 600 it")
    keys = SigningKeys(files.chain.read_bytes(), files.private_key.read_bytes())
    check_signing_keys(keys, now=now, where=str(files.folder))
    return keys


def load_trust_anchors(path: Path) -> bytes:
    """PEM trust anchors from a file, or from a keys folder's ``trust-anchor.pem``."""
    file = path / ANCHOR_FILE if path.is_dir() else path
    if not file.is_file():
        raise LabelError(f"{file}: no trust anchor file")
    return parse_trust_anchors(file.read_bytes(), str(file))


def parse_trust_anchors(data: bytes, where: str) -> bytes:
    """``data`` if it holds at least one PEM certificate and nothing unreadable; else a LabelError."""
    try:
        x509.load_pem_x509_certificates(data)
        data.decode("ascii")
    except (ValueError, UnicodeDecodeError) as exc:
        raise LabelError(f"{where}: not PEM certificates ({exc})") from None
    return data


def check_signing_keys(keys: SigningKeys, *, now: dt.datetime | None = None, where: str = "signing keys") -> None:
    """Raise a LabelError naming the problem unless ``keys`` can sign credentials a validator accepts.

    Checks what C2PA validators reject and what would otherwise fail deep inside the signer: a self-signed
    or lone certificate, a key that does not match it, a key that is not P-256, a certificate out of date.
    """
    try:
        chain = x509.load_pem_x509_certificates(keys.chain_pem)
    except ValueError as exc:
        raise LabelError(f"{where}: the certificate chain is not PEM ({exc})") from None
    try:
        key = serialization.load_pem_private_key(keys.private_key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise LabelError(f"{where}: the private key cannot be read ({exc})") from None
    leaf = chain[0]
    if leaf.issuer == leaf.subject:
        raise LabelError(
            f"{where}: the signing certificate is self-signed ({leaf.subject.rfc4514_string()}); C2PA validators "
            "reject that: sign with a certificate issued by the organisation's CA (init_keys makes both)"
        )
    if len(chain) < 2:
        raise LabelError(f"{where}: the certificate chain has only the signing certificate; append its CA certificate")
    try:
        leaf.verify_directly_issued_by(chain[1])
    except (ValueError, TypeError, InvalidSignature):
        raise LabelError(
            f"{where}: the second certificate in the chain did not issue the signing certificate"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise LabelError(f"{where}: the private key is not an EC P-256 key (ES256)")
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*raw) != leaf.public_key().public_bytes(*raw):
        raise LabelError(f"{where}: the private key does not belong to the signing certificate")
    now = now or dt.datetime.now(dt.UTC)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        raise LabelError(
            f"{where}: the signing certificate is valid from {leaf.not_valid_before_utc:%Y-%m-%d} "
            f"to {leaf.not_valid_after_utc:%Y-%m-%d}, not on {now:%Y-%m-%d}; renew the keys"
        )
