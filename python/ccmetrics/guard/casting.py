"""Type a delivered batch to the contract: schema drift rejects the batch, a bad value the row.

Timestamps are stored as naive UTC: a value with an offset is converted to UTC, a value without
one is taken as UTC already. Text that does not parse as its contract type, and non-finite
numbers, become a row-level reason rather than a silent null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.frames import frame_of
from ccmetrics.guard.reading import SOURCE_ROW, RawBatch

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "integer": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "decimal": "DOUBLE",
}
"""Raw table column types per contract type."""

_INTEGERS = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)
_NUMBERS = (*_INTEGERS, "FLOAT", "DOUBLE", "DECIMAL")
_ACCEPTED: dict[str, tuple[str, ...]] = {
    "string": ("VARCHAR",),
    "timestamp": (
        "VARCHAR",
        "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE",
        "TIMESTAMP_NS",
        "TIMESTAMP_MS",
        "TIMESTAMP_S",
    ),
    "date": ("VARCHAR", "DATE"),
    "integer": ("VARCHAR", *_NUMBERS),
    "double": ("VARCHAR", *_NUMBERS),
    "decimal": ("VARCHAR", *_NUMBERS),
    "boolean": ("VARCHAR", "BOOLEAN"),
}
"""Delivered types each contract type may arrive as; anything else is schema drift."""

TEMP_VIEW = "_guard_raw_batch"


@dataclass(frozen=True)
class TypedBatch:
    frame: pd.DataFrame
    """Contract columns in contract types, indexed by `_source_row` (which is also a column)."""
    type_reasons: dict[int, list[str]]


def _base_type(duckdb_type: str) -> str:
    return duckdb_type.split("(")[0].strip()


def check_drift(raw: RawBatch) -> None:
    """Reject a delivered column whose type cannot hold the contract type (Parquet)."""
    source = raw.batch.source
    for column in source.columns:
        delivered = _base_type(raw.types.get(column.name, "VARCHAR"))
        if delivered in _ACCEPTED[column.type] or delivered == '"NULL"':
            continue
        if raw.frame[column.name].isna().all():
            continue  # an all-null optional column carries no type of its own
        raise BatchRejected(
            raw.batch.relative,
            "schema drift",
            f"column {column.name} of type {column.type}",
            f"type {delivered}",
        )


def quote_identifier(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def repeated_keys(table: str, columns: list[str], alias: str) -> tuple[str, str]:
    """The values of `columns` held by more than one row of `table`, each with its row count
    (column `repeats`), as a subquery named `alias`; and the condition matching them to the
    rows of `table`. Nulls are one value, as in a group by: a count per key joined back, not
    a window, which would carry every column of every row through its sort."""
    quoted = [quote_identifier(column) for column in columns]
    listed = ", ".join(quoted)
    subquery = (
        f"(select {listed}, count(*) as repeats from {table} "
        f"group by {listed} having count(*) > 1) as {alias}"
    )
    matches = " and ".join(f"{alias}.{c} is not distinct from {table}.{c}" for c in quoted)
    return subquery, matches


def _cast_expression(name: str, contract_type: str, registered: str) -> str:
    q = quote_identifier(name)
    target = DUCKDB_TYPES[contract_type]
    base = _base_type(registered)
    if contract_type == "string":
        return f"cast({q} as varchar)"
    if contract_type == "timestamp":
        if base in ("VARCHAR", "TIMESTAMP WITH TIME ZONE"):
            return f"timezone('UTC', try_cast({q} as timestamptz))"
        return f"try_cast({q} as timestamp)"
    if contract_type == "integer":
        if base in ("VARCHAR", "FLOAT", "DOUBLE", "DECIMAL"):
            number = f"try_cast({q} as double)"
            return (
                f"case when isfinite({number}) and {number} = trunc({number}) "
                f"then cast({number} as bigint) end"
            )
        return f"try_cast({q} as bigint)"
    if contract_type in ("double", "decimal"):
        number = f"try_cast({q} as double)"
        return f"case when isfinite({number}) then {number} end"
    return f"try_cast({q} as {target})"


def _unchanged_by_cast(contract_type: str, registered: str, values: pd.Series) -> bool:
    """The delivered column already holds the contract type, read from the file by DuckDB
    into the dtype casting would give it: the cast would copy it as is. A double still goes
    through the cast, which turns NaN and infinity into reasons; text a native reader parsed
    (Python objects) is cast."""
    import pandas as pd

    if contract_type in ("double", "decimal"):
        return False
    if _base_type(registered) != DUCKDB_TYPES[contract_type]:
        return False
    return contract_type != "string" or isinstance(values.dtype, pd.StringDtype)


def _finite_only(contract_type: str, registered: str, values: pd.Series) -> bool:
    """A number column delivered as a double and read as float64: the cast would only turn
    infinity into null, which numpy does without a round trip through DuckDB (the only
    columns of a generated day that needed one)."""
    import numpy as np

    return (
        contract_type in ("double", "decimal")
        and _base_type(registered) == "DOUBLE"
        and values.dtype == np.float64
    )


def cast_batch(con: duckdb.DuckDBPyConnection, raw: RawBatch) -> TypedBatch:
    """The batch in contract types; every value that would not cast is a row-level reason.

    Columns delivered in their contract type are taken as they are, doubles with infinity
    made null; only the others go through DuckDB (a Parquet file of the right types costs no
    round trip)."""
    import numpy as np

    source = raw.batch.source
    frame = raw.frame.sort_values(SOURCE_ROW, kind="stable")
    frame.index = frame[SOURCE_ROW].to_numpy()
    kept = [
        c
        for c in source.columns
        if _unchanged_by_cast(c.type, raw.types.get(c.name, "VARCHAR"), frame[c.name])
    ]
    converted = [c for c in source.columns if c not in kept]
    finite = [
        c
        for c in converted
        if _finite_only(c.type, raw.types.get(c.name, "VARCHAR"), frame[c.name])
    ]
    cast = [c for c in converted if c not in finite]
    typed = frame[[SOURCE_ROW, *(c.name for c in kept)]].copy()
    for column in finite:
        values = frame[column.name]
        typed[column.name] = values.where(np.isfinite(values.to_numpy()))
    if cast:
        con.register(TEMP_VIEW, frame[[SOURCE_ROW, *(c.name for c in cast)]])
        try:
            view = con.sql(f"select * from {TEMP_VIEW}")
            registered = dict(zip(view.columns, (str(t) for t in view.types), strict=True))
            select_list = [quote_identifier(SOURCE_ROW)] + [
                f"{_cast_expression(c.name, c.type, registered[c.name])} "
                f"as {quote_identifier(c.name)}"
                for c in cast
            ]
            through_duckdb = frame_of(
                con,
                con.sql(
                    f"select {', '.join(select_list)} from {TEMP_VIEW} "
                    f"order by {quote_identifier(SOURCE_ROW)}"
                ),
            )
        finally:
            con.unregister(TEMP_VIEW)
        through_duckdb.index = typed.index
        for column in cast:
            typed[column.name] = through_duckdb[column.name]
    typed = typed[[SOURCE_ROW, *source.column_names]]
    reasons: dict[int, list[str]] = {}
    for column in converted:
        delivered = frame[column.name]
        failed = delivered.notna() & typed[column.name].isna()
        for row in typed.index[failed.to_numpy()]:
            shown = "a value" if column.pii else repr(str(delivered.loc[row])[:60])
            reasons.setdefault(int(row), []).append(
                f"type:{column.name}: {shown} is not a valid {column.type}"
            )
    return TypedBatch(typed, reasons)
