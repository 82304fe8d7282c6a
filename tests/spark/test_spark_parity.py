"""Every mart of the fixture center built on Spark equals the DuckDB build of the same fixture.

`make test-spark` builds both (Spark through `python -m ccmetrics.spark_session`, DuckDB with
the `ci` target) and runs this file with CCMETRICS_SPARK_WAREHOUSE (Spark's warehouse folder,
whose tables are Parquet files) and CCMETRICS_DUCKDB_PATH (the DuckDB build). DuckDB reads
Spark's Parquet files directly, so the comparison needs no Spark session. Keys and values are
equal; floating point within 1e-9 relative (the engines sum in different orders).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

RELATIVE_TOLERANCE = 1e-9


def _paths() -> tuple[Path, Path]:
    spark = os.environ.get("CCMETRICS_SPARK_WAREHOUSE")
    duck = os.environ.get("CCMETRICS_DUCKDB_PATH")
    if not spark or not duck:
        pytest.fail(
            "run through make test-spark (CCMETRICS_SPARK_WAREHOUSE, CCMETRICS_DUCKDB_PATH)"
        )
    return Path(spark), Path(duck)


def _duckdb_marts(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
    return [name for (name,) in rows]


DUCKDB_BUILD = os.environ.get("CCMETRICS_DUCKDB_PATH")
MARTS = _duckdb_marts(Path(DUCKDB_BUILD)) if DUCKDB_BUILD else []


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """Timestamps as naive UTC, the same column order, rows in one order."""
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    frame = frame[sorted(frame.columns)]
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    others = [c for c in frame.columns if c not in floats]
    # Floats sort last: a last-bit difference must not reorder rows whose other columns differ.
    return frame.sort_values([*others, *floats], na_position="first").reset_index(drop=True)


def _spark_table(warehouse: Path, name: str, columns: list[str]) -> pd.DataFrame:
    folder = warehouse / "marts.db" / name
    assert folder.is_dir(), f"Spark built no table marts.{name} (looked in {folder})"
    files = sorted(str(path) for path in folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=columns)
    with duckdb.connect() as con:
        return con.execute("select * from read_parquet(?)", [files]).df()


def _equal(left: object, right: object, is_float: bool) -> bool:
    if pd.isna(left) and pd.isna(right):
        return True
    if pd.isna(left) or pd.isna(right):
        return False
    if is_float:
        return math.isclose(float(left), float(right), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    return bool(left == right)


@pytest.mark.parametrize("mart", MARTS)
def test_spark_mart_equals_duckdb(mart: str) -> None:
    warehouse, db = _paths()
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute(f'select * from marts."{mart}"').df()
    actual = _spark_table(warehouse, mart, list(expected.columns))
    assert sorted(actual.columns) == sorted(expected.columns), f"{mart}: columns differ"
    assert len(actual) == len(expected), f"{mart}: {len(actual)} rows on Spark, {len(expected)}"
    if expected.empty:
        return
    expected, actual = _normalized(expected), _normalized(actual)
    for column in expected.columns:
        is_float = pd.api.types.is_float_dtype(expected[column])
        differing = [
            row
            for row, (left, right) in enumerate(zip(expected[column], actual[column], strict=True))
            if not _equal(left, right, is_float)
        ]
        assert not differing, (
            f"{mart}.{column}: {len(differing)} rows differ, first row {differing[0]}: "
            f"DuckDB {expected[column][differing[0]]!r}, Spark {actual[column][differing[0]]!r}"
        )


def test_every_mart_is_compared() -> None:
    assert len(MARTS) >= 30, f"only {len(MARTS)} marts found in the DuckDB build"
