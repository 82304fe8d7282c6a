"""Arrow schemas of the landing files, derived from the landing contract.

Every file the generator writes uses these schemas, and the loader may import them to read
or check a delivery: one mapping from contract types to Arrow types, kept in one place.
"""

from __future__ import annotations

import pyarrow as pa

from ccmetrics.contract import Source, source

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "integer": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "decimal": pa.decimal128(18, 4),
}


def arrow_type(contract_type: str) -> pa.DataType:
    """The Arrow type of a contract column type (timestamps are naive UTC, microseconds)."""
    try:
        return _ARROW_TYPES[contract_type]
    except KeyError:
        raise KeyError(f"no Arrow type for contract type {contract_type!r}") from None


def schema_of(spec: Source) -> pa.Schema:
    """The Arrow schema of a contract source, columns in contract order."""
    return pa.schema(
        [pa.field(col.name, arrow_type(col.type), nullable=col.nullable) for col in spec.columns]
    )


def arrow_schema(source_name: str) -> pa.Schema:
    """The Arrow schema of the landing files of the named source."""
    return schema_of(source(source_name))
