"""The incremental staging models on the fixture center (ci target, built from seeds): switching
var source_systems back to the landing files alone leaves the staged contacts of a full refresh,
without the native rows the earlier build unioned in. An empty load log stands in for a loader
that changed nothing since: the native rows are not among the keys of any changed day, so only
the union's own clean-up removes them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from conftest import BIN, dbt_env, run

from ccmetrics.guard.store import RAW, RECONCILIATION_DDL

NATIVE = "{source_systems: [landing, asterisk]}"


def _dbt(env: dict[str, str], *args: str) -> None:
    run([str(BIN / "dbt"), *args, "--target", "ci", "--quiet"], env)


def _staged(db_path: Path) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.sql("select * from staging.stg_acd__contacts order by all").df()


def test_landing_alone_again_drops_the_native_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "ci.duckdb"
    env = dbt_env(db_path, tmp_path)
    _dbt(env, "seed", "--full-refresh")
    _dbt(env, "run", "--vars", NATIVE, "--select", "+stg_acd__contacts")
    with duckdb.connect(str(db_path), read_only=True) as connection:
        systems = dict(
            connection.sql(
                "select source_system, count(*) from staging.stg_acd__contacts group by 1"
            ).fetchall()
        )
    assert systems.get("asterisk", 0) > 0 and systems.get("landing", 0) > 0
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(f"create schema if not exists {RAW}")
        connection.execute(RECONCILIATION_DDL)

    _dbt(env, "run", "--select", "stg_acd__contacts")
    incremental = _staged(db_path)
    _dbt(env, "run", "--select", "stg_acd__contacts", "--full-refresh")
    full = _staged(db_path)
    assert set(incremental.source_system) == {"landing"}
    pd.testing.assert_frame_equal(incremental, full)
