"""Publish the marts as a read-only snapshot that readers can hold open without blocking builds.

A DuckDB file takes one writer, and refuses it while any other process holds the file open:
a BI tool left connected to the warehouse would make the next `dbt build` fail. So readers
never open the working database. `publish` copies the marts (and only the marts: raw tables
hold PII) into a new file next to the published one, and `os.replace`s it over the published
path. The rename is atomic: a new reader sees either the old or the new snapshot, complete; a
reader that holds the old file open keeps reading its snapshot (the old inode lives until it
closes), and nothing ever waits on a reader.

Only a finished, successful build is published: every dbt invocation that writes the warehouse
records itself in `ccmetrics_meta.build_runs` (hooks in `macros/ccm_build_runs.sql`), and a
failed or killed build left a mix of new and stale marts. A publish killed halfway leaves its
temporary file behind; the next publish removes it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ccmetrics import paths
from ccmetrics.catalog import (
    MART_PREFIXES,
    META_SCHEMA,
    RATIOS_TABLE,
    discover,
    load_manifest_ratios,
)
from ccmetrics.registry import MANIFEST_TABLE, read_manifest, semantic_manifest_path

BUILD_RUNS = "build_runs"
"""`ccmetrics_meta.build_runs` in the working database: one row per dbt invocation."""

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


def _staging_path(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.{pid}.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False
    return True


def remove_stale_staging(target: Path) -> list[Path]:
    """Delete the temporary files of publishes that were killed (their process is gone);
    a publish still running in another process keeps its own."""
    removed: list[Path] = []
    for path in target.parent.glob(f".{target.name}.*.tmp*"):
        pid_text = path.name[len(target.name) + 2 :].split(".")[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return sorted(removed)


def check_build(con: DuckDBPyConnection, source: Path) -> None:
    """Refuse unless the latest dbt invocation recorded in `working` finished with success."""
    rebuild = (
        "run `dbt build` again and publish once it finishes without errors "
        "(a failed or interrupted build leaves a mix of new and stale marts)"
    )
    recorded = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'working' "
        "and schema_name = ? and table_name = ?",
        [META_SCHEMA, BUILD_RUNS],
    ).fetchall()[0][0]
    if not recorded:
        raise PublishError(
            f"{source} records no dbt build ({META_SCHEMA}.{BUILD_RUNS} is missing): run "
            "`dbt build` (its hooks record whether it succeeded), then publish"
        )
    latest = con.execute(
        f"select invocation_id, started_at, finished_at, status, errors, skipped "
        f"from {_quoted('working', META_SCHEMA, BUILD_RUNS)} "
        "order by started_at desc limit 1"
    ).fetchall()
    if not latest:
        raise PublishError(f"{source} records no dbt build yet: run `dbt build`, then publish")
    invocation, started, finished, status, errors, skipped = latest[0]
    which = f"the latest dbt build (invocation {invocation}, started {started:%Y-%m-%d %H:%M:%S})"
    if finished is None:
        raise PublishError(f"{which} never finished: it was killed, or is still running; {rebuild}")
    if status != "success":
        raise PublishError(
            f"{which} failed with {errors} error(s) and {skipped} skipped node(s): "
            f"nothing was published; fix the errors and {rebuild}"
        )


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
    remove_stale_staging(target)
    staging = _staging_path(target, os.getpid())
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
            check_build(con, source)
            marts = working_marts(con)
            if not marts:
                raise PublishError(f"{source} holds no marts (tables named fct_* or dim_*)")
            rows = _copy_marts(con, marts)
            con.execute("detach working")
            manifest = manifest or paths.manifest_path()
            ratios = load_manifest_ratios(manifest)
            _embed_catalog(con, ratios, read_manifest(semantic_manifest_path(manifest)))
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
    con: DuckDBPyConnection,
    ratios: Mapping[tuple[str, str], tuple[str, str]],
    semantic: Mapping[str, Any] | None,
) -> None:
    """The declarations readers need with the marts: the ratios' numerators and denominators,
    and the semantic manifest (what each metric is, which columns are additive, the
    headlines), as the build that made the marts wrote it (`semantic_manifest.json` next to
    `manifest`); without it every reader would read whichever manifest the last parse left."""
    con.execute(f"create schema {META_SCHEMA}")
    if semantic is not None:
        con.execute(f"create table {META_SCHEMA}.{MANIFEST_TABLE} (manifest varchar)")
        con.execute(
            f"insert into {META_SCHEMA}.{MANIFEST_TABLE} values (?)", [json.dumps(semantic)]
        )
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
