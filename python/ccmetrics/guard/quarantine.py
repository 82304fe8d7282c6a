"""Quarantined rows out (to be fixed) and back in (as corrections), never double counted.

`export_quarantine` writes the open quarantine of a source as CSV: the row as delivered (PII
included, so the file gets the PII file mode of `ccmetrics.private_files`), its origin
(`_source_file`, `_source_row`) and its reasons. Cells that a spreadsheet would run as
a formula are prefixed with `'`. `load_corrections` takes such a file back: every row is
validated again with the suite of its original batch and, when good, replaces whatever the
warehouse holds for that origin (so loading the same corrections twice changes nothing);
its quarantine entry is resolved. A still-bad row stays quarantined with its new reasons.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import Source
from ccmetrics.guard.context_columns import Lookup
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.reading import FILE_NAME, SOURCE_ROW, Batch, RawBatch, read_batch
from ccmetrics.guard.store import (
    QUARANTINE,
    RAW,
    BatchRun,
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
from ccmetrics.private_files import creating_private_files, open_private, private_files

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from ccmetrics.guard.check_results import Runtime
    from ccmetrics.guard.store import GroupRows
    from ccmetrics.guard.validation import BatchOutcome

SOURCE_FILE = "_source_file"
REASONS = "_reasons"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    """Prefix `'` to a cell a spreadsheet would run as a formula (numbers like -5 stay)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if value[0] in "+-" and re.fullmatch(r"[+-][0-9 ().]*", value):
        return value
    return "'" + value


def export_quarantine(con: duckdb.DuckDBPyConnection, source: Source, out: Path) -> int:
    """Write the open quarantine of `source` to `out` (CSV); returns the number of rows."""
    import pandas as pd

    rows = con.execute(
        f"select source_file, source_row, row_json, reasons from {RAW}.{QUARANTINE} "
        "where source = ? and status = 'open' order by source_file, source_row",
        [source.name],
    ).fetchall()
    records = []
    for source_file, source_row, row_json, reasons in rows:
        record = {c: json.loads(row_json).get(c) for c in source.column_names}
        record = {k: _neutralise(v) for k, v in record.items()}
        record.update(
            {
                SOURCE_FILE: source_file,
                SOURCE_ROW: source_row,
                REASONS: "; ".join(json.loads(reasons)),
            }
        )
        records.append(record)
    frame = pd.DataFrame(records, columns=[*source.column_names, SOURCE_FILE, SOURCE_ROW, REASONS])
    with private_files():
        out.parent.mkdir(parents=True, exist_ok=True)
    # The rows as delivered, PII included: readable by their owner only.
    with open_private(out) as handle:
        frame.to_csv(handle, index=False)
    return len(frame)


def _origin_batches(raw: RawBatch, source: Source) -> list[RawBatch]:
    """Split a corrections file by the batch each row originally came from."""
    frame = raw.frame
    relative = raw.batch.relative
    for column in (SOURCE_FILE, SOURCE_ROW):
        if column not in frame.columns:
            raise BatchRejected(
                relative,
                "schema",
                f"a {column} column (from the export)",
                f"columns {list(frame.columns)}",
            )
    rows = frame[SOURCE_ROW].astype("string")
    if rows.isna().any() or not rows.str.fullmatch(r"\d+").all():
        raise BatchRejected(
            relative,
            "origin",
            f"a row number in every {SOURCE_ROW}",
            "missing or non-numeric values",
        )
    batches: list[RawBatch] = []
    for origin, group in frame.groupby(SOURCE_FILE, dropna=False):
        origin_text = str(origin)
        folder, _, name = origin_text.rpartition("/")
        match = FILE_NAME.match(name)
        if folder != source.name or match is None:
            raise BatchRejected(
                relative, "origin", f"{SOURCE_FILE} like {source.name}/DAY.csv", repr(origin_text)
            )
        batch = Batch(source, dt.date.fromisoformat(match.group(1)), raw.batch.path, origin_text)
        part = group.drop(columns=[c for c in (SOURCE_FILE, REASONS) if c in group.columns])
        part[SOURCE_ROW] = part[SOURCE_ROW].astype("int64")
        part.index = part[SOURCE_ROW].to_numpy()
        if part.index.has_duplicates:
            raise BatchRejected(
                relative,
                "origin",
                "each original row corrected once",
                f"repeated rows of {origin_text}",
            )
        batches.append(RawBatch(batch, part, raw.types, raw.sha256))
    return batches


@creating_private_files
def load_corrections(
    path: Path,
    source_name: str,
    db: Path | None = None,
    docs_dir: Path | None = None,
    runtime: Runtime | None = None,
) -> RunReport:
    """Validate and load a corrections file (an edited quarantine export) for one source.

    The file loads as a whole or not at all: one origin batch that fails a batch-level check
    rejects the file."""
    from ccmetrics.contract import source as contract_source

    source = contract_source(source_name)
    con = connect(db)
    try:
        ensure_raw_tables(con)
        started = utcnow()
        relative = f"corrections/{path.name}"
        run = BatchRun(
            con,
            Lookup(RAW, raw_tables(con)),
            now=started,
            logged=True,
            docs_dir=docs_dir,
            runtime=runtime,
        )
        pseudo = Batch(source, started.date(), path, relative)
        try:
            if path.suffix not in (".csv", ".parquet"):
                raise BatchRejected(
                    relative, "file name", "a .csv or .parquet file", repr(path.name)
                )
            origins = _origin_batches(read_batch(con, pseudo, numbered=False), source)
            run.validate_group(
                origins,
                lambda outcome, at, rows: _write_corrections(
                    con, run.run_id, outcome, relative, at, rows
                ),
                started,
                check_volume=False,
                all_or_nothing=True,
            )
        except BatchRejected as exc:
            run.settle(rejection(pseudo, exc, 0), None, started)
            return run.report
        return run.finish(docs_dir)
    finally:
        con.close()


def _write_corrections(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    outcome: BatchOutcome,
    relative: str,
    started: dt.datetime,
    group_rows: GroupRows,
) -> Reconciliation:
    batch = outcome.batch
    source = batch.source
    rows = [int(r) for r in outcome.typed.index]
    now = utcnow()
    con.execute("create temp table if not exists _guard_corrected (source_row bigint)")
    con.execute("delete from _guard_corrected")
    con.execute("insert into _guard_corrected select unnest(cast(? as bigint[]))", [rows])
    corrected = "_source_file = ? and _source_row in (select source_row from _guard_corrected)"
    replaced, earliest_removed = counted_rows(con, source, corrected, [batch.relative])
    con.execute(f"delete from {RAW}.{source.name} where {corrected}", [batch.relative])
    con.execute(
        f"update {RAW}.{QUARANTINE} set status = case when source_row in ({_in(outcome)}) "
        "then 'superseded' else 'resolved' end, closed_at = ?, closed_by_run = ? "
        "where source = ? and source_file = ? and status = 'open' "
        "and source_row in (select source_row from _guard_corrected)",
        [now, run_id, source.name, batch.relative],
    )
    earliest_loaded = store_outcome(con, run_id, outcome, now, group_rows)
    rec = Reconciliation(
        source=source.name,
        source_file=f"{relative} -> {batch.relative}",
        batch_date=batch.day,
        rows_read=outcome.rows_read,
        rows_loaded=outcome.rows_good,
        rows_quarantined=outcome.rows_quarantined,
        rows_replaced=replaced,
        status="corrected",
        message="; ".join(outcome.warnings),
        rows_clamped=outcome.rows_clamped,
        earliest_row_date=earliest_of(earliest_loaded, earliest_removed),
    )
    group_rows.log(run_id, rec, outcome.raw.sha256, started)
    return rec


def _in(outcome: BatchOutcome) -> str:
    rows = [str(int(r)) for r in outcome.row_reasons]
    return ", ".join(rows) if rows else "null"


def open_quarantine(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.sql(
        f"select * from {RAW}.{QUARANTINE} where status = 'open' "
        "order by source, source_file, source_row"
    ).df()
