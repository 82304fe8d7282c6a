"""var week_start: a value that is not a day name stops the build with a message naming the var
(the weeks themselves are unit-tested on int_activity_periods and fct_bot_qa_sample)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def compile_activity_periods(tmp_path: Path, week_start: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(ROOT / "profiles"),
        CCMETRICS_DUCKDB_PATH=str(tmp_path / "week_start.duckdb"),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return subprocess.run(
        [
            str(BIN / "dbt"),
            "compile",
            "--target",
            "ci",
            "--select",
            "int_activity_periods",
            "--vars",
            f"{{week_start: {week_start}}}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_unknown_week_start_is_a_compile_error_naming_the_var(tmp_path: Path) -> None:
    result = compile_activity_periods(tmp_path, "funday")
    assert result.returncode != 0
    assert "var week_start must be an English day name" in result.stdout
    assert "got 'funday'" in result.stdout


def test_week_start_is_case_insensitive(tmp_path: Path) -> None:
    result = compile_activity_periods(tmp_path, "SUNDAY")
    assert result.returncode == 0, result.stdout[-3000:]
    compiled_files = (tmp_path / "target" / "compiled").rglob("int_activity_periods.sql")
    compiled = next(compiled_files).read_text()
    # Sunday is day 6 of a Monday-based week: the offset subtracted from each date uses it.
    assert "- 6) % 7 + 7) % 7" in compiled
