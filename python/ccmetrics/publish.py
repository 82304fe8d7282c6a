"""Publish the marts as a read-only snapshot that readers can hold open without blocking builds.

A DuckDB file takes one writer, and refuses it while any other process holds the file open:
a BI tool left connected to the warehouse would make the next `dbt build` fail. So readers
never open the working database. `publish` copies the marts (and only the marts: raw tables
hold PII) into a new file next to the published one, and `os.replace`s it over the published
path. The rename is atomic: a new reader sees either the old or the new snapshot, complete; a
reader that holds the old file open keeps reading its snapshot (the old inode lives until it
closes), and nothing ever waits on a reader.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from ccmetrics import paths
from ccmetrics.catalog import (
    MART_PREFIXES,
    META_SCHEMA,
    RATIOS_TABLE,
    discover,
    load_manifest_ratios,
)

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MartColumns = Mapping[str, tuple[str, str, list[tuple[str, str]]]]


class PublishError(RuntimeError):
    """The working database cannot be published (missing, locked by a writer, no marts)."""


@dataclass(frozen=True)
class PublishResult:
    path: Path
    marts: tuple[str, ...]
    rows: Mapping[str, int]
    seconds: float


def _quoted(*parts: str) -> str:
    return ".".join(exp.to_identifier(part, quoted=True).sql(dialect="duckdb") for part in parts)


def _string(text: str) -> str:
    return exp.Literal.string(text).sql(dialect="duckdb")


def publish(
    source: Path | None = None,
    target: Path | None = None,
    manifest: Path | None = None,
) -> PublishResult:
    """Copy the marts of `source` (the working DB) into `target`, replacing it atomically."""
    import duckdb

    started = time.perf_counter()
    source = source or paths.warehouse_path()
    target = target or paths.published_path()
    if not source.is_file():
        raise PublishError(f"no working database at {source}; run `dbt build` first")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(staging))
        try:
            try:
                con.execute(f"attach {_string(str(source))} as working (read_only)")
            except duckdb.IOException as error:
                raise PublishError(
                    f"cannot read {source}: a writer (dbt build, ccmetrics load) holds it; "
                    f"publish when it has finished ({error})"
                ) from error
            marts = working_marts(con)
            if not marts:
                raise PublishError(f"{source} holds no marts (tables named fct_* or dim_*)")
            rows = _copy_marts(con, marts)
            con.execute("detach working")
            ratios = load_manifest_ratios(manifest or paths.manifest_path())
            _embed_catalog(con, ratios)
            catalog = discover(con)
            con.execute("checkpoint")
        finally:
            con.close()
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
        _fsync_dir(target.parent)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    return PublishResult(target, tuple(catalog.marts), rows, time.perf_counter() - started)


def working_marts(con: DuckDBPyConnection) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Mart -> (schema, table comment, [(column, comment)]) in the attached working DB."""
    tables = con.execute(
        """
        select schema_name, table_name, coalesce(comment, '') from duckdb_tables()
        where database_name = 'working'
        union all
        select schema_name, view_name, coalesce(comment, '') from duckdb_views()
        where database_name = 'working' and not internal
        order by 2
        """
    ).fetchall()
    marts: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    for schema, table, comment in tables:
        if not table.startswith(MART_PREFIXES) or schema == META_SCHEMA or table in marts:
            continue
        columns = con.execute(
            "select column_name, coalesce(comment, '') from duckdb_columns() "
            "where database_name = 'working' and schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, table],
        ).fetchall()
        marts[table] = (schema, comment, columns)
    return marts


def _copy_marts(con: DuckDBPyConnection, marts: MartColumns) -> dict[str, int]:
    rows: dict[str, int] = {}
    for table, (schema, comment, columns) in marts.items():
        # Views are materialised so that the snapshot stands alone; schemas keep their names
        # so that SQL written against the working database runs unchanged on the snapshot.
        con.execute(f"create schema if not exists {_quoted(schema)}")
        con.execute(
            f"create table {_quoted(schema, table)} as "
            f"select * from {_quoted('working', schema, table)}"
        )
        if comment:
            con.execute(f"comment on table {_quoted(schema, table)} is {_string(comment)}")
        for column, text in columns:
            if text:
                con.execute(
                    f"comment on column {_quoted(schema, table, column)} is {_string(text)}"
                )
        rows[table] = con.execute(f"select count(*) from {_quoted(schema, table)}").fetchall()[0][0]
    return rows


def _embed_catalog(
    con: DuckDBPyConnection, ratios: Mapping[tuple[str, str], tuple[str, str]]
) -> None:
    con.execute(f"create schema {META_SCHEMA}")
    con.execute(
        f"create table {META_SCHEMA}.{RATIOS_TABLE} "
        "(mart varchar, metric varchar, numerator varchar, denominator varchar)"
    )
    if ratios:
        con.executemany(
            f"insert into {META_SCHEMA}.{RATIOS_TABLE} values (?, ?, ?, ?)",
            [(mart, metric, num, den) for (mart, metric), (num, den) in sorted(ratios.items())],
        )


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
