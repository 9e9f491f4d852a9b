"""A tiny rendered quarter, users of each role, and a real uvicorn server on a free port of 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
import yaml

from studio.batch.executors import LocalExecutor
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.plan import plan_jobs
from studio.quarters import Quarter
from studio.review import ReviewDB
from tests.conftest import make_project, sample_data

PASSWORDS = {"aida": "lead-pass-123", "bakyt": "editor-pass-123", "chynara": "viewer-pass-123", "dana": "lead-pass-456"}
ROLES = {"aida": "lead", "bakyt": "editor", "chynara": "viewer", "dana": "lead"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def write_tiny_campaign(project: Path) -> Path:
    """The sample campaign cut to an A4 poster and a social ad with two formats, due in 2026Q1 only."""
    data = sample_data()
    keep = {"men-para-berbeym-poster": ["a4"], "report-qr-social": ["facebook-link", "story"]}
    data["deliverables"] = [d for d in data["deliverables"] if d["id"] in keep]
    for d in data["deliverables"]:
        d.update(formats=keep[d["id"]], quarters=["2026Q1"])
    path = project / "campaigns" / "tiny-web.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def render_quarter(path: Path, out: Path, speech: Path, keys: Path | None = None) -> None:
    campaign = load_campaign(path)
    jobs = plan_jobs(campaign, Quarter.parse("2026Q1"))
    options = RenderOptions(cache_dir=str(speech), keys_dir=str(keys) if keys else None)
    result = run_batch(campaign, "2026Q1", jobs, out, LocalExecutor(1), options)
    assert not result.failures, result.failures


@dataclass
class Site:
    url: str
    out: Path
    campaign: Path
    quarter_dir: Path
    db: ReviewDB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny campaign rendered once per module (stills only): (campaign file, renders folder)."""
    root = tmp_path_factory.mktemp("web")
    project = make_project(root / "project")
    path = write_tiny_campaign(project)
    out = root / "renders"
    render_quarter(path, out, root / "speech")
    db = ReviewDB(out)
    for name, role in ROLES.items():
        db.add_user(name, role, PASSWORDS[name])
    return path, out


def serve(paths: list[Path], out: Path, keys: Path | None = None) -> Iterator[str]:
    from studio.web.app import create_app

    port = free_port()
    app = create_app(paths, out, workers=1, keys_dir=keys)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def site(rendered: tuple[Path, Path]) -> Iterator[Site]:
    path, out = rendered
    for url in serve([path], out):
        yield Site(url, out, path, out / "tash-komur-2026" / "2026Q1", ReviewDB(out))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """The system's Chromium driven by Playwright (no browser is ever downloaded)."""
    import os

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is needed for the studio serve tests in CI: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
