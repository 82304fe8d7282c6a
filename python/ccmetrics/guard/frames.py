"""DuckDB results as pandas frames, fast.

`DuckDBPyRelation.df()` builds a Python string object per text value, then pandas turns them
into an Arrow-backed column again: most of a load's time at scale. Here text columns travel
through Arrow (no Python object per value) and every other column through `df()`, so each
column keeps exactly the dtype `df()` gives it (nullable integers and booleans, dates as
datetime64, decimals as floats)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

ARROW_VIEW = "_guard_arrow"


def frame_of(con: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """`relation.df()`, same columns and dtypes; the relation runs once."""
    import pandas as pd
    import pyarrow as pa

    table = relation.to_arrow_table()
    text = [
        field.name
        for field in table.schema
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
    ]
    others = [name for name in table.column_names if name not in text]
    if others:
        con.register(ARROW_VIEW, table.select(others))
        try:
            frame = con.sql(f"select * from {ARROW_VIEW}").df()
        finally:
            con.unregister(ARROW_VIEW)
    else:
        frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for name in text:
        frame[name] = table.column(name).to_pandas()
    return frame[table.column_names]
