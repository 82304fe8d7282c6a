"""What real centers deliver: unidentified callers, calls routed straight to an agent, IVR
hang-ups, clocks a second apart, no master data, CSV files saved by Excel, children that
arrive before their parent; and quarantine reasons that show the offending values."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from corpus.valid_day import DAY, valid_day, write_day
from corpus.warehouse import query

from ccmetrics.contract import DEFAULT_UNKNOWN_CUSTOMER_IDS, source, unknown_customer_ids
from ccmetrics.guard.quarantine import export_quarantine, load_corrections
from ccmetrics.guard.rules import GuardSettings
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import RAW, RECONCILIATION, check, connect, load

D = DAY.strftime("%m%d")
FILE = f"contacts/{DAY}.csv"


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


def open_reasons(db: Path, source: str) -> dict[int, list[str]]:
    rows = query(
        db,
        f"select source_row, reasons from {RAW}._quarantine "
        f"where status = 'open' and source = '{source}'",
    )
    return {int(row): json.loads(reasons) for row, reasons in rows}


def with_rows(
    frame: pd.DataFrame, base: int, key: str, changes: list[dict[str, object]]
) -> pd.DataFrame:
    """`frame` plus one copy of its row `base` per change, each with its own key."""
    copies = []
    for index, change in enumerate(changes):
        copy = frame.iloc[[base]].copy()
        copy[key] = f"{copy[key].iloc[0]}_{index}"
        for column, value in change.items():
            copy[column] = value
        copies.append(copy)
    return pd.concat([frame, *copies], ignore_index=True)


def test_unidentified_callers_are_loaded_and_only_real_ids_are_checked(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    frames = valid_day(DAY)
    contacts = frames["contacts"]
    contacts.loc[0, "customer_id"] = None
    contacts.loc[1, "customer_id"] = "0"
    contacts.loc[2, "customer_id"] = "Anonymous "
    contacts.loc[3, "customer_id"] = "c_ghost"
    frames["bot_sessions"].loc[0, "customer_id"] = "UNKNOWN"
    frames["bot_sessions"].loc[1, "customer_id"] = None
    write_day(tmp_path / "landing", frames, DAY)
    db = tmp_path / "wh.duckdb"

    report = load(tmp_path / "landing", db=db, runtime=engine)

    assert not report.rejected
    assert open_reasons(db, "bot_sessions") == {}
    (reason,) = open_reasons(db, "contacts")[4]
    assert reason.startswith(
        "reference: customer_id 'c_ghost' not found in customers (loaded, or delivered "
        "earlier in this run)"
    )
    assert query(db, f"select count(*) from {RAW}.contacts") == [(3,)]
    assert query(db, f"select count(*) from {RAW}.bot_sessions") == [(2,)]


def test_unknown_customer_ids_are_read_from_the_dbt_project(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  unknown_customer_ids: [' N/A ', 0, Anonymous]\n")
    assert unknown_customer_ids(project) == ("n/a", "0", "anonymous")
    project.write_text("vars:\n  fcr_window_hours: 2\n")
    assert unknown_customer_ids(project) == DEFAULT_UNKNOWN_CUSTOMER_IDS
    assert unknown_customer_ids(tmp_path / "missing.yml") == ("0", "anonymous", "unknown")
    assert set(unknown_customer_ids()) == {"0", "anonymous", "unknown"}


def test_ivr_hang_ups_and_calls_routed_straight_to_an_agent(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    frames = valid_day(DAY)
    ivr = {"disposition": "ivr_abandoned", "queue_id": None, "connected_at": None}
    contacts = with_rows(
        frames["contacts"],
        3,
        "contact_id",
        [{**ivr, "queued_at": None}, {**ivr, "queued_at": f"{DAY} 11:00:05"}],
    )
    contacts.loc[0, "queued_at"] = None  # answered without waiting in a queue
    write_day(tmp_path / "landing", {"contacts": contacts}, DAY)
    db = tmp_path / "wh.duckdb"

    report = load(tmp_path / "landing", db=db, runtime=engine)

    assert report.warnings == [
        f"{FILE}: 1 answered contacts have no queued_at: counted as offered with a zero wait "
        "(routed directly to an agent)"
    ]
    assert open_reasons(db, "contacts") == {
        6: [
            f"null_when: queued_at {DAY} 11:00:05 is set on a disposition ivr_abandoned row; it "
            "must be empty (the caller hung up inside the IVR before asking for an agent)"
        ]
    }
    assert query(
        db, f"select contact_id from {RAW}.contacts where disposition = 'ivr_abandoned'"
    ) == [(f"k{D}4_0",)]


def test_clock_skew_within_the_tolerance_is_clamped_and_counted(
    tmp_path: Path, engine: SqlRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = valid_day(DAY)
    contacts = frames["contacts"]
    contacts.loc[0, "connected_at"] = f"{DAY} 09:00:08"  # 2 s before queued_at 09:00:10
    contacts.loc[1, "queued_at"] = f"{DAY} 09:04:58"  # 2 s before started_at 09:05:00
    contacts.loc[3, "ended_at"] = f"{DAY} 10:59:50"  # 10 s before started_at 11:00:00
    landing = tmp_path / "landing"
    write_day(landing, {"contacts": contacts}, DAY)
    db = tmp_path / "wh.duckdb"
    # A warehouse from before rows_clamped existed: the load adds the column.
    con = connect(db)
    con.execute(f"create schema {RAW}")
    con.execute(
        f"create table {RAW}.{RECONCILIATION} (run_id varchar, source varchar, batch_date date, "
        "source_file varchar, file_sha256 varchar, rows_read bigint, rows_loaded bigint, "
        "rows_quarantined bigint, rows_rejected bigint, rows_replaced bigint, status varchar, "
        "check_name varchar, message varchar, started_at timestamp, finished_at timestamp)"
    )
    con.execute(
        f"insert into {RAW}.{RECONCILIATION} values ('old', 'contacts', '2026-09-01', "
        "'contacts/2026-09-01.csv', 'x', 1, 1, 0, 0, 0, 'loaded', '', '', now(), now())"
    )
    con.close()

    report = load(landing, db=db, runtime=engine)

    (batch,) = report.batches
    assert (batch.rows_loaded, batch.rows_quarantined, batch.rows_clamped) == (3, 1, 2)
    stored = dict(query(db, f"select run_id, rows_clamped from {RAW}.{RECONCILIATION}"))
    assert stored == {"old": None, report.run_id: 2}
    assert query(
        db,
        f"select contact_id, queued_at, connected_at from {RAW}.contacts "
        "where contact_id in ('k10011', 'k10012') order by 1",
    ) == [
        ("k10011", dt.datetime(2026, 10, 1, 9, 0, 10), dt.datetime(2026, 10, 1, 9, 0, 10)),
        ("k10012", dt.datetime(2026, 10, 1, 9, 5), dt.datetime(2026, 10, 1, 9, 5, 20)),
    ]
    reasons = open_reasons(db, "contacts")[4]
    assert "order: ended_at 10:59:50 is before started_at 11:00:00" in reasons
    assert "order: ended_at 10:59:50 is before queued_at 11:00:05" in reasons

    strict = check([landing], db=db, runtime=engine, settings=GuardSettings(clock_skew_seconds=0))
    assert [row for _, row, _ in strict.row_issues] == [1, 2, 4]
    assert "order: connected_at 09:00:08 is before queued_at 09:00:10" in strict.row_issues[0][2]

    monkeypatch.setenv("CCMETRICS_CLOCK_SKEW_SECONDS", "1.5")
    assert GuardSettings().clock_skew_seconds == 1.5
    monkeypatch.setenv("CCMETRICS_CLOCK_SKEW_SECONDS", "a second")
    with pytest.raises(ValueError, match="CCMETRICS_CLOCK_SKEW_SECONDS must be a number"):
        GuardSettings()


def test_contacts_alone_load_and_references_apply_once_delivered(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    frames = valid_day(DAY)
    landing = tmp_path / "landing"
    only = ("contacts", "surveys", "qa_evaluations", "kb_events")
    write_day(landing, {name: frames[name] for name in only}, DAY)
    db = tmp_path / "wh.duckdb"

    report = load(landing, db=db, runtime=engine)

    assert not report.rejected and report.row_issues == []
    assert report.total("rows_loaded") == 4 + 2 + 2 + 2

    # Once customers are delivered, a contact must name one of them.
    later = DAY + dt.timedelta(days=1)
    customers = valid_day(later)["customers"].iloc[[0]]  # c1 only
    write_day(landing, {"customers": customers, "contacts": valid_day(later)["contacts"]}, later)
    report = load(landing, db=db, runtime=engine)
    assert {(file, row) for file, row, _ in report.row_issues} == {
        (f"contacts/{later}.csv", 3),
        (f"contacts/{later}.csv", 4),
    }


def test_reasons_show_the_values_but_never_personal_data(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    frames = valid_day(DAY)
    contacts = with_rows(
        frames["contacts"],
        3,
        "contact_id",
        [
            {
                "started_at": f"{DAY} 09:03:40",
                "queued_at": None,
                "ended_at": f"{DAY} 09:01:12",
                "record_updated_at": f"{DAY} 09:03:40",
            },
            {"customer_phone": "call me on 555 0199, ask for Kim"},
            {"channel": "fax"},
            {"talk_seconds": "-10"},
            {"ended_at": "2099-01-01 00:00:00"},
        ],
    )
    surveys = frames["surveys"]
    surveys.loc[0, "responded_at"] = f"{DAY} 09:06:00"  # the rated contact ended at 09:09:00
    landing = tmp_path / "landing"
    write_day(landing, {"contacts": contacts, "surveys": surveys}, DAY)
    db = tmp_path / "wh.duckdb"

    load(landing, db=db, runtime=engine)

    reasons = open_reasons(db, "contacts")
    assert reasons[5] == [
        "order: ended_at 09:01:12 is before started_at 09:03:40",
        "duration: started_at to ended_at lasts -148 s; expected 0 to 1,209,600 s (14 days)",
    ]
    assert reasons[6] == ["format: malformed phone number in customer_phone"]
    assert reasons[7] == [
        "enum: channel 'fax' is not one of phone, ivr, chat, messaging, social, email"
    ]
    assert reasons[8] == [
        "plausible: talk_seconds -10 is outside 0 to 28800 (talk time is at most one 8-hour shift)"
    ]
    assert reasons[9][0].startswith("not_future: ended_at 2099-01-01 00:00:00 is in the future")
    assert open_reasons(db, "surveys") == {
        1: [
            "after_rated: responded_at 09:06:00 is before the rated contact or bot session "
            "ended (09:09:00)"
        ]
    }
    everything = json.dumps(query(db, f"select reasons from {RAW}._quarantine"))
    assert "555 0199" not in everything and "Kim" not in everything


def test_a_csv_saved_by_excel_loads(tmp_path: Path, engine: SqlRuntime) -> None:
    path = tmp_path / "landing" / FILE
    path.parent.mkdir(parents=True)
    valid_day(DAY)["contacts"].to_csv(
        path, index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcontact_id,")

    report = load(tmp_path / "landing", db=tmp_path / "wh.duckdb", runtime=engine)

    (batch,) = report.batches
    assert (batch.status, batch.rows_loaded) == ("loaded", 4)
    assert query(
        tmp_path / "wh.duckdb",
        f"select disposition, record_updated_at from {RAW}.contacts where _source_row = 4",
    ) == [("abandoned", dt.datetime(2026, 10, 1, 11, 0, 40))]


def test_a_survey_that_arrives_before_its_contact_says_how_to_recheck_it(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    later = DAY + dt.timedelta(days=1)
    landing = tmp_path / "landing"
    write_day(landing, {"contacts": valid_day(DAY)["contacts"]}, DAY)
    write_day(landing, {"surveys": valid_day(later)["surveys"].iloc[[0]]}, later)
    db = tmp_path / "wh.duckdb"
    load(landing, db=db, runtime=engine)
    (reason,) = open_reasons(db, "surveys")[1]
    assert reason == (
        f"reference: contact_id 'k{later:%m%d}2' not found in contacts (loaded, or delivered "
        "earlier in this run); if it arrives in a later file, load that file, then re-check "
        "this row: ccmetrics quarantine export --source surveys --out FILE, then "
        "ccmetrics load --source surveys --corrections FILE"
    )

    write_day(landing, {"contacts": valid_day(later)["contacts"]}, later)
    load(landing, db=db, runtime=engine)
    recheck = tmp_path / "recheck.csv"
    con = connect(db)
    try:
        assert export_quarantine(con, source("surveys"), recheck) == 1
    finally:
        con.close()
    (batch,) = load_corrections(recheck, "surveys", db=db, runtime=engine).batches
    assert (batch.rows_loaded, batch.rows_quarantined) == (1, 0)
    assert open_reasons(db, "surveys") == {}
