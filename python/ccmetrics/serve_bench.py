"""Latency of the read path: the scorecard over the published marts, as a user feels it.

Each run opens the published database (read-only connection and catalog discovery included)
and computes the whole scorecard, so the figure is what `ccmetrics scorecard` costs after the
interpreter has imported the package. Run: `python -m ccmetrics.serve_bench [--db PATH]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

INTERACTIVE_SECONDS = 1.0


@dataclass(frozen=True)
class Latency:
    runs: int
    queries: int
    """Mart reads one scorecard makes (one per mart and filter)."""
    statements: int
    """Metric statements one scorecard runs (the reads batched)."""
    marts: int
    median_seconds: float
    p95_seconds: float
    max_seconds: float
    first_seconds: float
    """The first (cold) run, caches empty."""
    median_cpu_seconds: float
    """CPU time of a run (all threads): what the work costs, whatever else the machine runs."""
    load_average: float
    """1-minute load average of the machine when the runs ended (other work skews timings)."""

    @property
    def interactive(self) -> bool:
        return self.max_seconds < INTERACTIVE_SECONDS

    def to_markdown(self) -> str:
        rows = [
            ("runs", str(self.runs)),
            ("marts in the catalog", str(self.marts)),
            ("mart reads per scorecard", str(self.queries)),
            ("metric statements per scorecard", str(self.statements)),
            ("first run (cold)", f"{self.first_seconds * 1000:.1f} ms"),
            ("median", f"{self.median_seconds * 1000:.1f} ms"),
            ("median CPU time", f"{self.median_cpu_seconds * 1000:.1f} ms"),
            ("p95", f"{self.p95_seconds * 1000:.1f} ms"),
            ("max", f"{self.max_seconds * 1000:.1f} ms"),
            ("machine load (1 min average)", f"{self.load_average:.2f}"),
            (f"interactive (< {INTERACTIVE_SECONDS:.0f} s)", "yes" if self.interactive else "NO"),
        ]
        lines = ["| scorecard latency | value |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        return "\n".join(lines)


def measure_scorecard(db: Path | None = None, runs: int = 20, days: int = 7) -> Latency:
    """Open the published marts and compute the scorecard `runs` times."""
    from ccmetrics.api import Warehouse
    from ccmetrics.scorecard import build_scorecard

    timings: list[float] = []
    cpu: list[float] = []
    queries = statements = marts = 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        with Warehouse(db) as warehouse:
            card = build_scorecard(warehouse, days=days)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        marts = len(warehouse.catalog.marts)
        queries, statements = card.queries, card.statements
    ordered = sorted(timings)
    return Latency(
        runs=runs,
        queries=queries,
        statements=statements,
        marts=marts,
        median_seconds=statistics.median(ordered),
        p95_seconds=ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        max_seconds=ordered[-1],
        first_seconds=timings[0],
        median_cpu_seconds=statistics.median(cpu),
        load_average=os.getloadavg()[0],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="published DuckDB file")
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args(argv)
    latency = measure_scorecard(arguments.db, arguments.runs)
    print(latency.to_markdown())
    return 0 if latency.interactive else 1


if __name__ == "__main__":
    raise SystemExit(main())
