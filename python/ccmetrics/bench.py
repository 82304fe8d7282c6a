"""`make bench`: how fast the build, the guard and the read path are, as ratios from one run.

The machines are shared and noisy, so every figure that matters is a ratio of two timings
taken back to back in the same run (incremental vs full build, the full build vs DuckDB
sorting the raw contacts in the same file, `ccmetrics load` vs a plain DuckDB insert of the
same files, validating a day vs building it, the same build on Spark vs on DuckDB); seconds,
peak memory and the machine's load are printed beside them. One command generates, loads and
builds a center of any size in a scratch folder:
`python -m ccmetrics.bench --out bench/results.md [--days 30] [--scale 1] [--no-spark]` (`make
bench SCALE=20 DAYS=120 SPARK=0` for the 10 M-contact center of issue 10's goals, without the
Spark build). Its parts run alone:
`python -m ccmetrics.bench load [--days 30] [--scale 1]` (generate, then `ccmetrics load` vs
the plain insert) and `python -m ccmetrics.bench scorecard [--db PATH] [--runs 20]` (the
scorecard's latency over a published file; exits 1 if a run takes a second or more).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ccmetrics.guard.reading import discover
from ccmetrics.paths import profiles_dir, project_dir

ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")
"""Colour codes of dbt's console output."""
SPARK_PYTHON = Path(".venv-spark/bin/python")
"""The Spark target's interpreter (`make venv-spark`), relative to the project."""
INTERACTIVE_SECONDS = 1.0
"""A scorecard slower than this is not interactive (`bench scorecard` exits 1)."""


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: float
    peak_bytes: int = 0
    """Peak resident memory of the command (its largest process), 0 when run in process."""
    load: float = 0.0
    """1-minute load average of the machine when the step ended."""
    exit_code: int = 0


def machine() -> str:
    """Cores, memory and load of the machine, for the figures' context."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = {}
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            name, _, value = line.partition(":")
            memory[name] = int(value.split()[0]) * 1024
    total = memory.get("MemTotal", 0) / 2**30
    available = memory.get("MemAvailable", 0) / 2**30
    one, five, fifteen = os.getloadavg()
    return (
        f"{cores} cores (nproc), {total:.1f} GiB memory ({available:.1f} GiB available), "
        f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"
    )


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project_dir(), capture_output=True, text=True, check=True
    ).stdout.strip()


def code_version() -> str:
    """The commit the benchmark ran on, marked when the work tree had uncommitted changes."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} with uncommitted changes" if dirty else commit


def gib(size: int) -> str:
    return f"{size / 2**30:.2f} GiB"


def timed_in_process(label: str, work: Callable[[], object]) -> Timing:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s", file=sys.stderr)
    return Timing(label, seconds, load=os.getloadavg()[0])


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

    def timed(
        self,
        label: str,
        args: Sequence[str],
        accept: Sequence[int] = (0,),
        extra_env: Mapping[str, str] | None = None,
    ) -> Timing:
        output = self.work / "output.log"
        env = {**self.env, **(extra_env or {})}
        with output.open("w") as sink:
            started = time.perf_counter()
            process = subprocess.Popen(
                list(args), cwd=project_dir(), env=env, stdout=sink, stderr=sink
            )
            # wait4 gives this command's own resource usage: ru_maxrss is the peak resident
            # memory of its largest process (KiB on Linux), which RUSAGE_CHILDREN would mix
            # with every earlier command of the run.
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in accept:
            raise RuntimeError(
                f"{label}: {' '.join(args)} exited {process.returncode}\n"
                f"{output.read_text()[-6000:]}"
            )
        print(f"{label}: {seconds:.1f} s", file=sys.stderr)
        return Timing(
            label, seconds, usage.ru_maxrss * 1024, os.getloadavg()[0], process.returncode
        )

    def ccmetrics(self, label: str, *args: str, accept: Sequence[int] = (0,)) -> Timing:
        return self.timed(label, [str(self.bin / "ccmetrics"), *args], accept)

    def dbt(self, label: str, *args: str, accept: Sequence[int] = (0,)) -> Timing:
        return self.timed(label, [str(self.bin / "dbt"), *args, "--target", "dev"], accept)

    def first_error(self) -> str:
        """What made the last command fail: dbt's first failed node and the first engine
        message ("IO Error: ... No space left on device"), else the output's last line."""
        lines = [
            ANSI_CODES.sub("", line).strip()
            for line in (self.work / "output.log").read_text().splitlines()
        ]
        failed = next((line for line in lines if " ERROR " in f" {line} "), "")
        message = next((line for line in lines if "Error:" in line), "")
        found = " / ".join(part for part in (failed, message) if part)
        return found or next((line for line in reversed(lines) if line), "")

    def spark_build(self) -> Timing | None:
        """The same full build on Spark (the local session of `make venv-spark`) from the raw
        tables this run loaded; None without the Spark virtualenv."""
        python = project_dir() / SPARK_PYTHON
        if not python.exists():
            return None
        from ccmetrics.spark_raw import export_raw

        export_raw(self.db_path, self.work / "spark_raw")
        return self.timed(
            "full build on Spark",
            [
                str(python),
                *("-m", "ccmetrics.spark_session", "build", "--target", "spark"),
                *("--full-refresh", "--exclude", "resource_type:unit_test"),
            ],
            extra_env={
                "CCMETRICS_SPARK_WAREHOUSE": str(self.work / "spark"),
                "CCMETRICS_SPARK_RAW": str(self.work / "spark_raw"),
                "DBT_TARGET_PATH": str(self.work / "spark_target"),
            },
        )


def empty_build(runner: Runner) -> Timing:
    """The incremental build's own cost with no rows to process: the same `dbt build` on a copy
    of the warehouse with `--empty` (every model and test reads its refs and sources as zero
    rows). Parsing, compiling, each node's statements and round trips, the hooks and the
    incremental cutoffs' queries are paid as in the real build, so no build of one new day can
    be faster. The copy reuses the run's saved parse, as the real build does."""
    copy = Runner(runner.work / "empty_build")
    copy.work.mkdir()
    shutil.copyfile(runner.db_path, copy.db_path)
    copy.env["DBT_TARGET_PATH"] = runner.env["DBT_TARGET_PATH"]
    timing = copy.dbt(
        "the same build on no rows", "build", "--empty", "--exclude", "resource_type:unit_test"
    )
    shutil.rmtree(copy.work)
    return timing


def landing_without_day(landing: Path, day: str, out: Path) -> None:
    for source_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        (out / source_dir.name).mkdir(parents=True)
        for path in source_dir.iterdir():
            if path.stem != day:
                (out / source_dir.name / path.name).symlink_to(path)


SORT_FLOOR = (
    "copy (select * from raw.contacts order by customer_id, started_at) "
    "to '/dev/null' (format parquet)"
)
"""What DuckDB needs to read the raw contacts and sort them by customer and time (issue 10):
the floor a full build is measured against, in the same file."""


def sort_floor(db_path: Path) -> tuple[Timing, int]:
    """The sort floor's timing and the number of raw contacts it sorted."""
    import duckdb

    with duckdb.connect(str(db_path)) as connection:
        contacts = connection.execute("select count(*) from raw.contacts").fetchall()[0][0]
        timing = timed_in_process("sort floor", lambda: connection.execute(SORT_FLOOR))
    return timing, int(contacts)


def plain_insert(landing: Path, db_path: Path) -> Timing:
    """A plain DuckDB insert of every landing file, one table per source: what loading the
    files costs without checks, quarantine or reconciliation."""
    import duckdb

    def insert() -> None:
        with duckdb.connect(str(db_path)) as connection:
            for source in sorted(p for p in landing.iterdir() if p.is_dir()):
                files = sorted(str(path) for path in source.glob("*.parquet"))
                if files:
                    connection.execute(
                        f"create table {source.name} as "
                        "select * from read_parquet(?, union_by_name = true)",
                        [files],
                    )

    return timed_in_process("plain DuckDB insert of the landing files", insert)


def validate_day_seconds(landing: Path, day: dt.date, db: Path | None = None) -> float:
    """Wall-clock seconds `ccmetrics check` spends validating every source's file for `day`:
    reading, typing, both suites of every source (the DuckDB engine, as `load` runs them) and
    the reference look-ups in `db` when given (the warehouse holding the days before)."""
    from ccmetrics.loader import check

    paths = [batch.path for batch in discover(landing, day=day).batches]
    if not paths:
        raise FileNotFoundError(f"no landing files for {day} under {landing}")
    start = time.perf_counter()
    check(paths, db=db if db is not None else landing / "_none.duckdb")
    return time.perf_counter() - start


@dataclass(frozen=True)
class Latency:
    """The read path as a user feels it: each run opens the published database (read-only
    connection and catalog discovery included) and computes the whole scorecard, so the figure
    is what `ccmetrics scorecard` costs after the interpreter has imported the package."""

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


SETTLED_DAYS = 7
"""Days between a bench center's last day and today: contacts run past midnight and feedback
arrives days after its contact, and a timestamp after the run's start would be quarantined."""


def past_start(days: int, today: dt.date | None = None) -> dt.date:
    """The first day of a `days`-long center whose events all lie in the past: from the
    generator's default start, a 120-day center runs into next year, and the guard would
    quarantine its last weeks (timestamps in the future), which is not the load a bench means
    to measure."""
    return (today or dt.datetime.now(dt.UTC).date()) - dt.timedelta(days=days + SETTLED_DAYS)


def generate(runner: Runner, landing: Path, days: int, scale: float) -> Timing:
    return runner.ccmetrics(
        "generate",
        "generate",
        *("--out", str(landing), "--days", str(days), "--scale", str(scale), "--quiet"),
        *("--start", past_start(days).isoformat()),
    )


def load_ratio(days: int, scale: float, work: Path) -> list[str]:
    """`ccmetrics load` of a generated center into an empty warehouse against the plain insert
    of the same files, back to back."""
    runner = Runner(work)
    landing = work / "landing"
    generate(runner, landing, days, scale)
    machine_before = machine()
    plain = plain_insert(landing, work / "plain.duckdb")
    load = runner.ccmetrics("load", "load", "--landing", str(landing))
    return [
        f"`ccmetrics load` of {days} days at scale {scale:g} / plain DuckDB insert of the same "
        f"files: {load.seconds / plain.seconds:.1f} ({load.seconds:.1f} s / {plain.seconds:.2f} "
        f"s; peak memory of the load {gib(load.peak_bytes)}).",
        f"Machine at the start: {machine_before}.  ",
        f"Machine at the end: {machine()}.",
    ]


def run_benchmarks(days: int, scale: float, work: Path, spark: bool = True) -> list[str]:
    runner = Runner(work)
    version = code_version()
    landing = work / "landing"
    generation = generate(runner, landing, days, scale)
    machine_before = machine()
    plain = plain_insert(landing, work / "plain.duckdb")
    (work / "plain.duckdb").unlink()
    last_day = max(path.stem for path in (landing / "contacts").glob("*.parquet"))
    earlier = work / "landing_before_last_day"
    landing_without_day(landing, last_day, earlier)

    load_earlier = runner.ccmetrics(
        "load (all days but the last)", "load", "--landing", str(earlier)
    )
    runner.dbt("first build", "run")
    day_files = sorted(str(path) for path in landing.glob(f"*/{last_day}.parquet"))
    validate = runner.ccmetrics(
        "validate the last day",
        "check",
        *day_files,
        "--db",
        str(runner.db_path),
        accept=(0, 1),
    )
    in_process = Timing(
        "validate the last day in process",
        validate_day_seconds(landing, dt.date.fromisoformat(last_day), runner.db_path),
    )
    load_last = runner.ccmetrics(
        "load the last day", "load", "--landing", str(landing), "--day", last_day
    )
    load = Timing(
        "load",
        load_earlier.seconds + load_last.seconds,
        max(load_earlier.peak_bytes, load_last.peak_bytes),
        load_last.load,
    )
    incremental = runner.dbt(
        "incremental build of the last day", "build", "--exclude", "resource_type:unit_test"
    )
    no_rows = empty_build(runner)
    full = runner.dbt(
        "full-refresh build", "build", "--full-refresh", "--exclude", "resource_type:unit_test"
    )
    one_at_a_time = runner.dbt(
        "full-refresh build, one model at a time",
        *("build", "--full-refresh", "--threads", "1", "--exclude", "resource_type:unit_test"),
    )
    floor, contacts = sort_floor(runner.db_path)
    spark_build = runner.spark_build() if spark else None
    runner.ccmetrics("publish", "publish")
    latency = measure_scorecard(work / "published" / "bench.duckdb", runs=10)
    ten_million_minutes = generation.seconds / 60 * 10_000_000 / max(contacts, 1)
    return [
        "# ccmetrics benchmarks",
        "",
        f"Generated center: {days} days at scale {scale} (seed default), {contacts:,} "
        "contacts. Written by `make bench"
        + ("" if (days, scale) == (30, 1.0) else f" SCALE={scale:g} DAYS={days}")
        + ("" if spark else " SPARK=0")
        + f"` on commit {version}; every ratio is two timings from this one run. The goals "
        "are issue 10's, set for 10 M contacts (scale 20, 120 days); at a smaller scale the "
        "fixed costs (process start, dbt parsing) weigh more.",
        "",
        f"Machine at the start: {machine_before}.  ",
        f"Machine at the end: {machine()}.",
        "",
        "| measure | ratio | goal | seconds | load (1 min) |",
        "|---|---|---|---|---|",
        f"| full-refresh build / sort floor (DuckDB reading raw.contacts and sorting it by "
        f"customer and time to Parquet, same file) | {full.seconds / floor.seconds:.1f} | "
        f"<= 10 | {full.seconds:.1f} / {floor.seconds:.2f} | {full.load:.2f} / {floor.load:.2f} |",
        f"| the same full-refresh build one model at a time (`--threads 1`) / with the "
        f"profile's 2 threads | {one_at_a_time.seconds / full.seconds:.2f} | | "
        f"{one_at_a_time.seconds:.1f} / {full.seconds:.1f} | "
        f"{one_at_a_time.load:.2f} / {full.load:.2f} |",
        f"| the full-refresh build one model at a time / sort floor | "
        f"{one_at_a_time.seconds / floor.seconds:.1f} | <= 10 | "
        f"{one_at_a_time.seconds:.1f} / {floor.seconds:.2f} | "
        f"{one_at_a_time.load:.2f} / {floor.load:.2f} |",
        f"| incremental build after one new day / full-refresh build | "
        f"{incremental.seconds / full.seconds:.2f} | <= 0.05 | "
        f"{incremental.seconds:.1f} / {full.seconds:.1f} | "
        f"{incremental.load:.2f} / {full.load:.2f} |",
        f"| the same incremental build on no rows (`dbt build --empty` on a copy of the "
        f"warehouse: dbt, the hooks and every node's statements, no rows) / full-refresh build "
        f"| {no_rows.seconds / full.seconds:.2f} | | {no_rows.seconds:.1f} / {full.seconds:.1f} "
        f"| {no_rows.load:.2f} / {full.load:.2f} |",
        f"| incremental build after one new day / the same build on no rows | "
        f"{incremental.seconds / no_rows.seconds:.2f} | | "
        f"{incremental.seconds:.1f} / {no_rows.seconds:.1f} | "
        f"{incremental.load:.2f} / {no_rows.load:.2f} |",
        f"| `ccmetrics load` of every file (all days, then the last day) / plain DuckDB insert "
        f"of the same files (`read_parquet` into one table per source) | "
        f"{load.seconds / plain.seconds:.1f} | <= 5 | {load.seconds:.1f} / {plain.seconds:.2f} | "
        f"{load.load:.2f} / {plain.load:.2f} |",
        f"| validating one day (`ccmetrics check`, all sources, process start included) / "
        f"building that day (incremental `dbt build`) | "
        f"{validate.seconds / incremental.seconds:.2f} | | "
        f"{validate.seconds:.1f} / {incremental.seconds:.1f} | {validate.load:.2f} |",
        f"| the same validation in process (as `ccmetrics load` runs it) / building that "
        f"day | "
        f"{in_process.seconds / incremental.seconds:.2f} | | "
        f"{in_process.seconds:.1f} / {incremental.seconds:.1f} | |",
        (
            f"| the same full build on Apache Spark (local PySpark, same cores; unit tests left "
            f"out of both) / on DuckDB | {spark_build.seconds / full.seconds:.1f} | | "
            f"{spark_build.seconds:.1f} / {full.seconds:.1f} | "
            f"{spark_build.load:.2f} / {full.load:.2f} |"
            if spark_build is not None
            else "| the same full build on Apache Spark / on DuckDB | not measured: "
            + ("run `make venv-spark` first" if spark else "left out (`SPARK=0`)")
            + " | | | |"
        ),
        f"| generating {days} days / full-refresh build | "
        f"{generation.seconds / full.seconds:.2f} | | "
        f"{generation.seconds:.1f} / {full.seconds:.1f} | {generation.load:.2f} |",
        "",
        "| measure | value | goal | load (1 min) |",
        "|---|---|---|---|",
        f"| generation: {contacts:,} contacts | {generation.seconds:.1f} s, "
        f"{ten_million_minutes:.1f} min per 10 M contacts at this rate | <= 10 min per 10 M "
        f"| {generation.load:.2f} |",
        f"| peak memory of the full-refresh build (`dbt build`, ru_maxrss) | "
        f"{gib(full.peak_bytes)} | <= 4 GiB at 10 M | {full.load:.2f} |",
        f"| peak memory of the full-refresh build one model at a time | "
        f"{gib(one_at_a_time.peak_bytes)} | <= 4 GiB at 10 M | {one_at_a_time.load:.2f} |",
        f"| peak memory of the incremental build | {gib(incremental.peak_bytes)} | | "
        f"{incremental.load:.2f} |",
        f"| peak memory of `ccmetrics load` | {gib(load.peak_bytes)} | bounded | {load.load:.2f} |",
        f"| scorecard median (published snapshot, opening included, after import) | "
        f"{latency.median_seconds * 1000:.1f} ms (CPU {latency.median_cpu_seconds * 1000:.1f} "
        f"ms) | < 100 ms | {latency.load_average:.2f} |",
        "",
        latency.to_markdown(),
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"))
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-spark", action="store_true", help="leave out the full build on Spark")
    parts = parser.add_subparsers(dest="part", title="parts (all of them without one)")
    load = parts.add_parser("load", help="generate, then ccmetrics load / plain DuckDB insert")
    # Given after `load` or before it; SUPPRESS keeps the main parser's value when absent.
    load.add_argument("--days", type=int, default=argparse.SUPPRESS)
    load.add_argument("--scale", type=float, default=argparse.SUPPRESS)
    scorecard = parts.add_parser("scorecard", help="scorecard latency over a published file")
    scorecard.add_argument("--db", type=Path, default=None, help="published DuckDB file")
    scorecard.add_argument("--runs", type=int, default=20)
    capacity = parts.add_parser("capacity", help="one very large center, load to marts, once")
    capacity.add_argument("--days", type=int, default=argparse.SUPPRESS)
    capacity.add_argument("--scale", type=float, default=argparse.SUPPRESS)
    capacity.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit of the builds")
    capacity.add_argument("--landing", type=Path, default=None, help="a generated center to use")
    capacity.add_argument("--work", type=Path, default=None, help="scratch folder (kept)")
    capacity.add_argument("--out", type=Path, default=Path("bench/capacity.md"))
    arguments = parser.parse_args(argv)
    if arguments.part == "scorecard":
        latency = measure_scorecard(arguments.db, arguments.runs)
        print(latency.to_markdown())
        return 0 if latency.interactive else 1
    if arguments.part == "capacity":
        return _capacity(arguments)
    work = Path(tempfile.mkdtemp(prefix="ccmetrics-bench-"))
    try:
        if arguments.part == "load":
            print("\n".join(load_ratio(arguments.days, arguments.scale, work)))
            return 0
        lines = run_benchmarks(arguments.days, arguments.scale, work, not arguments.no_spark)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


def _capacity(arguments: argparse.Namespace) -> int:
    from ccmetrics.bench_capacity import CapacityRun, capacity_run

    def write(run: CapacityRun) -> None:
        arguments.out.parent.mkdir(parents=True, exist_ok=True)
        arguments.out.write_text("\n".join(run.to_markdown()))

    work = arguments.work or Path(tempfile.mkdtemp(prefix="ccmetrics-capacity-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run = capacity_run(
            arguments.days,
            arguments.scale,
            work,
            arguments.memory_limit,
            write,
            arguments.landing,
        )
    finally:
        if arguments.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(run.to_markdown()))
    return 1 if run.failure else 0


if __name__ == "__main__":
    raise SystemExit(main())
