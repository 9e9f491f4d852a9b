"""Shared fixtures: a throwaway copy of the project for each test that edits a campaign."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "campaigns" / "tash-komur-2026.yaml"


def pytest_configure(config: pytest.Config) -> None:
    # What the studio keeps in the user's cache (made font subsets) goes to a folder of the test run,
    # for the test processes and every process they start.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="taza-tests-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="Rewrite the golden images from current renders.")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


def make_project(root: Path) -> Path:
    """Copy the project folder (assets, templates, the sample campaign) to ``root``."""
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "campaigns").mkdir()
    shutil.copy(SAMPLE, root / "campaigns" / SAMPLE.name)
    shutil.copytree(REPO / "campaigns" / "data", root / "campaigns" / "data")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project folder (assets, templates, the sample campaign) to edit freely."""
    return make_project(tmp_path / "project")


def sample_data() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def write_campaign(project: Path) -> Callable[..., Path]:
    """Write a campaign into the project copy: from a dict edited by ``change``, or from raw text."""

    def write(
        change: Callable[[dict[str, Any]], None] | None = None, text: str | None = None, name: str = "test.yaml"
    ) -> Path:
        path = project / "campaigns" / name
        if text is None:
            data = sample_data()
            if change is not None:
                change(data)
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


TINY_SCRIPT = {
    "ky": "title: Кыска\nscenes:\n  - title: Пара — кылмыш\n    narration: Мен пара бербейм.\n",
    "ru": "title: Коротко\nscenes:\n  - title: Взятка — преступление\n    narration: Я не даю взяток.\n",
}


def make_tiny_video_campaign(project: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """The sample campaign cut down to one explainer with a one-sentence script: seconds to render."""
    for lang, text in TINY_SCRIPT.items():
        (project / "templates" / "scripts" / f"tiny.{lang}.j2").write_text(text, encoding="utf-8")
    data = sample_data()
    video = next(d for d in data["deliverables"] if d["kind"] == "video")
    video.update(id="tiny-video", script="tiny", quarters=["2026Q1"])
    data["deliverables"] = [video]
    if change is not None:
        change(data)
    path = project / "campaigns" / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def tiny_video_campaign(project: Path) -> Path:
    return make_tiny_video_campaign(project)


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway signing chain (CA + leaf) for the tests."""
    from studio.label import init_keys

    folder = tmp_path_factory.mktemp("keys") / "keys"
    init_keys(folder, "Taza Studio tests")
    return folder
