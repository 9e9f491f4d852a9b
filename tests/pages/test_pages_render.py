"""Booklets, leaflets and infographics rendered for real (Typst, matplotlib, pikepdf) and read back with
independent tools: pdftotext, pdffonts, pdfinfo, pypdf, pdftoppm + zxing-cpp, exiftool, c2pa."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from studio.campaign import load_campaign
from studio.errors import RenderError, SpecError
from studio.kinds import RenderOptions, get_kind
from studio.kinds.base import Output
from studio.plan import Job
from studio.qr import Placement, tag_url
from studio.quarters import Quarter
from tests.conftest import SAMPLE
from tests.qr_helpers import decode_image

MM = 72 / 25.4
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "pages"
LEVEL_TOLERANCE = 16
MISMATCH_RATIO = 0.0005  # Typst rasterises the same everywhere: 0.05 % of pixels at most

CASES = {
    "booklet-ky": ("how-to-report-booklet", "ky", "a5-booklet", "2026Q1"),
    "booklet-ru": ("how-to-report-booklet", "ru", "a5-booklet", "2026Q1"),
    "leaflet-ru": ("conflict-of-interest-leaflet", "ru", "dl-trifold", "2026Q2"),
    "info-a4-ky": ("reports-2025-infographic", "ky", "a4", "2026Q1"),
    "info-story-ru": ("reports-2025-infographic", "ru", "story", "2026Q1"),
}


def render(campaign_path: Path, case: tuple[str, str, str, str], out: Path, keys: Path | None = None) -> list[Output]:
    campaign = load_campaign(campaign_path)
    deliverable, lang, fmt, quarter = case
    kind = campaign.deliverable(deliverable).kind
    job = Job(Quarter.parse(quarter), deliverable, lang, fmt, kind)
    options = RenderOptions(cache_dir=str(out / ".cache"), keys_dir=str(keys) if keys else None)
    return get_kind(kind).render(campaign, job, out, options)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("pages")
    results: dict[str, dict[str, Any]] = {}
    for name, case in CASES.items():
        outputs = render(SAMPLE, case, out)
        results[name] = {"case": case, "outputs": outputs, "by_role": _by_role(outputs)}
    return results


def _by_role(outputs: list[Output]) -> dict[str, list[Path]]:
    roles: dict[str, list[Path]] = {}
    for o in outputs:
        roles.setdefault(o.role, []).append(o.path)
    return roles


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def words(text: str) -> str:
    """Text as a reader copies it: soft hyphens at line ends joined, whitespace collapsed."""
    return " ".join(text.replace("\u00ad\n", "").replace("\u00ad", "").split())


def expected_url(case: tuple[str, str, str, str]) -> str:
    deliverable, lang, fmt, quarter = case
    return tag_url("https://tash-komur.example/report", Placement(deliverable, fmt, lang, quarter))


# ---------------------------------------------------------------- text, fonts, tags


def test_kyrgyz_text_copies_out_intact(rendered: dict[str, dict[str, Any]]) -> None:
    text = words(pdftotext(rendered["booklet-ky"]["by_role"]["reader"][0]))
    for phrase in (
        "Коррупция тууралуу кантип кабарлоо керек",
        "Пара берүү да, алуу да — кылмыш.",
        "Кайрылууңуз кантип каралат?",
        "Көп берилүүчү суроолор",
        "Коррупция тууралуу кабарлаңыз",
    ):
        assert phrase in text
    assert {"ң", "ө", "ү", "Ө", "Ү"} <= set(text)
    # Kyrgyz is never hyphenated: no soft hyphen anywhere in the Kyrgyz pages.
    assert "\u00ad" not in pdftotext(rendered["booklet-ky"]["by_role"]["reader"][0])


def test_russian_text_is_hyphenated_and_copies_out_whole(rendered: dict[str, dict[str, Any]]) -> None:
    raw = pdftotext(rendered["booklet-ru"]["by_role"]["reader"][0])
    assert "\u00ad" in raw  # Russian is hyphenated (the break is a soft hyphen, invisible when copied)
    text = words(raw)
    for phrase in (
        "Коррупция — это использование государственным или муниципальным служащим своего положения",
        "Что делать, если у вас просят взятку?",
        "Сообщите о коррупции",
    ):
        assert phrase in text


def test_every_font_is_embedded_and_the_reader_is_tagged(rendered: dict[str, dict[str, Any]]) -> None:
    for result in rendered.values():
        for role in ("reader", "print"):
            for pdf in result["by_role"].get(role, []):
                listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
                fonts = listing.splitlines()[2:]
                assert fonts, f"{pdf.name}: no fonts"
                assert all(line.split()[-5] == "yes" for line in fonts), listing  # the "emb" column
        for pdf in result["by_role"].get("reader", []):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            assert "Tagged:          yes" in info
            catalog = PdfReader(pdf).trailer["/Root"]
            assert "/StructTreeRoot" in catalog and catalog["/Lang"] in ("ky", "ru")


def test_pdfs_carry_xmp_with_the_source_type(rendered: dict[str, dict[str, Any]]) -> None:
    pdf = rendered["booklet-ky"]["by_role"]["reader"][0]
    out = subprocess.run(
        ["exiftool", "-s3", "-XMP-iptcExt:DigitalSourceType", "-XMP-pdfuaid:Part", "-XMP-xmp:CreatorTool", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert out[0] == "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation"
    assert out[1] == "1"  # PDF/UA-1 claimed by the page engine, kept when the label is merged
    assert out[2].startswith("Taza Studio")


# ---------------------------------------------------------------- sizes, counts, imposition


def _sizes_mm(pdf: Path) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1)) for p in PdfReader(pdf).pages
    ]


def test_page_sizes_and_counts_per_format(rendered: dict[str, dict[str, Any]]) -> None:
    booklet = rendered["booklet-ky"]["by_role"]
    assert _sizes_mm(booklet["reader"][0]) == [(148.0, 210.0)] * 12
    # 12 pages = 3 sheets, two sides each: two A5 pages side by side, 3 mm bleed, 12 mm slug for marks.
    assert _sizes_mm(booklet["print"][0]) == [(148 * 2 + 6 + 24, 210 + 6 + 24)] * 6
    assert len(booklet["preview"]) == 12
    assert Image.open(booklet["preview"][0]).size == (874, 1240)  # A5 at 150 dpi

    leaflet = rendered["leaflet-ru"]["by_role"]
    assert _sizes_mm(leaflet["reader"][0]) == [(100.0, 210.0)] * 6
    assert _sizes_mm(leaflet["print"][0]) == [(297 + 6 + 24, 210 + 6 + 24)] * 2
    assert len(leaflet["preview"]) == 6

    a4 = rendered["info-a4-ky"]["by_role"]
    assert _sizes_mm(a4["reader"][0]) == [(210.0, 297.0)]
    assert _sizes_mm(a4["print"][0]) == [(210 + 30, 297 + 30)]
    trim = PdfReader(a4["print"][0]).pages[0].trimbox
    assert round(float(trim.width) / MM, 1) == 210.0 and round(float(trim.left) / MM, 1) == 15.0
    story = rendered["info-story-ru"]["by_role"]
    assert Image.open(story["image"][0]).size == (1080, 1920)


def _half(pdf: Path, page: int, left: bool) -> str:
    """The text of one half of an imposed sheet (pdftotext crops in points at its default 72 dpi)."""
    reader = PdfReader(pdf)
    w, h = float(reader.pages[page - 1].mediabox.width), float(reader.pages[page - 1].mediabox.height)
    x = 0 if left else int(w / 2)
    crop = ["-f", str(page), "-l", str(page), "-x", str(x), "-y", "0", "-W", str(int(w / 2)), "-H", str(int(h))]
    return words(pdftotext(pdf, *crop))


def test_saddle_stitch_sheet_one_has_the_last_page_beside_the_first(rendered: dict[str, dict[str, Any]]) -> None:
    pdf = rendered["booklet-ru"]["by_role"]["print"][0]
    left, right = _half(pdf, 1, True), _half(pdf, 1, False)
    assert "Если у вас вымогают взятку" in left and "Краткое руководство для каждого жителя" not in left  # page 12
    assert "Краткое руководство для каждого жителя" in right  # the cover, page 1
    back_left, back_right = _half(pdf, 2, True), _half(pdf, 2, False)
    assert "Содержание" in back_left  # page 2
    assert "Частые вопросы" in back_right or "Для заметок" in back_right  # page 11


def test_trifold_outside_has_flap_back_and_cover(rendered: dict[str, dict[str, Any]]) -> None:
    pdf = rendered["leaflet-ru"]["by_role"]["print"][0]
    cover_third = _third(pdf, 1, 2)
    assert "Памятка для государственных служащих" in cover_third
    assert "Сообщите о коррупции" in _third(pdf, 1, 1)
    assert "Что это такое?" in _third(pdf, 1, 0)
    assert "Примеры" in _third(pdf, 2, 0) and "Нужен совет?" in _third(pdf, 2, 2)


def _third(pdf: Path, page: int, index: int) -> str:
    reader = PdfReader(pdf)
    w, h = float(reader.pages[page - 1].mediabox.width), float(reader.pages[page - 1].mediabox.height)
    slug = (12 + 3) * MM
    third = (w - 2 * slug) / 3
    x = int(slug + index * third)
    crop = ["-f", str(page), "-l", str(page), "-x", str(x), "-y", "0", "-W", str(int(third)), "-H", str(int(h))]
    return words(pdftotext(pdf, *crop))


# ---------------------------------------------------------------- QR codes at 150 dpi


def _raster(pdf: Path, tmp_path: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("p-*.png"))]


@pytest.mark.parametrize("name", ["booklet-ky", "leaflet-ru", "info-a4-ky"])
def test_qr_decodes_from_every_page_at_150_dpi(rendered: dict[str, dict[str, Any]], name: str, tmp_path: Path) -> None:
    result = rendered[name]
    pages = _raster(result["by_role"]["reader"][0], tmp_path)
    found = {i + 1: decode_image(page) for i, page in enumerate(pages)}
    with_codes = {n: texts for n, texts in found.items() if texts}
    back = {"booklet-ky": 12, "leaflet-ru": 6, "info-a4-ky": 1}[name]
    assert with_codes == {back: [expected_url(result["case"])]}


def test_story_png_qr_decodes(rendered: dict[str, dict[str, Any]]) -> None:
    result = rendered["info-story-ru"]
    assert decode_image(Image.open(result["by_role"]["image"][0])) == [expected_url(result["case"])]


# ---------------------------------------------------------------- golden previews


@pytest.mark.parametrize(
    ("name", "page"), [("booklet-ky", 1), ("booklet-ru", 3), ("booklet-ky", 12), ("info-story-ru", 1)]
)
def test_previews_match_golden(rendered: dict[str, dict[str, Any]], name: str, page: int, regen_golden: bool) -> None:
    roles = rendered[name]["by_role"]
    preview = (roles.get("preview") or roles["image"])[page - 1]
    image = Image.open(preview).convert("RGB")
    golden = GOLDEN / f"{name}-p{page:02d}.png"
    if regen_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        image.save(golden, optimize=True)
        pytest.skip(f"regenerated {golden.name}")
    assert golden.is_file(), f"no golden image {golden}; run pytest --regen-golden"
    a = np.asarray(image, dtype=np.int16)
    e = np.asarray(Image.open(golden).convert("RGB"), dtype=np.int16)
    assert a.shape == e.shape
    ratio = (np.abs(a - e).max(axis=2) > LEVEL_TOLERANCE).mean()
    assert ratio <= MISMATCH_RATIO, f"{preview.name}: {ratio:.2%} of pixels differ from {golden.name}"


def test_a_changed_word_exceeds_the_golden_tolerance() -> None:
    from PIL import ImageDraw

    golden = Image.open(GOLDEN / "booklet-ru-p03.png").convert("RGB")
    changed = golden.copy()
    ImageDraw.Draw(changed).rectangle((90, 180, 400, 215), fill=(255, 255, 255))  # hide part of the heading
    diff = np.abs(np.asarray(changed, dtype=np.int16) - np.asarray(golden, dtype=np.int16)).max(axis=2)
    assert (diff > LEVEL_TOLERANCE).mean() > MISMATCH_RATIO


# ---------------------------------------------------------------- synthetic: signed


@pytest.mark.slow
def test_synthetic_leaflet_is_signed_and_verifies(
    project: Path, write_campaign: Callable[..., Path], keys_dir: Path, tmp_path: Path
) -> None:
    from studio.label import verify_label

    def change(data: dict[str, Any]) -> None:
        leaflet = next(d for d in data["deliverables"] if d["id"] == "conflict-of-interest-leaflet")
        leaflet["synthetic"] = True

    path = write_campaign(change)
    outputs = render(path, CASES["leaflet-ru"], tmp_path / "out", keys_dir)
    for out in outputs:
        report = verify_label(out.path, trust_anchors=keys_dir)
        assert report.problems() == (), f"{out.path.name}: {report.problems()}"
        assert out.extra["synthetic"] is True
    cover = Image.open(next(o.path for o in outputs if o.role == "preview"))
    assert "Создано с помощью ИИ" in words(pdftotext(next(o.path for o in outputs if o.role == "reader"), "-l", "1"))
    assert cover.size == (591, 1240)


# ---------------------------------------------------------------- bad input


def _set(deliverable: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        d = next(d for d in data["deliverables"] if d["id"] == deliverable)
        d.update(fields)

    return change


def test_page_count_not_a_multiple_of_four(write_campaign: Callable[..., Path]) -> None:
    path = write_campaign(_set("how-to-report-booklet", pages=10))
    with pytest.raises(SpecError, match=r"test\.yaml:\d+: deliverables\[\d+\]\.pages: 10 pages is not a multiple of 4"):
        load_campaign(path)


@pytest.mark.slow
def test_content_too_long_says_by_how_much_and_writes_nothing(
    project: Path, write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    long = "# Узун\n\n" + "\n\n".join(["Ар бир жаран мамлекеттик кызматты акысыз алууга укуктуу. " * 8] * 40)
    for lang in ("ky", "ru"):
        (project / "templates" / "booklets" / f"long.{lang}.md").write_text(long, encoding="utf-8")
    path = write_campaign(_set("how-to-report-booklet", content="long", pages=8))
    out = tmp_path / "out"
    with pytest.raises(
        RenderError,
        match=r"long\.ky\.md:\d+: paragraph does not fit: the content runs \d+\.\d pages over the 8-page booklet",
    ):
        render(path, CASES["booklet-ky"], out)
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_missing_picture_is_named(project: Path, write_campaign: Callable[..., Path]) -> None:
    content = project / "templates" / "booklets" / "how-to-report.ru.md"
    content.write_text(
        content.read_text(encoding="utf-8").replace("service-counter.png", "counter.png"), encoding="utf-8"
    )
    with pytest.raises(SpecError, match=r'how-to-report\.ru\.md:\d+: picture "assets/pictures/counter\.png" not found'):
        load_campaign(write_campaign())


def test_csv_with_wrong_delimiter_is_named_at_validation(project: Path, write_campaign: Callable[..., Path]) -> None:
    (project / "campaigns" / "data" / "reports-2025.csv").write_text("quarter;received;resolved\n2025 I;38;21\n")
    with pytest.raises(
        SpecError,
        match=r"\.data: \S*campaigns/data/reports-2025\.csv:1: the columns are separated by semicolons",
    ):
        load_campaign(write_campaign())


def test_text_in_a_number_column_names_the_row(project: Path, write_campaign: Callable[..., Path]) -> None:
    csv = project / "campaigns" / "data" / "reports-2025.csv"
    csv.write_text(csv.read_text().replace("2025 III,61,45", "2025 III,61,кырк беш"), encoding="utf-8")
    with pytest.raises(SpecError, match=r'reports-2025\.csv:4: column "resolved": "кырк беш" is not a number'):
        load_campaign(write_campaign())


def test_glyph_missing_from_the_fonts(project: Path, write_campaign: Callable[..., Path]) -> None:
    content = project / "templates" / "infographics" / "your-rights.ky.md"
    content.write_text(
        content.read_text(encoding="utf-8").replace("Акча бербеңиз", "Акча бербеңиз ☃"), encoding="utf-8"
    )
    with pytest.raises(SpecError, match=r'your-rights\.ky\.md:\d+: "☃" \(U\+2603\) would print as a missing glyph'):
        load_campaign(write_campaign())


# ---------------------------------------------------------------- studio verify on PDFs


def test_verify_reads_xmp_and_qr_of_a_booklet_pdf(rendered: dict[str, dict[str, Any]]) -> None:
    from studio.verify.model import CheckName, Status
    from studio.verify.run import verify_file

    report = verify_file(rendered["booklet-ru"]["by_role"]["reader"][0])
    status = {c.name: c for c in report.checks}
    # No manifest beside it: the marks are read and hold nothing against it; the QR code is read back.
    assert status[CheckName.XMP].status != Status.FAIL and status[CheckName.C2PA].status != Status.FAIL
    assert status[CheckName.QR].status == Status.PASS
    assert expected_url(rendered["booklet-ru"]["case"]) in status[CheckName.QR].detail


@pytest.mark.slow
def test_verify_finds_a_signed_pdf_and_a_broken_one(
    write_campaign: Callable[..., Path], keys_dir: Path, tmp_path: Path
) -> None:
    from studio.verify.model import CheckName, Status
    from studio.verify.run import VerifyOptions, verify_file

    path = write_campaign(_set("reports-2025-infographic", synthetic=True))
    outputs = render(path, CASES["info-a4-ky"], tmp_path / "out", keys_dir)
    reader = next(o.path for o in outputs if o.role == "reader")
    options = VerifyOptions(trust_anchors=keys_dir)
    checks = {c.name: c.status for c in verify_file(reader, options).checks}
    assert checks[CheckName.XMP] == checks[CheckName.C2PA] == checks[CheckName.QR] == Status.PASS
    data = bytearray(reader.read_bytes())
    newline = data.index(b"\n")  # the header's binary comment: still a valid PDF, but no longer the signed bytes
    data[newline + 2] ^= 0x01
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    assert {c.name: c.status for c in verify_file(broken, options).checks}[CheckName.C2PA] == Status.FAIL


def _lists(markdown: str) -> list[list[str]]:
    """The bulleted and numbered lists of a content file, each item's opening words as printed."""
    lists: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines() + [""]:
        item = line.lstrip()
        marker = item.split(" ", 1)[0]
        if line == item and (marker == "-" or (marker.endswith(".") and marker[:-1].isdigit())) and " " in item:
            current.append(" ".join(item.split(" ", 1)[1].replace("*", "").split()[:3]))
        elif current:
            lists.append(current)
            current = []
    return [items for items in lists if len(items) >= 2]


@pytest.mark.parametrize("name", ["booklet-ky", "booklet-ru"])
def test_a_page_never_starts_with_a_lists_last_item_alone(rendered: dict[str, dict[str, Any]], name: str) -> None:
    """Every list's last two items are printed on one page (a list may still break before them)."""
    case = rendered[name]["case"]
    reader = rendered[name]["by_role"]["reader"][0]
    source = (SAMPLE.parent.parent / "templates" / "booklets" / f"how-to-report.{case[1]}.md").read_text("utf-8")
    pages = [words(pdftotext(reader, "-f", str(n), "-l", str(n))) for n in range(1, 13)]
    lists = _lists(source)
    assert len(lists) >= 4
    for items in lists:
        found = [[n for n, text in enumerate(pages) if item in text] for item in items[-2:]]
        assert all(len(f) == 1 for f in found), f"{items[-2:]} found on pages {found}"
        assert found[0] == found[1], f"{name}: the list ending “{items[-1]}” breaks before its last item"
