"""Re-deliveries never silently delete good rows, master data is upserted, and a landing root
that holds something unexpected (or does not exist) says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import typer
from corpus.valid_day import DAY, valid_day, write_day
from corpus.warehouse import query
from typer.testing import CliRunner

from ccmetrics.commands import guard as guard_commands
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import RAW, RECONCILIATION, load
from ccmetrics.native import NATIVE_SOURCES

FILE = f"contacts/{DAY}.csv"


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


@pytest.fixture
def cli(engine: SqlRuntime, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """The guard commands, validating with the shared Great Expectations runtime."""
    app = typer.Typer()
    guard_commands.register(app)
    return app


def snapshot(db: Path, table: str) -> list[tuple[object, ...]]:
    return query(db, f"select * exclude (_loaded_at) from {RAW}.{table} order by all")


def test_a_redelivery_that_would_remove_rows_is_refused_unless_replace(
    tmp_path: Path, engine: SqlRuntime, cli: typer.Typer
) -> None:
    landing = tmp_path / "landing"
    db = tmp_path / "wh.duckdb"
    contacts = valid_day(DAY)["contacts"]
    write_day(landing, {"contacts": contacts}, DAY)
    load(landing, db=db, runtime=engine)
    before = snapshot(db, "contacts")

    # An empty file (a source that only sends changes, or a failed export).
    write_day(landing, {"contacts": contacts.iloc[0:0]}, DAY)
    (refused,) = load(landing, db=db, runtime=engine).refused
    assert refused.message == (
        f"{FILE} would replace 4 loaded rows with 0: refused; rerun with --replace to accept"
    )
    assert snapshot(db, "contacts") == before

    # A file whose rows all belong to another day: every row fails the guard.
    write_day(landing, {"contacts": valid_day(DAY + dt.timedelta(days=1))["contacts"]}, DAY)
    result = CliRunner().invoke(cli, ["load", "--landing", str(landing), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert (
        f"REFUSED   {FILE} would replace 4 loaded rows with 0: refused; rerun with --replace to "
        f"accept. 4 of its rows fail the guard, e.g. row 1: in_batch_day: started_at "
        f"2026-10-02 09:00:00 is not on the batch's UTC day {DAY}, nor is record_updated_at "
        "2026-10-02 09:05:00"
    ) in result.output
    assert snapshot(db, "contacts") == before
    assert query(db, f"select count(*) from {RAW}._quarantine") == [(0,)]
    logged = query(
        db,
        f"select status, check_name, rows_read, rows_loaded, rows_rejected, rows_replaced "
        f"from {RAW}.{RECONCILIATION} order by finished_at",
    )
    assert logged == [
        ("loaded", "", 4, 4, 0, 0),
        ("refused_shrink", "shrink", 0, 0, 0, 0),
        ("refused_shrink", "shrink", 4, 0, 4, 0),
    ]

    result = CliRunner().invoke(
        cli, ["load", "--landing", str(landing), "--db", str(db), "--replace", "--verbose"]
    )
    assert result.exit_code == 0, result.output
    assert f"QUARANTINE  {FILE}: read 4, loaded 0, quarantined 4, replaced 4 earlier rows" in (
        result.output
    )
    assert "removed 4 rows of earlier deliveries" in result.output
    assert snapshot(db, "contacts") == []


def test_master_data_is_upserted_never_deleted_by_a_partial_delivery(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    landing = tmp_path / "landing"
    db = tmp_path / "wh.duckdb"
    customers = valid_day(DAY)["customers"]
    write_day(landing, {"customers": customers}, DAY)
    load(landing, db=db, runtime=engine)

    def stored() -> list[tuple[object, ...]]:
        return query(db, f"select customer_id, segment from {RAW}.customers order by 1, 2")

    # The day's file delivered again with one changed customer only.
    changed = customers.iloc[[1]].assign(segment="enterprise", record_updated_at=f"{DAY} 12:00:00")
    write_day(landing, {"customers": changed}, DAY)
    (batch,) = load(landing, db=db, runtime=engine).batches
    assert (batch.status, batch.rows_loaded, batch.rows_replaced) == ("loaded", 1, 1)
    assert stored() == [("c1", "consumer"), ("c2", "enterprise"), ("c3", "enterprise")]

    # No changes today: an empty file deletes nothing.
    write_day(landing, {"customers": customers.iloc[0:0]}, DAY)
    (batch,) = load(landing, db=db, runtime=engine).batches
    assert (batch.status, batch.rows_loaded, batch.rows_replaced) == ("loaded", 0, 0)
    assert len(stored()) == 3

    # Records of another day in this day's file are quarantined, and delete nothing.
    other = valid_day(DAY + dt.timedelta(days=3))["customers"]
    write_day(landing, {"customers": other}, DAY)
    (batch,) = load(landing, db=db, runtime=engine).batches
    assert (batch.rows_quarantined, batch.rows_replaced) == (3, 0)
    assert len(stored()) == 3

    # Only --replace makes the file the whole day.
    write_day(landing, {"customers": customers.iloc[0:0]}, DAY)
    (batch,) = load(landing, db=db, runtime=engine, replace=True).batches
    assert (batch.rows_loaded, batch.rows_replaced) == (0, 3)
    assert stored() == []


NATIVE_FOLDERS = "".join(f", {source.landing_folder}" for source in NATIVE_SOURCES)


def test_load_names_what_it_does_not_load_and_refuses_a_missing_root(
    tmp_path: Path, cli: typer.Typer
) -> None:
    landing = tmp_path / "landing"
    write_day(landing, {"contacts": valid_day(DAY)["contacts"]}, DAY)
    (landing / "calls").mkdir()
    (landing / "calls" / f"{DAY}.csv").write_text("id\n1\n")
    (landing / "contacts" / "archive").mkdir()
    (landing / "notes.txt").write_text("sent by ftp")
    (landing / "_planted_faults.json").write_text("{}")  # the tools' own files stay quiet
    (landing / ".DS_Store").write_text("")
    db = tmp_path / "wh.duckdb"

    result = CliRunner().invoke(
        cli, ["load", "--landing", str(landing), "--db", str(db), "--verbose"]
    )

    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: calls/: not a contract source folder, not loaded (sources: contacts, "
        "bot_sessions, surveys, customers, agents, agent_states, schedules, qa_evaluations, "
        f"kb_events, ai_recommendations, cost_lines{NATIVE_FOLDERS})",
        "warning: contacts/archive/: folder inside a source folder, not loaded",
        "warning: notes.txt: stray file at the landing root, not loaded (a batch is "
        "<source>/YYYY-MM-DD.parquet or .csv)",
    ]
    assert f"ok          {FILE}: read 4, loaded 4" in result.output

    missing = tmp_path / "does-not-exist"
    result = CliRunner().invoke(cli, ["load", "--landing", str(missing), "--db", str(db)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: landing root {missing} does not exist: nothing to load"


def test_each_batch_logs_the_earliest_day_it_loaded_or_removed(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    """A new version of a contact comes in the file of the day it changed, but it changes the
    day the contact started: the batch logs that day as earliest_row_date, when it loads the
    version and when a re-delivery removes it again."""
    landing = tmp_path / "landing"
    db = tmp_path / "wh.duckdb"
    later = DAY + dt.timedelta(days=20)
    old_contacts = valid_day(DAY)["contacts"]
    write_day(landing, {"contacts": old_contacts}, DAY)
    load(landing, db=db, runtime=engine)
    later_contacts = valid_day(later)["contacts"]
    update = old_contacts.iloc[[0]].assign(
        talk_seconds="600", record_updated_at=f"{later} 08:00:00"
    )

    def earliest_logged(day: dt.date) -> list[tuple[object, ...]]:
        return query(
            db,
            f"select earliest_row_date from {RAW}.{RECONCILIATION} "
            f"where batch_date = '{day}' order by finished_at",
        )

    assert earliest_logged(DAY) == [(DAY,)]
    write_day(landing, {"contacts": later_contacts}, later)
    load(landing, db=db, runtime=engine)
    write_day(landing, {"contacts": pd.concat([later_contacts, update])}, later)
    load(landing, db=db, runtime=engine)
    write_day(landing, {"contacts": later_contacts}, later)
    load(landing, db=db, runtime=engine, replace=True)

    # Its own day; with the update loaded; with the update removed.
    assert earliest_logged(later) == [(later,), (DAY,), (DAY,)]
    assert query(db, f"select talk_seconds from {RAW}.contacts where contact_id = 'k10011'") == [
        (float(old_contacts.talk_seconds.iloc[0]),)
    ]
