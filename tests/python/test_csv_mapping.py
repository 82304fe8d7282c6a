"""CSV exports through a declarative mapping (issue 11, item 4).

Hand-written exports in tests/python/native_fixtures/csv/ (features.yml with a spring-forward
and a fall-back day in Berlin) and docs/examples/bank_call_log.* (the bank call log). Berlin is
UTC+1 in winter, UTC+2 in summer; clocks went forward on 2026-03-29 at 02:00 (to 03:00) and go
back on 2026-10-25 at 03:00 (to 02:00). Expected rows are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import typer
import yaml
from conftest import BIN, ROOT, dbt_env
from corpus.warehouse import query
from typer.testing import CliRunner

from ccmetrics.commands import mapping as mapping_commands
from ccmetrics.guard.reading import discover
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import RAW, RECONCILIATION, load
from ccmetrics.mapping import MappingError, apply_mapping, load_mapping
from ccmetrics.mapping.clock import local_day_bounds
from ccmetrics.mapping.spec import parse_mapping, text_only_loader

FIXTURES = Path(__file__).parent / "native_fixtures" / "csv"
FEATURES = FIXTURES / "features.yml"
SPRING = FIXTURES / "spring_2026-03-29.csv"
FALL = FIXTURES / "fall_2026-10-25.csv"
BANK_MAPPING = ROOT / "docs" / "examples" / "bank_call_log.yml"
BANK_CSV = ROOT / "docs" / "examples" / "bank_call_log.csv"
SECONDS_MAPPING = ROOT / "docs" / "examples" / "acd_seconds_export.yml"
SECONDS_CSV = ROOT / "docs" / "examples" / "acd_seconds_export.csv"

TIMES = ("started_at", "queued_at", "connected_at", "ended_at")


def _document() -> dict[str, object]:
    return yaml.load(FEATURES.read_text(), Loader=text_only_loader())


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    shown = frame[["_source_row", *columns]].astype(object).where(frame.notna(), None)
    return [tuple(row) for row in shown.itertuples(index=False)]


def _utc(text: str | None) -> str | None:
    return None if text is None else f"{text}+00:00"


# --- the schema and the mapping's own checks -------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.pop("time_zone"),
            "features.yml: (top level): 'time_zone' is a required property",
        ),
        (
            lambda d: d["columns"].update(chanel={"constant": "phone"}),
            "features.yml: columns.chanel: not a canonical contacts column",
        ),
        (
            lambda d: d["columns"].update(channel={"constan": "phone"}),
            "features.yml: columns.channel: Additional properties are not allowed "
            "('constan' was unexpected)",
        ),
        (
            lambda d: d.update(ambiguous_time="maybe"),
            "features.yml: ambiguous_time: 'maybe' is not one of ['earlier', 'later', 'reject']",
        ),
        (
            lambda d: d["columns"]["disposition"].update(map=["AB"]),
            "features.yml: columns.disposition.map: ['AB'] is not of type 'object'",
        ),
        (
            lambda d: d["columns"]["talk_seconds"].update(unit="hours"),
            "features.yml: columns.talk_seconds.unit: 'hours' is not one of",
        ),
        (
            lambda d: d["columns"]["started_at"].update(column="Start"),
            "features.yml: columns.started_at: give one of column, time, not several",
        ),
        (
            lambda d: d["columns"].update(talk_seconds={"date": "Date", "time": "Talk"}),
            "features.yml: columns.talk_seconds.time: talk_seconds is a double; use column or "
            "constant or duration or seconds_between",
        ),
        (
            lambda d: d["columns"]["channel"].update(unit="clock"),
            "features.yml: columns.channel.unit: only with duration or from, not with column",
        ),
        (
            lambda d: d["columns"].pop("ended_at"),
            "features.yml: columns: no rule for required column(s) ended_at",
        ),
        (
            lambda d: d["columns"].pop("queued_at"),
            "features.yml: columns.connected_at: refers to queued_at, which has no rule",
        ),
        (
            lambda d: d["columns"]["started_at"].update(after="ended_at"),
            "features.yml: columns: started_at -> ended_at -> connected_at -> queued_at -> "
            "started_at refer to each other",
        ),
        (
            lambda d: d.update(time_zone="Mars/Olympus"),
            "features.yml: time_zone: 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            lambda d: d["columns"]["queued_at"].pop("date"),
            "features.yml: columns.queued_at.time: needs date",
        ),
        (
            lambda d: d["columns"].update(ended_at={"from": "started_at"}),
            "features.yml: columns.ended_at.from: needs plus",
        ),
    ],
)
def test_the_schema_rejects_a_bad_mapping_naming_the_key(change, message: str) -> None:
    document = _document()
    change(document)
    with pytest.raises(MappingError) as raised:
        parse_mapping(document, FEATURES)
    assert str(raised.value).startswith(message), str(raised.value)


def test_yaml_scalars_stay_text_as_written(tmp_path: Path) -> None:
    mapping = load_mapping(FEATURES)
    rules = {rule.target: rule for rule in mapping.rules}
    # Unquoted `0` and `0:00:00` (a base-60 integer in YAML 1.1) and `NO` (a boolean) stay text.
    assert rules["customer_id"].none == frozenset({"0"})
    assert rules["queued_at"].none == frozenset({"0:00:00"})
    assert rules["disposition"].get("map") == {"AN": "handled", "AB": "abandoned", "NO": None}
    broken = tmp_path / "broken.yml"
    broken.write_text("version: 1\ncolumns: [\n")
    with pytest.raises(MappingError, match=r"broken.yml: not valid YAML at line 3"):
        load_mapping(broken)


def test_the_examples_are_valid() -> None:
    for path in (FEATURES, BANK_MAPPING, SECONDS_MAPPING):
        load_mapping(path)


# --- hand-written exports: every feature and edge case ---------------------------------------


def test_spring_forward_day() -> None:
    mapped = apply_mapping(load_mapping(FEATURES), SPRING, dt.date(2026, 3, 29))
    columns = ("contact_id", "channel", "customer_id", *TIMES, "talk_seconds", "hold_seconds")
    assert _rows(mapped.frame, columns) == [
        # 00:10 CET (UTC+1) is 23:10 UTC of the day before.
        (2, "s1", "phone", "C1", *map(_utc, ("2026-03-28 23:10:00", "2026-03-28 23:10:20",
         "2026-03-28 23:10:30", "2026-03-28 23:15:30")), "300", "10"),
        # Customer 0 is none; 0:00:00 answer is none; 03:00:20 CEST follows 01:59:55 CET
        # 25 seconds later (the hour 02:00-03:00 does not exist).
        (3, "s2", "phone", None, *map(_utc, ("2026-03-29 00:59:50", "2026-03-29 00:59:55",
         None, "2026-03-29 01:00:20")), None, None),
        # 02:30 does not exist: read with the offset before the change (+1), as 03:30 CEST.
        (4, "s3", "phone", "C2", *map(_utc, ("2026-03-29 01:30:00", "2026-03-29 01:30:10",
         "2026-03-29 01:30:40", "2026-03-29 01:40:00")), "560", "30"),
        # Started 23:58 CEST, ended 00:03 the next day; talk 4:00 is M:SS.
        (5, "s4", "chat", "C3", *map(_utc, ("2026-03-29 21:58:00", "2026-03-29 21:58:10",
         "2026-03-29 21:59:00", "2026-03-29 22:03:00")), "240", "50"),
        # The blank line 6 is skipped; hour 24:05 is 00:05 CEST the next day.
        (7, "s5", "phone", "C4", *map(_utc, ("2026-03-29 19:00:00", "2026-03-29 19:00:05",
         "2026-03-29 19:00:15", "2026-03-29 22:05:00")), "11085", "10"),
        # Unmapped channel X and outcome XX: markers the guard quarantines.
        (8, "s6", "unmapped Chan='X'", "C5", *map(_utc, ("2026-03-29 08:00:00",
         "2026-03-29 08:00:05", "2026-03-29 08:00:20", "2026-03-29 08:05:00")), "280", "15"),
        # An unreadable queue time: marker; the end falls back to the start as its anchor.
        (9, "s7", "phone", "C6", _utc("2026-03-29 08:10:00"), "unreadable Queue='25:99'", None,
         _utc("2026-03-29 08:11:00"), None, None),
        (10, "s8", "phone", "C7", *map(_utc, ("2026-03-29 09:00:00", "2026-03-29 09:00:05",
         "2026-03-29 09:00:10", "2026-03-29 09:01:00")), "50", "5"),
    ]  # fmt: skip
    assert _rows(mapped.frame, ("disposition", "record_updated_at"))[-3:] == [
        (8, "unmapped Outcome='XX'", _utc("2026-03-29 08:05:00")),
        (9, "abandoned", _utc("2026-03-29 08:11:00")),
        (10, None, _utc("2026-03-29 09:01:00")),  # NO maps to null: the guard says required
    ]
    assert [(p.column, p.source, p.value, p.line, p.kind) for p in mapped.problems] == [
        ("channel", "Chan", "X", 8, "unmapped"),
        ("disposition", "Outcome", "XX", 8, "unmapped"),
        ("queued_at", "Queue", "25:99", 9, "unreadable"),
    ]
    assert set(mapped.frame["initiation_method"]) == {"inbound"}
    assert set(mapped.frame["ai_assisted"]) == {"false"}


def test_fall_back_day_with_excel_bom_and_crlf() -> None:
    assert FALL.read_bytes().startswith(b"\xef\xbb\xbfDate,") and b"\r\n" in FALL.read_bytes()
    mapped = apply_mapping(load_mapping(FEATURES), FALL, dt.date(2026, 10, 25))
    assert mapped.problems == []
    assert _rows(mapped.frame, ("contact_id", "customer_id", *TIMES, "talk_seconds")) == [
        # 02:50 occurs twice: the earlier (summer time, UTC+2) reading, 00:50 UTC. The end,
        # 02:10, is earlier on the clock but not in time: its first reading not before the
        # answer (00:55 UTC) is the second 02:10 (winter time, UTC+1), 01:10 UTC.
        (2, "f1", "C1", *map(_utc, ("2026-10-25 00:50:00", "2026-10-25 00:50:10",
         "2026-10-25 00:55:00", "2026-10-25 01:10:00")), "900"),
        # 01:30 CEST, ended 02:30 (the first 02:30, CEST): an hour later.
        (3, "f2", "C2", *map(_utc, ("2026-10-24 23:30:00", "2026-10-24 23:30:05",
         "2026-10-24 23:30:30", "2026-10-25 00:30:00")), "3570"),
        # 23:59 CET, ended 00:00:40 the next day; customer 0 and answer 0:00:00 are none.
        (4, "f3", None, *map(_utc, ("2026-10-25 22:59:00", "2026-10-25 22:59:30", None,
         "2026-10-25 23:00:40")), None),
        # Ambiguous 02:20 without an anchor: earlier reading (default).
        (5, "f4", "C3", *map(_utc, ("2026-10-25 00:20:00", "2026-10-25 00:20:05",
         "2026-10-25 00:20:10", "2026-10-25 00:25:00")), "290"),
    ]  # fmt: skip


def test_ambiguous_and_skipped_times_by_the_mappings_choice() -> None:
    document = _document()
    document.update(ambiguous_time="later")
    later = apply_mapping(parse_mapping(document, FEATURES), FALL)
    # f4's 02:20 read as winter time (UTC+1); its anchored times follow it.
    assert _rows(later.frame, TIMES)[3] == (
        5,
        *map(_utc, ("2026-10-25 01:20:00", "2026-10-25 01:20:05", "2026-10-25 01:20:10",
                    "2026-10-25 01:25:00")),
    )  # fmt: skip

    document.update(ambiguous_time="reject", nonexistent_time="reject")
    strict = parse_mapping(document, FEATURES)
    fall = apply_mapping(strict, FALL)
    # f1 and f4 start in the repeated hour: rejected; their later times, left without an
    # anchor, are ambiguous on their own and rejected too. f2's 02:30 end follows its anchor.
    assert [(p.column, p.value, p.line) for p in fall.problems] == [
        ("started_at", "2026-10-25 02:50:00", 2),
        ("queued_at", "2026-10-25 02:50:10", 2),
        ("connected_at", "2026-10-25 02:55:00", 2),
        ("ended_at", "2026-10-25 02:10:00", 2),
        ("started_at", "2026-10-25 02:20:00", 5),
        ("queued_at", "2026-10-25 02:20:05", 5),
        ("connected_at", "2026-10-25 02:20:10", 5),
        ("ended_at", "2026-10-25 02:25:00", 5),
    ]
    assert {p.kind for p in fall.problems} == {"no reading"}
    assert fall.frame.loc[2, "started_at"] == "no local time Start='2026-10-25 02:50:00'"
    assert fall.frame.loc[3, "ended_at"] == _utc("2026-10-25 00:30:00")
    spring = apply_mapping(strict, SPRING)
    assert [(p.column, p.line) for p in spring.problems if p.kind == "no reading"] == [
        ("started_at", 4),
        ("queued_at", 4),
        ("connected_at", 4),
        ("ended_at", 4),
    ]


def test_a_file_the_mapping_cannot_read(tmp_path: Path) -> None:
    from ccmetrics.mapping import FileProblem

    mapping = load_mapping(FEATURES)
    short = tmp_path / "short.csv"
    short.write_text(SPRING.read_text().replace(",AN\n", "\n", 1))
    with pytest.raises(FileProblem, match=r"line 2 has 9 fields; the header has 10"):
        apply_mapping(mapping, short)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(SPRING.read_text().replace("Outcome", "Result", 1))
    with pytest.raises(FileProblem, match=r"columns \['Outcome'\] of the mapping are not"):
        apply_mapping(mapping, renamed)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(SPRING.read_bytes().replace(b"C1", b"C\xe9"))
    with pytest.raises(FileProblem, match=r"not utf-8 text .* set csv.encoding"):
        apply_mapping(mapping, latin)


OTHER_KINDS = """\
version: 1
time_zone: America/New_York
csv: {encoding: cp1252}
columns:
  contact_id: {template: "{file_day}-{Ref}"}
  initiation_method: {constant: inbound}
  channel: {constant: email}
  contact_reason: {column: Kind, map: {x: complaint}, unmapped: keep}
  agent_id: {column: Agent}
  started_at: {datetime: When, format: "%m/%d/%Y %H:%M:%S"}
  ended_at: {datetime: Done, format: "%m/%d/%Y %H:%M:%S", after: started_at}
  talk_seconds: {duration: Mins, unit: minutes}
  acw_seconds: {duration: Ms, unit: milliseconds}
  disposition:
    cases:
      - {when: {Kind: [x, y]}, value: handled}
  ai_assisted: {column: AI, map: {Y: "true", N: "false"}}
  record_updated_at: {file: modified_time}
"""


def test_datetime_template_units_cases_keep_and_file_time(tmp_path: Path) -> None:
    import os

    mapping_file = tmp_path / "mapping.yml"
    mapping_file.write_text(OTHER_KINDS)
    export = tmp_path / "2026-07-01.csv"
    export.write_bytes(
        "When,Done,Ref,Mins,Ms,Agent,Kind,AI\n"
        "07/01/2026 23:59:30,07/02/2026 00:04:30,42,1.5,2500,\u00c9mile,x,Y\n"
        '07/01/2026 10:00:00,07/01/2026 10:01:00,43,"1,5",abc,Bo,q,N\n'.encode("cp1252")
    )
    modified = dt.datetime(2026, 7, 2, 6, tzinfo=dt.UTC).timestamp()
    os.utime(export, (modified, modified))
    mapped = apply_mapping(load_mapping(mapping_file), export, dt.date(2026, 7, 1))
    columns = (
        "contact_id",
        "contact_reason",
        "agent_id",
        "started_at",
        "ended_at",
        "talk_seconds",
        "acw_seconds",
        "disposition",
        "ai_assisted",
        "record_updated_at",
    )
    assert _rows(mapped.frame, columns) == [
        # New York is UTC-4 in July; the full date and time needs no midnight rule.
        (2, "2026-07-01-42", "complaint", "\u00c9mile", _utc("2026-07-02 03:59:30"),
         _utc("2026-07-02 04:04:30"), "90", "2.5", "handled", "true", _utc("2026-07-02 06:00:00")),
        # q is kept (unmapped: keep); no case holds: null; 1,5 minutes is 90 s; abc is no number.
        (3, "2026-07-01-43", "q", "Bo", _utc("2026-07-01 14:00:00"), _utc("2026-07-01 14:01:00"),
         "90", "unreadable Ms='abc'", None, "false", _utc("2026-07-02 06:00:00")),
    ]  # fmt: skip
    assert [(p.column, p.source, p.value, p.kind) for p in mapped.problems] == [
        ("acw_seconds", "Ms", "abc", "unreadable")
    ]


def test_times_counted_from_the_start_with_durations_in_seconds() -> None:
    """docs/examples/acd_seconds_export: Chicago is UTC-6 in March; no end times, only a start
    with AM/PM and durations (IVR, queue, talk, hold) in seconds."""
    mapped = apply_mapping(load_mapping(SECONDS_MAPPING), SECONDS_CSV)
    assert mapped.problems == []
    columns = ("contact_id", "channel", "queue_id", *TIMES, "disposition")
    assert _rows(mapped.frame, columns) == [
        # 8:00:05 AM + 30 s IVR + 12 s queue; ends after 30 + 12 + 200 talk + 15 hold seconds.
        (2, "c-1001", "phone", "general", *map(_utc, ("2026-03-02 14:00:05",
         "2026-03-02 14:00:35", "2026-03-02 14:00:47", "2026-03-02 14:04:22")), "handled"),
        (3, "c-1002", "phone", "general", *map(_utc, ("2026-03-02 14:01:00",
         "2026-03-02 14:01:25", None, "2026-03-02 14:01:28")), "abandoned"),
        (4, "c-1003", "chat", "chat", *map(_utc, ("2026-03-02 14:02:00", "2026-03-02 14:02:00",
         "2026-03-02 14:02:40", "2026-03-02 14:07:40")), "handled"),
        (5, "c-1004", "phone", None, _utc("2026-03-02 14:03:00"), None, None,
         _utc("2026-03-02 14:03:45"), "ivr_abandoned"),
        # 11:59:30 PM local is 05:59:30 UTC the next day (still the file's local day).
        (6, "c-1005", "phone", "general", *map(_utc, ("2026-03-03 05:59:30",
         "2026-03-03 05:59:50", "2026-03-03 06:00:40", "2026-03-03 06:07:20")), "transferred"),
        (7, "c-1006", "phone", "general", *map(_utc, ("2026-03-02 15:10:00",
         "2026-03-02 15:10:15", None, "2026-03-02 15:20:15")), "flow_out"),
    ]  # fmt: skip
    assert _rows(mapped.frame, ("talk_seconds", "hold_seconds", "acw_seconds"))[0] == (
        2,
        "200",
        "15",
        "40",
    )


def test_local_day_bounds_on_dst_days() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    tick = dt.timedelta(microseconds=1)
    assert local_day_bounds(dt.date(2026, 3, 29), berlin) == (
        dt.datetime(2026, 3, 28, 23),
        dt.datetime(2026, 3, 29, 22) - tick,  # 23 hours
    )
    assert local_day_bounds(dt.date(2026, 10, 25), berlin) == (
        dt.datetime(2026, 10, 24, 22),
        dt.datetime(2026, 10, 25, 23) - tick,  # 25 hours
    )


# --- ccmetrics map --check -------------------------------------------------------------------


def _map_cli() -> typer.Typer:
    app = typer.Typer()
    mapping_commands.register(app)

    @app.command("other")
    def other() -> None:  # a second command, so that typer keeps `map` as a subcommand
        pass

    return app


def test_map_check_prints_rows_masked_and_exit_0_when_all_maps() -> None:
    result = CliRunner().invoke(
        _map_cli(), ["map", "--check", str(BANK_MAPPING), str(BANK_CSV), "--rows", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "bank_call_log.csv through bank_call_log.yml (local times in Europe/Berlin): 6 rows"
    )
    assert "    customer_phone     (hidden: personal data)" in lines
    assert "    started_at         2026-03-02 07:00:05" in lines  # 08:00:05 CET
    assert "+49" not in result.output
    assert sum(line.startswith("  line ") for line in lines) == 2
    assert lines[-1] == "Every value was mapped."


def test_map_check_lists_every_value_it_could_not_map_and_exits_1() -> None:
    result = CliRunner().invoke(_map_cli(), ["map", "--check", str(FEATURES), str(SPRING)])
    assert result.exit_code == 1, result.output
    tail = result.output.splitlines()[-5:]
    assert (
        tail[0]
        == "Values it could not map: 3 distinct, on 2 rows (these rows would be quarantined):"
    )
    assert tail[1].split() == ["column", "source", "column", "value", "problem", "count",
                               "first", "lines"]  # fmt: skip
    assert tail[2].split() == ["channel", "Chan", "'X'", "unmapped", "1", "8"]
    assert tail[3].split() == ["disposition", "Outcome", "'XX'", "unmapped", "1", "8"]
    assert tail[4].split()[:4] == ["queued_at", "Queue", "'25:99'", "unreadable"]
    assert tail[4].split()[-2:] == ["1", "9"]


def test_map_check_counts_repeats_and_hides_personal_data(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    rows = BANK_CSV.read_text().splitlines()
    bad = [row.replace(";AN;", ";ZZ;").replace(";10;", ";99;") for row in rows[1:3]]
    export.write_text("\n".join([rows[0], *rows[1:], *bad, *bad]) + "\n")
    mapping = tmp_path / "mapping.yml"
    document = BANK_MAPPING.read_text().replace(
        'none: ["anonymous", "unknown"]', 'map: {"+49 30 1234567": "+4930"}'
    )
    mapping.write_text(document)
    result = CliRunner().invoke(_map_cli(), ["map", "--check", str(mapping), str(export)])
    assert result.exit_code == 1, result.output
    problems = [line.split() for line in result.output.splitlines()[-6:]]
    assert ["disposition", "Outcome", "'ZZ'", "unmapped", "2", "8,", "10"] in problems
    assert ["queue_id", "Skill", "'99'", "unmapped", "2", "8,", "10"] in problems
    hidden = [line for line in result.output.splitlines() if "customer_phone  " in line]
    assert hidden and all("(hidden: personal data)" in line for line in hidden)
    assert "+49" not in result.output


def test_map_check_exits_2_on_a_bad_mapping_or_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(FEATURES.read_text().replace("time_zone: Europe/Berlin", "time_zone: Berlin"))
    result = CliRunner().invoke(_map_cli(), ["map", "--check", str(bad), str(SPRING)])
    assert result.exit_code == 2
    assert "invalid mapping: bad.yml: time_zone: 'Berlin' is not an IANA time zone" in (
        result.output
    )
    result = CliRunner().invoke(_map_cli(), ["map", "--check", str(BANK_MAPPING), str(SPRING)])
    assert result.exit_code == 2
    assert "are not in the file's header" in result.output


# --- loading a landing folder with csv/<name>/ ----------------------------------------------


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


BANK_DAY2 = "\r\n".join(
    [
        "Date;CallID;CustomerNo;CallerNumber;Skill;StartTime;QueueTime;AnswerTime;EndTime;"
        "WaitTime;TalkTime;Outcome;AgentID;ReasonCode",
        # good: answered after 10 s
        "03.03.2026;200001;4711;+49 30 1234567;10;09:00:00;09:00:30;09:00:40;09:02:40;0:00:40;"
        "0:02:00;AN;A17;BAL",
        # unmapped outcome XX
        "03.03.2026;200002;5120;unknown;10;09:05:00;09:05:20;09:05:30;09:06:30;0:00:30;"
        "0:01:00;XX;A17;BAL",
        # unmapped skill 99 and unmapped reason code ZZZ
        "03.03.2026;200003;0;anonymous;99;09:10:00;09:10:20;09:10:25;09:12:25;0:00:25;"
        "0:02:00;AN;A21;ZZZ",
        # good: transferred after 5 s in the queue
        "03.03.2026;200004;6001;+49 89 5550100;30;09:20:00;09:20:05;09:20:10;09:25:10;0:00:10;"
        "0:05:00;TR;A21;LOA",
    ]
)


def _bank_landing(landing: Path) -> None:
    folder = landing / "csv" / "bank"
    folder.mkdir(parents=True)
    shutil.copy(BANK_MAPPING, folder / "mapping.yml")
    shutil.copy(BANK_CSV, folder / "2026-03-02.csv")
    (folder / "2026-03-03.csv").write_text(BANK_DAY2 + "\r\n", newline="")
    (folder / "notes.txt").write_text("exported by the night job")
    (landing / "csv" / "orphan").mkdir()
    (landing / "csv" / "orphan" / "2026-03-02.csv").write_text("a,b\n1,2\n")


def test_discovery_of_csv_folders(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _bank_landing(landing)
    (landing / "csv" / "bank" / "export.csv").write_text("x\n")
    found = discover(landing)
    assert [(b.relative, b.source.name, b.day, b.mapping is not None) for b in found.batches] == [
        ("csv/bank/2026-03-02.csv", "contacts", dt.date(2026, 3, 2), True),
        ("csv/bank/2026-03-03.csv", "contacts", dt.date(2026, 3, 3), True),
    ]
    assert [(r.file, r.check) for r in found.rejected] == [("csv/bank/export.csv", "file name")]
    assert found.warnings == [
        "csv/bank/notes.txt: stray file in a csv export folder, not loaded",
        "csv/orphan/: no mapping.yml in it, not loaded",
    ]
    # The batch's day is the local day of the mapping's zone.
    assert found.batches[0].day_bounds == (
        dt.datetime(2026, 3, 1, 23),
        dt.datetime(2026, 3, 2, 23) - dt.timedelta(microseconds=1),
    )


def test_load_quarantines_unmapped_values_naming_file_line_and_value(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    landing = tmp_path / "landing"
    _bank_landing(landing)
    db = tmp_path / "wh.duckdb"
    report = load(landing, db=db, runtime=engine)
    assert [
        (b.source_file, b.rows_read, b.rows_loaded, b.rows_quarantined, b.status)
        for b in report.batches
    ] == [
        ("csv/bank/2026-03-02.csv", 6, 6, 0, "loaded"),
        ("csv/bank/2026-03-03.csv", 4, 2, 2, "loaded_with_quarantine"),
    ]
    quarantined = query(
        db,
        f"select source, batch_date, source_file, source_row, key_value, reasons "
        f"from {RAW}._quarantine order by source_row",
    )
    assert quarantined == [
        (
            "contacts",
            dt.date(2026, 3, 3),
            "csv/bank/2026-03-03.csv",
            3,
            "bank-200002",
            '["enum: disposition \\"unmapped Outcome=\'XX\'\\" is not one of handled, transferred, '
            'abandoned, flow_out, self_served, disconnected, ivr_abandoned"]',
        ),
        (
            "contacts",
            dt.date(2026, 3, 3),
            "csv/bank/2026-03-03.csv",
            4,
            "bank-200003",
            '["plain_text: queue_id \\"unmapped Skill=\'99\'\\" is not a plain id or code '
            '(letters, digits, space and _ . / : # - only)", "plain_text: contact_reason '
            "\\\"unmapped ReasonCode='ZZZ'\\\" is not a plain id or code (letters, digits, "
            'space and _ . / : # - only)"]',
        ),
    ]
    reconciliation = query(
        db,
        f"select source_file, rows_read, rows_loaded, rows_quarantined, rows_rejected "
        f"from {RAW}.{RECONCILIATION} order by source_file",
    )
    assert reconciliation == [
        ("csv/bank/2026-03-02.csv", 6, 6, 0, 0),
        ("csv/bank/2026-03-03.csv", 4, 2, 2, 0),
    ]
    loaded = query(
        db,
        f"select contact_id, customer_id, queue_id, disposition, started_at, queued_at, "
        f"_batch_date, _source_file, _source_row from {RAW}.contacts order by _source_file, "
        "_source_row",
    )
    assert loaded[:3] == [
        ("bank-100001", "4711", "retail", "handled", dt.datetime(2026, 3, 2, 7, 0, 5),
         dt.datetime(2026, 3, 2, 7, 0, 40), dt.date(2026, 3, 2), "csv/bank/2026-03-02.csv", 2),
        ("bank-100002", None, "cards", "abandoned", dt.datetime(2026, 3, 2, 7, 1),
         dt.datetime(2026, 3, 2, 7, 1, 35), dt.date(2026, 3, 2), "csv/bank/2026-03-02.csv", 3),
        ("bank-100003", "5120", None, "ivr_abandoned", dt.datetime(2026, 3, 2, 7, 2), None,
         dt.date(2026, 3, 2), "csv/bank/2026-03-02.csv", 4),
    ]  # fmt: skip
    # The same files again: unchanged (the digest covers the export and its mapping).
    again = load(landing, db=db, runtime=engine)
    assert {b.status for b in again.batches} == {"unchanged"}
    mapping = landing / "csv" / "bank" / "mapping.yml"
    mapping.write_text(mapping.read_text().replace("LOA: loan_question", "LOA: loans"))
    changed = load(landing, db=db, runtime=engine, sources=("contacts",), day=dt.date(2026, 3, 2))
    assert [(b.status, b.rows_replaced) for b in changed.batches] == [("loaded", 6)]


def test_a_mapped_export_and_landing_contacts_of_one_day_never_replace_each_other(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    landing = tmp_path / "landing"
    _bank_landing(landing)
    db = tmp_path / "wh.duckdb"
    contacts = landing / "contacts"
    contacts.mkdir()
    # A landing contacts file of the same day, written from the mapped rows of the export.
    mapped = apply_mapping(load_mapping(BANK_MAPPING), BANK_CSV).frame
    landing_file = contacts / "2026-03-02.csv"
    mapped.drop(columns="_source_row").assign(
        contact_id=lambda f: "landing-" + f["contact_id"]
    ).to_csv(landing_file, index=False)

    # Both in one landing: neither loads, the message names both.
    report = load(landing, db=db, runtime=engine)
    rejected = [b for b in report.batches if b.status == "rejected"]
    assert [(b.source_file, b.check) for b in rejected] == [
        ("contacts/2026-03-02.csv", "single delivery")
    ]
    assert "contacts/2026-03-02.csv and csv/bank/2026-03-02.csv; deliver the day through one" in (
        rejected[0].message
    )
    assert query(db, f"select count(*) from {RAW}.contacts where _batch_date = '2026-03-02'") == [
        (0,)
    ]

    # Loaded in two runs: the second is refused, the first's rows stay.
    landing_file.rename(tmp_path / "held.csv")
    load(landing, db=db, runtime=engine)
    before = query(db, f"select * exclude (_loaded_at) from {RAW}.contacts order by all")
    (tmp_path / "held.csv").rename(landing_file)
    shutil.rmtree(landing / "csv")
    report = load(landing, db=db, runtime=engine)
    (refused,) = report.batches
    assert (refused.source_file, refused.status, refused.check) == (
        "contacts/2026-03-02.csv",
        "rejected",
        "single delivery",
    )
    assert "2026-03-02 is loaded from csv/bank/2026-03-02.csv" in refused.message
    after = query(db, f"select * exclude (_loaded_at) from {RAW}.contacts order by all")
    assert after == before


def test_an_invalid_mapping_rejects_its_files_naming_the_key(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    landing = tmp_path / "landing"
    _bank_landing(landing)
    mapping = landing / "csv" / "bank" / "mapping.yml"
    mapping.write_text(mapping.read_text().replace("constant: phone", "constant: phne"))
    mapping.write_text(mapping.read_text().replace("  channel:\n", "  chanel:\n"))
    report = load(landing, db=tmp_path / "wh.duckdb", runtime=engine)
    assert [(b.source, b.source_file, b.status, b.check) for b in report.batches] == [
        ("contacts", "csv/bank/2026-03-02.csv", "rejected", "mapping"),
        ("contacts", "csv/bank/2026-03-03.csv", "rejected", "mapping"),
    ]
    assert "mapping.yml: columns.chanel: not a canonical contacts column" in (
        report.batches[0].message
    )


def test_a_dst_day_is_checked_as_the_mappings_local_day(tmp_path: Path, engine: SqlRuntime) -> None:
    landing = tmp_path / "landing"
    folder = landing / "csv" / "features"
    folder.mkdir(parents=True)
    shutil.copy(FEATURES, folder / "mapping.yml")
    shutil.copy(SPRING, folder / "2026-03-29.csv")
    shutil.copy(FALL, folder / "2026-10-25.csv")
    db = tmp_path / "wh.duckdb"
    report = load(landing, db=db, runtime=engine)
    # Spring: s6, s7 (unmapped, unreadable) and s8 (disposition none) are quarantined; s1,
    # started 23:10 UTC the day before, is on the local day. Fall: all four rows, from 23:30
    # UTC the day before to 22:59 UTC, are on the 25-hour local day.
    assert [(b.source_file, b.rows_loaded, b.rows_quarantined) for b in report.batches] == [
        ("csv/features/2026-03-29.csv", 5, 3),
        ("csv/features/2026-10-25.csv", 4, 0),
    ]
    reasons = query(db, f"select source_row, reasons from {RAW}._quarantine order by all")
    assert [row for row, _ in reasons] == [8, 9, 10]
    assert "in_batch_day" not in str(reasons) and "falls on" not in str(reasons)


# --- a dbt build on a mapped center ----------------------------------------------------------


def test_dbt_build_on_the_bank_export_gives_hand_worked_queue_numbers(
    tmp_path: Path, engine: SqlRuntime
) -> None:
    """The bank example of 2026-03-02 (UTC dates; Berlin is UTC+1), default vars (20 s
    threshold, 5 s short abandons, negative abandon treatment):
      retail  100001 answered after 12 s; 100003 hung up in the IVR (not offered, no queue);
              100005 abandoned after 60 s: offered 2, answered 1 within 20 s, abandoned 1
              -> service level 1 / (2 - 0) = 0.5
      cards   100002 abandoned after 3 s (short); 100006 answered after 15 s (23:58 -> 00:03
              local, still 2026-03-02 in UTC): offered 2, answered 1, abandoned 1, short 1
              -> 1 / (2 - 1) = 1.0
      loans   100004 answered after 90 s and transferred: offered 1, answered 1, none within
              -> 0.0
    """
    landing = tmp_path / "landing"
    folder = landing / "csv" / "bank"
    folder.mkdir(parents=True)
    shutil.copy(BANK_MAPPING, folder / "mapping.yml")
    shutil.copy(BANK_CSV, folder / "2026-03-02.csv")
    db = tmp_path / "wh.duckdb"
    (batch,) = load(landing, db=db, runtime=engine).batches
    assert (batch.rows_read, batch.rows_loaded) == (6, 6)
    build = subprocess.run(
        [
            str(BIN / "dbt"),
            "build",
            "--target",
            "dev",
            "--select",
            "+fct_queue_daily",
            "--indirect-selection",
            "cautious",
        ],
        cwd=ROOT,
        env=dbt_env(db, tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-4000:]
    rows = query(
        db,
        "select queue_id, offered, answered, abandoned, short_abandoned, "
        "answered_within_threshold, service_level from marts.fct_queue_daily "
        "where reporting_date = date '2026-03-02' and channel = 'phone' and offered > 0 "
        "order by queue_id",
    )
    assert rows == [
        ("cards", 2, 1, 1, 1, 1, 1.0),
        ("loans", 1, 1, 0, 0, 0, 0.0),
        ("retail", 2, 1, 1, 0, 1, 0.5),
    ]
