"""Hostile inputs that must be refused quickly and clearly: YAML bombs, names that leave their folder,
look-alike letters, unquoted colours."""

from __future__ import annotations

import resource
import threading
import time
from pathlib import Path

import pytest
import yaml

from studio.campaign import load_campaign, load_design
from studio.campaign.limits import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, LimitError, parse_yaml, read_csv
from studio.errors import SpecError
from studio.video.script import load_script, parse_script, render_template
from tests.cli_helpers import run_studio
from tests.conftest import sample_data


def _alias_bomb(levels: int, fan: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_yaml_alias_bomb_is_refused_quickly(write_campaign) -> None:
    # 9 aliases a level, 12 levels: 9**12 ≈ 282 billion strings from under 2 KB.
    text = _alias_bomb(12, 9)
    assert len(text.encode()) < 2_000
    path = write_campaign(text=text)
    before = _peak_rss_mb()
    start = time.perf_counter()
    with pytest.raises(LimitError, match=rf"test.yaml:\d+: (more than {MAX_ALIASES} aliases|its aliases expand)"):
        load_campaign(path)
    assert time.perf_counter() - start < 1.0
    assert _peak_rss_mb() - before < 50


def test_yaml_alias_bomb_with_few_aliases_is_refused_by_its_expanded_size() -> None:
    # Two aliases a level stay under the alias limit yet double the document at every level.
    text = "a0: &a0 [x, x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 30))
    start = time.perf_counter()
    with pytest.raises(LimitError, match="aliases expand to more than|nested more than"):
        parse_yaml(text, "bomb.yaml")
    assert time.perf_counter() - start < 1.0


def test_yaml_alias_loop_is_refused() -> None:
    with pytest.raises(LimitError, match="refers to itself"):
        parse_yaml("a: &a [1, *a]\n", "loop.yaml")


def test_deeply_nested_yaml_is_refused_with_one_line() -> None:
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(LimitError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_yaml(deep, "deep.yaml")


def test_oversized_campaign_file_is_refused_without_reading_it_all(write_campaign) -> None:
    path = write_campaign(text="# padding\n" * (MAX_FILE_BYTES // 10 + 10))
    with pytest.raises(LimitError, match=f"larger than {MAX_FILE_BYTES:,} bytes"):
        load_campaign(path)


def test_ordinary_yaml_anchors_still_work() -> None:
    data = parse_yaml("base: &b {size: 1, color: dark}\nother: *b\n", "ok.yaml")
    assert data == {"base": {"size": 1, "color": "dark"}, "other": {"size": 1, "color": "dark"}}


def test_shared_reader_bounds_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n" + "1,2\n" * 20, encoding="utf-8")
    assert read_csv(path, "data.csv")[:2] == [["a", "b"], ["1", "2"]]
    with pytest.raises(LimitError, match="more than 10 rows"):
        read_csv(path, "data.csv", max_rows=10)


def test_alias_bomb_in_a_design_is_refused(project: Path) -> None:
    (project / "templates" / "designs" / "bomb.yaml").write_text(_alias_bomb(12, 9), encoding="utf-8")
    with pytest.raises(LimitError, match="bomb.yaml"):
        load_design(project, "bomb")


def test_alias_bomb_in_a_rendered_script_is_refused(project: Path) -> None:
    with pytest.raises(LimitError, match="x.ky.j2 \\(rendered\\)"):
        parse_script(_alias_bomb(12, 9), "x", "ky", project, "x.ky.j2")


def test_script_template_that_prints_gigabytes_stops_at_the_size_limit(project: Path) -> None:
    path = project / "templates" / "scripts" / "loop.ky.j2"
    path.write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}scene {{ i }} {{ j }}\n{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    start = time.perf_counter()
    with pytest.raises(LimitError, match="rendered script is larger than"):
        render_template(path, {}, "loop.ky.j2")
    assert time.perf_counter() - start < 2.0
    path.write_text('{{ "x" * 1000000000 }}', encoding="utf-8")
    with pytest.raises(SpecError, match="not allowed in a script template"):
        render_template(path, {}, "loop.ky.j2")


# --- names that would leave their folder ----------------------------------------------------------


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/hostname", "..", "sub/dir", "a\\b"])
def test_design_name_that_leaves_its_folder_is_refused_listing_known_designs(write_campaign, name: str) -> None:
    path = write_campaign(lambda d: d["deliverables"][0].update(design=name))
    with pytest.raises(SpecError) as info:
        load_campaign(path)
    message = str(info.value)
    assert "deliverables[0].design" in message and "is not a design name" in message
    assert "known designs:" in message and "poster" in message


def test_design_loader_never_opens_a_file_outside_the_designs_folder(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "evil.yaml"
    outside.write_text("name: evil\nvariants: {}\n", encoding="utf-8")
    with pytest.raises(SpecError, match="not a design name"):
        load_design(project, f"../../../{outside.stem}")
    # A symbolic link inside the folder that points out of it is refused too.
    (project / "templates" / "designs" / "linked.yaml").symlink_to(outside)
    with pytest.raises(SpecError, match="not a design name"):
        load_design(project, "linked")


def test_script_name_that_leaves_its_folder_is_refused(write_campaign, project: Path) -> None:
    def change(d: dict) -> None:
        video = next(x for x in d["deliverables"] if x["kind"] == "video")
        video["script"] = "../../campaigns/test"

    path = write_campaign(change)
    with pytest.raises(SpecError) as info:
        load_campaign(path)
    assert ".script:" in str(info.value) and "is not a script name" in str(info.value)
    assert "known scripts:" in str(info.value) and "what-is-a-bribe" in str(info.value)
    with pytest.raises(SpecError, match="not a script name"):
        load_script(project, "../../etc/passwd", "ky", {}, "x")


# --- look-alike letters -------------------------------------------------------------------------------


def test_lookalike_kyrgyz_letters_are_corrected_in_every_shown_text(write_campaign, capsys, monkeypatch) -> None:
    typed = "Мeн пара бербейм: акыйкаттыкты ҥ ѳ ӱ ӊ менен жазабыз"

    def change(d: dict) -> None:
        d["deliverables"][0]["text"]["ky"]["headline"] = typed
        d["title"]["ky"] = "Таза Таш-Кѳмӱр"

    path = write_campaign(change)
    campaign = load_campaign(path)
    shown = campaign.deliverables[0].text["ky"].headline + campaign.title["ky"]
    for wrong in "ҥѳӱӊ":
        assert wrong not in shown
    assert "ң ө ү ң" in campaign.deliverables[0].text["ky"].headline
    assert campaign.title["ky"] == "Таза Таш-Көмүр"
    assert len(campaign.corrections) == 2
    assert any("deliverables[0].text.ky.headline" in n and '"ҥ" (U+04A5) → "ң"' in n for n in campaign.corrections)
    # The user is told once, at the start of the run.
    monkeypatch.chdir(path.parent.parent)
    result = run_studio(capsys, monkeypatch, "validate", str(path))
    assert result.code == 0, result.err
    assert result.err.count("look-alike letters corrected") == 2


def test_lookalike_letters_in_a_script_are_corrected_for_captions_and_slides(project: Path) -> None:
    text = "title: Кѳмӱр\nscenes:\n  - title: Пара — ҥ\n    bullets: [ѳ]\n    narration: Мен ҥ ѳ ӱ айтам.\n"
    script = parse_script(text, "x", "ky", project, "x.ky.j2")
    assert script.title == "Көмүр"
    assert script.scenes[0].title == "Пара — ң" and script.scenes[0].bullets == ("ө",)
    assert script.scenes[0].narration == "Мен ң ө ү айтам."
    assert script.corrections and "look-alike letters corrected" in script.corrections[0]


# --- an unquoted colour ----------------------------------------------------------------------------------


def test_unquoted_hex_colour_is_explained_as_a_yaml_comment(write_campaign) -> None:
    text = yaml.safe_dump(sample_data(), allow_unicode=True, sort_keys=False)
    text = text.replace("primary: '#0B5FA5'", "primary: #0B5FA5", 1)
    assert "primary: #0B5FA5" in text
    path = write_campaign(text=text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "primary: #0B5FA5" in x)
    with pytest.raises(SpecError) as info:
        load_campaign(path)
    assert f"test.yaml:{line}: #0B5FA5 is read as a comment" in str(info.value)
    assert 'put the colour in quotes: "#0B5FA5"' in str(info.value)


def test_unquoted_hex_colours_in_a_list_are_explained(write_campaign) -> None:
    path = write_campaign(text="id: x\ngradient: [#112233, #445566]\n")
    with pytest.raises(SpecError, match=r"test.yaml:2: #112233 is read as a comment"):
        load_campaign(path)


def test_parse_in_a_thread_is_bounded_too() -> None:
    # The reader keeps no global state: a second document parses the same way from another thread.
    errors: list[Exception] = []

    def run() -> None:
        try:
            parse_yaml(_alias_bomb(12, 9), "t.yaml")
        except LimitError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert errors and "aliases" in str(errors[0])
