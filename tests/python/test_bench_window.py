"""The bench's generated center lies in the past: a timestamp after the run's start is
quarantined by the guard (in the future), and a 120-day center from the generator's default
start runs into next year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ccmetrics.bench import past_start
from ccmetrics.generator.config import GeneratorConfig
from ccmetrics.generator.engine import generate_landing
from ccmetrics.loader import check


def test_the_center_ends_a_week_ago() -> None:
    today = dt.date(2026, 12, 3)
    assert past_start(120, today) == dt.date(2026, 7, 29)
    assert GeneratorConfig(days=120, start=past_start(120, today)).end == dt.date(2026, 11, 26)


def test_the_guard_finds_nothing_in_the_future(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate_landing(GeneratorConfig(days=2, seed=3, scale=0.03, start=past_start(2)), landing)
    report = check([landing], db=tmp_path / "none.duckdb")
    assert not report.rejected
    assert not [issue for issue in report.row_issues if "not_future" in str(issue)]
    assert report.total("rows_read") > 1000
