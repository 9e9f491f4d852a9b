"""Small ones: times read as words, `studio verify` trusting the keys `studio render` signed with."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.batch.executors import LocalExecutor
from studio.batch.runner import run_batch
from studio.campaign import load_campaign
from studio.kinds import RenderOptions
from studio.label import init_keys
from studio.plan import plan_jobs
from studio.quarters import Quarter
from studio.voice.normalize import normalize_for_speech
from tests.cli_helpers import run_studio


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Звоните в 10:00.", "Звоните в десять ноль-ноль."),
        ("Приём с 9:00 до 18:30.", "Приём с девяти ноль-ноль до восемнадцати тридцати."),
        ("Встреча в 9:05.", "Встреча в девять ноль пять."),
        ("Начало в 12:21", "Начало в двенадцать двадцать одна"),
    ],
)
def test_russian_times_are_read_as_words_not_as_ten_colon_zero(written: str, said: str) -> None:
    assert normalize_for_speech(written, "ru") == said


def test_verify_honours_taza_keys_like_render(
    capsys, monkeypatch, write_campaign, keys_dir: Path, tmp_path: Path
) -> None:
    # This machine has its own (other) keys: without TAZA_KEYS, verify would check against them and fail.
    config = tmp_path / "config"
    init_keys(config / "taza-studio" / "keys", "Another organisation")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))

    def synthetic_ad(d: dict) -> None:
        d["deliverables"][3]["synthetic"] = True

    path = write_campaign(synthetic_ad)
    campaign = load_campaign(path)
    jobs = plan_jobs(campaign, Quarter.parse("2026Q1"), ["social"], ["ky"], ["story"])
    jobs = [j for j in jobs if j.deliverable == campaign.deliverables[3].id]
    options = RenderOptions(cache_dir=str(tmp_path / "speech"), keys_dir=str(keys_dir))
    result = run_batch(campaign, "2026Q1", jobs, tmp_path / "out", LocalExecutor(1), options)
    assert not result.failures, result.failures
    [entry] = result.entries.values()
    image = result.quarter_dir / entry.path

    monkeypatch.delenv("TAZA_KEYS", raising=False)
    other = run_studio(capsys, monkeypatch, "verify", str(image))
    assert other.code == 1 and "not under the given trust anchors" in other.out

    monkeypatch.setenv("TAZA_KEYS", str(keys_dir))
    same = run_studio(capsys, monkeypatch, "verify", str(image))
    assert same.code == 0, same.out
