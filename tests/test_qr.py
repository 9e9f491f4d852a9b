"""QR reporting codes: tagged per placement, and decoded back from every rendered file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from studio.campaign import load_campaign
from studio.errors import QRError
from studio.formats import PRINT_FORMATS, SOCIAL_FORMATS
from studio.plan import Job
from studio.qr import Placement, build_qr, tag_url
from studio.quarters import Quarter
from studio.stills.images import encode_png
from studio.stills.qrcheck import check_qr_bytes
from studio.stills.raster import render_layout
from studio.stills.render import layout_job, render_job
from tests.conftest import SAMPLE
from tests.qr_helpers import decode_file, decode_image

PLACE = Placement("men-para-berbeym-poster", "a3", "ky", "2026Q1")


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(SAMPLE)


def test_https_link_gets_placement_parameters() -> None:
    url = tag_url("https://tash-komur.example/report?ref=city", PLACE)
    assert url == ("https://tash-komur.example/report?ref=city&src=qr&d=men-para-berbeym-poster&f=a3&l=ky&q=2026Q1")


def test_telegram_links_get_a_start_payload_telegram_accepts() -> None:
    for base in ("https://t.me/TazaBot", "tg://resolve?domain=TazaBot"):
        url = tag_url(
            base, Placement("a-very-long-deliverable-name-for-the-city-hall", "instagram-portrait", "ru", "2027Q4")
        )
        payload = url.split("start=")[1]
        assert len(payload) <= 64 and all(c.isalnum() or c in "_-" for c in payload)
        assert payload.startswith("a-very-long-deliverable")


def test_tel_link_is_encoded_as_given() -> None:
    assert tag_url("tel:+996312000000", PLACE) == "tel:+996312000000"


def test_error_correction_is_exactly_what_was_asked() -> None:
    for level in "MQH":
        assert build_qr("https://tash-komur.example/report", level).error_correction == level


def job(deliverable: str, fmt: str, lang: str = "ky", quarter: str = "2026Q1", kind: str = "social") -> Job:
    return Job(Quarter.parse(quarter), deliverable, lang, fmt, kind)


@pytest.mark.parametrize("fmt", SOCIAL_FORMATS)
def test_social_render_decodes_to_its_url(campaign, tmp_path: Path, fmt: str) -> None:
    (out,) = render_job(campaign, job("men-para-berbeym-social", fmt, "ru"), tmp_path)
    assert out.qr_url and "f=" + fmt in out.qr_url and "l=ru" in out.qr_url
    assert decode_file(out.path) == [out.qr_url]


FAST_PRINT = [("men-para-berbeym-poster", "a4", "2026Q1"), ("men-para-berbeym-poster", "a3", "2026Q1")]
SLOW_PRINT = [
    ("report-street-banner", "street-banner-3x1m", "2026Q1"),
    ("clean-kyrgyzstan-billboard", "a2", "2026Q2"),
    ("clean-kyrgyzstan-billboard", "billboard-6x3m", "2026Q2"),
]
assert {f for _, f, _ in FAST_PRINT + SLOW_PRINT} == set(PRINT_FORMATS)


@pytest.mark.parametrize(
    ("deliverable", "fmt", "quarter"), FAST_PRINT + [pytest.param(*p, marks=pytest.mark.slow) for p in SLOW_PRINT]
)
def test_print_pdf_and_proof_decode_to_their_url(
    campaign, tmp_path: Path, deliverable: str, fmt: str, quarter: str
) -> None:
    outputs = render_job(campaign, job(deliverable, fmt, "ky", quarter, "banner"), tmp_path)
    assert [o.path.suffix for o in outputs] == [".pdf", ".png"]
    for out in outputs:
        assert decode_file(out.path) == [out.qr_url], out.path


def test_qr_that_points_elsewhere_is_an_error(campaign) -> None:
    layout = layout_job(campaign, job("men-para-berbeym-social", "instagram-post"))
    image = render_layout(layout)
    qr = layout.qr
    assert qr is not None
    # Paint a code for another address over the real one.
    other = build_qr("https://bribe.example/pay", "M")
    n = other.size
    patch = Image.new("L", (n, n))
    patch.putdata([0 if dark else 255 for row in other.rows for dark in row])
    image.paste(patch.resize((n * qr.module_px, n * qr.module_px), Image.Resampling.NEAREST).convert("RGB"), qr.origin)
    with pytest.raises(QRError, match=r'decodes to "https://bribe.example/pay", not to "https://tash-komur'):
        check_qr_bytes(encode_png(image), qr.matrix.data, qr.modules_box.w, qr.module_px, "test ad")


def test_missing_qr_is_an_error() -> None:
    blank = encode_png(Image.new("RGB", (1080, 1080), (11, 31, 58)))
    with pytest.raises(QRError, match="test ad: the QR code does not decode from the file"):
        check_qr_bytes(blank, "https://tash-komur.example/report", 300, 7, "test ad")


def test_the_read_back_while_encoding_checks_the_same_bytes(campaign) -> None:
    from functools import partial

    from studio.stills.images import encode_social, save_social
    from studio.stills.qrcheck import encode_checked, read_area

    layout = layout_job(campaign, job("men-para-berbeym-social", "instagram-post"))
    image = render_layout(layout)
    qr = layout.qr
    assert qr is not None
    args = (qr.matrix.data, qr.modules_box.w, qr.module_px, "test ad")
    data, check = encode_checked(partial(save_social, image, False), "PNG", *args)
    assert data == encode_social(image, False)[0] and check.file_text == qr.matrix.data
    # zxing-cpp may read only the code's part of the decoded file: the code, quiet zone and a margin.
    box = qr.modules_box
    area = read_area(box.x, box.y, box.w, qr.module_px, image.size)
    assert area[0] <= box.x - 4 * qr.module_px and area[2] >= box.x + box.w + 4 * qr.module_px
    assert encode_checked(partial(save_social, image, False), "PNG", *args, area)[0] == data
    with pytest.raises(QRError, match="does not decode"):  # a part without the code: the read is real
        encode_checked(partial(save_social, image, False), "PNG", *args, (0, 0, 400, 400))
    jpeg, _ = encode_checked(partial(save_social, image, True), "JPEG", *args)
    assert jpeg == encode_social(image, True)[0]
    blank = Image.new("RGB", (1080, 1080), (11, 31, 58))
    with pytest.raises(QRError, match="test ad: the QR code does not decode from the file"):
        encode_checked(partial(save_social, blank, False), "PNG", *args)
    with pytest.raises(OSError):  # not the format it claims: the decoder's error, as reading the file gives it
        encode_checked(partial(save_social, image, True), "PNG", *args)


def test_build_qr_is_segnos_symbol_module_for_module() -> None:
    """The mask is chosen here on whole arrays: the very symbol segno makes, for every kind of text."""
    import random

    import segno

    rng = random.Random(7)
    texts = [tag_url("https://tash-komur.example/report", Placement("d", "story", "ky", "2026Q1"))]
    for length in (3, 17, 40, 75, 120, 200, 320):
        texts.append("https://x.example/" + "".join(rng.choice("abcXYZ019-_/?=&") for _ in range(length)))
        texts.append("".join(rng.choice("0123456789") for _ in range(length)))
        texts.append("Мен пара бербейм " * (length // 17 + 1))
    for text in texts:
        for level in "MQH":
            ref = segno.make_qr(text, error=level.lower(), boost_error=False)
            mine = build_qr(text, level)
            assert mine.version == ref.version
            assert mine.rows == tuple(tuple(bool(v) for v in row) for row in ref.matrix), (text, level, ref.mask)


def test_phone_view_sees_the_code_about_250_px_wide() -> None:
    data = "https://tash-komur.example/report?src=qr&d=x&f=a2&l=ky&q=2026Q1"
    matrix = build_qr(data, "M")
    n, module = matrix.size, 30
    code = Image.new("L", (n, n))
    code.putdata([0 if dark else 255 for row in matrix.rows for dark in row])
    sheet = Image.new("L", (3000, 4000), 255)
    sheet.paste(code.resize((n * module, n * module), Image.Resampling.NEAREST), (400, 600))
    check = check_qr_bytes(encode_png(sheet.convert("RGB")), data, n * module, module, "big poster")
    assert check.phone_text == data
    assert n * module * check.phone_scale == pytest.approx(250, rel=0.02)


def test_qr_quiet_zone_on_dark_background(campaign, tmp_path: Path) -> None:
    """A brand whose "light" colour is not light still gets a white panel with a full quiet zone."""
    grey = campaign.model_copy(
        update={
            "brand": campaign.brand.model_copy(update={"colors": {**campaign.brand.colors, "light": (150, 150, 150)}})
        }
    )
    grey._root = campaign.root
    layout = layout_job(grey, job("report-qr-social", "instagram-post"))
    assert layout.qr is not None and layout.qr.light == (255, 255, 255)
    image = render_layout(layout)
    panel = layout.qr.panel
    inset = 2 * layout.qr.module_px  # clear of the rounded corners
    ring = image.crop((panel.x + inset, panel.y + 2, panel.right - inset, layout.qr.origin[1] - 1))
    assert ring.getextrema() == ((255, 255), (255, 255), (255, 255))
    assert decode_image(image) == [layout.qr.matrix.data]
