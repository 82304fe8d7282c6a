"""Catalog discovery: which columns are ratios, sums, dimensions, or refused."""

from __future__ import annotations

import duckdb
import pytest

from ccmetrics.catalog import discover
from ccmetrics.registry import SemanticLayer


@pytest.fixture
def catalog(tmp_path):
    con = duckdb.connect(str(tmp_path / "c.duckdb"))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.fct_example_daily (
            reporting_date date, interval_start timestamp, channel varchar, is_peak boolean,
            offered bigint, answered bigint, asa_wait_seconds double, asa_seconds double,
            answer_rate_numerator bigint, answer_rate_denominator bigint, answer_rate double,
            labor_cost double, cost_per_contact double, sample_rank bigint,
            weighted_delta_seconds_sum double, circular double, rate_of_rates double,
            nps double, sl_target double
        )
        """
    )
    comments = {
        "asa_seconds": "Average speed of answer: asa_wait_seconds / answered; null when none.",
        "cost_per_contact": "labor_cost / offered.",
        "circular": "circular / offered (a self-reference is no ratio).",
        "rate_of_rates": "answer_rate / cost_per_contact.",
        "nps": "100 * (promoters - detractors) / responses.",
    }
    for column, text in comments.items():
        con.execute(f"comment on column marts.fct_example_daily.{column} is '{text}'")
    con.execute("create table marts.stg_not_a_mart as select 1 as offered")
    con.execute("create view marts.dim_channel as select 'phone' as channel")
    con.execute("create table marts.fct_rates (week date, met bigint, eligible bigint)")
    # what the dbt project declares (rate_of tests, column meta), as publish embeds it
    declared = {
        ("fct_rates", "met"): ("met", "eligible"),
        ("fct_example_daily", "asa_seconds"): ("asa_wait_seconds", "answered"),
        ("fct_example_daily", "answer_rate"): ("answer_rate_numerator", "answer_rate_denominator"),
        ("fct_example_daily", "circular"): ("circular", "offered"),
        ("fct_example_daily", "rate_of_rates"): ("answer_rate", "asa_seconds"),
    }
    # additive only where a semantic measure sums the column (or it is a declared ratio's part)
    measures = [
        {"name": n, "agg": "sum", "expr": None}
        for n in ("offered", "answered", "labor_cost", "weighted_delta_seconds_sum")
    ]
    semantic = SemanticLayer(
        {
            "semantic_models": [
                {"node_relation": {"alias": "fct_example_daily"}, "measures": measures},
                {
                    "node_relation": {"alias": "fct_rates"},
                    "measures": [{"name": "met", "agg": "sum", "expr": None}],
                },
            ]
        }
    )
    yielded = discover(con, declared, semantic)
    con.close()
    return yielded


def test_only_fct_and_dim_relations_are_marts(catalog):
    assert set(catalog.marts) == {"fct_example_daily", "dim_channel", "fct_rates"}
    assert catalog.mart("fct_example_daily").schema == "marts"


def test_columns_get_their_roles(catalog):
    mart = catalog.mart("fct_example_daily")
    kinds = {name: metric.kind for name, metric in mart.metrics.items()}
    assert kinds == {
        "offered": "sum",
        "answered": "sum",
        "asa_wait_seconds": "sum",  # a part of asa_seconds, so additive
        "asa_seconds": "ratio",  # declared
        "answer_rate_numerator": "sum",
        "answer_rate_denominator": "sum",
        "answer_rate": "ratio",  # declared, not guessed from the names of its parts
        "labor_cost": "sum",
        # its description says "labor_cost / offered", but nothing declares it: not guessed
        "cost_per_contact": "non_additive",
        "sample_rank": "non_additive",
        "weighted_delta_seconds_sum": "sum",
        "circular": "non_additive",
        "rate_of_rates": "non_additive",
        "nps": "non_additive",
        "sl_target": "non_additive",
    }
    assert mart.metrics["asa_seconds"].numerator == "asa_wait_seconds"
    assert mart.metrics["asa_seconds"].denominator == "answered"
    assert mart.time_column == "reporting_date"
    assert mart.dimensions == ("interval_start", "channel", "is_peak")


def test_a_ratio_of_a_column_to_itself_is_refused(catalog):
    rates = catalog.mart("fct_rates")
    assert rates.time_column == "week"
    assert rates.metrics["met"].kind == "sum"
