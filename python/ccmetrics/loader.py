"""Load landing batches into the warehouse's `raw` schema behind the quality guard.

A batch is one (source, day) file. Each batch is validated first (`ccmetrics.guard`):
- a batch-level failure rejects the whole batch: nothing of it is written, the rejection is
  logged in `raw._load_reconciliation`;
- rows failing a row-level check go to `raw._quarantine` with every reason; the good rows load.

A batch is written in one transaction that first removes what an earlier delivery of the same
batch left (rows and open quarantine entries), so re-delivering a day never double counts.
A re-delivery that would leave fewer good rows than are loaded for its day is refused unless
`replace` is given; master data (customers, agents) is upserted instead: a delivery replaces
the records it holds and keeps the day's others. Every batch stores its reconciliation: rows
read = rows loaded + rows quarantined (+ rows rejected, for a rejected or refused batch, which
loads nothing), and how many earlier rows it replaced and how many it clamped for clock skew.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import ALL_SOURCES, LOADER_COLUMNS, Source
from ccmetrics.guard.casting import DUCKDB_TYPES
from ccmetrics.guard.context_columns import QUARANTINE, Lookup
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.reading import SOURCE_ROW, Batch, RawBatch, discover, file_sha256
from ccmetrics.guard.rules import GuardSettings, rules_for
from ccmetrics.paths import warehouse_path
from ccmetrics.private_files import creating_private_files, private_files, restrict

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from ccmetrics.guard.gx_runtime import GxRuntime
    from ccmetrics.guard.validation import BatchOutcome, Validator

RAW = "raw"
RECONCILIATION = "_load_reconciliation"
CORRECTIONS_PREFIX = "corrections/"

QUARANTINE_DDL = f"""
create table if not exists {RAW}.{QUARANTINE} (
    run_id varchar, source varchar, batch_date date, source_file varchar, source_row bigint,
    key_value varchar, row_json varchar, reasons varchar, status varchar,
    quarantined_at timestamp, closed_at timestamp, closed_by_run varchar
)"""
RECONCILIATION_DDL = f"""
create table if not exists {RAW}.{RECONCILIATION} (
    run_id varchar, source varchar, batch_date date, source_file varchar, file_sha256 varchar,
    rows_read bigint, rows_loaded bigint, rows_quarantined bigint, rows_rejected bigint,
    rows_replaced bigint, status varchar, check_name varchar, message varchar,
    started_at timestamp, finished_at timestamp, rows_clamped bigint
)"""
RECONCILIATION_ADDED = (("rows_clamped", "bigint"),)
"""Columns added after the first release: a warehouse that predates them gets them on load."""
RECONCILIATION_COLUMNS = (
    "run_id",
    "source",
    "batch_date",
    "source_file",
    "file_sha256",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "rows_rejected",
    "rows_replaced",
    "status",
    "check_name",
    "message",
    "started_at",
    "finished_at",
    "rows_clamped",
)
REFUSED_SHRINK = "refused_shrink"
GROUP_BATCHES = 4
"""Batches of one source validated together: Great Expectations costs a fixed time per run,
so a few days share one, but memory holds one group only."""


@dataclass(frozen=True)
class Reconciliation:
    source: str
    source_file: str
    batch_date: dt.date | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_rejected: int
    rows_replaced: int
    """Rows of earlier deliveries this batch removed (replaced by its own)."""
    status: str
    """loaded, loaded_with_quarantine, rejected, refused_shrink (would remove good rows),
    unchanged (same file already loaded), checked, corrected."""
    message: str = ""
    check: str = ""
    rows_clamped: int = 0
    """Loaded rows whose timestamps were clamped for clock skew."""

    @property
    def adds_up(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_rejected


@dataclass
class RunReport:
    run_id: str
    batches: list[Reconciliation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    docs_index: Path | None = None
    validation_seconds: float = 0.0
    row_issues: list[tuple[str, int, list[str]]] = field(default_factory=list)
    """(file, row, reasons) of every quarantined (or, for `check`, failing) row."""

    @property
    def rejected(self) -> list[Reconciliation]:
        return [b for b in self.batches if b.status == "rejected"]

    @property
    def refused(self) -> list[Reconciliation]:
        return [b for b in self.batches if b.status == REFUSED_SHRINK]

    def total(self, attribute: str) -> int:
        return sum(int(getattr(b, attribute)) for b in self.batches)


Progress = Callable[[Reconciliation], None]


def _quote(name: str) -> str:
    return '"' + name + '"'


def raw_table_ddl(source: Source) -> str:
    columns = [f"{_quote(c.name)} {DUCKDB_TYPES[c.type]}" for c in source.columns]
    columns += [
        "_batch_date date",
        "_source_file varchar",
        "_source_row bigint",
        "_loaded_at timestamp",
    ]
    return f"create table if not exists {RAW}.{source.name} ({', '.join(columns)})"


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table exists (empty if never loaded), so dbt staging always builds."""
    con.execute(f"create schema if not exists {RAW}")
    for source in ALL_SOURCES:
        con.execute(raw_table_ddl(source))
    con.execute(QUARANTINE_DDL)
    con.execute(RECONCILIATION_DDL)
    for name, kind in RECONCILIATION_ADDED:
        con.execute(f"alter table {RAW}.{RECONCILIATION} add column if not exists {name} {kind}")


def connect(db: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; for writing, it and its write-ahead log get the PII file mode
    (`ccmetrics.private_files`): its raw tables hold phone numbers and e-mail addresses."""
    import duckdb

    path = db if db is not None else warehouse_path()
    if read_only:
        con = duckdb.connect(str(path), read_only=True)
    else:
        with private_files():
            path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(path))
        restrict(path)
        restrict(path.with_name(path.name + ".wal"))
    con.execute("set TimeZone = 'UTC'")
    return con


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str | None) -> frozenset[str]:
    catalog_filter = f" and database_name = '{catalog}'" if catalog else ""
    rows = con.execute(
        f"select table_name from duckdb_tables() where schema_name = '{RAW}'{catalog_filter}"
    ).fetchall()
    return frozenset(name for (name,) in rows)


def _row_json(raw: RawBatch, row: int) -> str:
    import pandas as pd

    record = raw.frame.loc[row].drop(labels=[SOURCE_ROW])
    return json.dumps({k: None if pd.isna(v) else str(v) for k, v in record.items()})


def _validator(
    con: duckdb.DuckDBPyConnection,
    lookup: Lookup,
    docs_dir: Path | None,
    now: dt.datetime,
    runtime: GxRuntime | None = None,
    settings: GuardSettings | None = None,
) -> Validator:
    from ccmetrics.guard.gx_runtime import GxRuntime
    from ccmetrics.guard.validation import Validator

    return Validator(con, lookup, runtime or GxRuntime(docs_dir), now, settings)


def _loaded_sha(con: duckdb.DuckDBPyConnection, batch: Batch) -> str | None:
    row = con.execute(
        f"select arg_max(file_sha256, finished_at) from {RAW}.{RECONCILIATION} "
        "where source = ? and batch_date = ? and status <> 'unchanged'",
        [batch.source.name, batch.day],
    ).fetchall()[0]
    last = row[0] if row else None
    accepted = con.execute(
        f"select count(*) from {RAW}.{RECONCILIATION} where source = ? and batch_date = ? "
        "and file_sha256 = ? and status in ('loaded', 'loaded_with_quarantine')",
        [batch.source.name, batch.day, last],
    ).fetchall()[0]
    return last if accepted and accepted[0] else None


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def _log(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rec: Reconciliation,
    sha: str | None,
    started: dt.datetime,
) -> None:
    columns = ", ".join(RECONCILIATION_COLUMNS)
    marks = ", ".join("?" for _ in RECONCILIATION_COLUMNS)
    con.execute(
        f"insert into {RAW}.{RECONCILIATION} ({columns}) values ({marks})",
        [
            run_id,
            rec.source,
            rec.batch_date,
            rec.source_file,
            sha,
            rec.rows_read,
            rec.rows_loaded,
            rec.rows_quarantined,
            rec.rows_rejected,
            rec.rows_replaced,
            rec.status,
            rec.check,
            rec.message,
            started,
            _utcnow(),
            rec.rows_clamped,
        ],
    )


def _good_rows(
    outcome: BatchOutcome, source_file: str, batch_date: dt.date, loaded_at: dt.datetime
) -> pd.DataFrame:
    typed = outcome.typed
    good = typed[~typed.index.isin(list(outcome.row_reasons))]
    frame = good[list(outcome.batch.source.column_names)].copy()
    frame["_batch_date"] = batch_date
    frame["_source_file"] = source_file
    frame[SOURCE_ROW] = good[SOURCE_ROW].astype("int64")
    frame["_loaded_at"] = loaded_at
    return frame


def _quarantine_rows(
    outcome: BatchOutcome, run_id: str, source_file: str, batch_date: dt.date, now: dt.datetime
) -> list[list[object]]:
    source = outcome.batch.source
    rows: list[list[object]] = []
    for row, reasons in sorted(outcome.row_reasons.items()):
        key = outcome.typed.at[row, source.key]
        rows.append(
            [
                run_id,
                source.name,
                batch_date,
                source_file,
                row,
                None if key is None or key != key else str(key),
                _row_json(outcome.raw, row),
                json.dumps(reasons),
                "open",
                now,
                None,
                None,
            ]
        )
    return rows


def _insert_good(con: duckdb.DuckDBPyConnection, source: Source, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("_guard_good_rows", frame)
    try:
        names = ", ".join(_quote(c) for c in (*source.column_names, *LOADER_COLUMNS))
        con.execute(
            f"insert into {RAW}.{source.name} ({names}) select {names} from _guard_good_rows"
        )
    finally:
        con.unregister("_guard_good_rows")


def _store_outcome(
    con: duckdb.DuckDBPyConnection, run_id: str, outcome: BatchOutcome, now: dt.datetime
) -> None:
    """Insert a validated batch's good rows and quarantine the rest, with their reasons."""
    batch = outcome.batch
    _insert_good(con, batch.source, _good_rows(outcome, batch.relative, batch.day, now))
    quarantined = _quarantine_rows(outcome, run_id, batch.relative, batch.day, now)
    if quarantined:
        con.executemany(
            f"insert into {RAW}.{QUARANTINE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            quarantined,
        )


def _count(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[object]) -> int:
    return int(con.execute(sql, parameters).fetchall()[0][0])


def _refusal(outcome: BatchOutcome, loaded: int, left: int) -> Reconciliation:
    batch = outcome.batch
    message = (
        f"{batch.relative} would replace {loaded:,} loaded rows with {outcome.rows_good:,}"
        f"{'' if left == outcome.rows_good else f' (leaving {left:,})'}: refused; rerun with "
        "--replace to accept"
    )
    if outcome.row_reasons:
        row, reasons = min(outcome.row_reasons.items())
        message += (
            f". {outcome.rows_quarantined:,} of its rows fail the guard, e.g. row {row}: "
            f"{reasons[0]}"
        )
    return Reconciliation(
        batch.source.name,
        batch.relative,
        batch.day,
        outcome.rows_read,
        0,
        0,
        outcome.rows_read,
        0,
        REFUSED_SHRINK,
        message,
        "shrink",
    )


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    outcome: BatchOutcome,
    started: dt.datetime,
    replace: bool = False,
) -> Reconciliation:
    """Store a validated batch in place of the earlier delivery of its day.

    Without `replace`, a batch that would leave fewer rows for its day than are loaded is
    refused (nothing changes), and master data is upserted: only the day's rows of the keys
    it delivers are replaced."""
    batch = outcome.batch
    source = batch.source
    table = f"{RAW}.{source.name}"
    now = _utcnow()
    upsert = rules_for(source).upsert and not replace
    with _transaction(con):
        loaded = _count(con, f"select count(*) from {table} where _batch_date = ?", [batch.day])
        day_rows = "_batch_date = ?"
        parameters: list[object] = [batch.day]
        quarantined = "source = ? and batch_date = ? and status = 'open'"
        if upsert:
            # A good row replaces the day's loaded rows of its key; a bad one replaces only
            # the key's open quarantine entry, so a broken update never deletes good data.
            delivered = outcome.typed[[source.key]].assign(
                _good=~outcome.typed.index.isin(list(outcome.row_reasons))
            )
            con.register("_guard_delivered", delivered)
            day_rows += (
                f" and {source.key} in (select {source.key} from _guard_delivered where _good)"
            )
            quarantined += f" and key_value in (select {source.key} from _guard_delivered)"
        try:
            replaced = _count(con, f"select count(*) from {table} where {day_rows}", parameters)
            left = loaded - replaced + outcome.rows_good
            if left < loaded and not replace:
                rec = _refusal(outcome, loaded, left)
                _log(con, run_id, rec, outcome.raw.sha256, started)
                return rec
            con.execute(f"delete from {table} where {day_rows}", parameters)
            con.execute(
                f"update {RAW}.{QUARANTINE} set status = 'superseded', closed_at = ?, "
                f"closed_by_run = ? where {quarantined}",
                [now, run_id, source.name, batch.day],
            )
        finally:
            if upsert:
                con.unregister("_guard_delivered")
        _store_outcome(con, run_id, outcome, now)
        rec = Reconciliation(
            source.name,
            batch.relative,
            batch.day,
            outcome.rows_read,
            outcome.rows_good,
            outcome.rows_quarantined,
            0,
            replaced,
            "loaded_with_quarantine" if outcome.rows_quarantined else "loaded",
            "; ".join(outcome.warnings),
            rows_clamped=outcome.rows_clamped,
        )
        _log(con, run_id, rec, outcome.raw.sha256, started)
    return rec


def _rejection(batch: Batch | None, exc: BatchRejected, rows: int) -> Reconciliation:
    source = batch.source.name if batch else exc.file.split("/")[0]
    return Reconciliation(
        source,
        exc.file,
        batch.day if batch else None,
        rows,
        0,
        0,
        rows,
        0,
        "rejected",
        exc.message,
        exc.check,
    )


@creating_private_files
def load(
    landing: Path,
    db: Path | None = None,
    sources: tuple[str, ...] = (),
    day: dt.date | None = None,
    docs_dir: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    runtime: GxRuntime | None = None,
    settings: GuardSettings | None = None,
    replace: bool = False,
    group_batches: int = GROUP_BATCHES,
) -> RunReport:
    """Validate and load every batch under `landing` (optionally some sources or one day).

    `replace` lets a re-delivery remove rows (see `_write_batch`); `settings` holds the clock
    skew tolerance and the volume band. `runtime` reuses the Great Expectations context of an
    earlier run (tests, benchmarks). Batches stream through in groups of at most
    `group_batches` of one source (see `_by_source`), so memory is bounded by the largest
    group, not by the landing folder."""
    import time

    run_id = uuid.uuid4().hex[:12]
    report = RunReport(run_id)
    discovery = discover(landing, sources, day)
    report.warnings.extend(discovery.warnings)
    con = connect(db)
    try:
        ensure_raw_tables(con)
        now = _utcnow()
        validator = _validator(
            con, Lookup(RAW, _tables(con, None)), docs_dir, now, runtime, settings
        )
        for exc in discovery.rejected:
            _finish(con, report, _rejection(None, exc, 0), None, now, progress)
        for group in _by_source(discovery.batches, group_batches):
            started = _utcnow()
            raws: list[RawBatch] = []
            for batch in group:
                sha = file_sha256(batch.path)
                if not force and _loaded_sha(con, batch) == sha:
                    rec = _unchanged(batch)
                    _finish(con, report, rec, sha, started, progress)
                    continue
                try:
                    raws.append(validator.read(batch))
                except BatchRejected as exc:
                    _finish(con, report, _rejection(batch, exc, 0), sha, started, progress)
            tick = time.perf_counter()
            results = validator.validate_many(raws)
            report.validation_seconds += time.perf_counter() - tick
            for raw, result in zip(raws, results, strict=True):
                if isinstance(result, BatchRejected):
                    validator.forget_volume(raw.batch)
                    rec = _rejection(raw.batch, result, len(raw.frame))
                    _finish(con, report, rec, raw.sha256, started, progress)
                    continue
                rec = _write_batch(con, run_id, result, started, replace)
                if rec.status == REFUSED_SHRINK:
                    validator.forget_volume(raw.batch)
                else:
                    report.warnings.extend(result.warnings)
                    _collect_issues(report, result)
                    validator.accept(result)
                _record(report, rec, progress)
            # The next group is read while these names still hold this one: free it first.
            del raws, results
        report.docs_index = validator.runtime.build_docs(docs_dir)
    finally:
        con.close()
    return report


def _unchanged(batch: Batch) -> Reconciliation:
    return Reconciliation(
        batch.source.name,
        batch.relative,
        batch.day,
        0,
        0,
        0,
        0,
        0,
        "unchanged",
        "same file already loaded; --force reloads",
    )


def _by_source(batches: list[Batch], group_batches: int) -> list[list[Batch]]:
    """Consecutive batches of one source, at most `group_batches` to a group, in load order.

    Only one group is held in memory at a time: its batches are read, validated together
    (one Great Expectations run per group) and written before the next group is read."""
    size = max(1, group_batches)
    by_source: dict[str, list[Batch]] = {}
    for batch in batches:
        by_source.setdefault(batch.source.name, []).append(batch)
    return [
        members[first : first + size]
        for members in by_source.values()
        for first in range(0, len(members), size)
    ]


def _finish(
    con: duckdb.DuckDBPyConnection,
    report: RunReport,
    rec: Reconciliation,
    sha: str | None,
    started: dt.datetime,
    progress: Progress | None,
) -> None:
    """Log a batch that writes no rows (rejected or unchanged)."""
    _log(con, report.run_id, rec, sha, started)
    _record(report, rec, progress)


def _collect_issues(report: RunReport, outcome: BatchOutcome) -> None:
    for row, reasons in sorted(outcome.row_reasons.items()):
        report.row_issues.append((outcome.batch.relative, row, reasons))


def _record(report: RunReport, rec: Reconciliation, progress: Progress | None) -> None:
    report.batches.append(rec)
    if progress is not None:
        progress(rec)


def _checked(outcome: BatchOutcome) -> Reconciliation:
    batch = outcome.batch
    return Reconciliation(
        batch.source.name,
        batch.relative,
        batch.day,
        outcome.rows_read,
        outcome.rows_good,
        outcome.rows_quarantined,
        0,
        0,
        "checked",
        "; ".join(outcome.warnings),
        rows_clamped=outcome.rows_clamped,
    )


@creating_private_files
def check(
    paths: list[Path],
    db: Path | None = None,
    docs_dir: Path | None = None,
    progress: Progress | None = None,
    runtime: GxRuntime | None = None,
    settings: GuardSettings | None = None,
    group_batches: int = GROUP_BATCHES,
) -> RunReport:
    """Validate landing files or landing roots without writing anything to the warehouse.

    References are checked against the warehouse (attached read-only when it exists) and
    against the batches checked before in the same run."""
    import duckdb

    from ccmetrics.guard.reading import batch_for_file

    run_id = uuid.uuid4().hex[:12]
    report = RunReport(run_id)
    batches: list[Batch] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: nothing to check")
        if path.is_dir():
            found = discover(path)
            report.warnings.extend(found.warnings)
            batches.extend(found.batches)
            for exc in found.rejected:
                _record(report, _rejection(None, exc, 0), progress)
            continue
        try:
            batches.append(batch_for_file(path))
        except BatchRejected as exc:
            _record(report, _rejection(None, exc, 0), progress)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    try:
        warehouse = db if db is not None else warehouse_path()
        lookup = Lookup(None, frozenset())
        if warehouse.exists():
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            lookup = Lookup(f"wh.{RAW}", _tables(con, "wh"))
        validator = _validator(con, lookup, docs_dir, _utcnow(), runtime, settings)
        for group in _by_source(batches, group_batches):
            raws: list[RawBatch] = []
            for batch in group:
                try:
                    raws.append(validator.read(batch))
                except BatchRejected as exc:
                    _record(report, _rejection(batch, exc, 0), progress)
            for raw, result in zip(raws, validator.validate_many(raws), strict=True):
                if isinstance(result, BatchRejected):
                    validator.forget_volume(raw.batch)
                    _record(report, _rejection(raw.batch, result, len(raw.frame)), progress)
                    continue
                validator.accept(result)
                report.warnings.extend(result.warnings)
                _collect_issues(report, result)
                _record(report, _checked(result), progress)
        report.docs_index = validator.runtime.build_docs(docs_dir)
    finally:
        con.close()
    return report
