"""Query building: names checked, values bound, dialects rendered, non-SELECT refused."""

from __future__ import annotations

from datetime import date

import pytest
import sqlglot
from sqlglot import exp
from test_api_support import MANIFEST

from ccmetrics.catalog import Catalog, CatalogError, Mart, Metric, ratios_from_manifest
from ccmetrics.sqlbuild import (
    Filter,
    QueryError,
    build,
    check_select,
    make_spec,
    parse_filter_text,
    render,
)

QUEUE_DAILY = Mart(
    name="fct_queue_daily",
    schema="main",
    columns={
        "report_date": "DATE",
        "channel": "VARCHAR",
        "queue_id": "VARCHAR",
        "offered": "BIGINT",
        "answered_within_sl": "BIGINT",
        "sl_denominator": "BIGINT",
        "service_level": "DOUBLE",
    },
    time_column="report_date",
    dimensions=("channel", "queue_id"),
    metrics={
        "service_level": Metric("service_level", "ratio", "answered_within_sl", "sl_denominator"),
        "offered": Metric("offered", "sum"),
        "answered_within_sl": Metric("answered_within_sl", "sum"),
        "sl_denominator": Metric("sl_denominator", "sum"),
    },
)
CATALOG = Catalog({"fct_queue_daily": QUEUE_DAILY})


def built(**kwargs):
    arguments = {"metrics": ["service_level"], **kwargs}
    return build(make_spec(**arguments), CATALOG)


def test_ratio_is_reaggregated_from_its_parts_and_published_with_them():
    query = built(dimensions=["channel"], grain="week")
    assert query.columns == (
        "period",
        "channel",
        "service_level",
        "answered_within_sl",
        "sl_denominator",
    )
    sql = render(query)
    assert 'SUM("answered_within_sl") AS DOUBLE) / NULLIF(SUM("sl_denominator"), 0)' in sql
    assert "AVG" not in sql.upper()
    assert "DATE_TRUNC('WEEK'" in sql


def test_values_are_parameters_never_text():
    query = built(
        start="2026-01-05",
        end=date(2026, 1, 11),
        filters=[("channel", "in", ["phone", "chat"]), ("queue_id", "!=", "x' or '1'='1")],
    )
    sql = render(query)
    assert "phone" not in sql and "or '1'='1" not in sql and "2026" not in sql
    assert query.params == {
        "p0": date(2026, 1, 5),
        "p1": date(2026, 1, 12),  # exclusive bound: the day after `end`
        "p2": "phone",
        "p3": "chat",
        "p4": "x' or '1'='1",
    }


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery", "spark", "postgres", "tsql"])
def test_query_transpiles_with_values_inlined_and_escaped(dialect):
    query = built(dimensions=["channel"], grain="month", filters={"channel": "o'brien"})
    sql = render(query, dialect, inline=True)
    statement = sqlglot.parse_one(sql, read=dialect)
    assert isinstance(statement, exp.Select)
    literals = [lit.this for lit in statement.find_all(exp.Literal) if lit.is_string]
    assert "o'brien" in literals  # one literal, quote escaped, not a second statement
    assert len(sqlglot.parse(sql, read=dialect)) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"metrics": ["service_level; drop table x"]}, "unknown metric"),
        ({"metrics": ['offered" from x --']}, "unknown metric"),
        ({"metrics": ["service_level"], "dimensions": ["channel) or 1=1 --"]}, "unknown dim"),
        ({"metrics": ["service_level"], "grain": "day'; drop table x; --"}, "unknown grain"),
        ({"metrics": ["service_level"], "start": "2026-01-01' or '1'='1"}, "start must be"),
        ({"metrics": ["service_level"], "end": "2026-01-01; drop table x"}, "end must be"),
        ({"metrics": ["service_level"], "start": 20260101}, "start must be"),
        ({"metrics": ["service_level"], "filters": [("channel or 1=1", "=", "a")]}, "filter col"),
        ({"metrics": ["service_level"], "filters": [("channel", "= 1 or 1=1 --", "a")]}, "operat"),
        ({"metrics": ["service_level"], "filters": [("channel", "=", {"a": 1})]}, "filter values"),
        ({"metrics": ["service_level"], "filters": [("channel", "=", float("nan"))]}, "finite"),
        ({"metrics": ["service_level"], "filters": [("channel", "in", [])]}, "non-empty"),
        ({"metrics": ["service_level"], "filters": ["channel; drop table x"]}, "cannot read"),
        ({"metrics": ["service_level"], "mart": "fct_queue_daily; drop"}, "unknown mart"),
        ({"metrics": ["service_level"], "limit": "1; drop table x"}, "limit must be"),
        ({"metrics": ["service_level"], "limit": 0}, "limit must be"),
        ({"metrics": [1]}, "must be strings"),
    ],
)
def test_injection_attempts_are_refused_at_every_argument(arguments, message):
    with pytest.raises((QueryError, CatalogError), match=message):
        build(make_spec(**arguments), CATALOG)


def test_injection_in_dialect_is_refused():
    with pytest.raises(QueryError, match="unknown dialect"):
        render(built(), "duckdb; drop table x")


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(CatalogError) as metric_error:
        built(metrics=["service_levl"])
    assert "valid metrics: answered_within_sl, offered, service_level, sl_denominator" in str(
        metric_error.value
    )
    with pytest.raises(CatalogError, match="valid dimensions: channel, queue_id"):
        built(dimensions=["team"])
    with pytest.raises(QueryError, match="valid: channel, queue_id, report_date"):
        built(filters=[("offered", ">", 3)])


def test_filter_text_forms():
    assert parse_filter_text("channel=phone") == Filter("channel", "=", "phone")
    assert parse_filter_text("queue_id in q1, q2") == Filter("queue_id", "in", ("q1", "q2"))
    assert parse_filter_text("queue_id not in q1") == Filter("queue_id", "not in", ("q1",))
    assert parse_filter_text("agent_id is not null") == Filter("agent_id", "is not null")
    assert parse_filter_text("offered>=10") == Filter("offered", ">=", "10")


def test_dates_must_be_real_and_ordered():
    with pytest.raises(QueryError, match="not a valid date"):
        make_spec(["offered"], start="2026-02-30")
    with pytest.raises(QueryError, match="is after end"):
        make_spec(["offered"], start="2026-02-02", end="2026-02-01")


@pytest.mark.parametrize(
    "statement",
    [
        "drop table fct_queue_daily",
        "select 1; drop table fct_queue_daily",
        "insert into fct_queue_daily select * from fct_queue_daily",
        "attach 'other.duckdb' as other",
        "copy fct_queue_daily to 'out.csv'",
        "pragma version",
        "set enable_external_access = true",
        "install httpfs",
        "load httpfs",
        "select * from read_csv('/etc/passwd')",
        "select * from raw.contacts",
        "select * from other.main.fct_queue_daily",
        "create table x as select 1",
        "select 1 into x",
        "with t as (select 1) delete from fct_queue_daily",
        "update fct_queue_daily set offered = 0",
        "",
    ],
)
def test_only_one_select_over_the_marts_passes(statement):
    with pytest.raises(QueryError):
        check_select(statement, CATALOG.marts)


def test_a_plain_select_with_ctes_passes():
    statement = check_select(
        "with phone as (select * from fct_queue_daily where channel = 'phone') "
        "select sum(offered) from phone",
        CATALOG.marts,
    )
    assert isinstance(statement, exp.Select)


def test_manifest_gives_rates_and_column_meta_ratios():
    ratios = ratios_from_manifest(MANIFEST)
    assert ratios == {
        ("fct_queue_daily", "service_level"): ("answered_within_sl", "sl_denominator"),
        ("fct_queue_daily", "answer_rate"): ("answered", "sl_denominator"),
        ("fct_queue_daily", "aht_seconds"): ("handle_seconds", "answered"),
    }


def test_periods_are_labelled_ranges_in_one_query():
    query = built(
        grain="all",
        periods=[("previous", "2026-01-05", "2026-01-11"), ("current", "2026-01-12", "2026-01-18")],
    )
    assert query.columns[0] == "period"
    assert query.params == {
        "p0": date(2026, 1, 5),
        "p1": date(2026, 1, 12),
        "p2": "previous",
        "p3": date(2026, 1, 12),
        "p4": date(2026, 1, 19),
        "p5": "current",
    }
    sql = render(query)
    assert sql.count("CASE") == 3  # selected, grouped and ordered
    assert "previous" not in sql and "current" not in sql


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([("x'; drop table t; --", "2026-01-01; drop", "2026-01-02")], "period start"),
        ([(1, "2026-01-01", "2026-01-02")], "label must be a string"),
        ([("a", "2026-01-02", "2026-01-01")], "on or before"),
        ([("a", "2026-01-01")], "a period is"),
        ([("a", "2026-01-01", "2026-01-02"), ("a", "2026-01-03", "2026-01-04")], "distinct"),
    ],
)
def test_bad_periods_are_refused(periods, message):
    with pytest.raises(QueryError, match=message):
        built(grain="all", periods=periods)


def test_periods_replace_grain_and_range():
    with pytest.raises(QueryError, match="periods replace"):
        built(grain="week", periods=[("a", "2026-01-01", "2026-01-02")])


def test_rendering_for_one_engine_leaves_the_query_intact_for_the_next():
    query = built(dimensions=["channel"], grain="month")
    first = render(query, "duckdb")
    for dialect in ("bigquery", "spark", "tsql", "snowflake"):
        render(query, dialect)
        render(query, dialect, inline=True)
    assert render(query, "duckdb") == first
