"""Re-delivery, corrections and planted faults: nothing is double counted or lost."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from corpus.valid_day import DAY, valid_day, write_day
from corpus.warehouse import query

from ccmetrics.contract import SOURCES
from ccmetrics.faults import FaultManifest, plant_bad_rows
from ccmetrics.guard.quarantine import export_quarantine, load_corrections
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import RAW, connect, load

DAYS = [DAY + dt.timedelta(days=offset) for offset in range(3)]


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


def counts(db: Path) -> dict[str, int]:
    return {s.name: query(db, f"select count(*) from {RAW}.{s.name}")[0][0] for s in SOURCES}


def reconciliation_adds_up(db: Path) -> bool:
    rows = query(
        db,
        f"select rows_read, rows_loaded, rows_quarantined, rows_rejected "
        f"from {RAW}._load_reconciliation",
    )
    return all(
        read == loaded + quarantined + rejected for read, loaded, quarantined, rejected in rows
    )


def test_load_creates_every_raw_table_even_without_files(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    (tmp_path / "landing").mkdir()
    db = tmp_path / "wh.duckdb"
    report = load(tmp_path / "landing", db=db, runtime=engine)
    assert report.batches == []
    assert counts(db) == {s.name: 0 for s in SOURCES}
    columns = query(
        db,
        "select column_name, data_type from duckdb_columns() "
        "where table_name = 'contacts' and column_name like '\\_%' escape '\\'",
    )
    assert dict(columns) == {
        "_batch_date": "DATE",
        "_source_file": "VARCHAR",
        "_source_row": "BIGINT",
        "_loaded_at": "TIMESTAMP",
    }


def test_same_batch_delivered_twice_never_double_counts(tmp_path: Path, engine: SqlRuntime) -> None:
    landing = tmp_path / "landing"
    db = tmp_path / "wh.duckdb"
    write_day(landing, valid_day(DAY), DAY)
    load(landing, db=db, runtime=engine)
    first = counts(db)

    again = load(landing, db=db, runtime=engine)
    assert {b.status for b in again.batches} == {"unchanged"}
    assert counts(db) == first

    forced = load(landing, db=db, force=True, runtime=engine)
    assert {b.status for b in forced.batches} == {"loaded"}
    assert all(b.rows_replaced == b.rows_read for b in forced.batches)
    assert counts(db) == first

    # A corrected re-delivery with one contact fewer is refused unless asked for; then it
    # replaces the day: no leftovers.
    frames = valid_day(DAY)
    write_day(landing, {"contacts": frames["contacts"].iloc[:3]}, DAY)
    (refused,) = load(landing, db=db, sources=("contacts",), runtime=engine).refused
    assert refused.message == (
        f"contacts/{DAY}.csv would replace 4 loaded rows with 3: refused; rerun with "
        "--replace to accept"
    )
    assert counts(db) == first
    (replaced,) = load(landing, db=db, sources=("contacts",), runtime=engine, replace=True).batches
    assert (replaced.status, replaced.rows_loaded, replaced.rows_replaced) == ("loaded", 3, 4)
    assert counts(db)["contacts"] == first["contacts"] - 1
    assert reconciliation_adds_up(db)


def test_quarantined_rows_fixed_and_reloaded_are_counted_once(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    landing = tmp_path / "landing"
    db = tmp_path / "wh.duckdb"
    frames = valid_day(DAY)
    frames["surveys"].loc[0, "csat_score"] = "9"
    frames["surveys"].loc[1, "nps_score"] = "=1+1"
    write_day(landing, frames, DAY)
    load(landing, db=db, runtime=engine)
    assert counts(db)["surveys"] == 0

    fixed = tmp_path / "fixed.csv"
    con = connect(db)
    try:
        assert export_quarantine(con, SOURCES[2], fixed) == 2
    finally:
        con.close()
    exported = pd.read_csv(fixed, dtype=str)
    assert list(exported["_source_row"]) == ["1", "2"]
    assert exported.loc[1, "nps_score"] == "'=1+1"  # a spreadsheet shows it, never runs it
    exported.loc[0, "csat_score"] = "5"
    exported.to_csv(fixed, index=False)

    report = load_corrections(fixed, "surveys", db=db, runtime=engine)
    (batch,) = report.batches
    assert (batch.rows_read, batch.rows_loaded, batch.rows_quarantined) == (2, 1, 1)
    assert counts(db)["surveys"] == 1
    open_rows = query(
        db, f"select source_row, reasons from {RAW}._quarantine where status = 'open'"
    )
    assert [row for row, _ in open_rows] == [2]
    assert "type:nps_score" in json.loads(open_rows[0][1])[0]

    exported.loc[1, "nps_score"] = "7"
    exported.to_csv(fixed, index=False)
    load_corrections(fixed, "surveys", db=db, runtime=engine)
    load_corrections(fixed, "surveys", db=db, runtime=engine)  # twice: still counted once
    assert counts(db)["surveys"] == 2
    assert query(db, f"select _source_file, _source_row from {RAW}.surveys order by 2") == [
        (f"surveys/{DAY}.csv", 1),
        (f"surveys/{DAY}.csv", 2),
    ]
    assert query(db, f"select count(*) from {RAW}._quarantine where status = 'open'") == [(0,)]
    assert query(db, f"select status, count(*) from {RAW}._quarantine group by 1 order by 1") == [
        ("resolved", 2),
        ("superseded", 1),
    ]
    assert reconciliation_adds_up(db)


def test_planted_faults_are_exactly_what_is_quarantined(tmp_path: Path, engine: SqlRuntime) -> None:
    landing = tmp_path / "landing"
    for index, day in enumerate(DAYS):
        write_day(landing, valid_day(day), day, fmt="parquet" if index % 2 else "csv")
    manifest = plant_bad_rows(landing, share=0.25, seed=3)
    assert FaultManifest.read(landing).keys() == manifest.keys()
    total = sum(len(f) for f in valid_day(DAY).values()) * len(DAYS)
    assert len(manifest.faults) >= total // 5

    db = tmp_path / "wh.duckdb"
    report = load(landing, db=db, runtime=engine)

    assert not report.rejected
    quarantined = set(
        query(
            db,
            f"select source, source_file, source_row from {RAW}._quarantine where status = 'open'",
        )
    )
    assert quarantined == manifest.keys()
    assert report.total("rows_quarantined") == len(manifest.faults)
    assert report.total("rows_read") == total
    assert report.total("rows_loaded") == total - len(manifest.faults)
    assert reconciliation_adds_up(db)


def test_generated_run_with_planted_faults_quarantines_exactly_them(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    from ccmetrics.generator.config import GeneratorConfig
    from ccmetrics.generator.engine import generate_landing

    landing = tmp_path / "landing"
    generate_landing(GeneratorConfig(days=2, seed=5, scale=0.03), landing)
    manifest = plant_bad_rows(landing, share=0.01, seed=5)
    assert manifest.faults

    db = tmp_path / "wh.duckdb"
    report = load(landing, db=db, runtime=engine)

    assert not report.rejected
    quarantined = set(
        query(
            db,
            f"select source, source_file, source_row from {RAW}._quarantine where status = 'open'",
        )
    )
    assert quarantined == manifest.keys()
    assert report.total("rows_read") == report.total("rows_loaded") + len(manifest.faults)
    assert reconciliation_adds_up(db)
