"""Load landing batches into the warehouse's `raw` schema behind the quality guard.

A batch is one (source, day) file. Each batch is validated first (`ccmetrics.guard`):
- a batch-level failure rejects the whole batch: nothing of it is written, the rejection is
  logged in `raw._load_reconciliation`;
- rows failing a row-level check go to `raw._quarantine` with every reason; the good rows load.

Each batch first removes what an earlier delivery of the same batch left (rows and open
quarantine entries), so re-delivering a day never double counts. The batches validated together
(a group of consecutive days of one source) are written in one transaction.
A re-delivery that would leave fewer good rows than are loaded for its day is refused unless
`replace` is given; master data (customers, agents) is upserted instead: a delivery replaces
the records it holds and keeps the day's others. Every batch stores its reconciliation: rows
read = rows loaded + rows quarantined (+ rows rejected, for a rejected or refused batch, which
loads nothing), and how many earlier rows it replaced and how many it clamped for clock skew.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.guard.context_columns import Lookup
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.reading import Batch, discover
from ccmetrics.guard.rules import GuardSettings, rules_for
from ccmetrics.guard.session import configure
from ccmetrics.guard.store import (
    ACCEPTED_SQL,
    GROUP_BATCHES,
    QUARANTINE,
    RAW,
    RECONCILIATION,
    REFUSED_SHRINK,
    BatchRun,
    GroupRows,
    Progress,
    Reconciliation,
    RunReport,
    connect,
    counted_rows,
    earliest_of,
    ensure_raw_tables,
    raw_tables,
    rejection,
    store_outcome,
    utcnow,
)
from ccmetrics.paths import warehouse_path
from ccmetrics.private_files import creating_private_files

if TYPE_CHECKING:
    import duckdb

    from ccmetrics.guard.check_results import Runtime
    from ccmetrics.guard.validation import BatchOutcome

__all__ = [
    "RAW",
    "RECONCILIATION",
    "Reconciliation",
    "RunReport",
    "check",
    "connect",
    "ensure_raw_tables",
    "load",
]


def _loaded_shas(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, dt.date], str]:
    """The digest of each source and day's last delivery, where that file's rows are loaded
    (an earlier run accepted it): a file with this digest is unchanged. One query for the
    run; a pair of queries per batch cost 2 s of a 10 M-contact load."""
    rows = con.execute(
        f"""
        with last_delivery as (
            select source, batch_date, arg_max(file_sha256, finished_at) as file_sha256
            from {RAW}.{RECONCILIATION}
            where status <> 'unchanged'
            group by source, batch_date
        )
        select last_delivery.source, last_delivery.batch_date, last_delivery.file_sha256
        from last_delivery
        where exists (
            select 1 from {RAW}.{RECONCILIATION} as accepted
            where accepted.source = last_delivery.source
                and accepted.batch_date = last_delivery.batch_date
                and accepted.file_sha256 = last_delivery.file_sha256
                and accepted.status in ({ACCEPTED_SQL})
        )
        """
    ).fetchall()
    return {(source, day): sha for source, day, sha in rows}


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
        source=batch.source.name,
        source_file=batch.relative,
        batch_date=batch.day,
        rows_read=outcome.rows_read,
        rows_rejected=outcome.rows_read,
        status=REFUSED_SHRINK,
        message=message,
        check="shrink",
    )


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    outcome: BatchOutcome,
    started: dt.datetime,
    group_rows: GroupRows,
    replace: bool = False,
) -> Reconciliation:
    """Store a validated batch in place of the earlier delivery of its day, inside the
    transaction of its group (`BatchRun.validate_group`).

    Without `replace`, a batch that would leave fewer rows for its day than are loaded is
    refused (nothing changes), and master data is upserted: only the day's rows of the keys
    it delivers are replaced."""
    batch = outcome.batch
    source = batch.source
    table = f"{RAW}.{source.name}"
    now = utcnow()
    upsert = rules_for(source).upsert and not replace
    loaded, earliest_removed = counted_rows(con, source, "_batch_date = ?", [batch.day])
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
        day_rows += f" and {source.key} in (select {source.key} from _guard_delivered where _good)"
        quarantined += f" and key_value in (select {source.key} from _guard_delivered)"
    try:
        if upsert:
            replaced, earliest_removed = counted_rows(con, source, day_rows, parameters)
        else:
            replaced = loaded
        left = loaded - replaced + outcome.rows_good
        if left < loaded and not replace:
            rec = _refusal(outcome, loaded, left)
            group_rows.log(run_id, rec, outcome.raw.sha256, started)
            return rec
        if replaced:
            con.execute(f"delete from {table} where {day_rows}", parameters)
        con.execute(
            f"update {RAW}.{QUARANTINE} set status = 'superseded', closed_at = ?, "
            f"closed_by_run = ? where {quarantined}",
            [now, run_id, source.name, batch.day],
        )
    finally:
        if upsert:
            con.unregister("_guard_delivered")
    earliest_loaded = store_outcome(con, run_id, outcome, now, group_rows)
    rec = Reconciliation(
        source=source.name,
        source_file=batch.relative,
        batch_date=batch.day,
        rows_read=outcome.rows_read,
        rows_loaded=outcome.rows_good,
        rows_quarantined=outcome.rows_quarantined,
        rows_replaced=replaced,
        status="loaded_with_quarantine" if outcome.rows_quarantined else "loaded",
        message="; ".join(outcome.warnings),
        rows_clamped=outcome.rows_clamped,
        earliest_row_date=earliest_of(earliest_loaded, earliest_removed),
    )
    group_rows.log(run_id, rec, outcome.raw.sha256, started)
    return rec


def _unchanged(batch: Batch) -> Reconciliation:
    return Reconciliation(
        source=batch.source.name,
        source_file=batch.relative,
        batch_date=batch.day,
        rows_read=0,
        status="unchanged",
        message="same file already loaded; --force reloads",
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
    runtime: Runtime | None = None,
    settings: GuardSettings | None = None,
    replace: bool = False,
    group_batches: int = GROUP_BATCHES,
) -> RunReport:
    """Validate and load every batch under `landing` (optionally some sources or one day).

    `replace` lets a re-delivery remove rows (see `_write_batch`); `settings` holds the clock
    skew tolerance and the volume band. `runtime` is the engine that runs the suites
    (`sql_runtime` by default, `gx_runtime` with `docs_dir`); tests reuse one across runs.
    Batches stream through in groups of one source (at most `group_batches` batches,
    `store.GROUP_ROWS` rows: `BatchRun.run`; the next group is read while one is written), so
    memory is bounded by two groups, not by the landing folder."""
    discovery = discover(landing, sources, day)
    con = connect(db)
    try:
        ensure_raw_tables(con)
        now = utcnow()
        run = BatchRun(
            con,
            Lookup(RAW, raw_tables(con)),
            now=now,
            logged=True,
            docs_dir=docs_dir,
            runtime=runtime,
            settings=settings,
            progress=progress,
        )
        run.report.warnings.extend(discovery.warnings)
        for exc in discovery.rejected:
            run.settle(rejection(None, exc, 0), None, now)

        loaded_shas = {} if force else _loaded_shas(con)

        def unchanged(batch: Batch, sha: str) -> Reconciliation | None:
            loaded = loaded_shas.get((batch.source.name, batch.day))
            return _unchanged(batch) if loaded == sha else None

        run.run(
            discovery.batches,
            lambda outcome, started, rows: _write_batch(
                con, run.run_id, outcome, started, rows, replace
            ),
            group_batches,
            skip=None if force else unchanged,
        )
        return run.finish(docs_dir)
    finally:
        con.close()


def _checked(outcome: BatchOutcome) -> Reconciliation:
    batch = outcome.batch
    return Reconciliation(
        source=batch.source.name,
        source_file=batch.relative,
        batch_date=batch.day,
        rows_read=outcome.rows_read,
        rows_loaded=outcome.rows_good,
        rows_quarantined=outcome.rows_quarantined,
        status="checked",
        message="; ".join(outcome.warnings),
        rows_clamped=outcome.rows_clamped,
    )


@creating_private_files
def check(
    paths: list[Path],
    db: Path | None = None,
    docs_dir: Path | None = None,
    progress: Progress | None = None,
    runtime: Runtime | None = None,
    settings: GuardSettings | None = None,
    group_batches: int = GROUP_BATCHES,
) -> RunReport:
    """Validate landing files or landing roots without writing anything to the warehouse.

    References are checked against the warehouse (attached read-only when it exists) and
    against the batches checked before in the same run."""
    import duckdb

    from ccmetrics.guard.reading import batch_for_file

    batches: list[Batch] = []
    warnings: list[str] = []
    unreadable: list[BatchRejected] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: nothing to check")
        if path.is_dir():
            found = discover(path)
            warnings.extend(found.warnings)
            batches.extend(found.batches)
            unreadable.extend(found.rejected)
            continue
        try:
            batches.append(batch_for_file(path))
        except BatchRejected as exc:
            unreadable.append(exc)
    con = duckdb.connect()
    configure(con)
    try:
        warehouse = db if db is not None else warehouse_path()
        lookup = Lookup(None, frozenset())
        if warehouse.exists():
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            lookup = Lookup(f"wh.{RAW}", raw_tables(con, "wh"))
        now = utcnow()
        run = BatchRun(
            con,
            lookup,
            now=now,
            logged=False,
            docs_dir=docs_dir,
            runtime=runtime,
            settings=settings,
            progress=progress,
        )
        run.report.warnings.extend(warnings)
        for exc in unreadable:
            run.settle(rejection(None, exc, 0), None, now)
        run.run(batches, lambda outcome, _started, _rows: _checked(outcome), group_batches)
        return run.finish(docs_dir)
    finally:
        con.close()
