"""The guard's two engines run one definition: DuckDB (what `ccmetrics load` runs) quarantines
exactly the rows Great Expectations quarantines, for the same reasons, and loads the same rows.

The hand-built cases are where a naive translation to DuckDB's RE2 and `length` would differ from
Great Expectations' pandas engine (Python's `re`, `len`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from corpus.runtime import ENGINES, runtime_named
from corpus.valid_day import DAY, valid_day, write_day
from corpus.warehouse import query

from ccmetrics.contract_schema import MAX_LENGTH_EMAIL, MAX_LENGTH_PHONE
from ccmetrics.faults import plant_bad_rows
from ccmetrics.loader import RAW, RunReport, check, load

RUN_STARTED = re.compile(r"\(the run started [^)]*\)")
DAYS = [DAY + dt.timedelta(days=offset) for offset in range(3)]
EMAIL_TAIL = "@x.io"
EDGE_CUSTOMERS: list[tuple[dict[str, object], list[str]]] = [
    # (changed values, the checks Python's re and len make the row fail; [] = the row loads)
    ({"customer_id": "c_newline\n"}, []),
    ({"customer_id": "c_two_newlines\n\n"}, ["plain_text"]),
    ({"customer_id": "c_line\u2028sep"}, ["plain_text"]),
    ({"email": "no\u00a0break@example.com"}, ["format"]),
    ({"email": "em\u2003space@example.com"}, ["format"]),
    ({"email": "ascii space@example.com"}, ["format"]),
    ({"email": "zoë@exämple.com"}, []),
    ({"email": "tab@example.com\n"}, []),
    ({"email": "é" * (MAX_LENGTH_EMAIL - len(EMAIL_TAIL)) + EMAIL_TAIL}, []),
    ({"email": "é" * (MAX_LENGTH_EMAIL - len(EMAIL_TAIL) + 1) + EMAIL_TAIL}, ["max_length"]),
    ({"phone": "+1 555\u20030101"}, ["format"]),
    ({"phone": "+" + "1" * (MAX_LENGTH_PHONE - 1)}, []),
    ({"phone": "+" + "1" * MAX_LENGTH_PHONE}, ["max_length"]),
    ({"phone": None, "email": None}, []),
    ({"segment": "Consumer"}, ["enum"]),
    ({"segment": None}, ["not_null"]),
    ({"created_at": "2099-01-01 00:00:00"}, ["not_future", "order"]),
    # A key repeated with other content fails on every copy, a null version being one value
    # like any other; exact copies are validated once and load.
    ({"customer_id": "twin", "email": "twin.one@example.com"}, ["unique_key"]),
    ({"customer_id": "twin", "email": "twin.two@example.com"}, ["unique_key"]),
    ({"customer_id": "copy"}, []),
    ({"customer_id": "copy"}, []),
    ({"customer_id": "unversioned", "record_updated_at": None}, ["not_null", "unique_key"]),
    (
        {"customer_id": "unversioned", "record_updated_at": None, "segment": "small_business"},
        ["not_null", "unique_key"],
    ),
    ({"customer_id": "unversioned_copy", "record_updated_at": None}, ["not_null"]),
    ({"customer_id": "unversioned_copy", "record_updated_at": None}, ["not_null"]),
    ({"customer_id": "versioned", "record_updated_at": None}, ["not_null"]),
    ({"customer_id": "versioned", "record_updated_at": "2026-10-01 01:00:00"}, []),
]


def _edge_landing(root: Path) -> Path:
    landing = root / "landing"
    frames = valid_day(DAY)
    customers = frames["customers"]
    copies = []
    for number, (change, _) in enumerate(EDGE_CUSTOMERS):
        copy = customers.iloc[[0]].copy()
        copy["customer_id"] = f"edge{number}"
        for column, value in change.items():
            copy[column] = value
        copies.append(copy)
    frames["customers"] = pd.concat([customers, *copies], ignore_index=True)
    write_day(landing, {"customers": frames["customers"]}, DAY, fmt="parquet")
    return landing


def _same_clock(reasons: str) -> str:
    """A reason without the run's start time, which two runs cannot share."""
    return RUN_STARTED.sub("(the run started ...)", reasons)


def _issues(report: RunReport) -> list[tuple[str, int, list[str]]]:
    return sorted(
        (file, row, [_same_clock(reason) for reason in reasons])
        for file, row, reasons in report.row_issues
    )


def _checks(reasons: list[str]) -> list[str]:
    return sorted(reason.split(":")[0] for reason in reasons)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_edge_values_fail_as_pythons_re_and_len_decide(tmp_path: Path, engine_name: str) -> None:
    landing = _edge_landing(tmp_path)
    report = check([landing], db=tmp_path / "none.duckdb", runtime=runtime_named(engine_name))
    found = {row: _checks(reasons) for _, row, reasons in report.row_issues}
    base = len(valid_day(DAY)["customers"])
    expected = {
        base + number + 1: sorted(checks)
        for number, (_, checks) in enumerate(EDGE_CUSTOMERS)
        if checks
    }
    assert found == expected


def _load_with(engine_name: str, landing: Path, db: Path) -> RunReport:
    return load(landing, db=db, runtime=runtime_named(engine_name))


def _stored(db: Path) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        row[0]
        for row in query(
            db,
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and table_name not like '\\_%' escape '\\' order by 1",
        )
    ]
    stored = {
        table: query(db, f"select * exclude (_loaded_at) from {RAW}.{table} order by all")
        for table in tables
    }
    stored["_quarantine"] = query(
        db,
        f"select source, source_file, source_row, reasons, status from {RAW}._quarantine "
        "order by all",
    )
    stored["_quarantine"] = [
        (*row[:3], _same_clock(row[3]), row[4]) for row in stored["_quarantine"]
    ]
    return stored


def test_both_engines_quarantine_the_same_rows_for_the_same_reasons(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for index, day in enumerate(DAYS):
        write_day(landing, valid_day(day), day, fmt="parquet" if index % 2 else "csv")
    manifest = plant_bad_rows(landing, share=0.25, seed=11)
    reports = {name: _load_with(name, landing, tmp_path / f"{name}.duckdb") for name in ENGINES}
    planted = manifest.keys()
    assert {(file, row) for file, row, _ in reports["duckdb"].row_issues} == {
        (file, row) for _, file, row in planted
    }
    assert _issues(reports["duckdb"]) == _issues(reports["gx"])
    assert _stored(tmp_path / "duckdb.duckdb") == _stored(tmp_path / "gx.duckdb")


def test_both_engines_agree_on_a_generated_center_with_planted_faults(tmp_path: Path) -> None:
    from ccmetrics.generator.config import GeneratorConfig
    from ccmetrics.generator.engine import generate_landing

    landing = tmp_path / "landing"
    generate_landing(GeneratorConfig(days=2, seed=7, scale=0.03), landing)
    manifest = plant_bad_rows(landing, share=0.02, seed=7)
    reports = {name: _load_with(name, landing, tmp_path / f"{name}.duckdb") for name in ENGINES}
    assert len(reports["duckdb"].row_issues) == len(manifest.faults)
    assert _issues(reports["duckdb"]) == _issues(reports["gx"])
    assert _stored(tmp_path / "duckdb.duckdb") == _stored(tmp_path / "gx.duckdb")
