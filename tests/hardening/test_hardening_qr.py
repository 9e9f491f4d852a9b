"""Scan tags that never collide, links in their shortest safe form, and a QR size rule by module count."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

import studio.campaign.checks as checks
from studio.batch.manifest import ManifestEntry
from studio.campaign import load_campaign
from studio.errors import LayoutError, SpecError
from studio.formats import FORMATS
from studio.kinds.base import Output
from studio.plan import Job
from studio.qr import Placement, build_qr, min_code_px, placement_tag, safe_url, tag_url
from studio.quarters import Quarter
from studio.stills.render import layout_job, render_job
from tests.conftest import SAMPLE
from tests.qr_helpers import decode_image

LONG_ID = "a-very-long-deliverable-name-for-the-city-hall-anti-corruption-week"


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(SAMPLE)


def _with_url(campaign, url: str):
    copy = campaign.model_copy(update={"reporting": campaign.reporting.model_copy(update={"url": url})})
    copy._root = campaign.root
    return copy


# --- scan tags ----------------------------------------------------------------------------------------------


def test_telegram_payloads_of_kyrgyz_and_russian_versions_of_a_long_deliverable_differ() -> None:
    tags = {
        lang: tag_url("https://t.me/TazaBot", Placement(LONG_ID, "instagram-portrait", lang, "2027Q4")).split("start=")[
            1
        ]
        for lang in ("ky", "ru")
    }
    assert tags["ky"] != tags["ru"]
    for tag in tags.values():
        assert len(tag) <= 64 and all(c.isalnum() or c in "_-" for c in tag)
        assert tag.startswith("a-very-long") and "instagram-portrait" in tag and "2027Q4" in tag
    # Stable: the same placement always gets the same code.
    assert placement_tag(Placement(LONG_ID, "instagram-portrait", "ky", "2027Q4")) == tags["ky"]


def test_short_tags_are_unchanged_so_existing_scans_still_count() -> None:
    assert (
        placement_tag(Placement("men-para-berbeym-poster", "a3", "ky", "2026Q1"))
        == "men-para-berbeym-poster-a3-ky-2026Q1"
    )


def test_scan_tag_is_listed_in_the_manifest_entry(tmp_path: Path) -> None:
    job = Job(Quarter.parse("2026Q1"), LONG_ID, "ru", "story", "social")
    url = tag_url("tg://resolve?domain=TazaBot", Placement(LONG_ID, "story", "ru", "2026Q1"))
    out = Output(tmp_path / "x.png", "image", "image/png", 1, 1, 72, url, "0" * 64, 1)
    entry = ManifestEntry.of_output(job, out, tmp_path, "key", draft=False)
    assert entry.qr_tag == url.split("start=")[1]
    tel = Output(tmp_path / "x.png", "image", "image/png", 1, 1, 72, "tel:+996312000000", "0" * 64, 1)
    assert ManifestEntry.of_output(job, tel, tmp_path, "key", draft=False).qr_tag is None


def _long_id_campaign(data: dict) -> None:
    data["reporting"]["url"] = "https://t.me/TazaBot"
    data["deliverables"][3]["id"] = LONG_ID


def test_long_deliverable_ids_with_a_telegram_link_validate(write_campaign) -> None:
    campaign = load_campaign(write_campaign(_long_id_campaign))
    assert campaign.deliverables[3].id == LONG_ID


def test_scan_tag_collision_is_an_error_at_validate(write_campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    # Cutting payloads to 64 characters, as before, gives the ky and ru placements one code: refused.
    def cut(p: Placement) -> str:
        return "-".join((p.deliverable, p.format, p.language, p.quarter))[:64]

    monkeypatch.setattr(checks, "placement_tag", cut)
    path = write_campaign(_long_id_campaign)
    with pytest.raises(SpecError) as info:
        load_campaign(path)
    message = str(info.value)
    assert "deliverables[3].id" in message and "is also the tag of" in message and "could not be told apart" in message


# --- shortest safe links -------------------------------------------------------------------------------------


def test_idn_link_is_encoded_as_punycode_and_percent_escapes() -> None:
    assert safe_url("https://ашуу-кат.кг/жалоба?x=ы") == (
        "https://xn----7sbb3b2bca2b.xn--c1an/%D0%B6%D0%B0%D0%BB%D0%BE%D0%B1%D0%B0?x=%D1%8B"
    )
    assert safe_url("https://tash-komur.example/report?ref=city") == "https://tash-komur.example/report?ref=city"
    assert safe_url("https://x.kg/a%20b") == "https://x.kg/a%20b"  # never encoded twice
    tagged = tag_url("https://ашуу-кат.кг/report", Placement("d", "a4", "ky", "2026Q1"))
    assert tagged.isascii() and tagged.startswith("https://xn----7sbb3b2bca2b.xn--c1an/report?src=qr")


@pytest.mark.slow
def test_idn_link_on_an_a4_poster_decodes_at_30_dpi(campaign, tmp_path: Path) -> None:
    idn = _with_url(campaign, "https://ашуу-кат.кг/report")
    job = Job(Quarter.parse("2026Q1"), "men-para-berbeym-poster", "ky", "a4", "banner")
    outputs = render_job(idn, job, tmp_path)
    pdf = next(o.path for o in outputs if o.path.suffix == ".pdf")
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as page:
        assert decode_image(page) == [outputs[0].qr_url]
    assert outputs[0].qr_url.startswith("https://xn--")


# --- size rule by module count ---------------------------------------------------------------------------------


def test_qr_too_dense_for_its_size_is_refused_naming_its_modules(campaign) -> None:
    dense = _with_url(campaign, "https://ашуу-кат.кг/жалоба/коррупция/пара-бербейм")
    job = Job(Quarter.parse("2026Q1"), "men-para-berbeym-poster", "ky", "a4", "banner")
    with pytest.raises(LayoutError, match=r"needs at least \d+ mm for its 61 × 61 modules"):
        layout_job(dense, job)


def _drawn(matrix, code_mm: float, dpi: int) -> Image.Image:
    n = matrix.size
    big = Image.new("L", (n, n))
    big.putdata([0 if dark else 255 for row in matrix.rows for dark in row])
    hi = 24
    sheet = Image.new("L", ((n + 8) * hi, (n + 8) * hi), 255)
    sheet.paste(big.resize((n * hi, n * hi), Image.Resampling.NEAREST), (4 * hi, 4 * hi))
    side = round(code_mm / 25.4 * dpi * (n + 8) / n)
    return sheet.resize((side, side), Image.Resampling.BOX)


def test_dense_code_at_its_minimum_size_decodes_where_the_old_rule_did_not() -> None:
    a4 = FORMATS["a4"]
    data = safe_url("https://ашуу-кат.кг/жалоба/коррупция/пара-бербейм?src=qr&d=x&f=a4&l=ky&q=2026Q1")
    matrix = build_qr(data, "M")
    assert matrix.version >= 10
    old_mm = a4.px_to_mm(a4.min_qr_px)  # 50 mm whatever the code
    new_mm = a4.px_to_mm(min_code_px(a4, matrix.size))
    assert new_mm > old_mm * 1.4
    read = [r.text for r in zxingcpp.read_barcodes(_drawn(matrix, new_mm, 30))]
    assert read == [data]
    assert [r.text for r in zxingcpp.read_barcodes(_drawn(matrix, old_mm, 30))] == []


def test_short_codes_keep_the_whole_code_rule() -> None:
    for fmt in (f for f in FORMATS.values() if not f.is_audio):  # sound has no QR code
        assert min_code_px(fmt, 25) == fmt.min_qr_px and min_code_px(fmt, 41) == fmt.min_qr_px
        assert min_code_px(fmt, 61) > fmt.min_qr_px
