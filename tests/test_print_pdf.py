"""Print PDFs: physical size, 3 mm bleed, crop marks outside the bleed, read back by pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from studio.campaign import load_campaign
from studio.formats import get_format
from studio.plan import Job
from studio.quarters import Quarter
from studio.stills.pdf import PT_PER_MM, PrintPage, build_print_pdf, crop_mark_lines
from studio.stills.render import render_job
from tests.conftest import SAMPLE
from tests.qr_helpers import open_render


@pytest.fixture(scope="module")
def a4_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    campaign = load_campaign(SAMPLE)
    job = Job(Quarter.parse("2026Q1"), "men-para-berbeym-poster", "ky", "a4", "banner")
    return render_job(campaign, job, tmp_path_factory.mktemp("pdf"))[0].path


def mm(points: float) -> float:
    return float(points) / PT_PER_MM


def test_trim_box_is_the_physical_size(a4_pdf: Path) -> None:
    page = PdfReader(a4_pdf).pages[0]
    x0, y0, x1, y1 = (mm(v) for v in page.trimbox)
    assert x1 - x0 == pytest.approx(210, abs=0.1) and y1 - y0 == pytest.approx(297, abs=0.1)


def test_bleed_is_3_mm_on_every_side(a4_pdf: Path) -> None:
    page = PdfReader(a4_pdf).pages[0]
    trim = [mm(v) for v in page.trimbox]
    bleed = [mm(v) for v in page.bleedbox]
    assert [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]] == pytest.approx(
        [3] * 4, abs=0.01
    )
    media = [mm(v) for v in page.mediabox]
    assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the marks outside the bleed


def test_image_covers_the_bleed_at_300_dpi(a4_pdf: Path) -> None:
    image = open_render(a4_pdf)
    fmt = get_format("a4")
    assert image.size == fmt.canvas_px
    assert fmt.canvas_px[0] / ((210 + 6) / 25.4) == pytest.approx(300, rel=0.01)


def test_crop_marks_sit_on_the_trim_lines_outside_the_bleed(a4_pdf: Path) -> None:
    page = PdfReader(a4_pdf).pages[0]
    content = page.get_contents().get_data().decode("ascii")
    drawn = [
        tuple(float(v) for v in m.groups()) for m in re.finditer(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", content)
    ]
    assert len(drawn) == 8
    tx0, ty0, tx1, ty1 = (float(v) for v in page.trimbox)
    bx0, by0, bx1, by1 = (float(v) for v in page.bleedbox)
    for ax, ay, bx, by in drawn:
        if ay == by:  # horizontal mark: on a trim line, entirely left or right of the bleed
            assert ay in (pytest.approx(ty0, abs=0.01), pytest.approx(ty1, abs=0.01))
            assert max(ax, bx) <= bx0 + 0.01 or min(ax, bx) >= bx1 - 0.01
        else:
            assert ax in (pytest.approx(tx0, abs=0.01), pytest.approx(tx1, abs=0.01))
            assert max(ay, by) <= by0 + 0.01 or min(ay, by) >= by1 - 0.01


def test_pdf_is_well_formed_for_a_tiny_page() -> None:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (60, 40), (10, 20, 30)).save(buf, "JPEG")
    page = PrintPage((50.0, 30.0), 3.0, (60, 40), "label (with parentheses) / ky")
    reader = PdfReader(BytesIO(build_print_pdf(buf.getvalue(), page)), strict=True)
    assert len(reader.pages) == 1
    assert "label (with parentheses) / ky" in reader.pages[0].extract_text()
    assert len(crop_mark_lines(page)) == 8


def test_billboard_pdf_beyond_the_page_size_limit_uses_user_unit() -> None:
    """A 6 × 3 m billboard (17 093 pt wide with bleed and slug) is beyond PDF's 14 400-unit page limit:
    the page scales its units with /UserUnit (PDF 1.6) and keeps its physical size."""
    from io import BytesIO

    from PIL import Image

    from studio.press.pdfx import OutputIntent, PdfxDocument, build_pdfx

    fmt = get_format("billboard-6x3m")
    buf = BytesIO()
    Image.new("RGB", (600, 300), (10, 20, 30)).save(buf, "JPEG")
    page = PrintPage(fmt.trim_mm, fmt.bleed_mm, (600, 300), "billboard / ky")
    cmyk = BytesIO()
    Image.new("CMYK", (600, 300), (0, 0, 0, 255)).save(cmyk, "JPEG")
    icc = (Path(__file__).parent.parent / "assets" / "icc" / "taza-coated-fogra39.icc").read_bytes()
    import datetime as dt

    pdfx = build_pdfx(
        cmyk.getvalue(),
        "DCTDecode",
        page,
        OutputIntent("FOGRA39", "coated", icc),
        PdfxDocument("billboard", dt.datetime(2026, 4, 1, tzinfo=dt.UTC), "test"),
        Path(__file__).parent.parent / "assets" / "fonts" / "NotoSans-Regular.ttf",
    )
    for data in (build_print_pdf(buf.getvalue(), page), pdfx):
        assert data.startswith(b"%PDF-1.6")
        reader = PdfReader(BytesIO(data), strict=True)
        pdf_page = reader.pages[0]
        unit = float(pdf_page["/UserUnit"])
        assert unit > 1
        for box in (pdf_page.mediabox, pdf_page.trimbox, pdf_page.bleedbox):
            assert max(float(box.width), float(box.height)) <= 14_400
        trim = pdf_page.trimbox
        assert mm(float(trim.width) * unit) == pytest.approx(6000, abs=0.5)
        assert mm(float(trim.height) * unit) == pytest.approx(3000, abs=0.5)
        bleed = pdf_page.bleedbox
        assert mm((float(trim.left) - float(bleed.left)) * unit) == pytest.approx(3, abs=0.01)


def test_pages_within_the_limit_stay_pdf_1_4_without_user_unit(a4_pdf: Path) -> None:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (60, 40)).save(buf, "JPEG")
    data = build_print_pdf(buf.getvalue(), PrintPage(get_format("street-banner-3x1m").trim_mm, 3.0, (60, 40), "x"))
    assert data.startswith(b"%PDF-1.4") and b"/UserUnit" not in data
