"""The landing files are built and written in a second process, beside the simulation.

The simulation of a day must finish before the next can start (queues and follow-ups cross
midnight), but turning a finished day into rows and Parquet files needs nothing from later
days: a second core does it while the first simulates the next day. Jobs run in the order they
are sent, in one worker, so the files are the same as if written in the simulating process.
At most `MAX_PENDING` jobs wait, which bounds the days held in memory.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np

from ccmetrics.generator.config import GenerationSummary, GeneratorConfig
from ccmetrics.generator.day_files import DayOutput, write_day
from ccmetrics.generator.output import LandingWriter
from ccmetrics.generator.people import CustomerRecords

MAX_PENDING = 3

_writer: LandingWriter | None = None
"""The worker's writer (set by `_start`, in the worker process only)."""


def _start(out_dir: Path, config: GeneratorConfig) -> None:
    global _writer
    _writer = LandingWriter(out_dir, config.start, config.days, GenerationSummary(config))


def _current() -> LandingWriter:
    if _writer is None:
        raise RuntimeError("the landing writer process was not started")
    return _writer


def _add(
    source_name: str,
    columns: Mapping[str, Sequence[object] | np.ndarray],
    file_days: np.ndarray | None,
) -> int:
    writer = _current()
    writer.add(source_name, columns, file_days)
    return writer.summary.total()


def _add_customers(records: CustomerRecords) -> int:
    writer = _current()
    writer.add("customers", records.rows())
    return writer.summary.total()


def _write_day(output: DayOutput) -> int:
    writer = _current()
    write_day(writer, output)
    return writer.summary.total()


def _finish(through: int) -> GenerationSummary:
    writer = _current()
    writer.flush(through)
    writer.write_manifest()
    return writer.summary


class BackgroundWriter:
    """Sends rows and finished days to the writing process; `finish` returns its summary."""

    def __init__(self, out_dir: Path, config: GeneratorConfig) -> None:
        # fork, not spawn: spawn re-runs the caller's main script, which a script calling
        # `generate_landing` without an `if __name__ == "__main__"` guard cannot survive.
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start,
            initargs=(out_dir, config),
        )
        self._pending: deque[Future[int]] = deque()
        self.rows_written = 0
        """Rows in the files written so far (known once their job has finished)."""

    def _submit(self, future: Future[int]) -> None:
        self._pending.append(future)
        while self._pending and (len(self._pending) > MAX_PENDING or self._pending[0].done()):
            self.rows_written = self._pending.popleft().result()

    def add(
        self,
        source_name: str,
        columns: Mapping[str, Sequence[object] | np.ndarray],
        file_days: np.ndarray | None = None,
    ) -> None:
        self._submit(self._pool.submit(_add, source_name, columns, file_days))

    def add_customers(self, records: CustomerRecords) -> None:
        self._submit(self._pool.submit(_add_customers, records))

    def write_day(self, output: DayOutput) -> None:
        self._submit(self._pool.submit(_write_day, output))

    def finish(self, through: int) -> GenerationSummary:
        """Write the remaining files and the manifest; stops the process."""
        try:
            while self._pending:
                self.rows_written = self._pending.popleft().result()
            summary = self._pool.submit(_finish, through).result()
        finally:
            self.close()
        self.rows_written = summary.total()
        return summary

    def close(self) -> None:
        """Stop the process, dropping jobs not started (after a failure in the simulation)."""
        self._pool.shutdown(cancel_futures=True)
