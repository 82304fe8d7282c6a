"""The loaded raw tables as Parquet folders that Spark reads as its `raw` schema.

`ccmetrics load` validates and loads every batch into DuckDB's `raw` schema; the quality guard
has that one path. For a Spark build, `export_raw` writes each raw table (the landing contract's
and the native formats', with the loader's columns) to `<out>/<table>/`, and
`ccmetrics.spark_session` registers every such folder as the table `raw.<table>` when it starts
(CCMETRICS_SPARK_RAW), so the Spark sources read exactly what the guard accepted.

    python -m ccmetrics.spark_raw --db warehouse/ccmetrics.duckdb --out warehouse/spark_raw
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

RAW_ENV = "CCMETRICS_SPARK_RAW"
PART_FILE = "part-0.parquet"


def export_raw(db: Path, out: Path) -> dict[str, int]:
    """Every raw table of the DuckDB warehouse `db` as `<out>/<table>/part-0.parquet`; rows per
    table. The folder is replaced, so a table dropped from the warehouse does not linger."""
    import duckdb

    from ccmetrics.contract import ALL_SOURCES
    from ccmetrics.loader import RAW

    if out.exists():
        shutil.rmtree(out)
    counts: dict[str, int] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [RAW]
            ).fetchall()
        }
        for source in ALL_SOURCES:
            if source.name not in present:
                continue
            folder = out / source.name
            folder.mkdir(parents=True)
            con.execute(
                f'copy (select * from {RAW}."{source.name}") to ? (format parquet)',
                [str(folder / PART_FILE)],
            )
            counts[source.name] = con.execute(
                f'select count(*) from {RAW}."{source.name}"'
            ).fetchall()[0][0]
    return counts


def register_raw(session: SparkSession, folder: Path) -> list[str]:
    """Every `<folder>/<table>/` as the Spark table `raw.<table>` (Parquet, in place)."""
    session.sql("create database if not exists raw")
    registered = []
    for table in sorted(p for p in folder.iterdir() if (p / PART_FILE).is_file()):
        session.sql(f"drop table if exists raw.`{table.name}`")
        session.sql(f"create table raw.`{table.name}` using parquet location '{table.resolve()}'")
        registered.append(table.name)
    return registered


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="DuckDB warehouse with raw tables")
    parser.add_argument("--out", type=Path, required=True, help="folder for <table>/ Parquet")
    args = parser.parse_args(argv)
    counts = export_raw(args.db, args.out)
    print(f"exported {len(counts)} raw tables, {sum(counts.values()):,} rows, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
