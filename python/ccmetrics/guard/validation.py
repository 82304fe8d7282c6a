"""Validate batches: batch-level checks reject a batch, row-level checks give each bad row its
reasons. Works the same for `check` (nothing written) and `load`.

Each file gets its own batch suite run (columns, volume). The rows of every accepted file of
one source are then validated together in one rows-suite run, because Great Expectations costs
a fixed time per expectation and run; each row carries its file and day, so every check stays
per batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from ccmetrics.guard.casting import cast_batch, check_drift
from ccmetrics.guard.context_columns import Lookup, add_context, ensure_run_ids, remember_batch
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.reading import SOURCE_ROW, Batch, RawBatch, read_batch
from ccmetrics.guard.rules import VOLUME_FACTOR, VOLUME_HISTORY_DAYS, VOLUME_MIN_HISTORY, rules_for
from ccmetrics.guard.suites import BATCH_COLUMN, DAY_END_COLUMN, DAY_START_COLUMN

if TYPE_CHECKING:
    import pandas as pd

    from ccmetrics.guard.gx_runtime import GxRuntime

RECONCILIATION = "_load_reconciliation"
ACCEPTED_STATUSES = ("loaded", "loaded_with_quarantine")


@dataclass
class BatchOutcome:
    raw: RawBatch
    typed: pd.DataFrame
    """Contract columns in contract types, plus `_source_row`, indexed by `_source_row`."""
    row_reasons: dict[int, list[str]]
    warnings: list[str] = field(default_factory=list)

    @property
    def batch(self) -> Batch:
        return self.raw.batch

    @property
    def rows_read(self) -> int:
        return len(self.typed)

    @property
    def rows_quarantined(self) -> int:
        return len(self.row_reasons)

    @property
    def rows_good(self) -> int:
        return self.rows_read - self.rows_quarantined


@dataclass
class _Typed:
    raw: RawBatch
    typed: pd.DataFrame
    type_reasons: dict[int, list[str]]
    warnings: list[str]


Validated = BatchOutcome | BatchRejected


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time())
    return start, start + dt.timedelta(days=1) - dt.timedelta(microseconds=1)


class Validator:
    """Validates batches in load order, remembering what each accepted batch delivered."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, lookup: Lookup, runtime: GxRuntime, now: dt.datetime
    ) -> None:
        self.con = con
        self.lookup = lookup
        self.runtime = runtime
        self.now = now
        self._run_volumes: dict[tuple[str, dt.date], int] = {}
        ensure_run_ids(con)

    def _history(self, source: str, day: dt.date) -> list[int]:
        first = day - dt.timedelta(days=VOLUME_HISTORY_DAYS)
        volumes: dict[dt.date, int] = {}
        table = self.lookup.raw_table(RECONCILIATION)
        if table is not None:
            statuses = ", ".join(f"'{s}'" for s in ACCEPTED_STATUSES)
            rows = self.con.execute(
                f"select batch_date, arg_max(rows_read, finished_at) from {table} "
                f"where source = ? and batch_date >= ? and batch_date < ? "
                f"and status in ({statuses}) group by batch_date",
                [source, first, day],
            ).fetchall()
            volumes.update({batch_date: int(count) for batch_date, count in rows})
        for (name, batch_day), count in self._run_volumes.items():
            if name == source and first <= batch_day < day:
                volumes[batch_day] = count
        return list(volumes.values())

    def volume_band(self, batch: Batch) -> tuple[int, int | None]:
        if not rules_for(batch.source).daily_volume:
            return 0, None
        history = self._history(batch.source.name, batch.day)
        if len(history) < VOLUME_MIN_HISTORY:
            return 0, None
        average = sum(history) / len(history)
        # An empty day is a failure for a source that had rows every day; a sparse source (a
        # small center's QA evaluations) may legitimately have none.
        floor = 1 if min(history) > 0 else 0
        return max(floor, int(average / VOLUME_FACTOR)), int(average * VOLUME_FACTOR) + 1

    def _batch_checks(self, raw: RawBatch, check_volume: bool) -> list[str]:
        batch = raw.batch
        min_rows, max_rows = self.volume_band(batch) if check_volume else (0, None)
        result = self.runtime.validate(
            batch.source, "batch", raw.frame, {"min_rows": min_rows, "max_rows": max_rows}
        )
        warnings: list[str] = []
        if len(raw.frame) == 0 and rules_for(batch.source).daily_volume:
            warnings.append(
                f"{batch.relative}: empty batch accepted (no volume history to "
                "compare with, or a sparse source)"
            )
        for item in result.results:
            check = item.expectation_config.meta["check"]
            if item.success:
                continue
            details = (item.result.get("details") or {}).get("mismatched") or {}
            if check == "schema":
                raise BatchRejected(
                    batch.relative,
                    "schema",
                    f"every contract column of {batch.source.name}",
                    f"missing columns {sorted(details.get('missing', []))}",
                )
            if check == "schema_extra":
                warnings.append(
                    f"{batch.relative}: unexpected extra columns "
                    f"{sorted(details.get('unexpected', []))} (not loaded)"
                )
                continue
            if check == "volume":
                observed = item.result.get("observed_value")
                if observed == 0:
                    raise BatchRejected(
                        batch.relative, "not empty", "at least one row", "an empty batch"
                    )
                band = f"{min_rows} to {max_rows}" if max_rows is not None else f">= {min_rows}"
                raise BatchRejected(
                    batch.relative,
                    "volume",
                    f"{band} rows (within x{VOLUME_FACTOR:g} of the trailing "
                    f"{VOLUME_HISTORY_DAYS}-day average)",
                    f"{observed} rows",
                )
        return warnings

    def _prepare(self, raw: RawBatch, check_volume: bool) -> _Typed:
        warnings = self._batch_checks(raw, check_volume)
        check_drift(raw)
        try:
            typed = cast_batch(self.con, raw)
        except duckdb.Error as exc:
            raise BatchRejected(
                raw.batch.relative,
                "schema drift",
                "columns that cast to the contract types",
                str(exc).splitlines()[0][:200],
            ) from None
        self._run_volumes[(raw.batch.source.name, raw.batch.day)] = len(raw.frame)
        return _Typed(raw, typed.frame, typed.type_reasons, warnings)

    def _combined(self, parts: list[_Typed]) -> pd.DataFrame:
        import pandas as pd

        frames = []
        for part in parts:
            day_start, day_end = _day_bounds(part.raw.batch.day)
            frame = part.typed.copy()
            frame[BATCH_COLUMN] = part.raw.batch.relative
            frame[DAY_START_COLUMN] = day_start
            frame[DAY_END_COLUMN] = day_end
            frames.append(frame)
        combined = pd.concat(frames, ignore_index=True)
        for column in (DAY_START_COLUMN, DAY_END_COLUMN):
            combined[column] = combined[column].astype("datetime64[us]")
        return combined

    def _row_reasons(self, parts: list[_Typed]) -> pd.Series:
        """Reasons per row of the combined frame (index = position), empty lists for good rows."""
        import pandas as pd

        source = parts[0].raw.batch.source
        combined = self._combined(parts)
        # Exact duplicate rows are a fact of real feeds and staging keeps one of them, so they
        # are validated once; the same key with different content still fails uniqueness.
        fingerprint = pd.util.hash_pandas_object(
            combined[[*source.column_names, BATCH_COLUMN]], index=False
        )
        positions = pd.Series(combined.index.to_numpy(), index=combined.index)
        first_of = positions.groupby(fingerprint.to_numpy()).transform("first")
        distinct = combined[~fingerprint.duplicated()]
        frame = add_context(self.con, source, distinct, self.lookup)
        result = self.runtime.validate(source, "rows", frame, {"now": self.now})
        reasons: dict[int, list[str]] = {}
        for item in result.results:
            meta = item.expectation_config.meta
            if item.exception_info and item.exception_info.get("raised_exception"):
                files = ", ".join(p.raw.batch.relative for p in parts)
                raise BatchRejected(
                    files,
                    meta["check"],
                    meta["reason"],
                    f"an error: {item.exception_info.get('exception_message')}",
                )
            if item.success:
                continue
            text = f"{meta['check']}: {meta['reason']}"
            for position in item.result.get("unexpected_index_list") or []:
                found = reasons.setdefault(int(position), [])
                if text not in found:
                    found.append(text)
        column = pd.Series(
            [reasons.get(int(first), []) for first in first_of],
            index=combined.index,
            dtype="object",
        )
        combined["_reasons"] = column
        return combined[[BATCH_COLUMN, SOURCE_ROW, "_reasons"]]

    def validate_many(self, raws: list[RawBatch], check_volume: bool = True) -> list[Validated]:
        """Validate batches of one source, in day order; a rejection stops only its batch."""
        prepared: list[_Typed] = []
        results: dict[str, Validated] = {}
        for raw in raws:
            try:
                prepared.append(self._prepare(raw, check_volume))
            except BatchRejected as exc:
                results[raw.batch.relative] = exc
        if prepared:
            try:
                per_row = self._row_reasons(prepared)
            except BatchRejected as exc:
                return [results.get(raw.batch.relative, exc) for raw in raws]
            for part in prepared:
                rows = per_row[per_row[BATCH_COLUMN] == part.raw.batch.relative]
                reasons: dict[int, list[str]] = {}
                for source_row, found in zip(rows[SOURCE_ROW], rows["_reasons"], strict=True):
                    row = int(source_row)
                    combined = part.type_reasons.get(row, []) + list(found)
                    if combined:
                        reasons[row] = combined
                results[part.raw.batch.relative] = BatchOutcome(
                    part.raw, part.typed, reasons, part.warnings
                )
        return [results[raw.batch.relative] for raw in raws]

    def read(self, batch: Batch) -> RawBatch:
        return read_batch(self.con, batch)

    def validate(self, batch: Batch) -> BatchOutcome:
        """One batch on its own; raises BatchRejected."""
        (result,) = self.validate_many([self.read(batch)])
        if isinstance(result, BatchRejected):
            raise result
        return result

    def accept(self, outcome: BatchOutcome) -> None:
        """Record an accepted batch so that later batches in the run can refer to it."""
        batch = outcome.batch
        self._run_volumes[(batch.source.name, batch.day)] = outcome.rows_read
        remember_batch(self.con, batch.source, outcome.typed)

    def forget_volume(self, batch: Batch) -> None:
        """A batch rejected after its batch checks must not count in later volume bands."""
        self._run_volumes.pop((batch.source.name, batch.day), None)
