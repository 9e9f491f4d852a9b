"""The organisation's signing keys: what init writes, what it refuses, what the loader checks."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from studio.label import (
    KeyFiles,
    LabelError,
    SigningKeys,
    check_signing_keys,
    default_keys_folder,
    init_keys,
    load_signing_keys,
    load_trust_anchors,
)

REPO = Path(__file__).resolve().parents[2]


def test_init_writes_key_0600_chain_and_anchor(key_files: KeyFiles) -> None:
    assert stat.S_IMODE(key_files.private_key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_files.folder.stat().st_mode) == 0o700
    leaf, ca = x509.load_pem_x509_certificates(key_files.chain.read_bytes())
    assert x509.load_pem_x509_certificate(key_files.trust_anchor.read_bytes()) == ca
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    usages = list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    assert usages == [ExtendedKeyUsageOID.EMAIL_PROTECTION]  # serverAuth would be rejected by C2PA
    leaf.verify_directly_issued_by(ca)
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc > dt.timedelta(days=3 * 365)
    assert "мэриясы" in leaf.subject.rfc4514_string()


def test_init_refuses_to_overwrite_unless_told(tmp_path: Path) -> None:
    files = init_keys(tmp_path / "keys", "Org")
    chain = files.chain.read_bytes()
    with pytest.raises(LabelError, match="signing keys already exist"):
        init_keys(tmp_path / "keys", "Org")
    assert files.chain.read_bytes() == chain
    init_keys(tmp_path / "keys", "Org", overwrite=True)
    assert files.chain.read_bytes() != chain
    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    assert sorted(p.name for p in files.folder.iterdir()) == sorted(p.name for p in files.all)


def test_init_refuses_even_when_only_the_anchor_is_left(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "trust-anchor.pem").write_text("published anchor")
    with pytest.raises(LabelError, match="trust-anchor.pem: signing keys already exist"):
        init_keys(folder, "Org")


@pytest.mark.parametrize(("organisation", "message"), [("  ", "must be 1 to 64"), ("x" * 65, "must be 1 to 64")])
def test_init_rejects_bad_organisation_names(tmp_path: Path, organisation: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        init_keys(tmp_path, organisation)


def test_default_folder_is_outside_the_repository(tmp_path: Path) -> None:
    assert default_keys_folder({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "taza-studio" / "keys"
    folder = default_keys_folder({})
    assert folder.parts[-3:] == (".config", "taza-studio", "keys")
    assert not folder.is_relative_to(REPO)


def test_loader_names_the_missing_file(tmp_path: Path, key_files: KeyFiles) -> None:
    with pytest.raises(LabelError, match=r"signing-key\.pem: no signing key"):
        load_signing_keys(tmp_path)
    (tmp_path / "signing-key.pem").write_bytes(key_files.private_key.read_bytes())
    (tmp_path / "signing-key.pem").chmod(0o600)
    with pytest.raises(LabelError, match=r"signing-chain\.pem: no certificate chain"):
        load_signing_keys(tmp_path)


def test_loader_refuses_a_key_others_can_read(tmp_path: Path) -> None:
    files = init_keys(tmp_path / "keys", "Org")
    files.private_key.chmod(0o644)
    with pytest.raises(LabelError, match="readable by other users.*chmod 600"):
        load_signing_keys(files.folder)


def test_self_signed_leaf_is_rejected_by_the_loader(tmp_path: Path, self_signed_keys: SigningKeys) -> None:
    (tmp_path / "signing-chain.pem").write_bytes(self_signed_keys.chain_pem)
    (tmp_path / "signing-key.pem").write_bytes(self_signed_keys.private_key_pem)
    (tmp_path / "signing-key.pem").chmod(0o600)
    with pytest.raises(LabelError, match="self-signed .*C2PA validators reject"):
        load_signing_keys(tmp_path)


def test_key_that_is_not_the_certificates_is_rejected(keys: SigningKeys, self_signed_keys: SigningKeys) -> None:
    mixed = SigningKeys(keys.chain_pem, self_signed_keys.private_key_pem)
    with pytest.raises(LabelError, match="does not belong to the signing certificate"):
        check_signing_keys(mixed)


def test_chain_without_its_ca_is_rejected(keys: SigningKeys) -> None:
    leaf_only = keys.chain_pem[: keys.chain_pem.index(b"-----END CERTIFICATE-----") + 26]
    with pytest.raises(LabelError, match="only the signing certificate"):
        check_signing_keys(SigningKeys(leaf_only, keys.private_key_pem))


def test_expired_certificate_is_rejected(keys: SigningKeys) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=20 * 365)
    with pytest.raises(LabelError, match="renew the keys"):
        check_signing_keys(keys, now=later)


def test_private_key_stays_out_of_repr(keys: SigningKeys) -> None:
    assert "PRIVATE" not in repr(keys)


def test_trust_anchors_load_from_folder_or_file(key_files: KeyFiles, tmp_path: Path) -> None:
    assert load_trust_anchors(key_files.folder) == key_files.trust_anchor.read_bytes()
    assert load_trust_anchors(key_files.trust_anchor) == key_files.trust_anchor.read_bytes()
    with pytest.raises(LabelError, match="no trust anchor file"):
        load_trust_anchors(tmp_path)
    (tmp_path / "bad.pem").write_text("not a certificate")
    with pytest.raises(LabelError, match="not PEM certificates"):
        load_trust_anchors(tmp_path / "bad.pem")
