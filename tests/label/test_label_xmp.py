"""XMP labels: the packet, its place in PNG, JPEG and MP4, read back by our reader and by exiftool."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from studio.label import (
    DigitalSourceType,
    LabelError,
    bmff,
    build_xmp_packet,
    embed_xmp,
    extract_xmp,
    jpeg,
    parse_xmp_packet,
    png,
    read_xmp_label,
    write_xmp,
)

DISCLOSURE = "ЖИ менен түзүлгөн · Создано с помощью ИИ"
TRAINED = DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
COMPOSITE = DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA


def packet(source_type: DigitalSourceType = TRAINED, text: str = DISCLOSURE) -> bytes:
    return build_xmp_packet(source_type, text, "Taza Studio 0.1.0", (("ky", "ЖИ менен түзүлгөн"), ("ru", "Создано")))


def exif_read(exiftool: str, path: Path) -> dict[str, str]:
    result = subprocess.run(
        [exiftool, "-json", "-XMP-iptcExt:DigitalSourceType", "-XMP-dc:Description", "-XMP-xmp:CreatorTool", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, str] = json.loads(result.stdout)[0]
    return found


# --- the packet ---------------------------------------------------------------------------------


def test_packet_round_trip_keeps_every_language() -> None:
    label = parse_xmp_packet(packet(COMPOSITE))
    assert (
        label.digital_source_type
        == "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    )
    assert label.description == DISCLOSURE
    assert dict(label.descriptions) == {"x-default": DISCLOSURE, "ky": "ЖИ менен түзүлгөн", "ru": "Создано"}
    assert label.creator_tool == "Taza Studio 0.1.0"


def test_packet_escapes_markup_in_text() -> None:
    label = parse_xmp_packet(build_xmp_packet(TRAINED, 'AI <deepfake> & "voice"', "Studio <1>"))
    assert label.description == 'AI <deepfake> & "voice"'
    assert label.creator_tool == "Studio <1>"


def test_parser_reads_the_attribute_and_resource_spellings() -> None:
    uri = str(TRAINED)
    as_attribute = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{uri}"/></rdf:RDF></x:xmpmeta>'
    )
    as_resource = as_attribute.replace(
        f'Iptc4xmpExt:DigitalSourceType="{uri}"/>',
        f'><Iptc4xmpExt:DigitalSourceType rdf:resource="{uri}"/></rdf:Description>',
    )
    assert parse_xmp_packet(as_attribute.encode()).digital_source_type == uri
    assert parse_xmp_packet(as_resource.encode()).digital_source_type == uri
    assert parse_xmp_packet(as_resource.encode()).description is None


@pytest.mark.parametrize(
    ("source_type", "text", "message"),
    [
        ("trainedAlgorithmicMedia", DISCLOSURE, "not an IPTC term"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/", DISCLOSURE, "not an IPTC term"),
        (TRAINED, "  ", "disclosure text is empty"),
    ],
)
def test_packet_refuses_what_would_mislabel(source_type: str, text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        build_xmp_packet(source_type, text, "Taza Studio 0.1.0")


def test_malformed_packet_is_a_label_error() -> None:
    with pytest.raises(LabelError, match="not well-formed"):
        parse_xmp_packet(b"<x:xmpmeta")


# --- every container ----------------------------------------------------------------------------


def test_embed_then_extract_round_trip(media: tuple[str, bytes]) -> None:
    media_type, data = media
    labelled = embed_xmp(data, packet(), media_type)
    assert extract_xmp(data, media_type) is None
    assert extract_xmp(labelled) == packet()
    label = read_xmp_label(labelled)
    assert label is not None and label.digital_source_type == str(TRAINED)


def test_second_embed_replaces_the_packet(media: tuple[str, bytes]) -> None:
    media_type, data = media
    once = embed_xmp(data, packet(TRAINED), media_type)
    twice = embed_xmp(once, packet(COMPOSITE), media_type)
    assert twice.count(b"Iptc4xmpExt:DigitalSourceType>") == 2  # one open and one close tag: one packet
    label = read_xmp_label(twice)
    assert label is not None and label.digital_source_type == str(COMPOSITE)


def test_exiftool_reads_what_was_written(media_file: tuple[str, Path], exiftool: str) -> None:
    media_type, path = media_file
    write_xmp(path, packet(), media_type)
    found = exif_read(exiftool, path)
    assert found["DigitalSourceType"] == str(TRAINED)
    assert found["Description"] == DISCLOSURE
    assert found["CreatorTool"] == "Taza Studio 0.1.0"


def test_write_xmp_to_dest_leaves_source_and_no_temporary_files(media_file: tuple[str, Path]) -> None:
    media_type, path = media_file
    before = path.read_bytes()
    dest = path.with_name("labelled" + path.suffix)
    assert write_xmp(path, packet(), media_type, dest=dest) == dest
    assert path.read_bytes() == before
    assert read_xmp_label(dest) is not None
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, dest.name])


def test_declared_type_must_match_the_bytes(png_bytes: bytes) -> None:
    with pytest.raises(LabelError, match='declared "image/jpeg" but the bytes are "image/png"'):
        embed_xmp(png_bytes, packet(), "image/jpeg")
    with pytest.raises(LabelError, match="not a PNG, JPEG, MP4"):
        embed_xmp(b"GIF89a" + bytes(20), packet())


# --- PNG ----------------------------------------------------------------------------------------


def test_png_chunk_sits_after_ihdr_with_a_right_crc(png_bytes: bytes) -> None:
    labelled = embed_xmp(png_bytes, packet(), "image/png")
    chunks = list(png.iter_chunks(labelled))
    assert [c.type for c in chunks[:2]] == [b"IHDR", b"iTXt"]
    assert chunks[1].data.startswith(b"XML:com.adobe.xmp\0\0\0\0\0")
    (crc,) = struct.unpack_from(">I", labelled, chunks[1].end - 4)
    assert crc == zlib.crc32(b"iTXt" + chunks[1].data)
    image = Image.open(io.BytesIO(labelled))
    image.load()  # Pillow checks every chunk's CRC on the way to the pixels
    assert image.size == (64, 64) and image.info.get("icc_profile")
    assert image.tobytes() == Image.open(io.BytesIO(png_bytes)).tobytes()


def test_png_reads_a_compressed_xmp_chunk(png_bytes: bytes) -> None:
    text = zlib.compress(packet())
    chunk = png.encode_chunk(b"iTXt", b"XML:com.adobe.xmp\0\x01\0\0\0" + text)
    ihdr_end = 8 + 12 + 13
    data = png_bytes[:ihdr_end] + chunk + png_bytes[ihdr_end:]
    assert png.png_xmp(data) == packet()


def test_truncated_png_is_a_label_error(png_bytes: bytes) -> None:
    with pytest.raises(LabelError, match="PNG"):
        embed_xmp(png_bytes[:-20], packet(), "image/png")


# --- JPEG ---------------------------------------------------------------------------------------


def test_jpeg_segment_follows_jfif_and_exif_and_keeps_the_scan(jpeg_bytes: bytes) -> None:
    labelled = embed_xmp(jpeg_bytes, packet(), "image/jpeg")
    segments, rest = jpeg.split_segments(labelled)
    kinds = [(s.marker, s.payload[:4]) for s in segments[:3]]
    assert kinds == [(0xE0, b"JFIF"), (0xE1, b"Exif"), (0xE1, b"http")]
    assert rest == jpeg.split_segments(jpeg_bytes)[1]  # the entropy-coded image is untouched
    image = Image.open(io.BytesIO(labelled))
    assert image.tobytes() == Image.open(io.BytesIO(jpeg_bytes)).tobytes()
    assert image.info.get("icc_profile") and image.getexif()[0x0131] == "camera"


def test_jpeg_refuses_a_packet_larger_than_one_segment(jpeg_bytes: bytes) -> None:
    with pytest.raises(LabelError, match="does not fit one JPEG segment"):
        embed_xmp(jpeg_bytes, packet(text="ИИ " * 20000), "image/jpeg")


# --- MP4 ----------------------------------------------------------------------------------------


def test_mp4_box_is_appended_and_the_rest_is_byte_identical(mp4_bytes: bytes) -> None:
    labelled = embed_xmp(mp4_bytes, packet(), "video/mp4")
    assert labelled.startswith(mp4_bytes)  # chunk offsets in moov still point at the same samples
    last = bmff.top_level_boxes(io.BytesIO(labelled))[-1]
    assert last.type == b"uuid" and last.user_type == bmff.XMP_UUID


def test_mp4_still_decodes(mp4_bytes: bytes, ffmpeg: str, tmp_path: Path) -> None:
    path = tmp_path / "labelled.mp4"
    path.write_bytes(embed_xmp(mp4_bytes, packet(), "video/mp4"))
    result = subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def test_mp4_xmp_box_in_the_middle_becomes_free_space(mp4_bytes: bytes) -> None:
    old = bmff.xmp_box(packet(TRAINED))
    boxes = bmff.top_level_boxes(io.BytesIO(mp4_bytes))
    moov = next(b for b in boxes if b.type == b"moov")
    # an XMP box before mdat: removing it would shift the samples, so it must keep its size
    data = mp4_bytes[: moov.end] + old + mp4_bytes[moov.end :]
    relabelled = embed_xmp(data, packet(COMPOSITE), "video/mp4")
    types = [b.type for b in bmff.top_level_boxes(io.BytesIO(relabelled))]
    assert types.count(b"uuid") == 1 and types[-1] == b"uuid"
    free = bmff.top_level_boxes(io.BytesIO(relabelled))[types.index(b"moov") + 1]
    assert free.type == b"free" and free.size == len(old)
    assert str(TRAINED).encode() not in relabelled
    assert len(relabelled) == len(data) + len(bmff.xmp_box(packet(COMPOSITE)))


def test_mp4_box_running_to_end_of_file_gets_a_size_first(mp4_bytes: bytes) -> None:
    boxes = bmff.top_level_boxes(io.BytesIO(mp4_bytes))
    last = boxes[-1]
    open_ended = bytearray(mp4_bytes)
    open_ended[last.offset : last.offset + 4] = b"\0\0\0\0"  # size 0: "to the end of the file"
    labelled = embed_xmp(bytes(open_ended), packet(), "video/mp4")
    assert labelled[: len(mp4_bytes)] == mp4_bytes
    assert [b.type for b in bmff.top_level_boxes(io.BytesIO(labelled))][-2:] == [last.type, b"uuid"]


def test_corrupt_mp4_box_size_is_a_label_error(mp4_bytes: bytes) -> None:
    broken = b"\0\0\0\x04" + mp4_bytes[4:]  # ftyp smaller than its own header
    with pytest.raises(LabelError, match="MP4 box"):
        embed_xmp(broken, packet(), "video/mp4")
