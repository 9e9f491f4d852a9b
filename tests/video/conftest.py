"""Fixtures for the video-plan tests: the all-kinds explainer, spoken once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.campaign import load_campaign
from studio.campaign.models import Campaign
from studio.plan import Job
from studio.quarters import Quarter
from tests.video.scenes import make_scenes_project

Q1 = Quarter.parse("2026Q1")


@pytest.fixture(scope="session")
def scenes_campaign(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    root = tmp_path_factory.mktemp("scenes") / "project"
    return load_campaign(make_scenes_project(root))


@pytest.fixture(scope="session")
def speech_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the session: each sentence is spoken once."""
    return tmp_path_factory.mktemp("speech")


def scenes_job(lang: str, fmt: str) -> Job:
    return Job(Q1, "scenes-video", lang, fmt, "video")
