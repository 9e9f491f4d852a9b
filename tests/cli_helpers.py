"""Running the ``studio`` command in-process, as a user would type it."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from studio.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_studio(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(sys, "argv", ["studio", *args])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
