"""Shared fixtures: a throwaway copy of the project for each test that edits a campaign."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "campaigns" / "tash-komur-2026.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="Rewrite the golden images from current renders.")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project folder (assets, templates, the sample campaign) to edit freely."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "campaigns").mkdir()
    shutil.copy(SAMPLE, root / "campaigns" / SAMPLE.name)
    return root


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
