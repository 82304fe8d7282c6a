"""Validate batches: batch-level checks reject a batch, row-level checks give each bad row its
reasons. Works the same for `check` (nothing written) and `load`.

Each file gets its own batch suite run (columns, volume). The rows of the accepted files of a
group (consecutive files of one source, up to `store.GROUP_ROWS` rows) are then validated
together in one rows-suite run, because a run costs a fixed time (most of all in Great
Expectations); each row carries its file and day, so every check stays per batch.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from ccmetrics.contract import Source
from ccmetrics.guard.casting import cast_batch, check_drift, repeated_keys
from ccmetrics.guard.context_columns import (
    POSITION,
    Lookup,
    add_context,
    ensure_run_ids,
    remember_batch,
)
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.messages import describe
from ccmetrics.guard.reading import SOURCE_ROW, Batch, RawBatch, read_batch
from ccmetrics.guard.rules import (
    VOLUME_MIN_HISTORY,
    VOLUME_SAME_WEEKDAYS,
    GuardSettings,
    rules_for,
)
from ccmetrics.guard.store import ACCEPTED_SQL, RECONCILIATION
from ccmetrics.guard.suites import BATCH_COLUMN, DAY_END_COLUMN, DAY_START_COLUMN, batch_key

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ccmetrics.guard.check_results import Runtime

KEYS_VIEW = "_guard_keys"


@dataclass
class BatchOutcome:
    raw: RawBatch
    typed: pd.DataFrame
    """Contract columns in contract types, plus `_source_row`, indexed by `_source_row`."""
    row_reasons: dict[int, list[str]]
    warnings: list[str] = field(default_factory=list)
    clamped: frozenset[int] = frozenset()
    """Rows whose timestamps were clamped for clock skew (within the tolerance)."""

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

    @property
    def rows_clamped(self) -> int:
        """Good rows (loaded) whose timestamps were clamped."""
        return len(self.clamped - set(self.row_reasons))


@dataclass
class _Typed:
    raw: RawBatch
    typed: pd.DataFrame
    type_reasons: dict[int, list[str]]
    warnings: list[str]
    clamped: frozenset[int]


@dataclass(frozen=True)
class VolumeBand:
    """Rows a batch may have, from the same weekday's accepted history."""

    min_rows: int
    max_rows: int | None
    median: float
    weeks: int

    def holds(self, rows: int) -> bool:
        return rows >= self.min_rows and (self.max_rows is None or rows <= self.max_rows)

    def describe(self, day: dt.date, band: float) -> str:
        weekday = day.strftime("%A")
        return (
            f"{self.min_rows} to {self.max_rows} rows (median {self.median:g} of the last "
            f"{self.weeks} {weekday}s, / and x {band:g}, --volume-band)"
        )


def clamp_clock_skew(
    source: Source, typed: pd.DataFrame, tolerance_seconds: float
) -> frozenset[int]:
    """Raise a later timestamp up to the earlier one where an order is broken by at most
    `tolerance_seconds` (one system's clock a second behind another's); returns those rows.

    Larger violations are left for the `order` check to quarantine. A clamp can expose the
    next order of a chain (queued, connected, ended), so the orders are applied until none
    changes anything."""
    import pandas as pd

    if tolerance_seconds <= 0 or typed.empty:
        return frozenset()
    orders = [
        order
        for order in rules_for(source).orders
        if source.column(order.earlier).type == "timestamp"
        and source.column(order.later).type == "timestamp"
    ]
    tolerance = pd.Timedelta(seconds=tolerance_seconds)
    clamped = pd.Series(False, index=typed.index)
    for _ in range(len(orders) + 1):
        changed = False
        for order in orders:
            earlier = typed[order.earlier]
            later = typed[order.later]
            gap = earlier - later
            within = (gap > pd.Timedelta(0)) & (gap <= tolerance)
            within = within.fillna(False).astype(bool)
            if within.any():
                typed.loc[within, order.later] = earlier[within]
                clamped |= within
                changed = True
        if not changed:
            break
    return frozenset(int(row) for row in typed.index[clamped.to_numpy()])


Validated = BatchOutcome | BatchRejected


class Validator:
    """Validates batches in load order, remembering what each accepted batch delivered."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        lookup: Lookup,
        runtime: Runtime,
        now: dt.datetime,
        settings: GuardSettings | None = None,
        unknown_customer_ids: tuple[str, ...] | None = None,
        remember_ids: bool = True,
    ) -> None:
        """`remember_ids`: keep the ids of accepted batches for the later batches of the run;
        a load need not, since it writes each accepted batch to the tables `lookup` reads
        before it validates the next group."""
        from ccmetrics.contract import unknown_customer_ids as configured_unknown_ids

        self.con = con
        self.lookup = lookup
        self.runtime = runtime
        self.now = now
        self.settings = settings if settings is not None else GuardSettings()
        self.unknown_customer_ids = (
            unknown_customer_ids if unknown_customer_ids is not None else configured_unknown_ids()
        )
        self._run_volumes: dict[tuple[str, dt.date], int] = {}
        self._earlier_volumes: dict[str, dict[dt.date, int]] = {}
        self.remember_ids = remember_ids
        ensure_run_ids(con)

    def _earlier(self, source: str) -> dict[dt.date, int]:
        """Rows of each day's latest accepted batch of `source` before this run, read once per
        run and source (a query per batch cost 2-3 s of a 10 M-contact load). This run's own
        batches are in `_run_volumes`, which overrides these."""
        if source not in self._earlier_volumes:
            table = self.lookup.raw_table(RECONCILIATION)
            rows = (
                self.con.execute(
                    f"select batch_date, arg_max(rows_read, finished_at) from {table} "
                    f"where source = ? and status in ({ACCEPTED_SQL}) group by batch_date",
                    [source],
                ).fetchall()
                if table is not None
                else []
            )
            self._earlier_volumes[source] = {day: int(count) for day, count in rows}
        return self._earlier_volumes[source]

    def _history(self, source: str, day: dt.date) -> list[int]:
        """Rows of the accepted batches of the same weekday in the last weeks."""
        days = [day - dt.timedelta(weeks=week) for week in range(1, VOLUME_SAME_WEEKDAYS + 1)]
        earlier = self._earlier(source)
        volumes = {batch_day: earlier[batch_day] for batch_day in days if batch_day in earlier}
        for (name, batch_day), count in self._run_volumes.items():
            if name == source and batch_day in days:
                volumes[batch_day] = count
        return list(volumes.values())

    def volume_band(self, batch: Batch) -> VolumeBand | None:
        """The band a batch's row count must fall in; None when the check does not apply."""
        if not rules_for(batch.source).daily_volume:
            return None
        history = self._history(batch.source.name, batch.day)
        if len(history) < VOLUME_MIN_HISTORY:
            return None
        median = statistics.median(history)
        if median == 0:
            # A weekday the center is usually closed: no ratio can judge it.
            return VolumeBand(0, None, median, len(history))
        band = self.settings.volume_band
        return VolumeBand(
            max(1, math.floor(median / band)), math.ceil(median * band), median, len(history)
        )

    def _batch_checks(self, raw: RawBatch, check_volume: bool) -> list[str]:
        batch = raw.batch
        warnings: list[str] = []
        band = self.volume_band(batch) if check_volume else None
        if band is not None and batch.day in self.settings.accepted_volume_days:
            if not band.holds(len(raw.frame)):
                warnings.append(
                    f"{batch.relative}: {len(raw.frame)} rows, outside the volume band "
                    f"{band.describe(batch.day, self.settings.volume_band)}: accepted by "
                    f"--accept-volume {batch.day}"
                )
            band = None
        min_rows, max_rows = (band.min_rows, band.max_rows) if band else (0, None)
        result = self.runtime.validate(
            batch.source, "batch", raw.frame, {"min_rows": min_rows, "max_rows": max_rows}
        )
        if len(raw.frame) == 0 and rules_for(batch.source).daily_volume and band is None:
            warnings.append(
                f"{batch.relative}: empty batch accepted (no same-weekday volume history to "
                "compare with, a weekday the center is usually closed, a sparse source, or "
                "--accept-volume)"
            )
        for item in result:
            check = item.meta["check"]
            if item.success:
                continue
            if check == "schema":
                raise BatchRejected(
                    batch.relative,
                    "schema",
                    f"every contract column of {batch.source.name}",
                    f"missing columns {sorted(item.mismatched.get('missing', []))}",
                )
            if check == "schema_extra":
                warnings.append(
                    f"{batch.relative}: unexpected extra columns "
                    f"{sorted(item.mismatched.get('unexpected', []))} (not loaded)"
                )
                continue
            if check == "volume" and band is not None:
                observed = item.observed_value
                accept = f"if the day is right, rerun with --accept-volume {batch.day}"
                if observed == 0:
                    raise BatchRejected(
                        batch.relative,
                        "not empty",
                        f"at least one row (the last {band.weeks} "
                        f"{batch.day.strftime('%A')}s had a median of {band.median:g})",
                        f"an empty batch; {accept}",
                    )
                raise BatchRejected(
                    batch.relative,
                    "volume",
                    band.describe(batch.day, self.settings.volume_band),
                    f"{observed} rows; {accept}",
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
        clamped = clamp_clock_skew(raw.batch.source, typed.frame, self.settings.clock_skew_seconds)
        return _Typed(raw, typed.frame, typed.type_reasons, warnings, clamped)

    def _combined(self, parts: list[_Typed]) -> pd.DataFrame:
        import pandas as pd

        frames = []
        for part in parts:
            day_start, day_end = part.raw.batch.day_bounds
            frame = part.typed.copy()
            frame[BATCH_COLUMN] = part.raw.batch.relative
            frame[DAY_START_COLUMN] = day_start
            frame[DAY_END_COLUMN] = day_end
            frames.append(frame)
        combined = pd.concat(frames, ignore_index=True)
        for column in (DAY_START_COLUMN, DAY_END_COLUMN):
            combined[column] = combined[column].astype("datetime64[us]")
        return combined

    def _row_reasons(self, parts: list[_Typed]) -> pd.DataFrame:
        """The rows of the combined frame that fail a row expectation, with their reasons."""
        import pandas as pd

        source = parts[0].raw.batch.source
        combined = self._combined(parts)
        # Exact duplicate rows are a fact of real feeds and staging keeps one of them, so they
        # are validated once; the same key with different content still fails uniqueness.
        # Only rows sharing their key can be exact duplicates: the others are not hashed.
        shared_key = rows_sharing_key(self.con, combined, [*batch_key(source), BATCH_COLUMN])
        positions = pd.Series(combined.index.to_numpy(), index=combined.index)
        first_of = positions.copy()
        distinct = combined
        if shared_key.any():
            repeated = combined[shared_key]
            fingerprint = pd.util.hash_pandas_object(
                repeated[[*source.column_names, BATCH_COLUMN]], index=False
            )
            first_of[shared_key] = (
                positions[shared_key].groupby(fingerprint.to_numpy()).transform("first")
            )
            distinct = combined[first_of.to_numpy() == positions.to_numpy()]
        frame = add_context(self.con, source, distinct, self.lookup, self.unknown_customer_ids)
        result = self.runtime.validate(source, "rows", frame, {"now": self.now})
        reasons: dict[int, list[str]] = {}
        for item in result:
            if item.error is not None:
                files = ", ".join(p.raw.batch.relative for p in parts)
                raise BatchRejected(
                    files, item.meta["check"], item.meta["reason"], f"an error: {item.error}"
                )
            for position in item.unexpected_index:
                text = describe(source, item.meta, frame.loc[position], self.now)
                found = reasons.setdefault(int(position), [])
                if text not in found:
                    found.append(text)
        failing = combined.loc[first_of.isin(list(reasons)), [BATCH_COLUMN, SOURCE_ROW]]
        failing["_reasons"] = pd.Series(
            [reasons[int(first)] for first in first_of[failing.index]],
            index=failing.index,
            dtype="object",
        )
        return failing

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
                found = {
                    int(row): list(texts)
                    for row, texts in zip(rows[SOURCE_ROW], rows["_reasons"], strict=True)
                }
                reasons = {
                    row: part.type_reasons.get(row, []) + found.get(row, [])
                    for row in sorted(set(part.type_reasons) | set(found))
                }
                warnings = part.warnings + _row_warnings(part, reasons)
                results[part.raw.batch.relative] = BatchOutcome(
                    part.raw, part.typed, reasons, warnings, part.clamped
                )
        return [results[raw.batch.relative] for raw in raws]

    def read(self, con: duckdb.DuckDBPyConnection, batch: Batch) -> RawBatch:
        """The batch's file as delivered, read through `con` (the reader's own connection)."""
        return read_batch(con, batch)

    def accept(self, outcome: BatchOutcome) -> None:
        """Record an accepted batch so that later batches in the run can refer to it."""
        batch = outcome.batch
        self._run_volumes[(batch.source.name, batch.day)] = outcome.rows_read
        if self.remember_ids:
            remember_batch(self.con, batch.source, outcome.typed)

    def forget_volume(self, batch: Batch) -> None:
        """A batch rejected after its batch checks must not count in later volume bands."""
        self._run_volumes.pop((batch.source.name, batch.day), None)


def rows_sharing_key(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, columns: list[str]
) -> np.ndarray:
    """Which rows of `frame` share their values of `columns` with another row, nulls equal
    to each other (`DataFrame.duplicated(columns, keep=False)`). DuckDB groups a million
    contact keys in a quarter of the time pandas takes to factorize them."""
    import numpy as np

    repeated, matches = repeated_keys(KEYS_VIEW, columns, "repeated")
    con.register(KEYS_VIEW, frame[columns].assign(**{POSITION: np.arange(len(frame))}))
    try:
        positions = con.execute(
            f"select {POSITION} from {KEYS_VIEW} semi join {repeated} on {matches}"
        ).fetchnumpy()[POSITION]
    finally:
        con.unregister(KEYS_VIEW)
    shared = np.zeros(len(frame), dtype=bool)
    shared[positions] = True
    return shared


def _row_warnings(part: _Typed, reasons: dict[int, list[str]]) -> list[str]:
    """The source's warnings about its good rows (they load; the user should know)."""
    good = part.typed[~part.typed.index.isin(list(reasons))]
    found: list[str] = []
    for rule in rules_for(part.raw.batch.source).warnings:
        flagged = good[rule.set_column].notna() & good[rule.null_column].isna()
        if rule.unless is not None:
            column, values = rule.unless
            flagged &= ~good[column].isin(values)
        count = int(flagged.sum())
        if count:
            found.append(f"{part.raw.batch.relative}: {count} {rule.message}")
    return found
