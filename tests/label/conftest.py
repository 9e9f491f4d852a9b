"""Shared fixtures for the label tests: tiny media, a throwaway key chain, exiftool, and no network."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageCms

from studio.label import KeyFiles, SigningKeys, init_keys, load_signing_keys

ORGANISATION = "Таш-Көмүр шаардык мэриясы"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Signing and validating must work offline: any connection attempt fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("label tests must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.fixture(scope="session")
def key_files(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    """A throwaway CA and signing certificate, made once for the whole session."""
    return init_keys(tmp_path_factory.mktemp("keys") / "org", ORGANISATION)


@pytest.fixture(scope="session")
def keys(key_files: KeyFiles) -> SigningKeys:
    return load_signing_keys(key_files.folder)


@pytest.fixture(scope="session")
def anchor(key_files: KeyFiles) -> bytes:
    return key_files.trust_anchor.read_bytes()


@pytest.fixture(scope="session")
def other_anchor(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Another organisation's CA: trusting it must not make our renders trusted."""
    return init_keys(tmp_path_factory.mktemp("other") / "org", "Other Org").trust_anchor.read_bytes()


@pytest.fixture(scope="session")
def self_signed_keys() -> SigningKeys:
    """A lone self-signed certificate with the right usages: what C2PA validators reject."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Self-signed")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return SigningKeys(cert.public_bytes(pem), key_pem)


def _image() -> Image.Image:
    image = Image.new("RGB", (64, 64), (20, 90, 160))
    image.paste((240, 200, 40), (16, 16, 48, 48))
    return image


@pytest.fixture(scope="session")
def png_bytes() -> bytes:
    """A 64×64 PNG with an sRGB profile, as the renderer writes them."""
    buf = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _image().save(buf, "PNG", icc_profile=icc)
    return buf.getvalue()


@pytest.fixture(scope="session")
def jpeg_bytes() -> bytes:
    """A 64×64 JPEG with JFIF, Exif and an ICC profile, so XMP has neighbours to fit between."""
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0131] = "camera"  # Software
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _image().save(buf, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc)
    return buf.getvalue()


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(scope="session")
def mp4_bytes(ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 1-second 64×64 H.264 + AAC MP4 with the index first (faststart), as the encoder writes them."""
    out = tmp_path_factory.mktemp("mp4") / "tiny.mp4"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=1",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


@pytest.fixture(params=["png", "jpeg", "mp4"])
def media(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    """Each labelled format in turn: (media type, bytes)."""
    kinds = {"png": "image/png", "jpeg": "image/jpeg", "mp4": "video/mp4"}
    return kinds[request.param], request.getfixturevalue(f"{request.param}_bytes")


@pytest.fixture(scope="session")
def exiftool() -> str:
    """Phil Harvey's exiftool, the independent reader; required in CI, skipped elsewhere when missing."""
    path = shutil.which("exiftool")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("exiftool is required in CI: apt-get install libimage-exiftool-perl")
        pytest.skip("exiftool is not installed (apt-get install libimage-exiftool-perl); CI runs this test")
    return path


@pytest.fixture
def media_file(media: tuple[str, bytes], tmp_path: Path) -> tuple[str, Path]:
    """The current format's tiny file written to tmp_path: (media type, path)."""
    media_type, data = media
    path = tmp_path / ("render" + {"image/png": ".png", "image/jpeg": ".jpg", "video/mp4": ".mp4"}[media_type])
    path.write_bytes(data)
    return media_type, path
