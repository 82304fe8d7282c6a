"""Write the published marts as Parquet, one file per mart, for tools that prefer files.

Each file is written next to its final name and renamed into place, so a tool reading the
export folder never sees a half-written file. Table and column descriptions travel as Parquet
metadata (key `description`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from ccmetrics.api import Warehouse

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class ExportedMart:
    mart: str
    path: Path
    rows: int


def export_marts(
    warehouse: Warehouse,
    out_dir: Path,
    marts: tuple[str, ...] = (),
    on_done: Callable[[ExportedMart], None] | None = None,
) -> list[ExportedMart]:
    """Export `marts` (default: all) from an open warehouse to `out_dir/<mart>.parquet`."""
    import pyarrow.parquet as pq

    names = marts or tuple(warehouse.catalog.marts)
    chosen = [warehouse.catalog.mart(name) for name in names]
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for mart in chosen:
        statement = exp.select(*(exp.column(c, quoted=True) for c in mart.columns)).from_(
            exp.table_(mart.name, db=mart.schema, quoted=True)
        )
        table = warehouse.connection.sql(statement.sql(dialect="duckdb")).to_arrow_table()
        table = _described(table, mart.description, mart.column_descriptions)
        target = out_dir / f"{mart.name}.parquet"
        partial = out_dir / f".{mart.name}.parquet.{os.getpid()}.tmp"
        try:
            pq.write_table(table, partial, compression="zstd")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        result = ExportedMart(mart.name, target, table.num_rows)
        done.append(result)
        if on_done is not None:
            on_done(result)
    return done


def _described(table: pa.Table, description: str, columns: Mapping[str, str]) -> pa.Table:
    """The mart's and its columns' descriptions as Parquet metadata, for tools that show them."""
    import pyarrow as pa

    fields = [
        field.with_metadata({"description": columns[field.name]})
        if field.name in columns
        else field
        for field in table.schema
    ]
    metadata = {"description": description} if description else None
    return table.cast(pa.schema(fields, metadata=metadata))
