"""The corpus of bad landing inputs: each ends in a clear rejection or quarantined rows, with a
reconciliation that adds up, and a rejected batch leaves the warehouse exactly as it was."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from corpus.valid_day import DAY, typed_parquet, valid_day, write_day
from corpus.warehouse import query

from ccmetrics.contract import SOURCES, SOURCES_BY_NAME
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import RAW, RunReport, load

BASE_DAYS = 4
# The volume check compares a day with the same weekday of earlier weeks.
NEW_DAY = DAY + dt.timedelta(weeks=BASE_DAYS)
NEW = NEW_DAY.isoformat()


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, engine: SqlRuntime) -> tuple[Path, Path]:
    """Four good days, a week apart, loaded: enough history for the volume check."""
    root = tmp_path_factory.mktemp("baseline")
    landing = root / "landing"
    for offset in range(BASE_DAYS):
        day = DAY + dt.timedelta(weeks=offset)
        write_day(landing, valid_day(day), day, fmt="csv" if offset % 2 else "parquet")
    db = root / "base.duckdb"
    report = load(landing, db=db, runtime=engine)
    assert not report.rejected and not report.row_issues
    return landing, db


@pytest.fixture
def center(baseline: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    landing, db = baseline
    shutil.copytree(landing, tmp_path / "landing")
    shutil.copy(db, tmp_path / "wh.duckdb")
    return tmp_path / "landing", tmp_path / "wh.duckdb"


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every data table of the raw schema, sorted: what the marts are built from."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [s.name for s in SOURCES] + ["_quarantine"]
        return {
            t: sorted(map(repr, con.sql(f"select * from {RAW}.{t}").fetchall())) for t in tables
        }
    finally:
        con.close()


def reconciliation(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(f"select * from {RAW}._load_reconciliation").df()
    finally:
        con.close()


def assert_adds_up(report: RunReport, db: Path) -> None:
    assert all(b.adds_up for b in report.batches)
    stored = reconciliation(db)
    assert (
        stored.rows_read == stored.rows_loaded + stored.rows_quarantined + stored.rows_rejected
    ).all()


def new_file(landing: Path, source: str, fmt: str = "csv") -> Path:
    return landing / source / f"{NEW}.{fmt}"


def new_frames() -> dict[str, pd.DataFrame]:
    return valid_day(NEW_DAY)


# --- batch-level failures: rejected, named, warehouse untouched -------------------------------


def _truncated(path: Path) -> None:
    new_frames()["contacts"].to_csv(path, index=False)
    text = path.read_text()
    path.write_text(text[: len(text) - 40])


def _malformed(path: Path) -> None:
    new_frames()["contacts"].to_csv(path, index=False)
    path.write_text(path.read_text().replace("billing_question", '"billing_question', 1))


def _latin1(path: Path) -> None:
    frame = new_frames()["contacts"]
    frame.loc[0, "contact_reason"] = "réclamation"
    path.write_bytes(frame.to_csv(index=False).encode("latin-1"))


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _header_only(path: Path) -> None:
    new_frames()["contacts"].iloc[0:0].to_csv(path, index=False)


def _missing_column(path: Path) -> None:
    new_frames()["contacts"].drop(columns=["channel", "ended_at"]).to_csv(path, index=False)


def _wrong_type_parquet(path: Path) -> None:
    frame = typed_parquet(new_frames()["contacts"], "contacts")
    frame["started_at"] = True
    frame.to_parquet(path, index=False)


def _ten_times(path: Path) -> None:
    frame = new_frames()["contacts"]
    copies = []
    for copy in range(10):
        part = frame.copy()
        part["contact_id"] = part["contact_id"] + f"x{copy}"
        part["initial_contact_id"] = part["initial_contact_id"].map(
            lambda v, c=copy: None if v is None else f"{v}x{c}"
        )
        part["previous_contact_id"] = part["initial_contact_id"]
        copies.append(part)
    pd.concat(copies).to_csv(path, index=False)


BATCH_FAILURES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "truncated_csv": (_truncated, "readable", "Expected Number of Columns"),
    "malformed_csv": (_malformed, "readable", "unterminated quote"),
    "non_utf8": (_latin1, "readable", "UTF-8"),
    "empty_file": (_empty_file, "not empty", "an empty file"),
    "empty_batch": (_header_only, "not empty", "an empty batch"),
    "missing_columns": (_missing_column, "schema", "missing columns ['channel', 'ended_at']"),
    "wrong_type": (_wrong_type_parquet, "schema drift", "column started_at of type timestamp"),
    "ten_times_the_size": (_ten_times, "volume", "40 rows"),
}


@pytest.mark.parametrize("case", sorted(BATCH_FAILURES))
def test_batch_failure_is_rejected_and_changes_nothing(
    case: str, center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    landing, db = center
    make, check, detail = BATCH_FAILURES[case]
    fmt = "parquet" if case == "wrong_type" else "csv"
    path = new_file(landing, "contacts", fmt)
    make(path)
    before = snapshot(db)

    report = load(landing, db=db, sources=("contacts",), runtime=engine)

    (rejected,) = report.rejected
    assert rejected.source_file == f"contacts/{NEW}.{fmt}"
    assert rejected.check == check
    assert rejected.message.startswith(f"contacts/{NEW}.{fmt}: {check} failed: expected ")
    assert detail in rejected.message
    assert snapshot(db) == before
    assert_adds_up(report, db)
    logged = reconciliation(db).query("status == 'rejected'")
    assert list(logged.source_file) == [f"contacts/{NEW}.{fmt}"]


def test_same_day_as_csv_and_parquet_is_rejected(
    center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    landing, db = center
    write_day(landing, {"contacts": new_frames()["contacts"]}, NEW_DAY, fmt="csv")
    write_day(landing, {"contacts": new_frames()["contacts"]}, NEW_DAY, fmt="parquet")
    before = snapshot(db)
    report = load(landing, db=db, sources=("contacts",), runtime=engine)
    (rejected,) = report.rejected
    assert rejected.check == "single delivery"
    assert f"contacts/{NEW}.csv and contacts/{NEW}.parquet" in rejected.message
    assert snapshot(db) == before


def test_badly_named_file_is_rejected(center: tuple[Path, Path], engine: SqlRuntime) -> None:
    landing, db = center
    new_frames()["contacts"].to_csv(landing / "contacts" / "yesterday.csv", index=False)
    report = load(landing, db=db, sources=("contacts",), runtime=engine)
    (rejected,) = report.rejected
    assert rejected.check == "file name"
    assert "YYYY-MM-DD" in rejected.message


def test_volume_collapse_is_rejected(tmp_path: Path, engine: SqlRuntime) -> None:
    landing = tmp_path / "landing"
    big = valid_day(DAY)["agent_states"]
    for offset in range(4):
        day = DAY + dt.timedelta(weeks=offset)
        frame = pd.concat([big] * 10, ignore_index=True)
        frame["state_interval_id"] = [f"s{offset}_{i}" for i in range(len(frame))]
        frame["started_at"] = frame["started_at"].str.replace(DAY.isoformat(), day.isoformat())
        frame["ended_at"] = frame["ended_at"].str.replace(DAY.isoformat(), day.isoformat())
        write_day(landing, {"agent_states": frame, "agents": valid_day(day)["agents"]}, day)
    db = tmp_path / "wh.duckdb"
    assert not load(landing, db=db, runtime=engine).rejected
    tiny = valid_day(NEW_DAY)["agent_states"].iloc[:1]
    write_day(landing, {"agent_states": tiny}, NEW_DAY)
    (rejected,) = load(landing, db=db, runtime=engine).rejected
    assert rejected.check == "volume"
    assert "found 1 rows" in rejected.message


# --- row-level failures: quarantined with every reason, the good rows load --------------------


def _quarantine(db: Path) -> dict[int, list[str]]:
    """Open quarantine of a warehouse that holds one source's quarantined rows."""
    rows = query(db, f"select source_row, reasons from {RAW}._quarantine where status = 'open'")
    return {int(row): json.loads(reasons) for row, reasons in rows}


def _load_one(
    landing: Path, db: Path, engine: SqlRuntime, frame: pd.DataFrame, sources: tuple[str, ...]
) -> RunReport:
    """Load a new day whose last source's file is `frame` (the sources before it valid)."""
    write_day(landing, {**new_frames(), sources[-1]: frame}, NEW_DAY)
    report = load(landing, db=db, sources=sources, runtime=engine)
    assert not report.rejected
    assert_adds_up(report, db)
    return report


def _checks(reasons: list[str]) -> set[str]:
    return {reason.split(":")[0] for reason in reasons}


ROW_FAULTS_EXPECTED: dict[str, tuple[str, str, int, object, set[str]]] = {
    # case: (source, column, row position, bad value, checks that must fire)
    "wrong_type_text": ("contacts", "talk_seconds", 0, "twelve", {"type"}),
    "negative_duration": ("contacts", "hold_seconds", 0, "-10", {"plausible"}),
    "absurd_duration": ("contacts", "talk_seconds", 2, "86400000", {"plausible"}),
    "end_before_start": ("contacts", "ended_at", 2, f"{NEW} 09:00:00", {"order", "duration"}),
    "future_timestamp": (
        "contacts",
        "ended_at",
        3,
        "2099-01-01 00:00:00",
        {"not_future", "duration"},
    ),
    "outside_batch_day": (
        "schedules",
        "starts_at",
        0,
        "2026-09-01 08:00:00",
        {"in_batch_day", "duration"},
    ),
    "unknown_channel": ("contacts", "channel", 1, "fax", {"enum"}),
    "orphan_survey": ("surveys", "contact_id", 0, "k_never_seen", {"reference"}),
    "orphan_agent": ("agent_states", "agent_id", 1, "a_nobody", {"reference"}),
    "csat_out_of_range": ("surveys", "csat_score", 0, "9", {"plausible"}),
    "nps_out_of_range": ("surveys", "nps_score", 0, "11", {"plausible"}),
    "null_key": ("kb_events", "kb_event_id", 1, None, {"not_null"}),
    "sql_injection": (
        "contacts",
        "contact_reason",
        3,
        "'; drop table raw.contacts; --",
        {"plain_text"},
    ),
    "formula_injection": (
        "ai_recommendations",
        "product_code",
        0,
        "=cmd|' /C calc'!A0",
        {"plain_text"},
    ),
    "survey_before_contact": ("surveys", "responded_at", 0, f"{NEW} 09:06:00", {"after_rated"}),
    "script_in_reason": (
        "contacts",
        "contact_reason",
        1,
        "<img src=x onerror=document.title=1337>",
        {"plain_text"},
    ),
    # 39 characters: longer than any phone number may be, and not one.
    "script_in_phone": (
        "contacts",
        "customer_phone",
        1,
        "<img src=x onerror=document.title=1337>",
        {"format", "max_length"},
    ),
    # A 5 MB cell is a 5 MB CSV line: the file must still read (the row is quarantined).
    "five_megabyte_reason": ("contacts", "contact_reason", 0, "a" * 5_000_000, {"max_length"}),
    "million_digit_phone": ("contacts", "customer_phone", 2, "1" * 1_000_000, {"max_length"}),
    "overlong_email": ("customers", "email", 0, "x" * 250 + "@example.com", {"max_length"}),
    "overlong_id": ("agent_states", "agent_id", 0, "a" * 129, {"max_length", "reference"}),
}
ROW_FAULTS = {case: spec[:4] for case, spec in ROW_FAULTS_EXPECTED.items()}


@pytest.fixture(scope="module")
def faulty_day(
    baseline: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, engine: SqlRuntime
) -> tuple[Path, RunReport, dict[str, int]]:
    """One new day whose files hold the valid rows plus one faulty copy of a row per case."""
    landing, db = baseline
    root = tmp_path_factory.mktemp("faulty")
    shutil.copytree(landing, root / "landing")
    shutil.copy(db, root / "wh.duckdb")
    frames = new_frames()
    rows: dict[str, int] = {}
    for case, (source, column, position, value) in sorted(ROW_FAULTS.items()):
        frame = frames[source]
        copy = frame.iloc[[position]].copy()
        key = SOURCES_BY_NAME[source].key
        copy[key] = f"{copy[key].iloc[0]}_{case}"
        copy[column] = value
        if column == key:
            copy[key] = None
        frames[source] = pd.concat([frame, copy], ignore_index=True)
        rows[case] = len(frames[source])
    write_day(root / "landing", frames, NEW_DAY)
    report = load(root / "landing", db=root / "wh.duckdb", runtime=engine)
    return root / "wh.duckdb", report, rows


def test_faulty_day_loads_its_good_rows_and_adds_up(
    faulty_day: tuple[Path, RunReport, dict[str, int]],
) -> None:
    db, report, _ = faulty_day
    assert not report.rejected
    assert_adds_up(report, db)
    new = [b for b in report.batches if b.batch_date == NEW_DAY]
    assert sum(b.rows_quarantined for b in new) == len(ROW_FAULTS)
    valid = sum(len(frame) for frame in new_frames().values())
    assert sum(b.rows_loaded for b in new) == valid


@pytest.mark.parametrize("case", sorted(ROW_FAULTS))
def test_bad_row_is_quarantined_with_its_reasons(
    case: str, faulty_day: tuple[Path, RunReport, dict[str, int]]
) -> None:
    db, _, rows = faulty_day
    source, _, _, _, checks = ROW_FAULTS_EXPECTED[case]
    found = query(
        db,
        f"select reasons from {RAW}._quarantine where status = 'open' "
        f"and source = '{source}' and source_row = {rows[case]}",
    )
    assert len(found) == 1, f"row {rows[case]} of {source} is not quarantined"
    assert _checks(json.loads(found[0][0])) == checks


def test_injection_payload_is_kept_as_text_not_run(
    center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    landing, db = center
    frame = new_frames()["contacts"]
    frame.loc[3, "contact_reason"] = "x'); drop table raw.contacts; --"
    _load_one(landing, db, engine, frame, ("contacts",))
    (row_json,) = query(db, f"select row_json from {RAW}._quarantine")[0]
    assert json.loads(row_json)["contact_reason"] == "x'); drop table raw.contacts; --"
    assert query(db, f"select count(*) from {RAW}.contacts")[0][0] == BASE_DAYS * 4 + 3


def test_extra_column_is_reported_and_not_loaded(
    center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    landing, db = center
    frame = new_frames()["contacts"].assign(sentiment="happy")
    report = _load_one(landing, db, engine, frame, ("contacts",))
    assert report.warnings == [
        f"contacts/{NEW}.csv: unexpected extra columns ['sentiment'] (not loaded)"
    ]
    (batch,) = [b for b in report.batches if b.batch_date == NEW_DAY]
    assert batch.rows_loaded == 4


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_infinite_numbers_are_quarantined_as_not_a_number(
    center: tuple[Path, Path], engine: SqlRuntime, fmt: str
) -> None:
    """Infinity fits a Parquet double and parses from CSV text, but is no duration: the row
    is quarantined for its type, whichever way it arrived."""
    landing, db = center
    frames = new_frames()
    contacts = frames["contacts"].astype({"talk_seconds": object, "hold_seconds": object})
    contacts.loc[1, "talk_seconds"] = float("inf")
    contacts.loc[3, "hold_seconds"] = float("-inf")
    write_day(landing, {**frames, "contacts": contacts}, NEW_DAY, fmt=fmt)
    report = load(landing, db=db, sources=("contacts",), runtime=engine)
    assert not report.rejected
    assert_adds_up(report, db)
    assert _quarantine(db) == {
        2: ["type:talk_seconds: 'inf' is not a valid double"],
        4: ["type:hold_seconds: '-inf' is not a valid double"],
    }
    loaded = query(db, f"select count(*) from {RAW}.contacts where _batch_date = '{NEW}'")
    assert loaded == [(len(contacts) - 2,)]


def test_duplicate_keys_with_different_content_are_quarantined(
    center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    landing, db = center
    frame = new_frames()["surveys"]
    changed = frame.iloc[[0]].assign(csat_score="1")
    exact = frame.iloc[[1]]
    both = pd.concat([frame, changed, exact], ignore_index=True)
    _load_one(landing, db, engine, both, ("contacts", "bot_sessions", "surveys"))
    quarantined = _quarantine(db)
    assert sorted(quarantined) == [1, 3]
    assert all(_checks(r) == {"unique_key"} for r in quarantined.values())
    # The exact duplicate is a real-feed fact: both copies load and staging keeps one.
    loaded = query(
        db, f"select _source_row from {RAW}.surveys where _batch_date = '{NEW}' order by 1"
    )
    assert loaded == [(2,), (4,)]


def test_timestamps_with_offsets_across_daylight_saving_are_stored_in_utc(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    # Central Europe leaves summer time on 2026-10-25 at 01:00 UTC: local 02:30 happens twice.
    day = dt.date(2026, 10, 25)
    frames = valid_day(day)
    states = frames["agent_states"]
    states.loc[0, ["started_at", "ended_at"]] = [
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:30:00+01:00",
    ]
    states.loc[1, ["started_at", "ended_at"]] = ["2026-10-25 03:00:00Z", "2026-10-25 03:05:00"]
    states.loc[2, ["started_at", "ended_at"]] = [
        "2026-10-25T01:10:00+01:00",
        "2026-10-25T00:30:00+00:00",
    ]
    write_day(tmp_path / "landing", {"agents": frames["agents"], "agent_states": states}, day)
    db = tmp_path / "wh.duckdb"
    report = load(tmp_path / "landing", db=db, runtime=engine)
    assert not report.rejected
    stored = query(
        db, f"select _source_row, started_at, ended_at from {RAW}.agent_states order by 1"
    )
    assert stored == [
        (1, dt.datetime(2026, 10, 25, 0, 30), dt.datetime(2026, 10, 25, 1, 30)),
        (2, dt.datetime(2026, 10, 25, 3, 0), dt.datetime(2026, 10, 25, 3, 5)),
        # Read without its offset, this row would end (00:30) before it starts (01:10).
        (3, dt.datetime(2026, 10, 25, 0, 10), dt.datetime(2026, 10, 25, 0, 30)),
    ]
    assert _quarantine(db) == {}


def test_a_quarantined_row_without_a_key_does_not_make_unknown_ids_known(
    center: tuple[Path, Path], engine: SqlRuntime
) -> None:
    """The open quarantine counts as delivered ids, and a row quarantined for a missing key
    leaves a null among them; an unknown reference must still be caught, not turn into "not
    checked" (in SQL, `x in (..., null)` is null, never false)."""
    landing, db = center
    frames = valid_day(NEW_DAY)
    frames["contacts"].loc[0, "contact_id"] = None
    frames["surveys"].loc[0, "contact_id"] = "k_never_seen"
    write_day(landing, {name: f for name, f in frames.items() if name != "surveys"}, NEW_DAY)
    load(landing, db=db, runtime=engine)
    write_day(landing, {"surveys": frames["surveys"]}, NEW_DAY)

    report = load(landing, db=db, runtime=engine)

    assert query(
        db,
        f"select count(*) from {RAW}._quarantine where source = 'contacts' "
        "and status = 'open' and key_value is null",
    ) == [(1,)]
    surveys = [issue for issue in report.row_issues if issue[0].startswith("surveys/")]
    assert [(row, _checks(reasons)) for _, row, reasons in surveys] == [(1, {"reference"})]
