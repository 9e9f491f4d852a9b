"""RHVoice tests run where it is installed; elsewhere they skip, saying how to get it — except in CI,
which sets TAZA_REQUIRE_RHVOICE=1 after installing it, so a broken install fails instead of skipping."""

from __future__ import annotations

import os

import pytest

from studio.voice import rhvoice

REASON = "RHVoice is not installed here (run: sudo sh tools/install-voices.sh); CI installs it"


def require_rhvoice() -> None:
    if rhvoice.available():
        return
    if os.environ.get("TAZA_REQUIRE_RHVOICE") == "1" and os.environ.get(rhvoice.DISABLE_ENV) != "1":
        pytest.fail("TAZA_REQUIRE_RHVOICE=1 but RHVoice is not available: tools/install-voices.sh did not install it")
    pytest.skip(REASON)


needs_rhvoice = pytest.mark.usefixtures("_rhvoice_required")


@pytest.fixture
def _rhvoice_required() -> None:
    require_rhvoice()
