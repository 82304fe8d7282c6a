"""Read-only access to the marts: which tables exist, which columns they have, and queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.provenance import META_MARTS, Provenance, read_provenance

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


@dataclass(frozen=True)
class Warehouse:
    """An open read-only DuckDB connection and the tables it holds (name -> column names)."""

    connection: duckdb.DuckDBPyConnection
    tables: dict[str, frozenset[str]]
    schemas: dict[str, str]
    path: Path
    provenance: Provenance = field(default_factory=Provenance)
    """The build's parameters and what the deliveries cover (empty for older warehouses)."""

    def relation(self, table: str) -> str:
        """The quoted schema-qualified name of `table`, for use in SQL."""
        return f'"{self.schemas[table]}"."{table}"'

    def missing(self, table: str, columns: Iterable[str] = ()) -> str | None:
        """Why `table` cannot feed a section (None when it can)."""
        found = self.tables.get(table)
        if found is None:
            return f"mart `{table}` is not built in this warehouse"
        absent = sorted(set(columns) - found)
        if absent:
            return f"mart `{table}` lacks column(s) {', '.join(absent)}"
        return None

    def complete(self, date_expression: str) -> str:
        """A SQL condition keeping the complete reporting days of `date_expression` (a date or
        a local timestamp): a trailing fragment is left out. True when the coverage is unknown.
        """
        coverage = self.provenance.coverage
        if coverage is None or coverage.first_complete is None or coverage.last_complete is None:
            return "true"
        return (
            f"cast({date_expression} as date) between date '{coverage.first_complete:%Y-%m-%d}' "
            f"and date '{coverage.last_complete:%Y-%m-%d}'"
        )

    def query(self, sql: str) -> pd.DataFrame:
        return self.connection.execute(sql).df()

    def close(self) -> None:
        self.connection.close()


def open_warehouse(path: Path) -> Warehouse:
    """Open the DuckDB file read-only, so a report never blocks `dbt build` or `publish`.

    Tables of the `marts` schema (then `main`) win over same-named tables in other schemas.
    """
    import duckdb

    if not path.exists():
        raise FileNotFoundError(f"no DuckDB warehouse at {path}")
    connection = duckdb.connect(str(path), read_only=True)
    rows = connection.execute(
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_catalog = current_database()
        order by
            case table_schema when 'marts' then 0 when 'main' then 1 else 2 end, table_schema
        """
    ).fetchall()
    tables: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for schema, table, column in rows:
        if owner.setdefault(table, schema) != schema:
            continue
        tables.setdefault(table, set()).add(column)
    warehouse = Warehouse(
        connection=connection,
        tables={name: frozenset(columns) for name, columns in tables.items()},
        schemas=owner,
        path=path,
    )
    relations = {name: warehouse.relation(name) for name in META_MARTS if name in owner}
    return replace(warehouse, provenance=read_provenance(connection, relations))
