"""CMYK print files: PDF/X-4 with the press's output intent, CMYK images only, black-ink-only text and
QR codes on the separations, total ink within each profile's limit (Ghostscript), the simulated-press
QR round trip per profile, the newspaper's module grid, and bad print settings."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

from studio.campaign import load_campaign
from studio.errors import LayoutError, QRError, RenderError, SpecError
from studio.plan import Job
from studio.press.press import bare_panel, check_press, needed_code_mm, press_reads
from studio.press.profiles import PROFILES
from studio.qr import QUIET_ZONE_MODULES, build_qr
from studio.quarters import Quarter
from studio.stills.pdf import PT_PER_MM
from studio.stills.render import layout_job, render_job
from tests.conftest import SAMPLE

Q1 = Quarter.parse("2026Q1")
POSTER = Job(Q1, "men-para-berbeym-poster", "ky", "a4", "banner")
NEWS = Job(Q1, "newspaper-ad", "ru", "newspaper-quarter", "newspaper")
NEWS_GRAY = Job(Q1, "newspaper-ad", "ky", "newspaper-quarter-gray", "newspaper")


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    campaign = load_campaign(SAMPLE)
    out = tmp_path_factory.mktemp("cmyk")
    files = {}
    for job in (POSTER, NEWS, NEWS_GRAY):
        outputs = render_job(campaign, job, out)
        files[job.format] = next(o.path for o in outputs if o.role == "print")
        files[job.format + ".proof"] = next(o.path for o in outputs if o.role == "proof")
        files[job.format + ".preflight"] = next(o.extra["preflight"] for o in outputs if o.role == "print")
    return files


CASES = [
    ("a4", "FOGRA39", 300),
    ("newspaper-quarter", "CGATS TR 002", 240),
    ("newspaper-quarter-gray", "CGATS TR 002", 240),
]


@pytest.mark.parametrize(("fmt", "condition", "limit"), CASES)
def test_pdf_x4_declares_the_output_intent_and_holds_cmyk_images_only(renders, fmt, condition, limit) -> None:
    path = renders[fmt]
    assert path.read_bytes().startswith(b"%PDF-1.6")
    reader = PdfReader(path, strict=True)
    root = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX" and intent["/OutputConditionIdentifier"] == condition
    icc = intent["/DestOutputProfile"].get_object()
    assert icc["/N"] == 4
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc.get_data()))
    assert profile.profile.xcolor_space.strip() == "CMYK"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert reader.metadata is not None and reader.metadata["/Trapped"] == "/False"
    page = reader.pages[0]
    assert "/TrimBox" in page and "/BleedBox" in page
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert images and all(x["/Subtype"] == "/Image" and x["/ColorSpace"] == "/DeviceCMYK" for x in images)
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert all("/FontFile2" in f["/FontDescriptor"] for f in fonts)  # PDF/X: every font embedded
    assert "newspaper-ad" in page.extract_text() or "men-para-berbeym" in page.extract_text()


def test_newspaper_ad_has_the_module_size_and_no_bleed(renders) -> None:
    page = PdfReader(renders["newspaper-quarter"]).pages[0]
    x0, y0, x1, y1 = (float(v) / PT_PER_MM for v in page.trimbox)
    assert (x1 - x0, y1 - y0) == (pytest.approx(128, abs=0.2), pytest.approx(182, abs=0.2))
    assert [float(v) for v in page.trimbox] == [float(v) for v in page.bleedbox]


def separations(pdf: Path, tmp: Path, dpi: int) -> dict[str, np.ndarray]:
    """Ghostscript's tiffsep: one grey TIFF per ink, over the bleed box (0 = no ink in the files)."""
    base = tmp / f"{pdf.stem}.tif"
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dUseBleedBox", "-sDEVICE=tiffsep", f"-r{dpi}", f"-o{base}", str(pdf)],
        check=True,
    )
    plates = {}
    for ink in ("Cyan", "Magenta", "Yellow", "Black"):
        with Image.open(tmp / f"{pdf.stem}({ink}).tif") as im:
            plates[ink] = 255 - np.asarray(im.convert("L"), dtype=np.int16)  # tiffsep: 255 = no ink
    return plates


@pytest.mark.parametrize("job", [POSTER, NEWS, NEWS_GRAY], ids=lambda j: j.format)
def test_qr_modules_and_dark_text_are_black_ink_only_on_the_separations(renders, job, tmp_path) -> None:
    layout = layout_job(load_campaign(SAMPLE), job)
    dpi = 150
    plates = separations(renders[job.format], tmp_path, dpi)
    f = dpi / 300  # the layout is at 300 dpi
    qr = layout.qr
    assert qr is not None
    dark = light = 0
    for r, row in enumerate(qr.matrix.rows):
        for c, is_dark in enumerate(row):
            y = round((qr.origin[1] + (r + 0.5) * qr.module_px) * f)
            x = round((qr.origin[0] + (c + 0.5) * qr.module_px) * f)
            cmy = [int(plates[ink][y, x]) for ink in ("Cyan", "Magenta", "Yellow")]
            k = int(plates["Black"][y, x])
            assert max(cmy) <= 3, (r, c, cmy)  # no colour ink anywhere in the code (white panel)
            if is_dark:
                assert k >= 250, (r, c, k)
                dark += 1
            else:
                assert k <= 5, (r, c, k)
                light += 1
    assert dark > 100 and light > 100
    # The hashtags (navy on gold) print in black ink over the gold: the glyphs are on the black plate
    # only; cyan, magenta and yellow show the plain strip under them.
    hashtags = next(t for t in layout.texts() if t.role == "hashtags")
    b = hashtags.box
    y0, y1, x0, x1 = round(b.y * f), round(b.bottom * f), round(b.x * f), round(b.right * f)
    k = plates["Black"][y0:y1, x0:x1]
    assert (k >= 250).mean() > 0.05  # solid black glyph strokes
    for ink in ("Cyan", "Magenta", "Yellow"):
        region = plates[ink][y0:y1, x0:x1]
        assert region.max() - region.min() <= 4, ink  # no glyph shapes on the colour plates


@pytest.mark.parametrize(("fmt", "condition", "limit"), CASES)
def test_total_ink_stays_within_the_profile_limit_by_ghostscript(renders, fmt, condition, limit, tmp_path) -> None:
    pdf = renders[fmt]
    done = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dUseTrimBox", "-sDEVICE=ink_cov", "-r50", "-o", "-", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    )
    mean = sum(float(v) for v in re.findall(r"\d+\.\d+", done.stdout)[:4])
    assert 20 < mean < limit
    tif = tmp_path / "page.tif"
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dUseTrimBox", "-sDEVICE=tiff32nc", "-r100", f"-o{tif}", str(pdf)],
        check=True,
    )
    with Image.open(tif) as im:
        total = np.asarray(im.convert("CMYK"), dtype=np.uint16).sum(axis=2) / 255 * 100
    # Per pixel, at 100 dpi: JPEG may lift a pixel by a level or two.
    assert total.max() <= limit + 3
    if fmt.endswith("-gray"):
        with Image.open(tif) as im:
            cmyk = np.asarray(im.convert("CMYK"))
        assert cmyk[..., :3].max() <= 3  # grayscale: black ink alone


@pytest.mark.parametrize("profile", ["coated", "uncoated", "newsprint"])
def test_qr_round_trip_through_the_simulated_press(profile) -> None:
    p = PROFILES[profile]
    matrix = build_qr("https://tash-komur.example/report?src=qr&d=newspaper-ad&f=newspaper-quarter&l=ky&q=2026Q1", "M")
    n = matrix.size + 2 * QUIET_ZONE_MODULES
    # At a design's size (modules around 0.6 mm) the code survives every press.
    assert press_reads(bare_panel(matrix, 8), n * 0.6, matrix.size * 0.6, p, matrix.data)
    result = check_press(bare_panel(matrix, 8), matrix, 0.6, p, "test")
    assert result.passed and result.code_mm == pytest.approx(matrix.size * 0.6)


def test_a_code_too_small_for_newsprint_fails_with_the_size_it_needs() -> None:
    p = PROFILES["newsprint"]
    matrix = build_qr("https://tash-komur.example/report?src=qr&d=newspaper-ad&f=newspaper-quarter&l=ky&q=2026Q1", "M")
    with pytest.raises(QRError) as err:
        check_press(bare_panel(matrix, 8), matrix, 0.12, p, "newspaper-ad (ky, newspaper-eighth)")
    message = str(err.value)
    need = int(re.search(r"needs at least (\d+) mm", message).group(1))  # type: ignore[union-attr]
    assert "simulated newsprint press (85 lpi, 26% dot gain)" in message
    assert need > matrix.size * 0.12
    # The size it names does survive; and coated paper, with less dot gain, holds the same small code.
    assert needed_code_mm(matrix, 0.12, p) == pytest.approx(need, abs=1)
    module = need / matrix.size
    assert press_reads(bare_panel(matrix, 8), (matrix.size + 8) * module, need, p, matrix.data)


def test_renders_record_the_preflight_summary(renders) -> None:
    facts = renders["newspaper-quarter.preflight"]
    assert facts["profile"] == "newsprint" and facts["ink_limit_pct"] == 240
    assert facts["min_text_pt"] >= 8.0  # the newsprint minimum
    assert facts["qr_press"].startswith("newsprint 85 lpi") and facts["qr_mm"] >= 20
    assert renders["a4.preflight"]["profile"] == "coated" and renders["a4.preflight"]["ink_max_pct"] <= 300


def test_proof_is_the_colour_managed_print(renders) -> None:
    """The PNG proof shows the print as its paper will: grey for grayscale, and newsprint's black ink
    far weaker than coated paper's."""
    with Image.open(renders["newspaper-quarter-gray.proof"]) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.int16)
    assert np.abs(rgb[..., 0] - rgb[..., 2]).max() <= 12  # grayscale print: a grey proof

    def darkest(path: Path) -> float:
        with Image.open(path) as im:
            return float(np.percentile(np.asarray(im.convert("L")), 0.5))

    assert darkest(renders["newspaper-quarter.proof"]) > darkest(renders["a4.proof"]) + 25


def test_rich_black_for_large_areas_and_black_ink_alone_for_small_ones() -> None:
    from studio.formats import get_format
    from studio.press.make import icc_for
    from studio.press.separate import Separator

    campaign = load_campaign(SAMPLE)
    coated = PROFILES["coated"]
    fmt = get_format("a4")
    sep = Separator(coated, icc_for(campaign, campaign.print_, coated), fmt, 300)
    big = round(fmt.mm_to_px(100)) ** 2  # 10 × 10 cm
    small = round(fmt.mm_to_px(5)) ** 2
    assert sep.fill((0, 0, 0), big) == coated.rich_black and sum(coated.rich_black) / 255 * 100 <= 300
    assert sep.fill((10, 10, 12), small) == (0, 0, 0, 255)
    assert sep.fill((11, 95, 165), big) == sep.color((11, 95, 165))  # a colour goes through the profile
    assert Separator.is_key((11, 31, 58)) and not Separator.is_key((11, 95, 165))


def test_preflight_command_in_kyrgyz_and_russian(renders, capsys, monkeypatch) -> None:
    from tests.cli_helpers import run_studio

    ru = run_studio(capsys, monkeypatch, "preflight", str(renders["newspaper-quarter"]), "--lang", "ru")
    assert ru.code == 0, ru.err
    for words in ("Обрезной формат", "128,0 × 182,0 мм", "CGATS TR 002", "предел 240 %", "8,", "300 ppi", "DeviceCMYK"):
        assert words in ru.out, (words, ru.out)
    assert "читается после имитации печати" in ru.out and "Файл готов к печати." in ru.out
    ky = run_studio(capsys, monkeypatch, "preflight", str(renders["a4"]))
    assert ky.code == 0 and "Кесилгенден кийинки өлчөм" in ky.out and "210,0 × 297,0 мм" in ky.out
    assert "3,0 мм" in ky.out and "FOGRA39" in ky.out


# -- bad input ----------------------------------------------------------------------------------


def test_unknown_print_profile(write_campaign) -> None:
    path = write_campaign(lambda d: d.update({"print": {"profile": "glossy"}}))
    with pytest.raises(SpecError) as err:
        load_campaign(path)
    assert re.search(r"test\.yaml:\d+: print\.profile: unknown print profile \"glossy\"; known: coated", str(err.value))


def test_icc_file_missing(write_campaign, project) -> None:
    (project / "assets" / "icc" / "taza-coated-fogra39.icc").unlink()
    with pytest.raises(SpecError) as err:
        load_campaign(write_campaign())
    assert 'print.profile: print profile coated: ICC profile "' in str(err.value) and "is missing" in str(err.value)


def test_icc_file_not_cmyk(write_campaign, project) -> None:
    (project / "assets" / "icc" / "screen.icc").write_bytes(
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    )
    with pytest.raises(SpecError) as err:
        load_campaign(
            write_campaign(lambda d: d.update({"print": {"profile": "coated", "icc": "assets/icc/screen.icc"}}))
        )
    assert "print.icc:" in str(err.value) and "is an RGB profile; a print profile must be a CMYK output profile" in str(
        err.value
    )


def test_icc_file_corrupt(write_campaign, project) -> None:
    good = (project / "assets" / "icc" / "taza-coated-fogra39.icc").read_bytes()
    (project / "assets" / "icc" / "broken.icc").write_bytes(good[:300])
    with pytest.raises(SpecError) as err:
        load_campaign(
            write_campaign(lambda d: d.update({"print": {"profile": "coated", "icc": "assets/icc/broken.icc"}}))
        )
    assert "is not an ICC profile littleCMS can read" in str(err.value) and "corrupt" in str(err.value)


def test_module_larger_than_the_page(write_campaign) -> None:
    path = write_campaign(lambda d: d["newspaper"]["modules"].update(poster=[300, 182]))
    with pytest.raises(SpecError) as err:
        load_campaign(path)
    assert 'newspaper: module "poster" (300 × 182 mm) is larger than the page (260 × 370 mm)' in str(err.value)


def test_unknown_newspaper_module(write_campaign) -> None:
    def change(d: dict) -> None:
        ad = next(x for x in d["deliverables"] if x["id"] == "newspaper-ad")
        ad["formats"] = ["newspaper-third"]

    with pytest.raises(SpecError) as err:
        load_campaign(write_campaign(change))
    assert 'unknown newspaper format "newspaper-third"; the module grid gives: newspaper-full' in str(err.value)


def test_text_under_the_newsprint_minimum(write_campaign, tmp_path) -> None:
    def change(d: dict) -> None:
        d["newspaper"]["modules"]["strip"] = [128, 30]
        ad = next(x for x in d["deliverables"] if x["id"] == "newspaper-ad")
        ad["formats"] = ["newspaper-strip"]

    campaign = load_campaign(write_campaign(change))
    with pytest.raises(LayoutError) as err:
        render_job(campaign, Job(Q1, "newspaper-ad", "ru", "newspaper-strip", "newspaper"), tmp_path)
    assert re.search(
        r"size \(8\.\d pt \(the paper's minimum\), 34 px in newspaper-strip\); shorten the text", str(err.value)
    )
    assert not list(tmp_path.rglob("*.pdf"))


def test_ink_over_the_limit_after_conversion_says_where(write_campaign, tmp_path) -> None:
    campaign = load_campaign(write_campaign(lambda d: d.update({"print": {"profile": "coated", "ink_limit": 150}})))
    with pytest.raises(RenderError) as err:
        render_job(campaign, POSTER, tmp_path)
    message = str(err.value)
    assert "over the 150 % limit of the coated profile" in message
    assert re.search(r"% total ink on .+ (at|mm from the left)", message), message
    assert not list(tmp_path.rglob("*.pdf"))


def test_rgb_profile_keeps_the_rgb_pdf(write_campaign, tmp_path) -> None:
    campaign = load_campaign(write_campaign(lambda d: d.update({"print": {"profile": "rgb"}})))
    pdf = next(o.path for o in render_job(campaign, POSTER, tmp_path) if o.role == "print")
    reader = PdfReader(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-1.4") and "/OutputIntents" not in reader.trailer["/Root"]
    assert reader.pages[0]["/Resources"]["/XObject"]["/Im0"]["/ColorSpace"] == "/DeviceRGB"


def test_synthetic_print_file_keeps_the_badge_and_carries_xmp_and_c2pa(write_campaign, keys_dir, tmp_path) -> None:
    import c2pa

    from studio.label.xmp import parse_xmp_packet

    def change(d: dict) -> None:
        next(x for x in d["deliverables"] if x["id"] == "newspaper-ad")["synthetic"] = True

    campaign = load_campaign(write_campaign(change))
    outputs = render_job(campaign, NEWS, tmp_path, str(keys_dir))
    pdf = next(o for o in outputs if o.role == "print")
    assert pdf.extra["disclosure"] == ["visible-badge", "xmp", "c2pa"]
    reader = PdfReader(pdf.path)
    label = parse_xmp_packet(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    assert label.digital_source_type is not None and label.digital_source_type.endswith(
        "compositeWithTrainedAlgorithmicMedia"
    )
    assert "ЖИ менен түзүлгөн" in (label.description or "")
    with c2pa.Reader("application/pdf", io.BytesIO(pdf.path.read_bytes())) as manifest:
        assert "compositeWithTrainedAlgorithmicMedia" in manifest.json()
    # The badge is on the page: the layout reserves its band and the page text layer is the slug only,
    # so look at the pixels: a dark plate with white letters at the top of the safe area.
    layout = layout_job(campaign, NEWS)
    badge = next(i for i in layout.items if type(i).__name__ == "DrawBadge").badge  # type: ignore[attr-defined]
    tif = tmp_path / "page.tif"
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dUseBleedBox", "-sDEVICE=tiff32nc", "-r300", f"-o{tif}", str(pdf.path)],
        check=True,
    )
    with Image.open(tif) as im:
        k = np.asarray(im.convert("CMYK"))[badge.y : badge.y + badge.h, badge.x : badge.x + badge.w, 3]
    assert (k < 20).mean() > 0.05 and (k > 150).mean() > 0.3  # white letters on the dark plate


def test_pdf_x1a_where_asked(write_campaign, tmp_path) -> None:
    def change(d: dict) -> None:
        poster = next(x for x in d["deliverables"] if x["id"] == POSTER.deliverable)
        poster["print"] = {"profile": "coated", "standard": "x1a"}

    campaign = load_campaign(write_campaign(change))
    pdf = next(o.path for o in render_job(campaign, POSTER, tmp_path) if o.role == "print")
    reader = PdfReader(pdf, strict=True)
    assert pdf.read_bytes().startswith(b"%PDF-1.4")
    assert reader.metadata is not None and reader.metadata["/GTS_PDFXConformance"] == "PDF/X-1a:2003"
    assert "/OutputIntents" in reader.trailer["/Root"] and b"/UserUnit" not in pdf.read_bytes()


def test_pdf_x1a_cannot_hold_a_billboard(write_campaign) -> None:
    def change(d: dict) -> None:
        d["print"] = {"profile": "coated", "standard": "x1a"}

    with pytest.raises(SpecError) as err:
        load_campaign(write_campaign(change))
    assert "billboard-6x3m is larger than PDF/X-1a's 5.08 m page limit; use print: {standard: x4}" in str(err.value)


def test_photos_and_icons_are_separated_through_the_profile(write_campaign, project, tmp_path) -> None:
    """A design with a round photo (faded) and icons: all of it in CMYK, a dark icon on the black plate."""
    import yaml

    design = yaml.safe_load((project / "templates" / "designs" / "hashtag-poster.yaml").read_text(encoding="utf-8"))
    layers = design["variants"]["portrait"]["layers"]
    layers.insert(1, {"type": "photo", "box": [0.55, 0.0, 0.45, 0.3], "shape": "circle", "fade": "bottom"})
    layers.insert(2, {"type": "icon", "icon": "megaphone", "box": [0.0, 0.58, 0.08, 0.02], "color": "#000000"})
    layers.insert(3, {"type": "icon", "icon": "pin", "box": [0.9, 0.58, 0.08, 0.02], "color": "accent"})
    design["name"] = "photo-poster"
    (project / "templates" / "designs" / "photo-poster.yaml").write_text(yaml.safe_dump(design), encoding="utf-8")
    photo = project / "assets" / "photo.jpg"
    gradient = np.linspace(0, 255, 1000 * 900 * 3).reshape(900, 1000, 3).astype(np.uint8)
    Image.fromarray(gradient).save(photo)

    def change(d: dict) -> None:
        poster = next(x for x in d["deliverables"] if x["id"] == POSTER.deliverable)
        poster["design"] = "photo-poster"
        poster["photo"] = {"image": "assets/photo.jpg"}

    campaign = load_campaign(write_campaign(change))
    outputs = render_job(campaign, POSTER, tmp_path)
    pdf = next(o for o in outputs if o.role == "print")
    image = PdfReader(pdf.path).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()
    assert image["/ColorSpace"] == "/DeviceCMYK"
    assert pdf.extra["preflight"]["ink_max_pct"] <= 300
    layout = layout_job(campaign, POSTER)
    photo_item = next(i for i in layout.items if type(i).__name__ == "PlacePhoto")
    with Image.open(io.BytesIO(image.get_data())) as im:
        cmyk = np.asarray(im.convert("CMYK"))
    b = photo_item.box  # type: ignore[attr-defined]
    centre = cmyk[b.y + b.h // 2, b.x + b.w // 2]
    corner = cmyk[b.y + 2, b.x + 2]  # outside the circle: the background gradient, not the photo
    assert int(centre.astype(int).sum()) > 0 and not np.array_equal(centre, corner)


def test_preflight_fails_a_file_over_the_ink_limit_and_says_where(tmp_path, capsys, monkeypatch) -> None:
    import datetime as dt

    from studio.press.pdfx import OutputIntent, PdfxDocument, build_pdfx
    from studio.stills.pdf import PrintPage
    from tests.cli_helpers import run_studio

    w, h = 600, 354  # 50 × 30 mm at 300 dpi, with 0 bleed
    image = Image.new("CMYK", (w, h), (0, 0, 0, 0))
    image.paste((255, 255, 255, 255), (300, 0, 600, 354))  # the right half: 400 % ink
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=95)
    root = Path(__file__).parent.parent
    pdf = tmp_path / "heavy.pdf"
    pdf.write_bytes(
        build_pdfx(
            buf.getvalue(),
            "DCTDecode",
            PrintPage((50.8, 29.97), 0.0, (w, h), "heavy"),
            OutputIntent("FOGRA39", "coated", (root / "assets" / "icc" / "taza-coated-fogra39.icc").read_bytes()),
            PdfxDocument("heavy", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "test", facts={"profile": "coated"}),
            root / "assets" / "fonts" / "NotoSans-Regular.ttf",
        )
    )
    result = run_studio(capsys, monkeypatch, "preflight", str(pdf), "--lang", "en")
    assert result.code == 1
    flat = " ".join(result.out.replace("│", " ").split())  # the table wraps long cells
    ink = re.search(r"(\d+) % / (\d+) %; over the limit", flat)
    where = re.search(r"\(300 %\), at (\d+) mm from the left, (\d+) mm from the top", flat)
    assert ink and where, result.out
    assert int(ink.group(1)) >= 395 and 190 <= int(ink.group(2)) <= 210
    assert int(where.group(1)) >= 25  # in the right half
    assert "problem" in flat and "The file has problems" in flat


@pytest.mark.parametrize("module", ["full", "half", "quarter", "eighth"])
def test_the_design_adapts_to_every_module_of_the_newspaper_grid(module, write_campaign) -> None:
    from studio.layout.design import shape_of

    def change(d: dict) -> None:
        ad = next(x for x in d["deliverables"] if x["id"] == "newspaper-ad")
        ad["formats"] = [f"newspaper-{module}", f"newspaper-{module}-gray"]

    campaign = load_campaign(write_campaign(change))
    w_mm, h_mm = campaign.newspaper.modules[module]  # type: ignore[union-attr]
    for lang in ("ky", "ru"):
        layout = layout_job(campaign, Job(Q1, "newspaper-ad", lang, f"newspaper-{module}", "newspaper"))
        fmt = campaign.format(f"newspaper-{module}")
        assert fmt.trim_mm == (pytest.approx(w_mm, abs=0.1), pytest.approx(h_mm, abs=0.1))
        assert shape_of(layout.safe.w, layout.safe.h) in ("portrait", "landscape", "square", "wide")
        assert min(t.size_px for t in layout.texts()) >= fmt.mm_to_px(8 * 25.4 / 72) - 0.5  # 8 pt at least
        assert layout.qr is not None and fmt.px_to_mm(layout.qr.modules_box.w) >= 20


def test_verify_checks_a_newspaper_ad_whose_module_only_the_campaign_knows(tmp_path: Path) -> None:
    """`studio verify` has no campaign: it once failed every newspaper proof as "not a known format"."""
    from studio.batch.executors import LocalExecutor
    from studio.batch.runner import run_batch
    from studio.kinds import RenderOptions
    from studio.plan import plan_jobs
    from studio.verify import Status, verify_paths

    campaign = load_campaign(SAMPLE)
    jobs = plan_jobs(campaign, Q1, ["newspaper"], ["ru"], None)
    assert {j.format for j in jobs} == {"newspaper-quarter", "newspaper-quarter-gray"}
    result = run_batch(campaign, "2026Q1", jobs, tmp_path / "out", LocalExecutor(1), RenderOptions(str(tmp_path)))
    assert not result.failures
    assert all(e.trim_mm == (pytest.approx(128, abs=0.1), pytest.approx(182, abs=0.1)) for e in result.entries.values())
    reports = verify_paths([result.quarter_dir / "newspaper-ad"])
    assert len(reports) == 4
    for report in reports:
        assert all(c.status != Status.FAIL for c in report.checks), (report.path, report.checks)


def test_the_same_job_gives_the_same_print_file_later(tmp_path, monkeypatch) -> None:
    """The embedded slug font once carried the clock's time, so a job rendered again a minute later
    (a new batch process) gave other bytes and looked changed."""
    import time

    from studio.press import pdfx

    campaign = load_campaign(SAMPLE)
    pdfx._font_subset.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-1"))  # the subset made, not taken from a cache
    first = render_job(campaign, POSTER, tmp_path / "first")
    pdfx._font_subset.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-2"))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 600)
    again = render_job(campaign, POSTER, tmp_path / "again")
    assert [o.sha256 for o in first] == [o.sha256 for o in again]


def test_the_slug_font_subset_is_made_once_and_kept(tmp_path, monkeypatch) -> None:
    """A worker process takes the subset of the slug font from the user's cache instead of reading the
    font with fontTools again; a damaged cache entry is made again, the same bytes either way."""
    from studio.press import pdfx
    from tests.conftest import REPO

    font = REPO / "assets" / "fonts" / "NotoSans-Regular.ttf"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pdfx._font_subset.cache_clear()
    made = pdfx._font_subset(font)
    kept = sorted(p.name for p in pdfx.font_cache_folder().iterdir())
    assert [k.rsplit(".", 1)[1] for k in kept] == ["json", "ttf"]
    pdfx._font_subset.cache_clear()
    assert pdfx._font_subset(font) == made  # from the cache
    (pdfx.font_cache_folder() / kept[0]).write_text("{not json", encoding="utf-8")
    pdfx._font_subset.cache_clear()
    assert pdfx._font_subset(font) == made  # made again
    assert made == pdfx._make_font_subset(font)


def test_a_large_sheets_proof_from_the_decoded_print_image_matches_the_full_sheet() -> None:
    """An A2 proof comes from the print JPEG decoded at half size (the decode its QR read uses); it must
    show what resampling the full-size separation shows: the same place, the same colours."""
    from studio.press.icc import apply
    from studio.press.make import _cmyk_to_srgb, icc_for, make_print_file
    from studio.press.separate import Separator, separate
    from studio.stills.render import job_format

    campaign = load_campaign(SAMPLE)
    job = Job(Quarter.parse("2026Q2"), "clean-kyrgyzstan-billboard", "ky", "a2", "banner")
    fmt, layout = job_format(campaign, job), layout_job(campaign, job)
    settings = campaign.print_settings(campaign.deliverable(job.deliverable))
    profile = PROFILES[settings.profile]
    made = make_print_file(campaign, job, fmt, layout, settings, profile, 2000)
    icc = icc_for(campaign, settings, profile)
    canvas = separate(layout, Separator(profile, icc, fmt, profile.ink_limit))
    t = layout.trim
    full = canvas.resize(made.proof.size, Image.Resampling.LANCZOS, box=(t.x, t.y, t.right, t.bottom))
    expected = np.asarray(apply(_cmyk_to_srgb(icc), full), dtype=np.int16)
    diff = np.abs(np.asarray(made.proof, dtype=np.int16) - expected)
    assert made.proof.size == (1414, 2000)
    assert diff.mean() < 0.5 and np.percentile(diff, 99) <= 8
