"""The Asterisk queue_log source (issue 11): reader, guard, loader, and the same center
delivered as a queue_log and in the landing contract giving the same marts.

The hand-written queue_log native_fixtures/asterisk/2026-03-02.log holds every quirk (see
seeds/fixtures/_asterisk__seeds.yml for the list); its expected contacts and agent states are
worked out by hand in tests/native/asterisk/ and in the unit tests of
models/staging/asterisk/_asterisk__models.yml.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BIN, ROOT, SYSTEMS_MART, assert_systems_split_the_records, dbt_env, generate

from ccmetrics.contract import LOADER_COLUMNS, SOURCES_BY_FOLDER
from ccmetrics.native.asterisk import writer
from ccmetrics.native.asterisk.reader import COLUMNS, line_key, parse_line, read_queue_log
from ccmetrics.native.asterisk.source import QUEUE_LOG

FIXTURES = Path(__file__).parent / "native_fixtures" / "asterisk"
FIXTURE = FIXTURES / "2026-03-02.log"
SEED = ROOT / "seeds" / "fixtures" / "asterisk_queue_log.csv"
TOLERANCE = 1e-9


# ---------------------------------------------------------------- reader


@pytest.fixture(scope="module")
def fixture_rows() -> pd.DataFrame:
    return read_queue_log(FIXTURE).set_index("_source_row", drop=False)


def test_reader_gives_one_text_row_per_line(fixture_rows: pd.DataFrame) -> None:
    assert list(fixture_rows.columns) == ["_source_row", *COLUMNS]
    assert list(fixture_rows["_source_row"]) == list(range(1, 50))
    for column in COLUMNS:
        values = fixture_rows[column].dropna()
        assert all(isinstance(value, str) for value in values), column


def test_reader_marks_lines_it_cannot_split(fixture_rows: pd.DataFrame) -> None:
    statuses = fixture_rows["line_status"]
    assert statuses[21] == "too_few_fields"
    assert fixture_rows.loc[21, ["event_at", "callid", "event"]].isna().all()
    assert statuses[37] == "bad_epoch"
    assert fixture_rows.loc[37, "event_epoch"] == "2026-03-02 09:18:00"
    assert pd.isna(fixture_rows.loc[37, "event_at"])
    assert (statuses.drop([21, 37]) == "ok").all()


def test_reader_turns_the_epoch_into_utc_text(fixture_rows: pd.DataFrame) -> None:
    row = fixture_rows.loc[4]
    assert (row["event_epoch"], row["event_at"]) == ("1772439000", "2026-03-02 08:10:00")
    assert parse_line("1772439000.25|x|q|NONE|ENTERQUEUE||1|1")["event_at"] == (
        "2026-03-02 08:10:00.250000"
    )


def test_repeated_lines_share_their_key(fixture_rows: pd.DataFrame) -> None:
    keys = fixture_rows["line_key"]
    assert keys[48] == keys[4] and keys[49] == keys[5]
    assert keys.drop([48, 49]).is_unique
    # Trailing blanks and Windows line ends do not make a different line.
    assert line_key("1|a|q|NONE|ABANDON|1|1|8\r\n") == line_key("1|a|q|NONE|ABANDON|1|1|8")


def test_older_and_newer_layouts_land_in_the_same_columns(fixture_rows: pd.DataFrame) -> None:
    def row(number: int) -> dict[str, object]:
        return {k: None if pd.isna(v) else v for k, v in fixture_rows.loc[number].items()}

    new_connect, old_connect = row(5), row(9)
    assert (new_connect["data_fields"], new_connect["wait_seconds"]) == ("3", "20")
    assert (old_connect["data_fields"], old_connect["wait_seconds"]) == ("2", "5")
    assert old_connect["data2"] == "1772439605.9004"
    # EXITWITHTIMEOUT with the position only (older) has no wait; EXITWITHKEY with
    # key|position|origposition|waittime (newer) has one.
    assert (row(34)["data_fields"], row(34)["wait_seconds"]) == ("1", None)
    assert (row(36)["event"], row(36)["wait_seconds"]) == ("EXITWITHKEY", "30")
    # PAUSE without a reason (older) and with one.
    assert (row(23)["event"], row(23)["data1"], row(23)["data_fields"]) == ("PAUSE", None, "0")
    assert row(13)["data1"] == "Lunch"
    # BLINDTRANSFER extension|context|holdtime|calltime|origposition; ATTENDEDTRANSFER
    # BRIDGE|id|holdtime|calltime|origposition (read from the end).
    assert (row(17)["wait_seconds"], row(17)["talk_seconds"]) == ("45", "120")
    assert (row(26)["wait_seconds"], row(26)["talk_seconds"]) == ("10", "60")
    assert (row(6)["wait_seconds"], row(6)["talk_seconds"]) == ("20", "300")


def test_parameters_past_the_fifth_stay_in_data5() -> None:
    row = parse_line("1772439000|c|q|a|ATTENDEDTRANSFER|LINK|chan1|chan2|10|60|1")
    assert (row["data4"], row["data5"]) == ("10", "60|1")
    assert (row["wait_seconds"], row["talk_seconds"], row["data_fields"]) == ("10", "60", "6")


def test_caller_id_moves_to_phone_or_label(fixture_rows: pd.DataFrame) -> None:
    def caller(number: int) -> tuple[object, object, object]:
        row = {k: None if pd.isna(v) else v for k, v in fixture_rows.loc[number].items()}
        return row["caller_phone"], row["caller_label"], row["data2"]

    assert caller(4) == ("+15550101", None, None)
    assert caller(10) == (None, "anonymous", None)
    assert caller(14) == ("+1 555 0102", None, None)
    assert caller(30) == (None, None, None)
    assert caller(39) == (None, "unknown", None)


def test_seed_is_what_the_loader_writes_from_the_fixture(fixture_rows: pd.DataFrame) -> None:
    seed = pd.read_csv(SEED, dtype=str, keep_default_na=False).replace("", None)
    good = fixture_rows[fixture_rows["line_status"] == "ok"]
    assert list(seed["_source_row"].astype(int)) == list(good["_source_row"])
    for column in COLUMNS:
        expected = [None if pd.isna(v) else v for v in good[column]]
        assert [None if pd.isna(v) else v for v in seed[column]] == expected, column


def test_source_is_registered_for_its_landing_folder() -> None:
    assert SOURCES_BY_FOLDER["asterisk/queue_log"] is QUEUE_LOG
    assert QUEUE_LOG.file_suffixes == ("log",)
    assert set(QUEUE_LOG.column_names) == set(COLUMNS)


# ---------------------------------------------------------------- loader


def _load(landing: Path, db: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ccmetrics"), "load", "--landing", str(landing), "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass(frozen=True)
class Loaded:
    db: Path
    output: str


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    work = tmp_path_factory.mktemp("asterisk_load")
    folder = work / "landing" / "asterisk" / "queue_log"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "2026-03-02.log")
    # The log rotated at midnight and the restart wrote the day's last two lines again at the
    # top of the next file, then a new call arrived.
    lines = FIXTURE.read_text().splitlines()
    (folder / "2026-03-03.log").write_text(
        "\n".join(
            [
                lines[45],
                lines[46],
                "1772524800|1772524800.9020|billing|NONE|ENTERQUEUE||+15550108|1",
                "1772524830|1772524800.9020|billing|NONE|ABANDON|1|1|30",
            ]
        )
        + "\n"
    )
    db = work / "queue_log.duckdb"
    result = _load(work / "landing", db, dbt_env(db, work))
    assert result.returncode == 0, result.stdout + result.stderr
    return Loaded(db, result.stdout + result.stderr)


def test_load_reconciles_lines(loaded: Loaded) -> None:
    assert re.search(
        r"rows read 53 = loaded 49 \+ quarantined 4 \+ in rejected batches 0", loaded.output
    )
    with duckdb.connect(str(loaded.db), read_only=True) as con:
        rows = con.sql("select count(*), count(distinct line_key) from raw.asterisk_queue_log")
        # The two restart copies of lines 4-5 land (exact repeats pass the guard once):
        # staging keeps one line per key.
        assert rows.fetchall() == [(49, 47)]


def test_quarantine_names_file_line_and_reason(loaded: Loaded) -> None:
    with duckdb.connect(str(loaded.db), read_only=True) as con:
        rows = con.sql(
            "select source_file, source_row, reasons from raw._quarantine order by 1, 2"
        ).fetchall()
    found = {(file, row): json.loads(reasons) for file, row, reasons in rows}
    assert set(found) == {
        ("asterisk/queue_log/2026-03-02.log", 21),
        ("asterisk/queue_log/2026-03-02.log", 37),
        ("asterisk/queue_log/2026-03-03.log", 1),
        ("asterisk/queue_log/2026-03-03.log", 2),
    }
    cut = " ".join(found[("asterisk/queue_log/2026-03-02.log", 21)])
    assert "line_status 'too_few_fields'" in cut and "event is missing" in cut
    dated = " ".join(found[("asterisk/queue_log/2026-03-02.log", 37)])
    assert "event_epoch" in dated and "line_status 'bad_epoch'" in dated
    # The lines repeated after the rotation belong to the day before: not this file's day.
    for row in (1, 2):
        assert any("event_at" in r for r in found[("asterisk/queue_log/2026-03-03.log", row)])


# ---------------------------------------------------------------- equality with the landing center

DAYS = 3
SCALE = 0.1
SEED_CENTER = 11

EXCLUDED_COLUMNS: dict[str, str] = {
    "source_system": "names the system that delivered the row (landing vs asterisk)",
}
"""Mart columns left out of the comparison, each with its reason (docs/sources/asterisk.md)."""
EXCLUDED_ROWS: dict[str, tuple[str, str, str]] = {
    "dim_build_parameters": (
        "parameter_name",
        "source_systems",
        "the build's own parameter: [landing] for one center, [landing, asterisk] for the other",
    ),
}
"""Mart rows left out of the comparison: (column, value, reason) per table."""


def _digits(phone: object) -> str | None:
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return None
    text = str(phone).strip()
    for char in " -().+/":
        text = text.replace(char, "")
    return text


def _strip_uncarried(landing: Path) -> dict[str, int]:
    """Remove from the generated center (in place, before it is copied) the phone contacts the
    queue_log cannot carry, so that their agents' shifts can move too: callbacks, bot
    hand-offs and outbound calls (no queue_log event says how a call was initiated), the
    contacts that continue them and the rows that point to them (bot sessions keep their row
    without the hand-off link). The agents' handling of a removed call becomes available time.
    Surveys, QA evaluations and KB events of the queue calls stay: the guard knows the contact
    ids the queue_log delivers."""
    contacts = writer._read(landing / "contacts")
    removed = set(
        contacts.loc[
            (contacts["channel"] == "phone")
            & ~contacts["initiation_method"].isin(("inbound", "transfer")),
            "contact_id",
        ].astype(str)
    )
    while True:
        links = contacts[["previous_contact_id", "initial_contact_id", "related_contact_id"]]
        follows = links.isin(removed).any(axis=1) & ~contacts["contact_id"].isin(removed)
        if not follows.any():
            break
        removed |= set(contacts.loc[follows, "contact_id"].astype(str))
    gone = contacts[contacts["contact_id"].isin(removed) & contacts["agent_id"].notna()]
    handled = set(zip(gone["agent_id"], gone["connected_at"], gone["ended_at"], strict=True))
    counts = {"contacts": 0, "references": 0, "handling": 0}
    for folder in sorted(p for p in landing.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.parquet")):
            frame = pd.read_parquet(path)
            before = len(frame)
            if folder.name == "contacts":
                frame = frame[~frame["contact_id"].isin(removed)]
                counts["contacts"] += before - len(frame)
            elif folder.name == "agent_states":
                keys = zip(frame["agent_id"], frame["started_at"], frame["ended_at"], strict=True)
                hit = pd.Series([key in handled for key in keys], index=frame.index)
                hit &= frame["state"] == "handling"
                frame.loc[hit, "state"] = "available"
                counts["handling"] += int(hit.sum())
            else:
                if "contact_id" in frame.columns:
                    frame = frame[~frame["contact_id"].isin(removed)]
                    counts["references"] += before - len(frame)
                if "handoff_contact_id" in frame.columns:
                    hit = frame["handoff_contact_id"].isin(removed)
                    frame.loc[hit, "handoff_contact_id"] = None
            frame.to_parquet(path, index=False)
    return counts


def _project(landing: Path, plan: writer.Plan) -> None:
    """Restrict the landing center to what the queue_log carries (in place): the moved calls
    get the values staging gives them, and the moved agent shifts the merged intervals."""
    states = writer._read(landing / "agent_states")
    in_blocks = writer._in_blocks(states, plan.blocks)
    moved_states = states[in_blocks]
    acw = {
        (str(a), s): (e - s).total_seconds()
        for a, s, e, state in zip(
            moved_states["agent_id"],
            moved_states["started_at"],
            moved_states["ended_at"],
            moved_states["state"],
            strict=True,
        )
        if state == "acw"
    }
    customers = writer._read(landing / "customers").sort_values("record_updated_at")
    customers = customers.drop_duplicates("customer_id", keep="last")
    by_number = customers.assign(number=customers["phone"].map(_digits)).dropna(subset=["number"])
    counts = by_number.groupby("number")["customer_id"].agg(["nunique", "min"])
    unique_customer = counts[counts["nunique"] == 1]["min"].to_dict()

    calls = plan.calls.set_index("contact_id", drop=False)
    latest_version = {
        (str(c), r) for c, r in zip(calls["contact_id"], calls["record_updated_at"], strict=True)
    }
    for path in sorted((landing / "contacts").glob("*.parquet")):
        frame = pd.read_parquet(path)
        moved = frame["contact_id"].isin(calls.index)
        keep = ~moved | pd.Series(
            [
                (str(c), r) in latest_version
                for c, r in zip(frame["contact_id"], frame["record_updated_at"], strict=True)
            ],
            index=frame.index,
        )
        frame = frame[keep].copy()
        moved = frame["contact_id"].isin(calls.index)
        for index in frame.index[moved]:
            call = calls.loc[frame.at[index, "contact_id"]]
            answered = pd.notna(call["connected_at"])
            frame.at[index, "started_at"] = call["queued_at"]
            frame.at[index, "first_response_at"] = call["connected_at"]
            frame.at[index, "hold_seconds"] = None
            frame.at[index, "talk_seconds"] = (
                (call["ended_at"] - call["connected_at"]).total_seconds() if answered else None
            )
            frame.at[index, "acw_seconds"] = (
                acw.get((str(call["agent_id"]), call["ended_at"])) if answered else None
            )
            if call["disposition"] == "disconnected":
                frame.at[index, "disposition"] = "handled"
            frame.at[index, "contact_reason"] = call["queue_id"]
            frame.at[index, "ai_assisted"] = False
            frame.at[index, "related_contact_id"] = None
            frame.at[index, "customer_email"] = None
            frame.at[index, "customer_id"] = unique_customer.get(_digits(call["customer_phone"]))
        frame.to_parquet(path, index=False)

    for path in sorted((landing / "agent_states").glob("*.parquet")):
        frame = pd.read_parquet(path)
        inside = writer._in_blocks(frame, plan.blocks)
        outside, mine = frame[~inside], frame[inside].sort_values(["agent_id", "started_at"])
        merged: list[dict[str, object]] = []
        for row in mine.to_dict("records"):
            last = merged[-1] if merged else None
            if (
                last is not None
                and last["agent_id"] == row["agent_id"]
                and last["state"] == row["state"]
                and last["ended_at"] == row["started_at"]
            ):
                last["ended_at"] = row["ended_at"]
            else:
                merged.append(dict(row))
        for row in merged:
            row["state_interval_id"] = f"{row['agent_id']}/{row['started_at']:%Y-%m-%d %H:%M:%S}"
        rebuilt = pd.concat([outside, pd.DataFrame(merged, columns=frame.columns)])
        rebuilt.astype(frame.dtypes.to_dict()).to_parquet(path, index=False)

    for folder in sorted(p for p in landing.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.parquet")):
            writer._rewrite(path, None, plan.renamed)


@dataclass(frozen=True)
class Centers:
    landing_db: Path
    native_db: Path
    summary: str
    plan: writer.Plan


def _build(landing: Path, work: Path, vars_: str | None) -> Path:
    db = work / "center.duckdb"
    env = dbt_env(db, work)
    result = _load(landing, db, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Both centers are run without dbt's data tests (they take longer than the models); the
    # native one then runs the tests of the models the queue_log feeds (asterisk staging and
    # the canonical unions: unique contact ids across systems, accepted values, relationships).
    commands = [[str(BIN / "dbt"), "run", "--target", "dev", "--quiet"]]
    if vars_:
        commands[0] += ["--vars", vars_]
        commands.append(
            [
                str(BIN / "dbt"),
                "test",
                "--target",
                "dev",
                "--quiet",
                "--vars",
                vars_,
                "--select",
                "path:models/staging/asterisk stg_acd__contacts stg_acd__agent_states",
            ]
        )
    for args in commands:
        build = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        assert build.returncode == 0, build.stdout[-6000:] + build.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def centers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centers]:
    work = tmp_path_factory.mktemp("asterisk_equality")
    generated = work / "generated"
    generate(
        generated, dbt_env(work / "unused.duckdb", work), days=DAYS, scale=SCALE, seed=SEED_CENTER
    )
    _strip_uncarried(generated)
    landing, native = work / "landing", work / "native"
    shutil.copytree(generated, landing)
    shutil.copytree(generated, native)
    plan = writer.plan(generated)
    summary = writer.write_native(native)
    _project(landing, plan)
    (work / "a").mkdir()
    (work / "b").mkdir()
    landing_db = _build(landing, work / "a", None)
    native_db = _build(native, work / "b", "{source_systems: [landing, asterisk]}")
    yield Centers(landing_db, native_db, summary, plan)


def test_closing_lines_carry_the_contact_ids(fixture_rows: pd.DataFrame) -> None:
    ids = fixture_rows.dropna(subset=["contact_id"]).set_index("_source_row")["contact_id"]
    assert ids.to_dict() == {
        6: "1772439000.9001",
        11: "1772439600.9003",
        17: "1772440800.9005",
        20: "1772440800.9005-2",
        26: "1772442000.9007",
        28: "1772442000.9007-2",
        31: "1772442300.9009",
        34: "1772442600.9010",
        36: "1772442900.9011",
        40: "1772443200.9012",
    }


def test_writer_moves_calls_and_shifts(centers: Centers) -> None:
    assert len(centers.plan.calls) > 100
    assert centers.plan.renamed, "no transfer chain was moved"
    assert centers.plan.blocks, "no agent shift was moved"
    assert "queue_log lines" in centers.summary


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.sql(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_type = 'BASE TABLE' order by 1",
        params=[schema],
    ).fetchall()
    return [row[0] for row in rows]


def _frame(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    frame = con.sql(f"select * from marts.{table}").df()
    if table in EXCLUDED_ROWS:
        column, value, _ = EXCLUDED_ROWS[table]
        frame = frame[frame[column] != value]
    columns = [c for c in frame.columns if c not in EXCLUDED_COLUMNS]
    frame = frame[columns]
    return frame.sort_values(columns, kind="stable", na_position="first").reset_index(drop=True)


def _differences(left: pd.DataFrame, right: pd.DataFrame) -> list[str]:
    if len(left) != len(right):
        return [f"{len(left)} rows vs {len(right)}"]
    problems = []
    for column in left.columns:
        a, b = left[column], right[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            a, b = a.astype("float64"), b.astype("float64")
            equal = (a.isna() & b.isna()) | ((a - b).abs() <= TOLERANCE * (1 + a.abs()))
        else:
            equal = (a.isna() & b.isna()) | (a.astype(str) == b.astype(str))
        if not equal.all():
            problems.append(f"{column}: {int((~equal).sum())} rows differ")
    return problems


def test_every_mart_is_equal_on_what_the_queue_log_carries(centers: Centers) -> None:
    with (
        duckdb.connect(str(centers.landing_db), read_only=True) as left,
        duckdb.connect(str(centers.native_db), read_only=True) as right,
    ):
        tables = _tables(left, "marts")
        assert tables == _tables(right, "marts")
        problems = {}
        for table in tables:
            if table == SYSTEMS_MART:
                continue
            found = _differences(_frame(left, table), _frame(right, table))
            if found:
                problems[table] = found
    assert not problems, json.dumps(problems, indent=1)


def test_systems_mart_names_the_queue_log(centers: Centers) -> None:
    assert_systems_split_the_records(
        centers.landing_db,
        centers.native_db,
        {("contacts", "asterisk"), ("agent_states", "asterisk")},
    )


def test_native_center_reads_the_calls_from_the_queue_log(centers: Centers) -> None:
    with duckdb.connect(str(centers.native_db), read_only=True) as con:
        lines = con.sql("select count(*) from raw.asterisk_queue_log").fetchall()[0][0]
        quarantined = con.sql(
            "select count(*) from raw._quarantine where source = 'asterisk_queue_log'"
        ).fetchall()[0][0]
    assert lines > 0 and quarantined == 0
    # Surveys, QA evaluations and KB events of queue_log calls point to contact ids that only
    # the queue_log delivers: the guard accepts them, so both centers quarantine the same.
    counts = []
    for db in (centers.landing_db, centers.native_db):
        with duckdb.connect(str(db), read_only=True) as con:
            counts.append(con.sql("select count(*) from raw._quarantine").fetchall()[0][0])
    assert counts[0] == counts[1]
    with duckdb.connect(str(centers.native_db), read_only=True) as con:
        rated = con.sql(
            "select count(*) from raw.surveys where contact_id in "
            "(select contact_id from raw.asterisk_queue_log)"
        ).fetchall()[0][0]
    assert rated > 0 and LOADER_COLUMNS
