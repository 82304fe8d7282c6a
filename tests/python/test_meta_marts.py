"""The meta marts on the generated center, and what the drill-down and report make of them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from ccmetrics.api import connect
from ccmetrics.contract import SOURCES
from ccmetrics.report import build_report
from ccmetrics.report.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def marts(built_center):
    # the readers' own read-only connection: the report opens the file the same way, and
    # DuckDB refuses a second connection to one file with another configuration
    con = connect(built_center.db_path)
    yield con
    con.close()


def _rows(con, sql: str) -> list[dict]:
    relation = con.sql(sql)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def test_coverage_has_every_landing_source_and_where_the_data_ends(built_center, marts):
    rows = {row["source_name"]: row for row in _rows(marts, "from marts.fct_source_coverage")}
    assert set(rows) == {source.name for source in SOURCES}
    assert all(row["is_delivered"] and row["row_count"] > 0 for row in rows.values())
    days = sorted(date.fromisoformat(p.stem) for p in (built_center.landing / "contacts").iterdir())
    contacts = rows["contacts"]
    assert (contacts["first_date"], contacts["last_date"]) == (days[0], days[-1])
    # UTC reporting days: exactly the delivered days are complete
    assert contacts["data_ends_at"] == datetime.combine(
        days[-1] + timedelta(days=1), datetime.min.time()
    )
    assert (contacts["first_complete_date"], contacts["last_complete_date"]) == (days[0], days[-1])
    assert rows["agents"]["data_ends_at"] is None


def test_build_parameters_are_the_project_vars(marts):
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    rows = _rows(marts, "from marts.dim_build_parameters")
    assert {row["parameter_name"] for row in rows} == set(project) | {"fcr_windows"}
    # the fixed FCR windows the queue marts publish besides the default one (ccm_fcr_windows)
    windows = next(row for row in rows if row["parameter_name"] == "fcr_windows")
    assert json.loads(windows["parameter_value"]) == {"24h": 24, "72h": 72, "7d": 168}
    assert windows["is_default"]
    rows = [row for row in rows if row["parameter_name"] != "fcr_windows"]
    for row in rows:
        assert json.loads(row["parameter_value"]) == project[row["parameter_name"]]
        assert json.loads(row["default_value"]) == project[row["parameter_name"]]
        assert row["is_default"]


def test_drilldown_flags_complete_periods_only(marts):
    last_complete = marts.sql(
        "select last_complete_date from marts.fct_source_coverage where source_name = 'contacts'"
    ).fetchall()[0][0]
    partial = _rows(
        marts,
        """
        select period_grain, period_start, is_complete_period,
            count(lower_control_limit) as judged,
            count(is_flagged_low) + count(is_flagged_high) as flags
        from marts.fct_metric_drilldown
        where not is_complete_period
        group by all
        """,
    )
    # the last week is not over: it has limits (the weeks before are its baseline), no flag
    last_week = [row for row in partial if row["period_start"] + timedelta(days=6) > last_complete]
    assert last_week and all(row["period_grain"] == "week" for row in last_week)
    assert any(row["judged"] for row in last_week)
    assert all(row["flags"] == 0 for row in partial)


def test_report_charts_end_on_the_last_complete_day(built_center, marts):
    last_complete = marts.sql(
        "select last_complete_date from marts.fct_source_coverage where source_name = 'contacts'"
    ).fetchall()[0][0]
    # cost is booked on the day a contact ended: the built center has a cost row after the data
    assert marts.sql("select max(reporting_date) from marts.fct_cost_daily").fetchall()[0][0] > (
        last_complete
    )
    warehouse = open_warehouse(built_center.db_path)
    try:
        report = build_report(warehouse)
    finally:
        warehouse.close()
    cost = next(section for section in report.sections if section.key == "cost")
    per_resolution = cost.charts[0].spec["data"]["values"]
    assert max(row["date"][:10] for row in per_resolution) == f"{last_complete}"
    assert "complete reporting days" in report.subtitle
