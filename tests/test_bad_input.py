"""Every bad input gives one clear line naming file, field and value, and exit code 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.cli_helpers import run_studio


def error_line(result: Any) -> str:
    assert result.code == 1, (result.out, result.err)
    lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def validate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path
) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        monkeypatch.chdir(project)
        return error_line(run_studio(capsys, monkeypatch, "validate", str(path.relative_to(project))))

    return run


def test_malformed_yaml_names_line_and_column(write_campaign, validate) -> None:
    path = write_campaign(text="id: x\nlanguages: [ky, ru\nbrand: {}\n")
    line = validate(path)
    assert "campaigns/test.yaml:3:" in line and "malformed YAML" in line


def test_duplicate_key_names_both_lines(write_campaign, validate) -> None:
    path = write_campaign(text="id: a\nlanguages: [ky]\nid: b\n")
    assert validate(path).startswith("error: campaigns/test.yaml:3: id: duplicate key (first given on line 1)")


def test_unknown_field_lists_allowed_ones(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(colour="red"))
    line = validate(path)
    assert f"test.yaml:{line_of(path, 'colour: red')}: deliverables[0].colour" in line
    assert 'unknown field "colour"' in line and "allowed:" in line and "formats" in line


def test_unknown_format(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][3]["formats"].__setitem__(0, "instagram-sq"))
    line = validate(path)
    assert "deliverables[3].formats[0]" in line and '"instagram-sq"' in line and "instagram-post" in line
    assert f"test.yaml:{line_of(path, 'instagram-sq')}:" in line


def test_print_format_on_a_social_ad(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][3]["formats"].append("a3"))
    assert 'format "a3" is not a social format' in validate(path)


def test_unknown_language(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d.update(languages=["ky", "kk"]))
    line = validate(path)
    assert "languages[1]" in line and 'unknown language "kk"' in line and "ky (Kyrgyz)" in line


def test_missing_translation(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][1]["text"].pop("ru"))
    line = validate(path)
    assert "deliverables[1].text" in line and "no Russian (ru) text" in line


def test_character_no_bundled_font_has(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][0]["text"]["ky"].update(headline="Мен пара бербейм ✋"))
    line = validate(path)
    assert "deliverables[0].text.ky.headline" in line and "U+270B" in line and "NotoSans-Bold" in line


@pytest.mark.parametrize("url", ["", "ftp://example.kg/report", "javascript:alert(1)", "https://"])
def test_bad_reporting_url(write_campaign, validate, url: str) -> None:
    path = write_campaign(lambda d: d["reporting"].update(url=url))
    line = validate(path)
    assert "reporting.url" in line
    assert ("empty reporting URL" in line) if not url else (url in line)


def test_missing_asset(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["brand"].update(logo="assets/logo/nope.png"))
    line = validate(path)
    assert "brand.logo" in line and 'asset "assets/logo/nope.png" not found' in line


def test_asset_path_that_leaves_the_project(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["brand"].update(logo="../../etc/passwd"))
    line = validate(path)
    assert "brand.logo" in line and '"../../etc/passwd" leaves the project folder' in line


def test_image_over_the_decompression_bomb_limit(write_campaign, validate, project: Path) -> None:
    # 1-bit and all white: 12000 × 8000 pixels in a few kilobytes.
    bomb = project / "assets" / "bomb.png"
    Image.new("1", (12000, 8000), 1).save(bomb)
    assert bomb.stat().st_size < 100_000
    path = write_campaign(lambda d: d["deliverables"][0]["background"].update(image="assets/bomb.png", gradient=None))
    line = validate(path)
    assert "deliverables[0].background.image" in line and "96,000,000 pixels" in line and "decompression-bomb" in line


def test_colour_that_does_not_parse(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["brand"]["colors"].update(accent="#GG0000"))
    line = validate(path)
    assert "brand.colors.accent" in line and '"#GG0000" is not a colour' in line


@pytest.mark.parametrize("quarter", ["2025Q5", "2026Q0", "Q1-2026"])
def test_quarter_that_does_not_exist(write_campaign, validate, quarter: str) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(quarters=["2026Q1", quarter]))
    line = validate(path)
    assert "deliverables[0].quarters" in line and f'"{quarter}" is not a quarter' in line


def test_quarter_outside_the_campaign_period(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(quarters=["2028Q1"]))
    assert "quarter 2028Q1 is outside the campaign period 2026Q1–2027Q4" in validate(path)


def test_hashtag_not_in_the_campaign(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(hashtags=["#ТазаКыргызстан", "#Taza"]))
    assert 'deliverables[0].hashtags[1]: "#Taza" is not one of the campaign hashtags' in validate(path)


def test_render_quarter_typo(capsys, monkeypatch, project: Path) -> None:
    result = run_studio(
        capsys,
        monkeypatch,
        "render",
        str(project / "campaigns" / "tash-komur-2026.yaml"),
        "--quarter",
        "2025Q5",
        "--out",
        str(project / "renders"),
    )
    assert '--quarter: "2025Q5" is not a quarter' in error_line(result)
    assert not (project / "renders").exists()


def test_text_that_cannot_fit(capsys, monkeypatch, write_campaign, project: Path) -> None:
    long = " ".join(["Коррупцияга каршы биргелешип күрөшөбүз"] * 40)
    path = write_campaign(lambda d: d["deliverables"][3]["text"]["ky"].update(headline=long))
    out = project / "renders"
    result = run_studio(
        capsys,
        monkeypatch,
        "render",
        str(path),
        "--quarter",
        "2026Q1",
        "--only",
        "social",
        "--format",
        "story",
        "--workers",
        "1",
        "--out",
        str(out),
    )
    assert result.code == 1
    failed = [line for line in result.err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1
    assert 'deliverable "men-para-berbeym-social" (ky, story): headline "Коррупцияга' in failed[0]
    assert "does not fit its box even at the smallest readable size (28 px in story)" in failed[0]
    # The Russian story and the other deliverable's story were still rendered; nothing half-written.
    quarter = out / "tash-komur-2026" / "2026Q1"
    assert (quarter / "men-para-berbeym-social" / "ru" / "story.png").is_file()
    assert not (quarter / "men-para-berbeym-social" / "ky").exists()
    assert not list(out.rglob("*.tmp"))


def test_deliverable_due_in_no_quarter(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(quarters=[]))
    assert "deliverables[0].quarters: the deliverable is due in no quarter" in validate(path)


def test_plan_target_for_an_unknown_type(write_campaign, validate) -> None:
    path = write_campaign(lambda d: d["targets"][2026].update(posters=4))
    line = validate(path)
    assert (
        'targets: 2026: unknown type "posters"; known: banner, social, video, audio, newspaper, infographic, booklet'
        in line
    )
