"""Landing files: rows buffered by the day they belong to, written as one Parquet per day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ccmetrics.contract import SOURCES, source
from ccmetrics.generator.config import GenerationSummary
from ccmetrics.generator.schema import arrow_schema

DAY = 86400
MANIFEST = "_manifest.json"


def _column(values: Sequence[object] | np.ndarray | pa.Array, type_: pa.DataType) -> pa.Array:
    if isinstance(values, pa.Array):
        return values.cast(type_)
    if pa.types.is_timestamp(type_):
        seconds = np.asarray(values, dtype=float)
        missing = np.isnan(seconds)
        micros = np.where(missing, 0, np.round(seconds * 1_000_000)).astype(np.int64)
        return pa.array(micros, type=type_, mask=missing if missing.any() else None)
    if pa.types.is_floating(type_):
        return pa.array(np.asarray(values, dtype=float), type=type_, from_pandas=True)
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return pa.array(values.tolist(), type=type_)
    return pa.array(values, type=type_)


def to_table(
    source_name: str, columns: Mapping[str, Sequence[object] | np.ndarray | pa.Array]
) -> pa.Table:
    """A table in the contract schema from epoch-second timestamps and plain values."""
    schema = arrow_schema(source_name)
    return pa.Table.from_arrays(
        [_column(columns[field.name], field.type) for field in schema], schema=schema
    )


def day_numbers(table: pa.Table, column: str) -> np.ndarray:
    """Days since 1970-01-01 of a timestamp or date column."""
    values = table.column(column)
    if pa.types.is_date(values.type):
        return pc.cast(values, pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    micros = pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)
    return np.floor_divide(micros, DAY * 1_000_000)


def _write_file(source_name: str, parts: list[pa.Table], path: Path) -> None:
    spec = source(source_name)
    table = pa.concat_tables(parts) if parts else arrow_schema(source_name).empty_table()
    if table.num_rows:
        table = table.sort_by([(spec.day_column, "ascending"), (spec.key, "ascending")])
    pq.write_table(table, path, compression="zstd")


class LandingWriter:
    """Collects rows per source and file day; writes a day once nothing more can arrive."""

    def __init__(
        self, out_dir: Path, start: dt.date, days: int, summary: GenerationSummary
    ) -> None:
        self._out = out_dir
        self._first = (start - dt.date(1970, 1, 1)).days
        self._days = days
        self._summary = summary
        self._buffers: dict[tuple[str, int], list[pa.Table]] = {}
        self._written = -1
        self._thread = ThreadPoolExecutor(max_workers=1)
        self._writes: list[Future[None]] = []
        for spec in SOURCES:
            (out_dir / spec.name).mkdir(parents=True, exist_ok=True)

    @property
    def summary(self) -> GenerationSummary:
        return self._summary

    def add(
        self,
        source_name: str,
        columns: Mapping[str, Sequence[object] | np.ndarray | pa.Array],
        file_days: np.ndarray | None = None,
    ) -> None:
        """Buffer rows; by default each goes to the file of its contract day column."""
        table = to_table(source_name, columns)
        if table.num_rows == 0:
            return
        if file_days is None:
            file_days = day_numbers(table, source(source_name).day_column)
        offsets = np.asarray(file_days) - self._first
        for offset in np.unique(offsets):
            if offset <= self._written:
                raise RuntimeError(f"{source_name}: day {offset} was already written")
            if offset >= self._days:
                # After the period: not delivered yet.
                continue
            rows = table.filter(pa.array(offsets == offset))
            self._buffers.setdefault((source_name, int(offset)), []).append(rows)

    def flush(self, through: int) -> None:
        """Write every file up to day offset `through`.

        Arrow sorts, compresses and writes without the GIL, so a thread does it while the
        caller builds the next day's rows; the previous flush's files are finished first,
        which keeps at most one flush in memory."""
        self.wait()
        for offset in range(self._written + 1, min(through, self._days - 1) + 1):
            day = dt.date(1970, 1, 1) + dt.timedelta(days=self._first + offset)
            for spec in SOURCES:
                parts = self._buffers.pop((spec.name, offset), [])
                path = self._out / spec.name / f"{day.isoformat()}.parquet"
                self._writes.append(self._thread.submit(_write_file, spec.name, parts, path))
                self._summary.add(spec.name, day, sum(part.num_rows for part in parts))
            self._written = offset

    def wait(self) -> None:
        """Until every file flushed so far is written (raises what writing one raised)."""
        writes, self._writes = self._writes, []
        for write in writes:
            write.result()

    def write_manifest(self) -> Path:
        self.wait()
        self._thread.shutdown()
        summary = self._summary
        manifest = {
            "generator": "ccmetrics.generator",
            "config": summary.config.as_dict(),
            "seed": summary.config.seed,
            "days": [
                (summary.config.start + dt.timedelta(days=i)).isoformat()
                for i in range(summary.config.days)
            ],
            "rows": summary.rows,
            "total_rows": {name: summary.total(name) for name in summary.rows},
        }
        path = self._out / MANIFEST
        path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path
