"""The guard's engines for tests: DuckDB (what `ccmetrics load` runs) and one Great
Expectations runtime per pytest process (building a source's suites costs seconds, validating
with them does not, and they hold no state between runs)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccmetrics.guard.check_results import Runtime
    from ccmetrics.guard.gx_runtime import GxRuntime

ENGINES = ("duckdb", "gx")


@cache
def shared_gx_runtime() -> GxRuntime:
    from ccmetrics.guard.gx_runtime import GxRuntime

    return GxRuntime()


def runtime_named(name: str) -> Runtime:
    """`duckdb` or `gx`."""
    from ccmetrics.guard.sql_runtime import SqlRuntime

    return SqlRuntime() if name == "duckdb" else shared_gx_runtime()
