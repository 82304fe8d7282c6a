"""`python -m ccmetrics.bench --days D --scale S capacity`: one run of a very large center from
landing files to marts, for what it needs rather than how fast it is against a baseline:
seconds, peak memory and peak disk of every step, the first build against the sort floor and
one new day against the first build. Issue 10 asks for a 100 M-contact center (`--scale 200
--days 120`) within 24 GiB, run once with its figures recorded (bench/capacity.md).

The steps are the daily life of a warehouse: every day but the last is loaded and built from
scratch (`dbt build --threads 1`, as docs/using_the_marts.md advises for a large full build),
then the last day is loaded and built incrementally with the profile's threads. The figures so
far are written after every step; a step that fails ends the run, and the file says which
step, with what exit code and the first error it printed (dbt's failed model and the engine's
message).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ccmetrics.bench import (
    Runner,
    Timing,
    code_version,
    generate,
    gib,
    landing_without_day,
    machine,
    sort_floor,
)

SAMPLE_SECONDS = 5.0
"""How often the disk footprint is sampled: a spill file lives for minutes at this scale."""


def _bytes_under(path: Path) -> int:
    """Bytes of the file at `path`, or of the files under it (the warehouse, its write-ahead
    log, its spill files); 0 when it does not exist. DuckDB removes a write-ahead log or a
    spill file at any moment, so one that vanishes while it is measured counts 0: the
    sampling thread must not die of it in an hours-long run."""
    total = 0
    for child in (path, *path.rglob("*")):
        try:
            total += child.stat().st_size if child.is_file() else 0
        except FileNotFoundError:
            continue
    return total


@dataclass
class DiskPeak:
    """The largest footprint of the warehouse files seen while a run went on."""

    paths: tuple[Path, ...]
    peak_bytes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        current = sum(_bytes_under(path) for path in self.paths)
        self.peak_bytes = max(self.peak_bytes, current)

    def _watch(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sample()

    @contextmanager
    def watching(self) -> Iterator[DiskPeak]:
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        try:
            yield self
        finally:
            self._stop.set()
            watcher.join()
            self.sample()


ANY_EXIT = range(-255, 256)
"""Every exit code of a step, a signal's negative one included (the kernel's out-of-memory
killer): a failed step is recorded, not raised."""
FIRST_BUILD = "first build of every day but the last (dbt build --threads 1)"
INCREMENTAL_BUILD = "incremental build of the last day (dbt build)"


@dataclass(frozen=True)
class CapacityRun:
    """The figures of a run so far: it is written after every step, so that a run stopped
    half-way still tells how far it got and what it needed until then."""

    days: int
    scale: float
    memory_limit: str
    steps: tuple[Timing, ...]
    landing_bytes: int
    warehouse_bytes: int
    peak_disk_bytes: int
    machine_before: str
    machine_now: str
    version: str
    contacts: int | None = None
    floor: Timing | None = None
    failure: str = ""
    """Why the run stopped, when a step failed: the step, its exit code and its first error."""

    def step(self, label: str) -> Timing | None:
        return next((item for item in self.steps if item.label == label), None)

    def _ratios(self) -> list[str]:
        first, incremental = self.step(FIRST_BUILD), self.step(INCREMENTAL_BUILD)
        rows = []
        if first is not None and self.floor is not None:
            rows.append(f"| first build / sort floor | {first.seconds / self.floor.seconds:.1f} |")
        if first is not None and incremental is not None:
            rows.append(
                f"| incremental build of the last day / first build | "
                f"{incremental.seconds / first.seconds:.2f} |"
            )
        return rows

    def to_markdown(self) -> list[str]:
        done = self.floor is not None
        contacts = f"{self.contacts:,} contacts" if self.contacts is not None else "contacts"
        steps = [
            f"| {item.label} | {item.seconds:.1f} s ({item.seconds / 60:.1f} min) | "
            f"{gib(item.peak_bytes)} | {item.load:.2f} |"
            for item in self.steps
        ]
        if self.floor is not None:
            steps.append(
                f"| sort floor (DuckDB reading raw.contacts and sorting it by customer and "
                f"time to Parquet, same file) | {self.floor.seconds:.1f} s | | "
                f"{self.floor.load:.2f} |"
            )
        peak = max((item.peak_bytes for item in self.steps), default=0)
        return [
            "# ccmetrics capacity run",
            "",
            f"Generated center: {self.days} days at scale {self.scale:g} (seed default), "
            f"{contacts}. Written by `python -m ccmetrics.bench capacity "
            f"--days {self.days} --scale {self.scale:g}` on commit {self.version}, with "
            f"`CCMETRICS_DUCKDB_MEMORY_LIMIT={self.memory_limit}`."
            + (
                f" **The run stopped: {self.failure}.**"
                if self.failure
                else ("" if done else " **The run had not finished when this was written.**")
            ),
            "",
            f"Machine at the start: {self.machine_before}.  ",
            f"Machine {'at the end' if done else 'when written'}: {self.machine_now}.",
            "",
            "| step | time | peak memory (ru_maxrss) | load (1 min) |",
            "|---|---|---|---|",
            *steps,
            "",
            "| measure | value |",
            "|---|---|",
            *self._ratios(),
            f"| peak memory of any step | {gib(peak)} |",
            f"| landing files | {gib(self.landing_bytes)} |",
            f"| warehouse file {'at the end' if done else 'when written'} | "
            f"{gib(self.warehouse_bytes)} |",
            f"| peak disk of the warehouse (file, write-ahead log and spill files, sampled "
            f"every {SAMPLE_SECONDS:g} s) | {gib(self.peak_disk_bytes)} |",
            "",
        ]


def capacity_run(
    days: int,
    scale: float,
    work: Path,
    memory_limit: str,
    write: Callable[[CapacityRun], None],
    landing: Path | None = None,
) -> CapacityRun:
    """Generate (unless `landing` holds the center already), load and build in `work`,
    handing the figures so far to `write` after every step."""
    runner = Runner(work)
    runner.env["CCMETRICS_DUCKDB_MEMORY_LIMIT"] = memory_limit
    version, machine_before = code_version(), machine()
    steps: list[Timing] = []
    disk = DiskPeak((runner.db_path, Path(f"{runner.db_path}.wal"), Path(f"{runner.db_path}.tmp")))
    generating = landing is None
    landing = work / "landing" if landing is None else landing
    if generating:
        steps.append(generate(runner, landing, days, scale))
    landing_bytes = _bytes_under(landing)

    def figures(
        contacts: int | None = None, floor: Timing | None = None, failure: str = ""
    ) -> CapacityRun:
        disk.sample()
        return CapacityRun(
            days=days,
            scale=scale,
            memory_limit=memory_limit,
            steps=tuple(steps),
            landing_bytes=landing_bytes,
            warehouse_bytes=_bytes_under(runner.db_path),
            peak_disk_bytes=disk.peak_bytes,
            machine_before=machine_before,
            machine_now=machine(),
            version=version,
            contacts=contacts,
            floor=floor,
            failure=failure,
        )

    def failure_of(timing: Timing) -> str:
        if not timing.exit_code:
            return ""
        return f"{timing.label} exited {timing.exit_code}: {runner.first_error()}"

    if generating:
        write(figures())
    last_day = max(path.stem for path in (landing / "contacts").glob("*.parquet"))
    earlier = work / "landing_before_last_day"
    landing_without_day(landing, last_day, earlier)
    commands: list[Callable[[], Timing]] = [
        lambda: runner.ccmetrics(
            "load every day but the last", "load", "--landing", str(earlier), accept=ANY_EXIT
        ),
        lambda: runner.dbt(
            FIRST_BUILD,
            *("build", "--threads", "1", "--exclude", "resource_type:unit_test"),
            accept=ANY_EXIT,
        ),
        lambda: runner.ccmetrics(
            "load the last day",
            *("load", "--landing", str(landing), "--day", last_day),
            accept=ANY_EXIT,
        ),
        lambda: runner.dbt(
            INCREMENTAL_BUILD, "build", "--exclude", "resource_type:unit_test", accept=ANY_EXIT
        ),
    ]
    with disk.watching():
        for command in commands:
            steps.append(command())
            so_far = figures(failure=failure_of(steps[-1]))
            write(so_far)
            if so_far.failure:
                return so_far
        floor, contacts = sort_floor(runner.db_path)
    finished = figures(contacts, floor)
    write(finished)
    return finished
