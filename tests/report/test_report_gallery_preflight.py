"""The gallery's preflight summary beside each CMYK print PDF: real renders, their manifest entries read
back from JSON, the real gallery page parsed; the mean ink the render recorded agrees with Ghostscript's."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from studio.batch.manifest import Manifest, ManifestEntry, parse_manifest
from studio.campaign import load_campaign
from studio.plan import Job
from studio.quarters import Quarter
from studio.report import write_gallery
from studio.report.gallery import both, preflight_rows
from studio.report.i18n import TEXT
from studio.stills.render import render_job
from tests.conftest import SAMPLE

Q1 = Quarter.parse("2026Q1")
POSTER = Job(Q1, "men-para-berbeym-poster", "ky", "a4", "banner")
NEWS = Job(Q1, "newspaper-ad", "ru", "newspaper-quarter", "newspaper")


class _Sections(HTMLParser):
    """Each ``<section class="preflight">``: its heading's text and its rows (label, value, class)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []
        self._in: str | None = None  # "h5", "dt" or "dd" while inside a preflight section
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("class") == "preflight":
            self.sections.append({"heading": "", "rows": []})
            self._depth = 1
        elif self._depth and tag == "section":
            self._depth += 1
        elif self._depth and tag in ("h5", "dt", "dd"):
            self._in = tag
            if tag == "dt":
                self.sections[-1]["rows"].append({"label": "", "value": "", "class": None})
            if tag == "dd":
                self.sections[-1]["rows"][-1]["class"] = a.get("class")

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "section":
            self._depth -= 1
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if not self._depth or self._in is None:
            return
        section = self.sections[-1]
        if self._in == "h5":
            section["heading"] += data
        else:
            section["rows"][-1]["label" if self._in == "dt" else "value"] += data


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    campaign = load_campaign(SAMPLE)
    folder = tmp_path_factory.mktemp("q1")
    entries = [
        ManifestEntry.of_output(job, out, folder, "key", draft=False)
        for job in (POSTER, NEWS)
        for out in render_job(campaign, job, folder)
    ]
    built = Manifest(campaign=campaign.id, quarter=str(Q1), renders=tuple(entries))
    # As the batch leaves it: the manifest file, read back.
    manifest = parse_manifest(json.loads(built.model_dump_json()), "manifest.json")
    return folder, manifest


@pytest.fixture(scope="module")
def sections(quarter: tuple[Path, Manifest]) -> list[dict[str, Any]]:
    folder, manifest = quarter
    # No Ghostscript (or any other program) at gallery time: everything comes from the manifest.
    with pytest.MonkeyPatch.context() as mp:

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"the gallery ran a program: {args}")

        mp.setattr(subprocess, "run", refuse)
        mp.setattr(subprocess, "Popen", refuse)
        page = write_gallery(folder, manifest, [], "Таш-Көмүр 2026")
    return _Sections(page.read_text(encoding="utf-8")).sections


def _rows(section: dict[str, Any]) -> dict[str, dict[str, str]]:
    labels = {TEXT["ky"][key]: key for key in TEXT["ky"] if key.startswith("preflight.")}
    rows = {}
    for row in section["rows"]:
        label = _words(row["label"])
        key = next(k for ky, k in labels.items() if label.startswith(ky))
        assert TEXT["ru"][key] in label  # every label in Kyrgyz, then in Russian
        rows[key] = {"value": _words(row["value"]), "class": row["class"]}
    return rows


def test_each_print_pdf_has_its_preflight_summary_in_both_languages(sections) -> None:
    headings = sorted(_words(s["heading"]) for s in sections)
    assert headings == [
        f"{TEXT['ky']['preflight']} / {TEXT['ru']['preflight']}: a4.pdf",
        f"{TEXT['ky']['preflight']} / {TEXT['ru']['preflight']}: newspaper-quarter.pdf",
    ]
    a4 = _rows(next(s for s in sections if "a4.pdf" in s["heading"]))
    assert set(a4) == {
        "preflight.profile",
        "preflight.trim",
        "preflight.ink",
        "preflight.text",
        "preflight.resolution",
        "preflight.qr",
    }
    assert "жылмакай кагаз, офсет (FOGRA39)" in a4["preflight.profile"]["value"]
    assert "мелованная бумага, офсет (FOGRA39)" in a4["preflight.profile"]["value"]
    assert a4["preflight.trim"]["value"] == "210 × 297 мм + 3 мм"
    assert a4["preflight.resolution"]["value"] == "300 ppi"
    assert a4["preflight.ink"]["value"].endswith("(≤ 300 %)") and a4["preflight.ink"]["class"] == "ok"
    assert a4["preflight.text"]["class"] == "ok" and " pt (" in a4["preflight.text"]["value"]
    qr = a4["preflight.qr"]
    assert qr["class"] == "ok" and qr["value"].startswith(f"✓ {TEXT['ky']['preflight.pass']} / ")
    assert "coated 150 lpi 14%" in qr["value"]


def test_the_newspaper_summary_holds_its_own_press(sections) -> None:
    news = _rows(next(s for s in sections if "newspaper-quarter.pdf" in s["heading"]))
    assert "(CGATS TR 002)" in news["preflight.profile"]["value"]
    assert news["preflight.ink"]["value"].endswith("(≤ 240 %)")
    assert "newsprint 85 lpi" in news["preflight.qr"]["value"]
    assert "+" not in news["preflight.trim"]["value"]  # a newspaper module has no bleed


def test_recorded_mean_ink_agrees_with_ghostscript(quarter) -> None:
    """The render's mean comes from its proof-size sheet; Ghostscript measures the PDF itself."""
    from studio.press.preflight import inspect_pdf

    folder, manifest = quarter
    for entry in manifest.renders:
        if entry.role != "print":
            continue
        assert entry.preflight is not None
        measured = inspect_pdf(folder / entry.path)
        assert entry.preflight["ink_mean_pct"] == pytest.approx(measured.ink_mean, abs=1.5), entry.path
        assert entry.preflight["ink_max_pct"] >= entry.preflight["ink_mean_pct"]


def test_a_failing_fact_is_marked() -> None:
    """Facts the page shows as problems: ink over the limit, text under the paper's minimum, a QR code
    that did not read (e.g. a file checked again after its profile changed)."""
    rows = preflight_rows(
        {
            "profile": "newsprint",
            "ink_limit_pct": 240,
            "ink_max_pct": 262.0,
            "ink_mean_pct": 80.0,
            "min_text_pt": 6.5,
            "qr_file_read": True,
            "qr_press_read": False,
        }
    )
    marks = {str(r.label): r.ok for r in rows}
    assert [ok for label, ok in marks.items() if TEXT["ky"]["preflight.ink"] in label] == [False]
    assert [ok for label, ok in marks.items() if TEXT["ky"]["preflight.text"] in label] == [False]
    qr = next(r for r in rows if TEXT["ky"]["preflight.qr"] in str(r.label))
    assert qr.ok is False and TEXT["ru"]["preflight.fail"] in str(qr.value)
    # An entry written before these facts were recorded shows what it has and no empty rows.
    assert [str(r.value) for r in preflight_rows({"image_ppi": 300})] == ["300 ppi"]


def test_an_rgb_print_pdf_has_its_summary_without_inks_or_press(tmp_path: Path) -> None:
    """A print file for a digital printer (profile rgb): trim, text, resolution and the QR code read from
    the file; no ink or press rows, for there are none."""
    base = load_campaign(SAMPLE)
    campaign = base.model_copy(update={"print_": base.print_.model_copy(update={"profile": "rgb"})})
    outputs = render_job(campaign, POSTER, tmp_path)
    (printed,) = [
        ManifestEntry.of_output(POSTER, o, tmp_path, "key", draft=False) for o in outputs if o.role == "print"
    ]
    assert printed.preflight is not None and printed.preflight["profile"] == "rgb"
    labels = {str(both(key)): key for key in TEXT["ky"] if key.startswith("preflight.")}
    rows = {labels[str(r.label)]: str(r.value) for r in preflight_rows(printed.preflight)}
    assert list(rows) == [
        "preflight.profile",
        "preflight.trim",
        "preflight.text",
        "preflight.resolution",
        "preflight.qr_file",
    ]
    assert "RGB для цифровой печати" in rows["preflight.profile"]
    assert rows["preflight.trim"] == "210 × 297 мм + 3 мм" and rows["preflight.resolution"] == "300 ppi"
    assert TEXT["ky"]["preflight.pass"] in rows["preflight.qr_file"]
