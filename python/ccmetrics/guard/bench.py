"""The guard's cost: seconds to validate one landing day, to compare with `dbt build`.

Great Expectations is imported before the clock starts (a one-off per process, shared with
everything else the command does); the clock covers reading, typing, both suites of every
source and the reference look-ups, as `ccmetrics check` does for that day.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from ccmetrics.guard.reading import discover


def validate_day_seconds(landing: Path, day: dt.date, db: Path | None = None) -> float:
    """Wall-clock seconds `ccmetrics check` spends validating every source's file for `day`.

    References are looked up in `db` when given (the warehouse holding the days before)."""
    from ccmetrics.guard.gx_runtime import GxRuntime
    from ccmetrics.loader import check

    paths = [batch.path for batch in discover(landing, day=day).batches]
    if not paths:
        raise FileNotFoundError(f"no landing files for {day} under {landing}")
    warm = GxRuntime()  # imports Great Expectations outside the measurement
    start = time.perf_counter()
    check(paths, db=db if db is not None else landing / "_none.duckdb", runtime=warm)
    return time.perf_counter() - start
