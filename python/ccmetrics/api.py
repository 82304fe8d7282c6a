"""The Python API: metrics by name from the published marts, as a DataFrame or Arrow table.

    import ccmetrics.api as cc
    cc.query(["service_level", "aht"], dimensions=["channel"], grain="week",
             start="2026-01-01", end="2026-01-31", filters=[("channel", "in", ["phone", "chat"])])

Every connection is read-only with file and network access disabled, so even a statement
that slipped past validation could neither write nor read anything but the marts.
For several queries in a row, open a `Warehouse` once and reuse it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ccmetrics import paths
from ccmetrics.catalog import Catalog, discover, load_manifest_ratios
from ccmetrics.registry import semantic_layer, semantic_manifest_path
from ccmetrics.sqlbuild import (
    BuiltQuery,
    QueryError,
    build,
    check_expression,
    check_select,
    make_spec,
    render,
    valid_dialects,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from duckdb import DuckDBPyConnection, DuckDBPyRelation

DateLike = date | datetime | str | None


class WarehouseNotFoundError(FileNotFoundError):
    """No published database at the given path."""


def _database(db: str | Path | None) -> Path:
    return Path(db) if db is not None else paths.published_path()


def connect(db: str | Path | None = None) -> DuckDBPyConnection:
    """A read-only connection to the published marts that cannot touch files or the network."""
    import duckdb

    path = _database(db)
    if not path.is_file():
        raise WarehouseNotFoundError(
            f"no published database at {path}; run `ccmetrics publish` after `dbt build`"
        )
    connection = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    # Marts are found by name in whichever schema the build put them (`marts`), then the
    # configuration is locked so that no later statement can re-enable file access.
    schemas = connection.execute(
        "select distinct schema_name from duckdb_tables() "
        "where database_name = current_database() order by 1"
    ).fetchall()
    search_path = ",".join(name for (name,) in schemas)
    connection.execute(f"set search_path = {exp.Literal.string(search_path).sql('duckdb')}")
    # Connections of one process to one file share a database instance, and its configuration
    # may already be locked by an earlier Warehouse.
    locked = connection.execute("select current_setting('lock_configuration')").fetchall()
    if not locked[0][0]:
        connection.execute("set lock_configuration = true")
    return connection


_CATALOGS: dict[tuple[object, ...], Catalog] = {}
_MAX_CATALOGS = 8


def _file_version(path: Path) -> tuple[object, ...]:
    """Which version of a file this is: `ccmetrics publish` replaces the snapshot by renaming
    a new file over it, which changes the inode, and a file written in place changes its
    modification time or size."""
    found = path.stat()
    return (str(path.resolve()), found.st_ino, found.st_mtime_ns, found.st_size)


def _catalog_key(db: Path, manifest: Path | None) -> tuple[object, ...]:
    """Taken before the file is opened: if a publish replaces it in between, the catalog read
    from the new file is filed under the old file's version, which no later reader asks for."""
    if not db.is_file():
        return ()
    key = _file_version(db)
    for path in (manifest, _semantic_fallback(manifest)):
        key += _file_version(path) if path is not None and path.is_file() else (path,)
    return key


def _semantic_fallback(manifest: Path | None) -> Path:
    """The semantic manifest of a dev build, read when the database embeds none (a working
    warehouse, or one published before the semantic manifest was embedded): the one next to
    `manifest`, else the project's target/semantic_manifest.json."""
    return semantic_manifest_path(manifest if manifest is not None else paths.manifest_path())


def _catalog(
    connection: DuckDBPyConnection, key: tuple[object, ...], manifest: Path | None
) -> Catalog:
    """The catalog of the database, discovered once per process for each version of the file
    (and of the manifests): reading it costs a reader more than a scorecard's statement."""
    cached = _CATALOGS.get(key)
    if cached is None:
        ratios = load_manifest_ratios(manifest) if manifest is not None else None
        semantic = semantic_layer(
            connection, _semantic_fallback(manifest), paths.project_dir() / "models" / "semantic"
        )
        cached = discover(connection, ratios, semantic)
        if len(_CATALOGS) >= _MAX_CATALOGS:
            _CATALOGS.clear()
        _CATALOGS[key] = cached
    return cached


class Warehouse:
    """An open, read-only view of the marts and their catalog."""

    def __init__(self, db: str | Path | None = None, manifest: Path | None = None) -> None:
        key = _catalog_key(_database(db), manifest)
        self.connection = connect(db)
        self.catalog: Catalog = _catalog(self.connection, key, manifest)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def build(
        self,
        metrics: str | list[str] | tuple[str, ...],
        dimensions: str | list[str] | tuple[str, ...] = (),
        grain: str = "day",
        start: DateLike = None,
        end: DateLike = None,
        filters: Any = None,
        mart: str | None = None,
        limit: int | None = None,
        periods: Any = None,
    ) -> BuiltQuery:
        spec = make_spec(metrics, dimensions, grain, start, end, filters, mart, limit, periods)
        return build(spec, self.catalog)

    def execute(self, built: BuiltQuery) -> DuckDBPyRelation:
        """Run a built query, after checking its tree is one read-only SELECT over the marts.

        The query is consumed: build a new one to render it again.
        """
        check_expression(built.expression, self.catalog.marts)
        sql = render(built, "duckdb", pretty=False, copy=False)
        return self.connection.sql(sql, params=dict(built.params))

    def query_arrow(self, *args: Any, **kwargs: Any) -> pa.Table:
        """Same arguments as `query`; returns a pyarrow Table."""
        return self.execute(self.build(*args, **kwargs)).to_arrow_table()

    def query(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """Metrics by name, grouped by `dimensions` and the time `grain`, as a DataFrame.

        metrics: names from `catalog.metric_names()`; each ratio comes with its numerator
            and denominator columns, re-aggregated as sum(numerator) / sum(denominator).
        dimensions: columns to group by (`catalog.dimension_names()`).
        grain: day, week, month, quarter, year, or all (no time column).
        start, end: inclusive reporting dates (date or YYYY-MM-DD).
        filters: (column, op, value) triples, {column: value or [values]}, or strings like
            "channel=phone"; op is one of sqlbuild.OPERATORS; values are bound parameters.
        mart: pin the mart when several hold the metrics (default: the smallest that can).
        limit: at most this many rows.
        periods: (label, start, end) triples compared in one query, e.g.
            [("previous", "2026-01-01", "2026-01-07"), ("current", "2026-01-08", "2026-01-14")];
            the `period` column holds the label (use with grain="all").
        """
        return self.execute(self.build(*args, **kwargs)).df()

    def to_sql(self, *args: Any, dialect: str = "duckdb", **kwargs: Any) -> str:
        """The query's SQL for `dialect` (any sqlglot dialect), values inlined as literals."""
        return render(self.build(*args, **kwargs), dialect, inline=True)

    def translate(self, statement: str, dialect: str) -> str:
        """One read-only SELECT over the marts (as for `sql`), rewritten for `dialect`."""
        if not isinstance(dialect, str) or dialect not in valid_dialects():
            raise QueryError(f"unknown dialect {dialect!r}; valid: {', '.join(valid_dialects())}")
        return check_select(statement, self.catalog.marts).sql(dialect=dialect, pretty=True)

    def sql(self, statement: str) -> pd.DataFrame:
        """Run one read-only SELECT over the marts (the escape hatch for what `query` lacks)."""
        checked = check_select(statement, self.catalog.marts)
        return self.connection.execute(checked.sql(dialect="duckdb")).df()


def query(*args: Any, db: str | Path | None = None, **kwargs: Any) -> pd.DataFrame:
    """One-shot `Warehouse(db).query(...)`; see `Warehouse.query` for the arguments."""
    with Warehouse(db) as warehouse:
        return warehouse.query(*args, **kwargs)


def query_arrow(*args: Any, db: str | Path | None = None, **kwargs: Any) -> pa.Table:
    with Warehouse(db) as warehouse:
        return warehouse.query_arrow(*args, **kwargs)


def to_sql(*args: Any, dialect: str = "duckdb", db: str | Path | None = None, **kwargs: Any) -> str:
    with Warehouse(db) as warehouse:
        return warehouse.to_sql(*args, dialect=dialect, **kwargs)


def catalog(db: str | Path | None = None) -> Catalog:
    with Warehouse(db) as warehouse:
        return warehouse.catalog


__all__ = ["QueryError", "Warehouse", "catalog", "connect", "query", "query_arrow", "to_sql"]
