"""The settings every DuckDB connection of the loader and the quality guard starts with.

UTC, so that timestamps without a zone are read as the landing contract states them, and the
memory limit dbt's profile sets (`CCMETRICS_DUCKDB_MEMORY_LIMIT`, default 3GB): without it
DuckDB takes up to 80 % of the machine's memory, for the warehouse's cached pages and for the
in-memory connections that validate a batch or check files before a load.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

MEMORY_LIMIT_VARIABLE = "CCMETRICS_DUCKDB_MEMORY_LIMIT"
MEMORY_LIMIT = "3GB"
"""The same variable and default as `profiles.yml`'s."""


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Sets the time zone and the memory limit on `con`."""
    con.execute("set TimeZone = 'UTC'")
    con.execute("set memory_limit = ?", [os.environ.get(MEMORY_LIMIT_VARIABLE, MEMORY_LIMIT)])
