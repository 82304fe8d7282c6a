"""Every DuckDB connection the loader and the quality guard open takes the profile's memory
limit (CCMETRICS_DUCKDB_MEMORY_LIMIT, default 3GB) and UTC: the warehouse's, the in-memory one
`ccmetrics check` validates files in, and the guard's SQL engine."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ccmetrics import loader
from ccmetrics.guard import store
from ccmetrics.guard.session import configure
from ccmetrics.guard.sql_runtime import SqlRuntime


def _as_duckdb_reports(limit: str) -> str:
    """DuckDB's own rendering of a limit (it reports 1234MB as '1.1 GiB')."""
    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{limit}'")
        return con.execute("select current_setting('memory_limit')").fetchone()[0]


def _settings(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    return con.execute(
        "select current_setting('memory_limit'), current_setting('TimeZone')"
    ).fetchone()


@pytest.mark.parametrize("limit", ["1234MB", None])
def test_warehouse_and_sql_engine_connections_take_the_limit(
    limit: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if limit is None:
        monkeypatch.delenv("CCMETRICS_DUCKDB_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("CCMETRICS_DUCKDB_MEMORY_LIMIT", limit)
    expected = (_as_duckdb_reports(limit or "3GB"), "UTC")

    warehouse = store.connect(tmp_path / "warehouse.duckdb")
    assert _settings(warehouse) == expected
    warehouse.close()
    assert _settings(SqlRuntime().con) == expected


def test_the_check_connection_takes_the_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CCMETRICS_DUCKDB_MEMORY_LIMIT", "1234MB")
    seen: list[tuple[str, str]] = []

    def configure_and_record(con: duckdb.DuckDBPyConnection) -> None:
        configure(con)
        seen.append(_settings(con))

    monkeypatch.setattr(loader, "configure", configure_and_record)
    loader.check([], db=tmp_path / "absent.duckdb")
    assert seen == [(_as_duckdb_reports("1234MB"), "UTC")]
