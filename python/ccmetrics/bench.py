"""`make bench`: how fast the build, the guard and the read path are, as ratios from one run.

The machines are shared and noisy, so every figure that matters is a ratio of two timings
taken back to back in the same run (incremental vs full build, validating a day vs building
it, the scorecard vs a trivial query on the same snapshot); seconds are printed for context.
Run: `python -m ccmetrics.bench --out bench/results.md [--days 30] [--scale 1]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ccmetrics.guard.bench import validate_day_seconds
from ccmetrics.paths import profiles_dir, project_dir


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: float


class Runner:
    """Runs the project's commands against one scratch warehouse and times them."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.db_path = work / "bench.duckdb"
        self.bin = Path(sys.executable).parent
        self.env = dict(
            os.environ,
            DBT_PROFILES_DIR=str(profiles_dir()),
            CCMETRICS_DUCKDB_PATH=str(self.db_path),
            CCMETRICS_PUBLISHED_PATH=str(work / "published" / "bench.duckdb"),
            DBT_TARGET_PATH=str(work / "target"),
            DBT_LOG_PATH=str(work / "logs"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        )

    def timed(self, label: str, args: Sequence[str], accept: Sequence[int] = (0,)) -> Timing:
        started = time.perf_counter()
        result = subprocess.run(
            list(args),
            cwd=project_dir(),
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if result.returncode not in accept:
            raise RuntimeError(
                f"{label}: {' '.join(args)} exited {result.returncode}\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        print(f"{label}: {seconds:.1f} s", file=sys.stderr)
        return Timing(label, seconds)

    def ccmetrics(self, label: str, *args: str, accept: Sequence[int] = (0,)) -> Timing:
        return self.timed(label, [str(self.bin / "ccmetrics"), *args], accept)

    def dbt(self, label: str, *args: str) -> Timing:
        return self.timed(label, [str(self.bin / "dbt"), *args, "--target", "dev"])


def _landing_without_day(landing: Path, day: str, out: Path) -> None:
    for source_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        (out / source_dir.name).mkdir(parents=True)
        for path in source_dir.iterdir():
            if path.stem != day:
                (out / source_dir.name / path.name).symlink_to(path)


def run_benchmarks(days: int, scale: float, work: Path) -> list[str]:
    runner = Runner(work)
    landing = work / "landing"
    generation = runner.ccmetrics(
        "generate",
        "generate",
        "--out",
        str(landing),
        "--days",
        str(days),
        "--scale",
        str(scale),
        "--quiet",
    )
    last_day = max(path.stem for path in (landing / "contacts").glob("*.parquet"))
    earlier = work / "landing_before_last_day"
    _landing_without_day(landing, last_day, earlier)

    runner.ccmetrics("load (all days but the last)", "load", "--landing", str(earlier))
    runner.dbt("first build", "run")
    day_files = sorted(str(path) for path in landing.glob(f"*/{last_day}.parquet"))
    validate = runner.ccmetrics(
        "validate the last day",
        "check",
        *day_files,
        "--db",
        str(runner.db_path),
        "--docs-dir",
        str(work / "gx_docs"),
        accept=(0, 1),
    )
    in_process = Timing(
        "validate the last day in process",
        validate_day_seconds(landing, date.fromisoformat(last_day), runner.db_path),
    )
    runner.ccmetrics("load the last day", "load", "--landing", str(landing), "--day", last_day)
    incremental = runner.dbt(
        "incremental build of the last day", "build", "--exclude", "resource_type:unit_test"
    )
    full = runner.dbt(
        "full-refresh build", "build", "--full-refresh", "--exclude", "resource_type:unit_test"
    )
    runner.ccmetrics("publish", "publish")

    from ccmetrics.serve_bench import measure_scorecard

    latency = measure_scorecard(work / "published" / "bench.duckdb", runs=10)
    return [
        "# ccmetrics benchmarks",
        "",
        f"Generated center: {days} days at scale {scale} (seed default). Written by "
        "`make bench`; every ratio is two timings from this one run.",
        "",
        "| measure | ratio | seconds |",
        "|---|---|---|",
        f"| incremental build after one new day / full-refresh build | "
        f"{incremental.seconds / full.seconds:.2f} | "
        f"{incremental.seconds:.1f} / {full.seconds:.1f} |",
        f"| validating one day (`ccmetrics check`, all sources, process start, Great "
        f"Expectations import and Data Docs included) / building that day (incremental "
        f"`dbt build`) | {validate.seconds / incremental.seconds:.2f} | "
        f"{validate.seconds:.1f} / {incremental.seconds:.1f} |",
        f"| the same validation in a process that has imported Great Expectations (as "
        f"`ccmetrics load` runs it) / building that day | "
        f"{in_process.seconds / incremental.seconds:.2f} | "
        f"{in_process.seconds:.1f} / {incremental.seconds:.1f} |",
        f"| generating {days} days / full-refresh build | "
        f"{generation.seconds / full.seconds:.2f} | "
        f"{generation.seconds:.1f} / {full.seconds:.1f} |",
        "",
        latency.to_markdown(),
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"))
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    arguments = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmetrics-bench-"))
    try:
        lines = run_benchmarks(arguments.days, arguments.scale, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
