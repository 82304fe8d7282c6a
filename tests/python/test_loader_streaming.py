"""`load` streams: a group of at most `group_batches` batches is read, validated and written
before the next group is read, so memory holds one group, never a whole source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from corpus.valid_day import DAY, valid_day, write_day

from ccmetrics import loader
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.guard.validation import Validator


def test_load_reads_at_most_one_group_ahead_of_the_group_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next group's files are read while a group is written (`ReadAhead`), never more:
    at any moment at most two groups' files are read and not yet written."""
    landing = tmp_path / "landing"
    days = [DAY + dt.timedelta(days=offset) for offset in range(8)]
    for day in days:
        write_day(landing, {"contacts": valid_day(day)["contacts"]}, day)
    events: list[tuple[str, dt.date]] = []
    read, write_batch = Validator.read, loader._write_batch

    def recording_read(
        self: Validator, con: duckdb.DuckDBPyConnection, batch: loader.Batch
    ) -> loader.RawBatch:
        events.append(("read", batch.day))
        return read(self, con, batch)

    def recording_write(*args: object, **kwargs: object) -> loader.Reconciliation:
        rec = write_batch(*args, **kwargs)  # type: ignore[arg-type]
        assert rec.batch_date is not None
        events.append(("write", rec.batch_date))
        return rec

    monkeypatch.setattr(Validator, "read", recording_read)
    monkeypatch.setattr(loader, "_write_batch", recording_write)

    report = loader.load(landing, db=tmp_path / "wh.duckdb", runtime=SqlRuntime(), group_batches=2)

    assert [b.status for b in report.batches] == ["loaded"] * 8
    assert [day for kind, day in events if kind == "read"] == days
    assert [day for kind, day in events if kind == "write"] == days
    ahead = [
        sum(1 for kind, _ in events[: index + 1] if kind == "read")
        - sum(1 for kind, _ in events[: index + 1] if kind == "write")
        for index in range(len(events))
    ]
    assert max(ahead) <= 4


def test_a_failure_while_writing_a_group_leaves_none_of_the_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group is written in one transaction: the earlier groups stay, the failing one
    leaves no row, no reconciliation line and no report line."""
    landing = tmp_path / "landing"
    days = [DAY + dt.timedelta(days=offset) for offset in range(4)]
    for day in days:
        write_day(landing, {"contacts": valid_day(day)["contacts"]}, day)
    write_batch = loader._write_batch
    reported: list[dt.date | None] = []

    def failing_on_the_last_day(*args: object, **kwargs: object) -> loader.Reconciliation:
        rec = write_batch(*args, **kwargs)  # type: ignore[arg-type]
        if rec.batch_date == days[3]:
            raise OSError("disk full")
        return rec

    monkeypatch.setattr(loader, "_write_batch", failing_on_the_last_day)
    db = tmp_path / "wh.duckdb"
    with pytest.raises(OSError, match="disk full"):
        loader.load(
            landing,
            db=db,
            runtime=SqlRuntime(),
            group_batches=2,
            progress=lambda rec: reported.append(rec.batch_date),
        )

    con = loader.connect(db, read_only=True)
    try:
        loaded_days = con.execute(
            "select distinct _batch_date from raw.contacts order by 1"
        ).fetchall()
        logged_days = con.execute(
            f"select batch_date from raw.{loader.RECONCILIATION} order by 1"
        ).fetchall()
    finally:
        con.close()
    assert [day for (day,) in loaded_days] == days[:2]
    assert [day for (day,) in logged_days] == days[:2]
    assert reported == days[:2]


def test_a_group_written_at_once_stores_what_batch_by_batch_stores(tmp_path: Path) -> None:
    """A group's good rows go in with one insert (`GroupRows`), CSV and Parquet days and
    quarantined rows mixed: every raw table and the quarantine hold exactly what groups of a
    single batch give."""
    from ccmetrics.contract import SOURCES
    from ccmetrics.faults import plant_bad_rows

    landing = tmp_path / "landing"
    days = [DAY + dt.timedelta(days=offset) for offset in range(4)]
    for index, day in enumerate(days):
        write_day(landing, valid_day(day), day, fmt="parquet" if index % 2 else "csv")
    assert plant_bad_rows(landing, share=0.2, seed=11).faults

    def stored(group_batches: int) -> dict[str, list[tuple[object, ...]]]:
        db = tmp_path / f"grouped_{group_batches}.duckdb"
        loader.load(landing, db=db, runtime=SqlRuntime(), group_batches=group_batches)
        con = loader.connect(db, read_only=True)
        try:
            tables = {
                source.name: con.execute(
                    f"select * exclude (_loaded_at) from raw.{source.name} "
                    "order by _source_file, _source_row"
                ).fetchall()
                for source in SOURCES
            }
            tables["_quarantine"] = con.execute(
                "select source, source_file, source_row, key_value, row_json, reasons, status "
                "from raw._quarantine order by source_file, source_row"
            ).fetchall()
        finally:
            con.close()
        return tables

    one_group, batch_by_batch = stored(31), stored(1)
    assert sum(len(rows) for rows in one_group.values()) > len(one_group["_quarantine"]) > 0
    assert all(one_group["contacts"] and one_group[name] for name in ("surveys", "kb_events"))
    assert one_group == batch_by_batch
