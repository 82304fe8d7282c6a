"""Reading a test warehouse the way a reader would: read-only, closed after each query."""

from __future__ import annotations

from pathlib import Path

import duckdb


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
