"""Shared fixtures for the voice tests: real espeak-ng engines, and no network at all."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator

import pytest

from studio.voice import EspeakEngine, EspeakLibrary, EspeakProgram


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test instead of reaching the internet."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("voice tests must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.fixture(scope="session")
def espeak_program() -> EspeakProgram:
    if shutil.which("espeak-ng") is None:
        pytest.skip("Debian's espeak-ng program is not on PATH (apt-get install espeak-ng)")
    return EspeakProgram()


@pytest.fixture(scope="session")
def espeak_library() -> EspeakLibrary:
    return EspeakLibrary()


@pytest.fixture(scope="session", params=["program", "library"])
def espeak(request: pytest.FixtureRequest) -> EspeakEngine:
    """The espeak engine on each backend in turn."""
    backend = request.getfixturevalue(f"espeak_{request.param}")
    return EspeakEngine(backend)
