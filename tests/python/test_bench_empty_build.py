"""The bench's build on no rows runs every node of a real build against a copy of the
warehouse: `--empty` empties the tables it rebuilds, which must never happen to the warehouse
being measured."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import BuiltCenter

from ccmetrics.bench import Runner, empty_build

MARTS = ("fct_queue_daily", "fct_customer_churn_risk", "fct_metric_drilldown")


def _rows(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return {
            mart: connection.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
            for mart in MARTS
        }


def test_the_build_on_no_rows_leaves_the_measured_warehouse_as_it_was(
    built_center: BuiltCenter, tmp_path: Path
) -> None:
    runner = Runner(tmp_path)
    shutil.copyfile(built_center.db_path, runner.db_path)
    before = _rows(runner.db_path)

    timing = empty_build(runner)

    assert timing.exit_code == 0
    assert all(rows > 0 for rows in before.values())
    assert _rows(runner.db_path) == before
    assert not (tmp_path / "empty_build").exists()
