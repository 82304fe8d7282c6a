"""Where validated batches end up: the warehouse's `raw` schema, and the one batch loop.

Every guard run (`ccmetrics load`, `ccmetrics check`, `ccmetrics load --corrections`) goes
through `BatchRun`: batches are read a group at a time (consecutive days of one source, up to
`GROUP_ROWS` rows), validated together, and each outcome is handed to the run's store step
(write it, or only count it for `check`); every batch ends as one `Reconciliation` in the
run's report and, when the run writes, in `raw._load_reconciliation`. This module also holds
the raw schema's table names and definitions and the writes every path shares (good rows,
quarantine, the log).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import ALL_SOURCES, LOADER_COLUMNS, Source
from ccmetrics.guard.casting import DUCKDB_TYPES, quote_identifier
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.read_ahead import ReadAhead
from ccmetrics.guard.reading import SOURCE_ROW, Batch, RawBatch, file_sha256
from ccmetrics.guard.session import configure
from ccmetrics.paths import warehouse_path
from ccmetrics.private_files import private_files, restrict

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

    from ccmetrics.guard.check_results import Runtime
    from ccmetrics.guard.context_columns import Lookup
    from ccmetrics.guard.rules import GuardSettings
    from ccmetrics.guard.validation import BatchOutcome

RAW = "raw"
RECONCILIATION = "_load_reconciliation"
QUARANTINE = "_quarantine"
ACCEPTED_STATUSES = ("loaded", "loaded_with_quarantine")
"""Statuses of a batch whose rows are in the warehouse."""
ACCEPTED_SQL = ", ".join(f"'{status}'" for status in ACCEPTED_STATUSES)
"""The same, as a SQL list."""
REFUSED_SHRINK = "refused_shrink"
GROUP_ROWS = 1_000_000
"""Rows of one source's consecutive batches validated together: a validation costs a fixed
time per run (a statement in DuckDB, a run per expectation in Great Expectations, and a scan
of every loaded id of each referenced source), so days share a run until their rows reach
this; memory holds the group being validated and the next one being read (`ReadAhead`). At
10 M contacts, 1 M rows loaded in 4-7 % less time than 250,000 (about 10 contacts groups
instead of 40), peaking 5 % higher."""
GROUP_BATCHES = 120
"""At most this many batches to a group, however small; most groups close at `GROUP_ROWS`.
At 31 (a month of days), a 10 M-contact load ran 63 groups instead of 40, each scanning the
ids of the sources it refers to, and its commits filled the write-ahead log enough for
DuckDB to checkpoint in the middle of the load (13-20 s) besides the checkpoint at its end."""

QUARANTINE_COLUMNS = {
    "run_id": "varchar",
    "source": "varchar",
    "batch_date": "date",
    "source_file": "varchar",
    "source_row": "bigint",
    "key_value": "varchar",
    "row_json": "varchar",
    "reasons": "varchar",
    "status": "varchar",
    "quarantined_at": "timestamp",
    "closed_at": "timestamp",
    "closed_by_run": "varchar",
}
QUARANTINE_DDL = (
    f"create table if not exists {RAW}.{QUARANTINE} ("
    + ", ".join(f"{name} {kind}" for name, kind in QUARANTINE_COLUMNS.items())
    + ")"
)
RECONCILIATION_DDL = f"""
create table if not exists {RAW}.{RECONCILIATION} (
    run_id varchar, source varchar, batch_date date, source_file varchar, file_sha256 varchar,
    rows_read bigint, rows_loaded bigint, rows_quarantined bigint, rows_rejected bigint,
    rows_replaced bigint, status varchar, check_name varchar, message varchar,
    started_at timestamp, finished_at timestamp, rows_clamped bigint, earliest_row_date date
)"""
RECONCILIATION_ADDED = (("rows_clamped", "bigint"), ("earliest_row_date", "date"))
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
    "earliest_row_date",
)


@dataclass(frozen=True, kw_only=True)
class Reconciliation:
    source: str
    source_file: str
    batch_date: dt.date | None
    rows_read: int
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_rejected: int = 0
    rows_replaced: int = 0
    """Rows of earlier deliveries this batch removed (replaced by its own)."""
    status: str
    """loaded, loaded_with_quarantine, rejected, refused_shrink (would remove good rows),
    unchanged (same file already loaded), checked, corrected."""
    message: str = ""
    check: str = ""
    rows_clamped: int = 0
    """Loaded rows whose timestamps were clamped for clock skew."""
    earliest_row_date: dt.date | None = None
    """The earliest day (of the source's `changed_day_column`, UTC) of a row the batch loaded
    or removed: a new version of an old contact, delivered in today's file, changes its own old
    day, which incremental builds must re-process (dbt macro `ccm_changed_days_cutoff`)."""

    @property
    def adds_up(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_rejected


@dataclass
class RunReport:
    run_id: str
    batches: list[Reconciliation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    docs_index: Path | None = None
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
Store = Callable[["BatchOutcome", dt.datetime, "GroupRows"], Reconciliation]
"""What a run does with a validated batch (given the time its group started, and where its
good rows and its reconciliation wait for the group's insert): write it, or only count it;
returns the batch's reconciliation."""
Skip = Callable[[Batch, str], Reconciliation | None]
"""A batch settled before it is read (given its file digest): its reconciliation, or None to
read and validate it."""


def raw_table_ddl(source: Source) -> str:
    columns = [f"{quote_identifier(c.name)} {DUCKDB_TYPES[c.type]}" for c in source.columns]
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
    configure(con)
    return con


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def raw_tables(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> frozenset[str]:
    """Tables of the raw schema (of the attached database `catalog`, when given)."""
    catalog_filter = f" and database_name = '{catalog}'" if catalog else ""
    rows = con.execute(
        f"select table_name from duckdb_tables() where schema_name = '{RAW}'{catalog_filter}"
    ).fetchall()
    return frozenset(name for (name,) in rows)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def _log_row(
    run_id: str, rec: Reconciliation, sha: str | None, started: dt.datetime
) -> list[object]:
    """A batch's row of `raw._load_reconciliation`, finished now."""
    return [
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
        utcnow(),
        rec.rows_clamped,
        rec.earliest_row_date,
    ]


def _insert_log_rows(con: duckdb.DuckDBPyConnection, rows: list[list[object]]) -> None:
    columns = ", ".join(RECONCILIATION_COLUMNS)
    marks = "(" + ", ".join("?" for _ in RECONCILIATION_COLUMNS) + ")"
    con.execute(
        f"insert into {RAW}.{RECONCILIATION} ({columns}) values {', '.join(marks for _ in rows)}",
        [value for row in rows for value in row],
    )


def log_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rec: Reconciliation,
    sha: str | None,
    started: dt.datetime,
) -> None:
    """Store a batch's reconciliation in `raw._load_reconciliation`."""
    _insert_log_rows(con, [_log_row(run_id, rec, sha, started)])


def rejection(batch: Batch | None, exc: BatchRejected, rows: int) -> Reconciliation:
    """A rejected batch: none of its `rows` load."""
    return Reconciliation(
        source=batch.source.name if batch else exc.file.split("/")[0],
        source_file=exc.file,
        batch_date=batch.day if batch else None,
        rows_read=rows,
        rows_rejected=rows,
        status="rejected",
        message=exc.message,
        check=exc.check,
    )


def _row_json(raw: RawBatch, row: int) -> str:
    import pandas as pd

    record = raw.frame.loc[row].drop(labels=[SOURCE_ROW])
    return json.dumps({k: None if pd.isna(v) else str(v) for k, v in record.items()})


def _good_rows(outcome: BatchOutcome, loaded_at: dt.datetime) -> pd.DataFrame:
    import pandas as pd

    batch = outcome.batch
    typed = outcome.typed
    good = typed[~typed.index.isin(list(outcome.row_reasons))] if outcome.row_reasons else typed
    frame = good[list(batch.source.column_names)].copy()
    # A timestamp column the insert casts to the table's date: a column of Python dates costs
    # a conversion per row on its way to Arrow (half of building a batch's rows).
    frame["_batch_date"] = pd.Timestamp(batch.day)
    frame["_source_file"] = batch.relative
    frame[SOURCE_ROW] = good[SOURCE_ROW].astype("int64")
    frame["_loaded_at"] = loaded_at
    return frame


def _quarantine_rows(outcome: BatchOutcome, run_id: str, now: dt.datetime) -> list[list[object]]:
    batch = outcome.batch
    source = batch.source
    rows: list[list[object]] = []
    for row, reasons in sorted(outcome.row_reasons.items()):
        key = outcome.typed.at[row, source.key]
        rows.append(
            [
                run_id,
                source.name,
                batch.day,
                batch.relative,
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


def _insert_quarantined(con: duckdb.DuckDBPyConnection, rows: list[list[object]]) -> None:
    """One insert for all of a batch's quarantined rows: a day the guard rejects row by row
    (a clock set a month ahead puts every row in the future) holds hundreds of thousands, and
    an insert per row costs about a millisecond each."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(QUARANTINE_COLUMNS), dtype="object")
    con.register("_guard_quarantined", frame)
    try:
        casts = ", ".join(f"cast({name} as {kind})" for name, kind in QUARANTINE_COLUMNS.items())
        con.execute(f"insert into {RAW}.{QUARANTINE} select {casts} from _guard_quarantined")
    finally:
        con.unregister("_guard_quarantined")


class GroupRows:
    """The good rows of a group's batches, held until the group is written and then inserted
    by one statement per source (`BatchRun.validate_group`, inside the group's transaction),
    and the batches' reconciliation rows, inserted by one statement (an insert per batch cost
    2-3 s of a 10 M-contact load).

    DuckDB writes one large insert in parallel and straight to the file; an insert per batch
    left each day's rows in the transaction until its commit wrote them on one thread: at
    10 M contacts, writing was a third of a load, twice a plain insert of the same files.
    Holding them costs little memory: the group's frames are held until the group is written
    anyway, and the Arrow tables share their text."""

    def __init__(self) -> None:
        self._tables: dict[str, tuple[Source, list[pa.Table]]] = {}
        self._log: list[list[object]] = []

    def log(self, run_id: str, rec: Reconciliation, sha: str | None, started: dt.datetime) -> None:
        """Hold a batch's reconciliation (`log_batch`) for the group's insert."""
        self._log.append(_log_row(run_id, rec, sha, started))

    def add(self, source: Source, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        if frame.empty:
            return
        _, tables = self._tables.setdefault(source.name, (source, []))
        # DuckDB scans an Arrow table about twice as fast as the frame it is made from.
        tables.append(pa.Table.from_pandas(frame, preserve_index=False))

    def insert(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert every held row; the rows' order in the table is not kept (nothing reads
        raw tables in storage order), which lets DuckDB write them in parallel."""
        if self._log:
            _insert_log_rows(con, self._log)
            self._log.clear()
        for source, tables in self._tables.values():
            names = ", ".join(quote_identifier(c) for c in (*source.column_names, *LOADER_COLUMNS))
            views = [f"_guard_good_rows_{number}" for number in range(len(tables))]
            for view, table in zip(views, tables, strict=True):
                con.register(view, table)
            con.execute("set preserve_insertion_order = false")
            try:
                # union all, not one concatenated Arrow table, which needs the batches' column
                # types to match exactly: DuckDB casts each batch to the raw table's types.
                rows = " union all ".join(f"select {names} from {view}" for view in views)
                con.execute(f"insert into {RAW}.{source.name} ({names}) {rows}")
            finally:
                con.execute("reset preserve_insertion_order")
                for view in views:
                    con.unregister(view)
        self._tables.clear()


def counted_rows(
    con: duckdb.DuckDBPyConnection, source: Source, where: str, parameters: list[object]
) -> tuple[int, dt.date | None]:
    """How many rows of `source`'s raw table match `where`, and the earliest day among them
    (before a batch removes them)."""
    count, earliest = con.execute(
        f"select count(*), cast(min({quote_identifier(source.changed_day_column)}) as date) "
        f"from {RAW}.{source.name} where {where}",
        parameters,
    ).fetchall()[0]
    return int(count), earliest


def earliest_of(*days: dt.date | None) -> dt.date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def store_outcome(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    outcome: BatchOutcome,
    now: dt.datetime,
    group_rows: GroupRows,
) -> dt.date | None:
    """Hand a validated batch's good rows to its group's insert and quarantine the rest, with
    their reasons; the earliest day of the good rows."""
    import pandas as pd

    good = _good_rows(outcome, now)
    group_rows.add(outcome.batch.source, good)
    quarantined = _quarantine_rows(outcome, run_id, now)
    if quarantined:
        _insert_quarantined(con, quarantined)
    earliest = good[outcome.batch.source.changed_day_column].min()
    return None if pd.isna(earliest) else pd.Timestamp(earliest).date()


def by_source(batches: list[Batch]) -> list[Batch]:
    """The batches of each source together, sources in order of first appearance, each
    source's batches in their given (load) order."""
    grouped: dict[str, list[Batch]] = {}
    for batch in batches:
        grouped.setdefault(batch.source.name, []).append(batch)
    return [batch for members in grouped.values() for batch in members]


def _engine(docs_dir: Path | None) -> Runtime:
    """DuckDB runs the suites; Great Expectations does when Data Docs are asked for, since the
    docs render its own results."""
    if docs_dir is None:
        from ccmetrics.guard.sql_runtime import SqlRuntime

        return SqlRuntime()
    from ccmetrics.guard.gx_runtime import GxRuntime

    return GxRuntime(docs_dir)


class BatchRun:
    """One guard run: validates batches group by group and settles each in the report.

    `con` is where batches are read and validated (and, with `logged`, where every batch's
    reconciliation is stored); `lookup` is where referenced ids are looked up."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        lookup: Lookup,
        *,
        now: dt.datetime,
        logged: bool,
        docs_dir: Path | None = None,
        runtime: Runtime | None = None,
        settings: GuardSettings | None = None,
        progress: Progress | None = None,
    ) -> None:
        from ccmetrics.guard.validation import Validator

        self.con = con
        self.logged = logged
        self.progress = progress
        self.report = RunReport(uuid.uuid4().hex[:12])
        self.validator = Validator(
            con, lookup, runtime or _engine(docs_dir), now, settings, remember_ids=not logged
        )

    @property
    def run_id(self) -> str:
        return self.report.run_id

    def settle(self, rec: Reconciliation, sha: str | None, started: dt.datetime) -> None:
        """A batch's last step: its reconciliation is logged (if the run logs) and reported."""
        if self.logged:
            log_batch(self.con, self.run_id, rec, sha, started)
        self._report(rec)

    def _report(self, rec: Reconciliation) -> None:
        self.report.batches.append(rec)
        if self.progress is not None:
            self.progress(rec)

    def run(
        self,
        batches: list[Batch],
        store: Store,
        group_batches: int = GROUP_BATCHES,
        group_rows: int = GROUP_ROWS,
        skip: Skip | None = None,
    ) -> None:
        """Read, validate and store `batches` in groups of one source: a group closes at
        `group_batches` batches or `group_rows` rows. The next group's files are read while a
        group is validated and written (`ReadAhead`), so memory holds at most two groups (and
        one file beyond `group_rows`).

        Which batches `skip` settles is decided before any is read; it may, since a run holds
        one file per source and day and a skip looks only at earlier runs of that day."""
        plan: list[tuple[Batch, str | None, Reconciliation | None]] = []
        for batch in by_source(batches):
            sha = file_sha256(batch.path) if self.logged else None
            settled = skip(batch, sha) if skip is not None and sha is not None else None
            plan.append((batch, sha, settled))
        to_read = [batch for batch, _, settled in plan if settled is None]
        group: list[RawBatch] = []
        source = ""
        started = utcnow()
        with ReadAhead(self.con, to_read, self.validator.read, group_batches, group_rows) as files:
            for batch, sha, settled in plan:
                if batch.source.name != source:
                    if group:
                        self.validate_group(group, store, started)
                    group, source, started = [], batch.source.name, utcnow()
                if settled is not None:
                    self.settle(settled, sha, started)
                    continue
                try:
                    group.append(files.take(batch))
                except BatchRejected as exc:
                    self.settle(rejection(batch, exc, 0), sha, started)
                    continue
                if len(group) >= group_batches or sum(len(r.frame) for r in group) >= group_rows:
                    self.validate_group(group, store, started)
                    group, started = [], utcnow()
            if group:
                self.validate_group(group, store, started)

    def validate_group(
        self,
        raws: list[RawBatch],
        store: Store,
        started: dt.datetime,
        check_volume: bool = True,
        all_or_nothing: bool = False,
    ) -> None:
        """Validate batches of one source together, then store each accepted one in order.

        A rejected batch is settled as such (and forgotten by the volume check), unless
        `all_or_nothing`: then the first rejection is raised before anything is stored."""
        results = self.validator.validate_many(raws, check_volume=check_volume)
        if all_or_nothing:
            for result in results:
                if isinstance(result, BatchRejected):
                    raise result
        settled: list[Reconciliation] = []
        accepted: list[BatchOutcome] = []
        # One transaction for the group: a commit costs a write-ahead log sync and, as the log
        # grows, a checkpoint, which at a commit per batch was the largest single cost of a
        # load. A failure leaves none of the group's batches written and none reported.
        group_rows = GroupRows()
        with transaction(self.con) if self.logged else nullcontext():
            for raw, result in zip(raws, results, strict=True):
                if isinstance(result, BatchRejected):
                    self.validator.forget_volume(raw.batch)
                    rec = rejection(raw.batch, result, len(raw.frame))
                    if self.logged:
                        group_rows.log(self.run_id, rec, raw.sha256, started)
                    settled.append(rec)
                    continue
                rec = store(result, started, group_rows)
                if rec.status == REFUSED_SHRINK:
                    self.validator.forget_volume(raw.batch)
                else:
                    accepted.append(result)
                settled.append(rec)
            group_rows.insert(self.con)
        for result in accepted:
            self.report.warnings.extend(result.warnings)
            self.report.row_issues += [
                (result.batch.relative, row, reasons)
                for row, reasons in sorted(result.row_reasons.items())
            ]
            self.validator.accept(result)
        for rec in settled:
            self._report(rec)

    def finish(self, docs_dir: Path | None) -> RunReport:
        """Render the run's Data Docs; the report."""
        self.report.docs_index = self.validator.runtime.build_docs(docs_dir)
        return self.report
