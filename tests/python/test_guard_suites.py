"""The Great Expectations suites really fail on bad data, and the commands fail cleanly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from corpus.runtime import ENGINES, runtime_named
from corpus.valid_day import DAY, valid_day, write_day
from typer.testing import CliRunner

from ccmetrics.commands import guard as guard_commands
from ccmetrics.contract import SOURCES, SOURCES_BY_NAME
from ccmetrics.guard.rules import RULES, VOLUME_BAND, check_rules_cover_contract


def test_every_contract_source_has_rules() -> None:
    check_rules_cover_contract()
    assert set(RULES) == {s.name for s in SOURCES}


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_failing_expectation_really_fails(engine_name: str) -> None:
    engine = runtime_named(engine_name)
    source = SOURCES_BY_NAME["schedules"]
    frame = pd.DataFrame(
        {
            "_source_row": [1, 2],
            "schedule_id": ["s1", "s2"],
            "agent_id": ["a1", "a1"],
            "activity": ["open", "karaoke"],
            "starts_at": pd.to_datetime(["2026-10-01 08:00", "2026-10-01 09:00"]),
            "ends_at": pd.to_datetime(["2026-10-01 16:00", "2026-10-01 08:00"]),
            "_source_file": ["schedules/2026-10-01.csv"] * 2,
            "_batch_day_start": pd.to_datetime(["2026-10-01"] * 2),
            "_batch_day_end": pd.to_datetime(["2026-10-01 23:59:59"] * 2),
            "_batch_time": pd.to_datetime(["2026-10-01 08:00", "2026-10-01 09:00"]),
            "_known__agent_id": [True, True],
            "_span_seconds": [8 * 3600.0, -3600.0],
        }
    )
    result = engine.validate(source, "rows", frame, {"now": dt.datetime(2026, 11, 1)})
    failed = {(r.meta["check"], tuple(r.unexpected_index)) for r in result if not r.success}
    assert failed == {("enum", (1,)), ("order", (1,)), ("duration", (1,))}
    good = engine.validate(source, "rows", frame.iloc[[0]], {"now": dt.datetime(2026, 11, 1)})
    assert all(r.success for r in good)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_batch_suite_fails_on_missing_columns_and_volume(engine_name: str) -> None:
    source = SOURCES_BY_NAME["cost_lines"]
    frame = pd.DataFrame({"_source_row": [1], "cost_line_id": ["x"], "note": ["y"]})
    result = runtime_named(engine_name).validate(
        source, "batch", frame, {"min_rows": 2, "max_rows": 10}
    )
    failed = {r.meta["check"]: r for r in result if not r.success}
    assert set(failed) == {"schema", "schema_extra", "volume"}
    assert failed["volume"].observed_value == 1
    assert failed["schema_extra"].mismatched["unexpected"] == ["note"]
    assert "cost_date" in failed["schema"].mismatched["missing"]
    assert VOLUME_BAND > 1


def app() -> typer.Typer:
    application = typer.Typer()
    guard_commands.register(application)
    return application


def test_check_command_names_the_file_and_exits_2_without_traceback(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write_day(landing, valid_day(DAY), DAY)
    bad = landing / "contacts" / f"{DAY + dt.timedelta(days=1)}.csv"
    bad.write_bytes(b"contact_id,channel\nk1,caf\xe9\n")
    result = CliRunner().invoke(
        app(),
        [
            "check",
            str(landing),
            "--db",
            str(tmp_path / "none.duckdb"),
            "--docs-dir",
            str(tmp_path / "docs"),
        ],
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert re.search(
        r"REJECTED  contacts/2026-10-02\.csv: readable failed: expected a UTF-8 "
        r"encoded CSV file",
        result.output,
    )
    assert "adds up" in result.output
    assert (tmp_path / "docs" / "index.html").exists()


def test_load_command_prints_the_reconciliation(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    frames = valid_day(DAY)
    frames["contacts"].loc[0, "channel"] = "fax"
    write_day(landing, frames, DAY)
    db = tmp_path / "wh.duckdb"
    result = CliRunner().invoke(app(), ["load", "--landing", str(landing), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"contacts/{DAY}.csv row 1: enum: channel 'fax' is not one of phone, ivr" in (
        result.output
    )
    assert "rows read 26 = loaded 25 + quarantined 1 + in rejected batches 0 [adds up]" in (
        result.output
    )
    assert "Data Docs" not in result.output
    assert not (tmp_path / "gx_docs").exists()
    listed = CliRunner().invoke(app(), ["quarantine", "list", "--db", str(db)])
    assert "1 open quarantined rows" in listed.output


def test_check_command_exits_1_on_bad_rows_and_writes_nothing(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    frames = valid_day(DAY)
    frames["surveys"].loc[0, "csat_score"] = "9"
    write_day(landing, frames, DAY)
    db = tmp_path / "absent.duckdb"
    result = CliRunner().invoke(
        app(), ["check", str(landing), "--db", str(db), "--docs-dir", str(tmp_path / "docs")]
    )
    assert result.exit_code == 1, result.output
    assert (
        f"surveys/{DAY}.csv row 1: plausible: csat_score 9 is outside 1 to 5 "
        "(CSAT is on a 1-5 scale)"
    ) in result.output
    assert not db.exists()


def test_member_names_allow_at_and_plus_but_no_payloads() -> None:
    """An agent's login or a PBX channel (Asterisk's Local/101@from-queue/n, an Amazon Connect
    username that is an e-mail address) passes the guard; quotes, ;, = and | still do not."""
    from ccmetrics.contract_schema import MEMBER_NAME
    from ccmetrics.guard.rules import PLAIN_TEXT_REGEX
    from ccmetrics.guard.suites import row_expectations

    for name in ("Local/101@from-queue/n", "jane.doe+cc@example.com", "SIP/1001", "Agent 7"):
        assert re.fullmatch(MEMBER_NAME.regex, name), name
        assert name == "SIP/1001" or name == "Agent 7" or not re.fullmatch(PLAIN_TEXT_REGEX, name)
    for payload in ("a'; drop table x", "=cmd|' /C calc'!A0", "x;y", "@start", "a|b"):
        assert not re.fullmatch(MEMBER_NAME.regex, payload), payload
    patterns = {
        (source, expectation.kwargs["column"]): expectation.kwargs["regex"]
        for source in ("asterisk_queue_log", "connect_ctr")
        for expectation in row_expectations(SOURCES_BY_NAME[source])
        if expectation.kind == "ExpectColumnValuesToMatchRegex"
    }
    assert patterns[("asterisk_queue_log", "agent")] == MEMBER_NAME.regex
    assert patterns[("connect_ctr", "agent_username")] == MEMBER_NAME.regex
    assert patterns[("asterisk_queue_log", "queue_name")] == PLAIN_TEXT_REGEX
