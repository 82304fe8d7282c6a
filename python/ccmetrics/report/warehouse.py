"""The marts the report reads: the query API's read-only `Warehouse` (one catalog, one
connection for every reader) with the build's provenance, and the few helpers the charted
sections need to write their SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.provenance import Provenance

if TYPE_CHECKING:
    import pandas as pd

    from ccmetrics.api import Warehouse


@dataclass(frozen=True)
class ReportSource:
    """An open `ccmetrics.api.Warehouse`, the file it reads and the build's provenance."""

    warehouse: Warehouse
    path: Path
    provenance: Provenance

    @property
    def tables(self) -> dict[str, frozenset[str]]:
        """Mart name -> its column names."""
        return {
            name: frozenset(mart.columns) for name, mart in self.warehouse.catalog.marts.items()
        }

    def relation(self, table: str) -> str:
        """The quoted schema-qualified name of `table`, for use in SQL."""
        return f'"{self.warehouse.catalog.marts[table].schema}"."{table}"'

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
        return self.warehouse.connection.execute(sql).df()

    def close(self) -> None:
        self.warehouse.close()


def open_warehouse(path: Path, manifest: Path | None = None) -> ReportSource:
    """Open the DuckDB file read-only through the query API, so a report never blocks
    `dbt build` or `publish` and reads the catalog every other reader reads.

    `manifest` (default: the project's target/manifest.json when there is one) declares the
    rates' numerators and denominators of a working warehouse that `ccmetrics publish` has not
    embedded them in, and the semantic manifest next to it is the metric registry such a
    warehouse is read with (see ccmetrics.registry).
    """
    from ccmetrics import paths
    from ccmetrics.api import Warehouse
    from ccmetrics.scorecard import build_provenance

    if not path.exists():
        raise FileNotFoundError(f"no DuckDB warehouse at {path}")
    if manifest is None and paths.manifest_path().is_file():
        manifest = paths.manifest_path()
    warehouse = Warehouse(path, manifest)
    try:
        provenance = build_provenance(warehouse)
    except Exception:
        warehouse.close()
        raise
    return ReportSource(warehouse, path, provenance)
