"""Read a run's landing files on a thread of their own while the run validates and writes the
files before them.

Reading a file into a frame is about a tenth of a load and mostly DuckDB work, which releases
the GIL, while validating and writing a group keep one core busy and the other half idle: the
next group's files are read in that time. The reader has its own DuckDB connection (a cursor
of the run's), so it sees what earlier runs committed and nothing of the group being written,
which a read never needs: a run holds one file per source and day.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    import duckdb

    from ccmetrics.guard.reading import Batch, RawBatch

Read = Callable[["duckdb.DuckDBPyConnection", "Batch"], "RawBatch"]


class ReadAhead:
    """The batches' files, read in order at most `max_batches` files and `max_rows` rows (plus
    one file) ahead of what the run has taken: memory holds the group being validated and at
    most one more."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        batches: list[Batch],
        read: Read,
        max_batches: int,
        max_rows: int,
    ) -> None:
        self._cursor = con.cursor()
        self._cursor.execute("set TimeZone = 'UTC'")
        self._batches = batches
        self._read = read
        self._max_batches = max_batches
        self._max_rows = max_rows
        self._ready: deque[tuple[Batch, RawBatch | BaseException]] = deque()
        self._ready_rows = 0
        self._stopped = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._read_all, name="ccmetrics-read-ahead")

    def __enter__(self) -> ReadAhead:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        self._thread.join()
        self._cursor.close()

    def _room(self) -> bool:
        return self._stopped or (
            len(self._ready) < self._max_batches and self._ready_rows < self._max_rows
        )

    def _read_all(self) -> None:
        for batch in self._batches:
            with self._condition:
                self._condition.wait_for(self._room)
                if self._stopped:
                    return
            result: RawBatch | BaseException
            try:
                result = self._read(self._cursor, batch)
            except BaseException as exc:
                # Whatever the read raised belongs to the run's thread: `take` raises it there.
                result = exc
            with self._condition:
                self._ready.append((batch, result))
                self._ready_rows += _rows(result)
                self._condition.notify_all()

    def take(self, batch: Batch) -> RawBatch:
        """The next file read, which must be `batch`'s; what reading it raised is raised here."""
        with self._condition:
            self._condition.wait_for(lambda: bool(self._ready))
            read, result = self._ready.popleft()
            self._ready_rows -= _rows(result)
            self._condition.notify_all()
        if read is not batch:
            raise RuntimeError(f"read {read.relative} where {batch.relative} was expected")
        if isinstance(result, BaseException):
            raise result
        return result


def _rows(result: RawBatch | BaseException) -> int:
    return 0 if isinstance(result, BaseException) else len(result.frame)
