"""Rasa tracker events (issue 11): the reader on hand-written files, the load of a landing
folder (quarantine with file, line and reason; reconciliation), and the equality proof: the
same generated center delivered as Rasa events gives the same marts as through the landing
contract.

The session rules themselves are pinned by dbt unit tests (models/staging/rasa/
_rasa__models.yml) and by the hand-worked seed test (tests/native/rasa/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import BIN, SYSTEMS_MART, assert_systems_split_the_records, dbt_env, generate, run

from ccmetrics.loader import load as load_landing
from ccmetrics.native.rasa.reader import content_hash, event_at_text, read_events
from ccmetrics.native.rasa.writer import write_native

FIXTURES = Path(__file__).parent / "native_fixtures" / "rasa"
JSONL = FIXTURES / "2026-03-09.jsonl"
CSV = FIXTURES / "2026-03-10.csv"
SHOWN = [
    "_source_row",
    "sender_id",
    "event_type",
    "event_at",
    "intent_name",
    "action_name",
    "slot_name",
    "slot_value",
    "input_channel",
    "metadata_pairs",
]


def _rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [tuple(row) for row in frame[SHOWN].itertuples(index=False)]


def test_json_lines_give_one_row_per_line_with_every_quirk() -> None:
    frame = read_events(JSONL)
    none = None
    assert _rows(frame) == [
        (1, "web-1", "action", "2026-03-09 09:00:00.000000", none, "action_session_start",
         none, none, none, none),
        # Metadata keeps top-level scalars; ' ' and '|' are encoded (#20, #7C).
        (2, "web-1", "session_started", "2026-03-09 09:00:00.000000", none, none, none, none,
         none, "m/conversation_id:conv#207#7Cx/"),
        (3, "web-1", "slot", "2026-03-09 09:00:01.500000", none, none, "customer_id", "c10",
         none, none),
        # parse_data.intent.name, input_channel; the nested metadata value is not kept; the
        # message text never is.
        (4, "web-1", "user", "2026-03-09 09:00:05.123456", "billing_question", none, none,
         none, "socketio", "m/customer_id:c10/"),
        # Line 5 is blank: no row. Lines 6 and 7 are out of time order: kept as delivered.
        (6, "web-1", "bot", "2026-03-09 09:00:10.000000", none, none, none, none, none,
         "m/rephrase:true/"),
        (7, "web-1", "action", "2026-03-09 09:00:06.000000", none,
         "action_query_knowledge_base", none, none, none, none),
        # A line cut off and a line that is not an object: every column null.
        (8, *[none] * 9),
        (9, *[none] * 9),
        # Line 10 repeats line 4 (a restart): same row, same id.
        (10, "web-1", "user", "2026-03-09 09:00:05.123456", "billing_question", none, none,
         none, "socketio", "m/customer_id:c10/"),
        # A timestamp that is no number stays as text for the guard's cast to name; '+' is
        # encoded, and the value led by x#-, so that the sender id passes the guard's
        # plain-text rule.
        (11, "x#-#2B4930123", "user", "yesterday", "greet", none, none, none, "twilio", none),
        (12, "x#-#2B4930123", "slot", "2026-03-09 09:01:40.000000", none, none, "flags",
         "x#-#5B#22a#22#2C #22b#22#5D", none, none),
    ]  # fmt: skip
    assert (frame["event_id"].dropna() == frame["content_hash"].dropna()).all()
    assert frame.loc[frame["_source_row"] == 4, "event_id"].item() == (
        frame.loc[frame["_source_row"] == 10, "event_id"].item()
    )
    assert frame["event_id"].dropna().nunique() == 8


def test_sql_table_export_keeps_ids_and_hashes_content() -> None:
    frame = read_events(CSV)
    none = None
    assert _rows(frame) == [
        (1, "tg-2", "user", "2026-03-10 10:00:00.000000", "payment_issue", none, none, none,
         "telegram", "m/customer_id:c11/"),
        # The table's action_name column holds the slot's name for slot events: the JSON says
        # which is which.
        (2, "tg-2", "slot", "2026-03-10 10:00:01.000000", none, none, "handoff_contact_id",
         "k-1", none, none),
        (3, "tg-2", "action", "2026-03-10 10:00:02.000000", none, "action_human_handoff", none,
         none, none, none),
        (4, "tg-2", "action", "2026-03-10 10:00:02.000000", none, "action_human_handoff", none,
         none, none, none),
        # Its data column is cut off: every column null.
        (5, *[none] * 9),
    ]  # fmt: skip
    assert frame["event_id"].tolist() == ["101", "102", "103", "104", None]
    hashes = frame["content_hash"].tolist()
    assert hashes[2] == hashes[3], "the same event stored twice has one content hash"
    assert len(set(hashes[:3])) == 3


def test_both_shapes_of_one_event_have_one_content_hash() -> None:
    event = {"event": "bot", "timestamp": 1773136803.25, "metadata": {}, "text": "ok"}
    assert content_hash("tg-2", event) == content_hash("tg-2", {**event, "sender_id": "tg-2"})


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        (1773046805.123456, "2026-03-09 09:00:05.123456"),
        ("1773046805.1234567", "2026-03-09 09:00:05.123457"),
        (1773046800, "2026-03-09 09:00:00.000000"),
        ("nan", "nan"),
        (None, None),
    ],
)
def test_epoch_seconds_become_exact_utc_text(timestamp: object, expected: str | None) -> None:
    assert event_at_text(timestamp) == expected


def test_a_byte_order_mark_and_windows_line_ends_are_not_part_of_the_event(
    tmp_path: Path,
) -> None:
    path = tmp_path / "2026-03-09.jsonl"
    line = '{"sender_id": "a", "event": "session_started", "timestamp": 1773046800}'
    path.write_bytes(b"\xef\xbb\xbf" + f"{line}\r\n{line}\r\n".encode())
    frame = read_events(path)
    assert frame["event_type"].tolist() == ["session_started", "session_started"]
    assert frame["_source_row"].tolist() == [1, 2]


def test_a_csv_without_the_tables_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "2026-03-10.csv"
    path.write_text("id,sender_id,timestamp\n1,a,1773136800\n")
    with pytest.raises(ValueError, match="missing type_name, intent_name, action_name, data"):
        read_events(path)


def test_load_quarantines_bad_lines_with_file_line_and_reason(tmp_path: Path) -> None:
    """`ccmetrics load` of a landing folder with a JSON-lines day and an SQL-export day."""
    landing = tmp_path / "landing"
    (landing / "rasa" / "events").mkdir(parents=True)
    shutil.copy(JSONL, landing / "rasa" / "events" / JSONL.name)
    shutil.copy(CSV, landing / "rasa" / "events" / CSV.name)
    db = tmp_path / "rasa.duckdb"
    result = run(
        [str(BIN / "ccmetrics"), "load", "--landing", str(landing), "--db", str(db)],
        dbt_env(db, tmp_path),
    )
    assert "rasa_events" in result.stdout and "quarantined 4" in result.stdout, result.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        quarantined = con.sql(
            "select source_file, source_row, reasons from raw._quarantine "
            "where source = 'rasa_events' order by source_file, source_row"
        ).fetchall()
        reconciled = con.sql(
            "select source_file, rows_read, rows_loaded, rows_quarantined, rows_rejected "
            "from raw._load_reconciliation where source = 'rasa_events' order by source_file"
        ).fetchall()
        loaded = con.sql(
            "select _source_file, _source_row from raw.rasa_events order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    assert [(f, r) for f, r, _ in quarantined] == [
        ("rasa/events/2026-03-09.jsonl", 8),
        ("rasa/events/2026-03-09.jsonl", 9),
        ("rasa/events/2026-03-09.jsonl", 11),
        ("rasa/events/2026-03-10.csv", 5),
    ]
    reasons = {row: text for _, row, text in quarantined}
    assert "sender_id is missing" in reasons[8]
    assert "event_type is missing" in reasons[9]
    assert "event_at" in reasons[11] and "yesterday" in reasons[11]
    assert "event_id is missing" in reasons[5]
    assert reconciled == [
        ("rasa/events/2026-03-09.jsonl", 11, 8, 3, 0),
        ("rasa/events/2026-03-10.csv", 5, 4, 1, 0),
    ]
    # The repeated line 10 loads beside line 4 (staging keeps one of them).
    assert ("rasa/events/2026-03-09.jsonl", 10) in loaded
    assert len(loaded) == 12


EXCLUDED_ROWS: dict[str, tuple[str, str]] = {
    "dim_build_parameters": ("parameter_name", "source_systems"),
}
"""Mart rows that differ by design between the two builds, and why: dim_build_parameters lists
the build's vars, and `source_systems` is [landing] in one build and [landing, rasa] in the
other. Every other row and column of every mart must be equal: the Rasa events carry every
field of a bot session (docs/sources/rasa.md)."""


def _marts(db: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like '%marts' and table_type = 'BASE TABLE' order by 2"
        ).fetchall()
        return {name: con.sql(f'select * from "{schema}"."{name}"').df() for schema, name in tables}
    finally:
        con.close()


def _without_excluded(name: str, mart: pd.DataFrame) -> pd.DataFrame:
    if name not in EXCLUDED_ROWS:
        return mart
    column, value = EXCLUDED_ROWS[name]
    return mart[mart[column] != value]


def _differences(name: str, landing: pd.DataFrame, native: pd.DataFrame) -> list[str]:
    landing, native = _without_excluded(name, landing), _without_excluded(name, native)
    columns = list(landing.columns)
    if list(landing.columns) != list(native.columns) or len(landing) != len(native):
        return [f"{name}: shape {landing.shape} vs {native.shape}"]
    floats = [c for c in columns if pd.api.types.is_float_dtype(landing[c])]
    keys = [c for c in columns if c not in floats]
    left = landing.sort_values(keys, na_position="first").reset_index(drop=True)
    right = native.sort_values(keys, na_position="first").reset_index(drop=True)
    found = []
    for column in columns:
        a, b = left[column], right[column]
        if column in floats:
            same = np.isclose(
                a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=0.0, equal_nan=True
            )
        else:
            same = ((a == b) | (a.isna() & b.isna())).to_numpy()
        if not same.all():
            found.append(f"{name}.{column}: {int((~same).sum())} rows differ")
    return found


def test_rasa_delivery_gives_the_landing_centers_marts(tmp_path: Path) -> None:
    builds: dict[str, Path] = {}
    landing = tmp_path / "landing"
    generate(landing, dbt_env(tmp_path / "landing.duckdb", tmp_path / "landing_dbt"),
             days=2, scale=0.08, seed=11)  # fmt: skip
    native = tmp_path / "native"
    shutil.copytree(landing, native)
    summary = write_native(native)
    assert summary.startswith("rasa: ") and "bot sessions" in summary
    assert not (native / "bot_sessions").exists()
    suffixes = sorted(p.suffix for p in (native / "rasa" / "events").iterdir())
    assert suffixes[:2] == [".csv", ".jsonl"], "odd days as SQL table exports, even as JSON lines"
    for name, tree, systems in (
        ("landing", landing, "[landing]"),
        ("native", native, "[landing, rasa]"),
    ):
        db = tmp_path / f"{name}.duckdb"
        env = dbt_env(db, tmp_path / f"{name}_dbt")
        report = load_landing(tree, db)
        assert not report.warnings, report.warnings
        run(
            [
                str(BIN / "dbt"),
                "run",
                "--target",
                "dev",
                "--vars",
                f"{{source_systems: {systems}}}",
            ],
            env,
        )
        builds[name] = db
    con = duckdb.connect(str(builds["native"]), read_only=True)
    try:
        ((staging,),) = con.sql(
            "select table_schema from information_schema.tables "
            "where table_name = 'stg_bot__sessions'"
        ).fetchall()
        systems_seen = con.sql(
            f'select source_system, count(*) from "{staging}".stg_bot__sessions group by 1'
        ).fetchall()
        ((quarantined,),) = con.sql("select count(*) from raw._quarantine").fetchall()
    finally:
        con.close()
    assert [system for system, _ in systems_seen] == ["rasa"]
    assert quarantined == 0
    landing_marts, native_marts = _marts(builds["landing"]), _marts(builds["native"])
    assert sorted(landing_marts) == sorted(native_marts)
    assert len(landing_marts) > 20
    parameters = native_marts["dim_build_parameters"].set_index("parameter_name")
    assert parameters.loc["source_systems", "parameter_value"] == '["landing", "rasa"]'
    differences = [
        text
        for name in landing_marts
        if name != SYSTEMS_MART
        for text in _differences(name, landing_marts[name], native_marts[name])
    ]
    assert differences == []
    assert_systems_split_the_records(
        builds["landing"], builds["native"], {("bot_sessions", "rasa")}
    )


def test_writer_refuses_nothing_and_says_so_without_bot_sessions(tmp_path: Path) -> None:
    assert write_native(tmp_path) == "rasa: no bot sessions to convert"


def test_cli_generate_format_rasa(tmp_path: Path) -> None:
    env = dbt_env(tmp_path / "x.duckdb", tmp_path)
    generate(tmp_path / "landing", env, "--format", "rasa", days=1, scale=0.02, seed=3)
    files = sorted((tmp_path / "landing" / "rasa" / "events").iterdir())
    assert files and files[0].name.endswith(".jsonl")
    assert not (tmp_path / "landing" / "bot_sessions").exists()
