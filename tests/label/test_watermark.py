"""The invisible watermark and the fingerprints, on real rendered slides, real JPEG and real speech."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.campaign import load_campaign
from studio.label import fingerprint as fp
from studio.label import watermark as wm
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills.raster import render_layout
from studio.stills.render import layout_job
from tests.conftest import SAMPLE

PAYLOAD = wm.payload_for("Таш-Көмүр шаарынын мэриясы", "tash-komur-2026/2026Q1/sample-ad/ky/instagram-post")


@pytest.fixture(scope="module")
def slide() -> Image.Image:
    """A real social ad of the sample campaign, as the renderer draws it (1080 x 1080)."""
    campaign = load_campaign(SAMPLE)
    job = Job(Quarter.parse("2026Q1"), "men-para-berbeym-social", "ky", "instagram-post", "social")
    return render_layout(layout_job(campaign, job)).convert("RGB")


@pytest.fixture(scope="module")
def marked(slide: Image.Image) -> Image.Image:
    return wm.embed(slide, PAYLOAD)


def jpeg(image: Image.Image, quality: int, width: int | None = None) -> Image.Image:
    if width is not None:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def crop(image: Image.Image, fraction: float) -> Image.Image:
    w, h = image.size
    dx, dy = round(w * fraction / 2), round(h * fraction / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def test_payload_round_trips_and_its_crc_catches_a_flipped_bit() -> None:
    bits = PAYLOAD.bits()
    assert len(bits) == wm.CODED_BITS
    assert wm.Payload.from_bits(bits.tolist()) == PAYLOAD
    for i in (0, 20, 47, 63):
        flipped = bits.copy()
        flipped[i] ^= 1
        assert wm.Payload.from_bits(flipped.tolist()) is None
    assert wm.payload_for("a", "b") == wm.payload_for("a", "b") != wm.payload_for("a", "c")


def test_the_mark_is_faint(slide: Image.Image, marked: Image.Image) -> None:
    before = np.asarray(slide, dtype=np.int16)
    after = np.asarray(marked, dtype=np.int16)
    change = np.abs(after - before)
    assert marked.size == slide.size and marked.mode == slide.mode
    assert change.max() <= round(wm.STRENGTH * 1.3)
    assert change.mean() < 1.5  # grey levels of 255
    # PSNR well above the ~40 dB where differences start to be seen
    mse = float(((after - before) ** 2).mean())
    assert 10 * np.log10(255**2 / mse) > 42


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("untouched", lambda im: im),
        ("whatsapp: JPEG q70", lambda im: jpeg(im, 70)),
        ("telegram: JPEG q87", lambda im: jpeg(im, 87)),
        ("crop 10 %, JPEG q85", lambda im: jpeg(crop(im, 0.10), 85)),
        ("screenshot: 62 %, bilinear", lambda im: im.resize((670, 670), Image.Resampling.BILINEAR)),
        ("small: 480 px JPEG q70", lambda im: jpeg(im, 70, 480)),
    ],
)
def test_mark_reads_back_after_resharing(marked: Image.Image, name: str, change) -> None:  # type: ignore[no-untyped-def]
    copy = change(marked)
    found = wm.detect(copy)
    assert found.payload == PAYLOAD, (name, found)
    assert found.confidence >= 0.9
    # the tile's size in the copy tells its scale
    assert found.period_px is not None
    scale = copy.width / marked.width if "crop" not in name else 1.0
    assert found.period_px == pytest.approx(wm.tile_px(marked.size) * scale, rel=0.02)


def test_unmarked_slide_reads_as_unmarked(slide: Image.Image) -> None:
    found = wm.detect(slide)
    assert found.payload is None and found.confidence == 0.0


def unrelated_images(count: int) -> list[Image.Image]:
    """Pictures made here, none of them marked: noise, gradients, shapes, text, flat colour, stripes."""
    rng = np.random.default_rng(7)
    images = []
    for i in range(count):
        w, h = [(1080, 1080), (1920, 1080), (800, 1200), (640, 480)][i % 4]
        kind = i % 5
        if kind == 0:
            arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        elif kind == 1:
            y, x = np.mgrid[0:h, 0:w]
            arr = np.stack([(x * 255 // w), (y * 255 // h), ((x + y) * 127 // (w + h))], -1).astype(np.uint8)
        elif kind == 2:
            arr = np.full((h, w, 3), rng.integers(0, 256, 3), dtype=np.uint8)
        elif kind == 3:
            period = int(rng.integers(6, 80))
            x = np.arange(w)
            stripe = ((x // period) % 2 * 200 + 30).astype(np.uint8)
            arr = np.repeat(np.repeat(stripe[None, :, None], h, 0), 3, 2)
        else:
            arr = np.full((h, w, 3), 240, dtype=np.uint8)
        image = Image.fromarray(arr)
        draw = ImageDraw.Draw(image)
        for _ in range(int(rng.integers(0, 12))):
            x0, y0 = int(rng.integers(0, w - 20)), int(rng.integers(0, h - 20))
            draw.rectangle((x0, y0, x0 + int(rng.integers(10, 300)), y0 + int(rng.integers(10, 200))),
                           fill=tuple(int(v) for v in rng.integers(0, 256, 3)))  # fmt: skip
            draw.text((x0, y0), f"Text {i}", fill=(0, 0, 0))
        images.append(jpeg(image, 80) if i % 2 else image)
    return images


def test_fifty_unrelated_images_carry_no_mark_and_match_no_fingerprint(marked: Image.Image) -> None:
    render = fp.still_fingerprint(marked).pictures[0]
    for i, image in enumerate(unrelated_images(50)):
        found = wm.detect(image)
        assert found.payload is None, f"image {i}: false mark {found}"
        copy = fp.picture_hashes(fp.thumbnail(image))
        assert fp.picture_distance(copy, render) > fp.PICTURE_MATCH_BITS, f"image {i} matches the fingerprint"


def test_picture_fingerprint_survives_resharing(marked: Image.Image) -> None:
    # (slides of one design in another language hash alike: the watermark tells them apart)
    render = fp.still_fingerprint(marked).pictures[0]
    for copy in (jpeg(marked, 70), jpeg(crop(marked, 0.10), 85), marked.resize((670, 670))):
        assert fp.picture_distance(fp.picture_hashes(fp.thumbnail(copy)), render) <= fp.PICTURE_MATCH_BITS // 2


def test_fingerprint_round_trips_through_the_manifest_form(marked: Image.Image) -> None:
    rng = np.random.default_rng(1)
    audio = rng.random((37, len(fp.AUDIO_BANDS) - 2)) > 0.5
    printed = fp.Fingerprint(((1, 2), (2**64 - 1, 0)), 2.0, audio)
    back = fp.Fingerprint.from_dict(printed.to_dict())
    assert back is not None and back.pictures == printed.pictures and back.frame_hz == 2.0
    assert back.audio is not None and np.array_equal(back.audio, audio)
    assert fp.Fingerprint.from_dict({"pictures": 5}) is None
    assert fp.Fingerprint.from_dict(fp.still_fingerprint(marked).to_dict()) == fp.still_fingerprint(marked)


def test_audio_fingerprint_matches_the_same_speech_and_not_other_speech() -> None:
    from studio.voice import Voice, get_engine

    engine = get_engine("espeak")

    def speech(text: str) -> np.ndarray:
        spoken = engine.synthesize(text, Voice("ru"))
        samples = spoken.samples.astype(np.float32) / 32768.0
        n = round(len(samples) * fp.AUDIO_RATE_HZ / spoken.sample_rate_hz)
        return np.interp(
            np.arange(n) * spoken.sample_rate_hz / fp.AUDIO_RATE_HZ, np.arange(len(samples)), samples
        ).astype(np.float32)

    said = speech("Я не даю взяток. Взятка вредит всем нам. Сообщите о коррупции.")
    other = speech("Сегодня хорошая погода, и мы идём гулять в парк у реки.")
    render = fp.audio_bits(said)
    # the same sound, quieter, with a little noise, 0.7 s trimmed from the start
    rng = np.random.default_rng(3)
    copy = said[5600:] * 0.5 + rng.normal(0, 0.002, len(said) - 5600).astype(np.float32)
    ber, shift = min(fp.audio_ber(fp.audio_bits(copy, o), render) for o in range(0, fp.AUDIO_HOP, 128))
    assert ber <= 0.25  # silences between sentences read as noise
    assert abs(shift * fp.AUDIO_HOP / fp.AUDIO_RATE_HZ - 0.7) < 0.1
    ber_other, _ = fp.audio_ber(fp.audio_bits(other), render)
    assert ber_other > fp.AUDIO_MATCH_BER
