"""C2PA content credentials, signed and validated for real with c2pa-rs, offline, with a throwaway CA."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from studio.label import (
    Credentials,
    DigitalSourceType,
    KeyFiles,
    LabelError,
    SigningKeys,
    SyntheticLabel,
    bmff,
    embed_xmp,
    jpeg,
    mark_synthetic,
    mark_synthetic_bytes,
    png,
    read_credentials,
    read_xmp_label,
    sign_bytes,
    sign_file,
    verify_label,
)
from studio.label.xmp import build_xmp_packet

TRAINED = DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
COMPOSITE = DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
AGENT = "Taza Studio 0.1.0"
DISCLOSURE = "ЖИ менен түзүлгөн · Создано с помощью ИИ"


def sign(data: bytes, media_type: str, keys: SigningKeys, source_type: DigitalSourceType = TRAINED) -> bytes:
    return sign_bytes(data, media_type, keys, source_type=source_type, software_agent=AGENT, title="explainer")


LABEL = SyntheticLabel(TRAINED, DISCLOSURE, AGENT, (("ky", "ЖИ менен түзүлгөн"), ("ru", "Создано с помощью ИИ")))


def mark(data: bytes, media_type: str, keys: SigningKeys) -> bytes:
    return mark_synthetic_bytes(data, media_type, LABEL, keys)


def media_data_offset(data: bytes, media_type: str) -> int:
    """A byte inside the pictures or sound themselves, not in any metadata."""
    if media_type == "image/png":
        idat = next(c for c in png.iter_chunks(data) if c.type == b"IDAT")
        return idat.offset + 8 + len(idat.data) // 2
    if media_type == "image/jpeg":
        return len(data) - len(jpeg.split_segments(data)[1]) // 2
    mdat = next(b for b in bmff.top_level_boxes(io.BytesIO(data)) if b.type == b"mdat")
    return mdat.offset + mdat.size // 2


def flip_one_byte(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_signed_file_is_trusted_under_its_ca(media: tuple[str, bytes], keys: SigningKeys, anchor: bytes) -> None:
    media_type, data = media
    found = read_credentials(sign(data, media_type, keys), trust_anchors=anchor)
    assert (found.present, found.valid, found.trusted, found.state) == (True, True, True, "Trusted")
    assert found.failures == ()
    assert found.digital_source_types == (str(TRAINED),)
    assert found.software_agents == (AGENT,)
    assert found.title == "explainer"
    assert found.signer is not None and "мэриясы" in found.signer


def test_signed_file_without_anchor_is_valid_but_untrusted(media: tuple[str, bytes], keys: SigningKeys) -> None:
    media_type, data = media
    found = read_credentials(sign(data, media_type, keys))
    assert (found.present, found.valid, found.trusted, found.state) == (True, True, False, "Valid")
    assert found.failure_codes == ("signingCredential.untrusted",)


def test_another_organisations_anchor_does_not_make_it_trusted(
    png_bytes: bytes, keys: SigningKeys, other_anchor: bytes
) -> None:
    found = read_credentials(sign(png_bytes, "image/png", keys), trust_anchors=other_anchor)
    assert found.valid and not found.trusted


def test_one_flipped_byte_after_signing_is_invalid(media: tuple[str, bytes], keys: SigningKeys, anchor: bytes) -> None:
    media_type, data = media
    signed = sign(data, media_type, keys)
    found = read_credentials(flip_one_byte(signed, media_data_offset(signed, media_type)), trust_anchors=anchor)
    assert found.present and not found.valid and not found.trusted and found.state == "Invalid"
    assert any(code.endswith("Hash.mismatch") for code in found.failure_codes), found.failure_codes


def test_unsigned_file_has_no_credentials(media: tuple[str, bytes]) -> None:
    media_type, data = media
    assert read_credentials(data, media_type) == Credentials(present=False)


def test_composite_source_type_is_carried(jpeg_bytes: bytes, keys: SigningKeys) -> None:
    assert read_credentials(sign(jpeg_bytes, "image/jpeg", keys, COMPOSITE)).digital_source_types == (str(COMPOSITE),)


def test_self_signed_leaf_cannot_sign(png_bytes: bytes, self_signed_keys: SigningKeys) -> None:
    with pytest.raises(LabelError, match="self-signed"):
        sign(png_bytes, "image/png", self_signed_keys)


def test_sign_file_in_place_keeps_mode_and_leaves_no_temporary_file(
    media_file: tuple[str, Path], keys: SigningKeys
) -> None:
    media_type, path = media_file
    path.chmod(0o640)
    sign_file(path, media_type, keys, source_type=TRAINED, software_agent=AGENT)
    assert read_credentials(path).valid
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_failed_signing_leaves_the_file_untouched(png_bytes: bytes, tmp_path: Path, keys: SigningKeys) -> None:
    path = tmp_path / "render.png"
    path.write_bytes(png_bytes)
    with pytest.raises(LabelError, match="not an IPTC term"):
        sign_file(path, "image/png", keys, source_type="synthetic", software_agent=AGENT)
    assert path.read_bytes() == png_bytes and [p.name for p in tmp_path.iterdir()] == ["render.png"]


# --- the whole mark: XMP, then the signature ----------------------------------------------------


def test_mark_synthetic_writes_both_marks_and_verifies(
    media_file: tuple[str, Path], keys: SigningKeys, key_files: KeyFiles, ffmpeg: str
) -> None:
    media_type, path = media_file
    mark_synthetic(path, media_type, LABEL, keys)
    report = verify_label(path, trust_anchors=key_files.folder)
    assert report.problems() == ()
    assert report.xmp is not None and report.xmp.description == DISCLOSURE
    assert report.credentials.trusted
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    if media_type == "video/mp4":
        decode = subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True)
        assert decode.returncode == 0 and decode.stderr == b""
    else:
        image = Image.open(path)
        image.load()
        assert image.size == (64, 64)


def test_exiftool_reads_the_xmp_of_a_signed_file(
    media_file: tuple[str, Path], keys: SigningKeys, exiftool: str
) -> None:
    media_type, path = media_file
    mark_synthetic(path, media_type, LABEL, keys)
    result = subprocess.run(
        [exiftool, "-json", "-XMP-iptcExt:DigitalSourceType", "-XMP-dc:Description-ky", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)[0]
    assert found["DigitalSourceType"] == str(TRAINED)
    assert found["Description-ky"] == "ЖИ менен түзүлгөн"


def test_marking_twice_keeps_one_packet_and_one_valid_manifest(
    media: tuple[str, bytes], keys: SigningKeys, anchor: bytes
) -> None:
    media_type, data = media
    again = mark(mark(data, media_type, keys), media_type, keys)
    assert again.count(b"<Iptc4xmpExt:DigitalSourceType>") == 1
    assert verify_label(again, trust_anchors=anchor).problems() == ()


def test_writing_xmp_after_signing_breaks_the_signature(
    media: tuple[str, bytes], keys: SigningKeys, anchor: bytes
) -> None:
    media_type, data = media
    signed = mark(data, media_type, keys)
    late = embed_xmp(signed, build_xmp_packet(COMPOSITE, "edited later", AGENT), media_type)
    report = verify_label(late, trust_anchors=anchor)
    assert report.credentials.present and not report.credentials.valid
    assert any("C2PA manifest is invalid" in p for p in report.problems())


def test_remux_with_stream_copy_drops_both_marks(
    mp4_bytes: bytes, keys: SigningKeys, ffmpeg: str, tmp_path: Path
) -> None:
    marked = tmp_path / "marked.mp4"
    marked.write_bytes(mark(mp4_bytes, "video/mp4", keys))
    remuxed = tmp_path / "remuxed.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(marked), "-c", "copy", str(remuxed)], check=True)
    assert read_credentials(remuxed) == Credentials(present=False)
    assert read_xmp_label(remuxed) is None
    assert verify_label(remuxed).problems() == (
        "no XMP packet",
        "no C2PA manifest (a re-encode, remux or metadata edit drops it)",
    )


def test_untrusted_signer_is_a_problem_only_when_anchors_are_given(
    png_bytes: bytes, keys: SigningKeys, other_anchor: bytes
) -> None:
    marked = mark(png_bytes, "image/png", keys)
    assert verify_label(marked).problems() == ()
    (problem,) = verify_label(marked, trust_anchors=other_anchor).problems()
    assert problem.startswith("C2PA signer is not under the given trust anchors")


def test_xmp_and_manifest_that_disagree_are_a_problem(png_bytes: bytes, keys: SigningKeys) -> None:
    labelled = embed_xmp(png_bytes, build_xmp_packet(COMPOSITE, DISCLOSURE, AGENT), "image/png")
    report = verify_label(sign(labelled, "image/png", keys, TRAINED))
    assert report.problems() == (f'XMP says "{COMPOSITE}" but C2PA says "{TRAINED}"',)


def test_mark_synthetic_into_dest_leaves_the_source(png_bytes: bytes, keys: SigningKeys, tmp_path: Path) -> None:
    source, dest = tmp_path / "plain.png", tmp_path / "out" / "labelled.png"
    source.write_bytes(png_bytes)
    mark_synthetic(source, None, LABEL, keys, dest=dest)
    assert source.read_bytes() == png_bytes
    assert verify_label(dest).problems() == ()
    assert os.listdir(dest.parent) == ["labelled.png"]


def test_damaged_manifest_store_reads_as_present_and_invalid(png_bytes: bytes, keys: SigningKeys) -> None:
    signed = sign(png_bytes, "image/png", keys)
    store = next(c for c in png.iter_chunks(signed) if c.type == b"caBX")
    damaged = (
        signed[: store.offset] + png.encode_chunk(b"caBX", store.data[: len(store.data) // 2]) + signed[store.end :]
    )
    found = read_credentials(damaged)
    assert found.present and not found.valid and found.failure_codes == ("manifest.unreadable",)


def test_unreadable_inputs_are_label_errors(png_bytes: bytes, tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="not PEM certificates"):
        read_credentials(png_bytes, trust_anchors=b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    with pytest.raises(LabelError, match=r"missing\.png: cannot read"):
        verify_label(tmp_path / "missing.png")


def test_failed_marking_leaves_the_file_and_folder_as_they_were(
    media_file: tuple[str, Path], self_signed_keys: SigningKeys
) -> None:
    media_type, path = media_file
    before = path.read_bytes()
    with pytest.raises(LabelError, match="self-signed"):
        mark_synthetic(path, media_type, LABEL, self_signed_keys)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
