"""The volume check compares a day with the same weekday of earlier weeks: a bank that opens
late on Saturday and closes on Sunday loads every week; a collapse is still rejected, and a
day can be accepted explicitly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from ccmetrics.commands import guard as guard_commands
from ccmetrics.contract import SOURCES_BY_NAME
from ccmetrics.guard.rules import GuardSettings
from ccmetrics.guard.sql_runtime import SqlRuntime
from ccmetrics.loader import check, load

MONDAY = dt.date(2026, 10, 5)
WEEKS = 3


@pytest.fixture(scope="module")
def engine() -> SqlRuntime:
    return SqlRuntime()


def cost_lines(day: dt.date, rows: int) -> pd.DataFrame:
    records = [
        {
            "cost_line_id": f"cl{day:%m%d}_{i}",
            "cost_date": day.isoformat(),
            "category": "telephony",
            "channel": "phone",
            "amount": "1.5",
        }
        for i in range(rows)
    ]
    return pd.DataFrame(records, columns=list(SOURCES_BY_NAME["cost_lines"].column_names))


def deliver(landing: Path, day: dt.date, rows: int) -> None:
    folder = landing / "cost_lines"
    folder.mkdir(parents=True, exist_ok=True)
    cost_lines(day, rows).to_csv(folder / f"{day}.csv", index=False)


def weekly_rows(day: dt.date) -> int:
    """40 lines on weekdays, 2 on the short Saturday, none on Sunday (closed)."""
    return {5: 2, 6: 0}.get(day.weekday(), 40)


@pytest.fixture(scope="module")
def three_weeks(tmp_path_factory: pytest.TempPathFactory, engine: SqlRuntime) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("weeks")
    landing = root / "landing"
    for offset in range(7 * WEEKS):
        day = MONDAY + dt.timedelta(days=offset)
        deliver(landing, day, weekly_rows(day))
    db = root / "wh.duckdb"
    report = load(landing, db=db, runtime=engine)
    assert report.rejected == []
    assert report.total("rows_loaded") == WEEKS * (5 * 40 + 2)
    # The first two Sundays have fewer than 2 Sundays of history to compare with.
    assert report.warnings == [
        f"cost_lines/{MONDAY + dt.timedelta(days=day)}.csv: empty batch accepted (no "
        "same-weekday volume history to compare with, a weekday the center is usually closed, "
        "a sparse source, or --accept-volume)"
        for day in (6, 13)
    ]
    return landing, db


def test_short_saturdays_and_closed_sundays_load_every_week(
    three_weeks: tuple[Path, Path],
) -> None:
    _, db = three_weeks
    con = duckdb.connect(str(db), read_only=True)
    try:
        days = con.sql(
            "select cost_date, count(*) from raw.cost_lines where cost_date >= '2026-10-19' "
            "group by 1 order by 1"
        ).fetchall()
    finally:
        con.close()
    # The third week: five weekdays, the short Saturday, no Sunday rows.
    assert [(day.isoformat(), rows) for day, rows in days] == [
        ("2026-10-19", 40),
        ("2026-10-20", 40),
        ("2026-10-21", 40),
        ("2026-10-22", 40),
        ("2026-10-23", 40),
        ("2026-10-24", 2),
    ]


def test_a_collapse_is_rejected_and_says_how_to_accept_it(
    three_weeks: tuple[Path, Path],
    tmp_path: Path,
    engine: SqlRuntime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    landing, db = three_weeks
    monday, tuesday, wednesday = (MONDAY + dt.timedelta(days=7 * WEEKS + i) for i in range(3))
    deliver(landing, monday, 3)
    deliver(landing, wednesday, 0)

    report = check(
        [landing / "cost_lines" / f"{day}.csv" for day in (monday, wednesday)],
        db=db,
        runtime=engine,
    )
    assert [b.message for b in report.rejected] == [
        f"cost_lines/{monday}.csv: volume failed: expected 8 to 200 rows (median 40 of the last "
        f"3 Mondays, / and x 5, --volume-band); found 3 rows; if the day is right, rerun with "
        f"--accept-volume {monday}",
        f"cost_lines/{wednesday}.csv: not empty failed: expected at least one row (the last 3 "
        f"Wednesdays had a median of 40); found an empty batch; if the day is right, rerun "
        f"with --accept-volume {wednesday}",
    ]

    app = typer.Typer()
    guard_commands.register(app)
    result = CliRunner().invoke(
        app,
        [
            "load",
            "--landing",
            str(landing),
            "--db",
            str(db),
            "--accept-volume",
            str(monday),
            "--accept-volume",
            str(wednesday),
            "--verbose",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        f"warning: cost_lines/{monday}.csv: 3 rows, outside the volume band 8 to 200 rows "
        f"(median 40 of the last 3 Mondays, / and x 5, --volume-band): accepted by "
        f"--accept-volume {monday}"
    ) in result.output
    assert f"ok          cost_lines/{wednesday}.csv: read 0, loaded 0" in result.output

    # A wider band accepts a smaller day without naming it.
    deliver(landing, tuesday, 3)
    assert load(landing, db=db, runtime=engine).rejected[0].check == "volume"
    wide = load(landing, db=db, runtime=engine, settings=GuardSettings(volume_band=20))
    assert [(b.source_file, b.status) for b in wide.batches if b.status != "unchanged"] == [
        (f"cost_lines/{tuesday}.csv", "loaded")
    ]


def test_load_prints_one_line_per_source_and_every_file_with_verbose(
    tmp_path: Path, engine: SqlRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "landing"
    for offset in range(7 * WEEKS):
        day = MONDAY + dt.timedelta(days=offset)
        deliver(landing, day, weekly_rows(day))
    collapse = MONDAY + dt.timedelta(days=7 * WEEKS)
    deliver(landing, collapse, 3)
    app = typer.Typer()
    guard_commands.register(app)
    arguments = ["load", "--landing", str(landing), "--db", str(tmp_path / "wh.duckdb")]

    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    # 21 days of 40 weekday, 2 Saturday and 0 Sunday rows load; the collapsed Monday's 3 do not.
    assert (
        "cost_lines  22 batches (21 loaded, 1 rejected): read 609, loaded 606, quarantined 0, "
        f"clamped 0, replaced 0, in rejected batches 3; not loaded: cost_lines/{collapse}.csv"
    ) in lines
    assert [line for line in lines if line.startswith("REJECTED")] == [
        f"REJECTED  cost_lines/{collapse}.csv: volume failed: expected 8 to 200 rows (median 40 "
        "of the last 3 Mondays, / and x 5, --volume-band); found 3 rows; if the day is right, "
        f"rerun with --accept-volume {collapse}"
    ]
    assert not [line for line in lines if line.startswith(("ok ", "QUARANTINE"))]
    assert "rows read 609 = loaded 606 + quarantined 0 + in rejected batches 3 [adds up]" in (
        result.output
    )

    result = CliRunner().invoke(app, [*arguments, "--force", "--verbose"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines if line.startswith(("ok ", "REJECTED"))] == [
        "ok"
    ] * 21 + ["REJECTED"]
    assert (
        f"ok          cost_lines/{MONDAY}.csv: read 40, loaded 40, quarantined 0, replaced 40 "
        "earlier rows"
    ) in lines
    assert not [line for line in lines if " batches (" in line]
