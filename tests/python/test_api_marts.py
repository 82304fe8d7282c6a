"""The API, publish and scorecard over the real marts of the generated center (conftest's
built_center). The manifest of that build supplies the numerators and denominators of the
rates.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlglot import exp

from ccmetrics.api import Warehouse
from ccmetrics.publish import publish
from ccmetrics.scorecard import build_scorecard


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, built_center):
    target = tmp_path_factory.mktemp("marts") / "published.duckdb"
    manifest = Path(built_center.env["DBT_TARGET_PATH"]) / "manifest.json"
    publish(built_center.db_path, target, manifest)
    with Warehouse(target) as opened:
        yield opened


def _direct(warehouse, mart, numerator, denominator):
    """sum(numerator) / sum(denominator) straight from the table, without the query builder."""
    table = exp.table_(mart.name, db=mart.schema, quoted=True).sql("duckdb")
    num, den = (exp.column(c, quoted=True).sql("duckdb") for c in (numerator, denominator))
    total_num, total_den = warehouse.connection.execute(
        f"select sum({num}), sum({den}) from {table}"
    ).fetchall()[0]
    return total_num, total_den


def test_only_marts_are_published(warehouse):
    names = warehouse.connection.execute(
        "select distinct table_name from duckdb_tables() where schema_name <> 'ccmetrics_meta'"
    ).fetchall()
    assert names and all(name.startswith(("fct_", "dim_")) for (name,) in names)
    assert "fct_queue_daily" in warehouse.catalog.marts


def test_every_ratio_reaggregates_as_summed_parts(warehouse):
    checked = 0
    for mart in warehouse.catalog.marts.values():
        for metric in mart.metrics.values():
            if metric.kind != "ratio":
                continue
            frame = warehouse.query([metric.name], grain="all", mart=mart.name)
            num, den = _direct(warehouse, mart, metric.numerator, metric.denominator)
            value = frame[metric.name].iloc[0] if len(frame) else None
            if not den:
                assert value is None or math.isnan(value), (mart.name, metric.name)
            else:
                assert value == pytest.approx(num / den), (mart.name, metric.name)
            checked += 1
    assert checked >= 20


def test_weekly_numerators_add_up_to_the_total(warehouse):
    weekly = warehouse.query(["service_level"], dimensions=["channel"], grain="week")
    num, _ = _direct(
        warehouse,
        warehouse.catalog.mart("fct_queue_daily"),
        "service_level_numerator",
        "service_level_denominator",
    )
    assert weekly["service_level_numerator"].sum() == num


def test_scorecard_shows_generation_1_in_full(warehouse):
    card = build_scorecard(warehouse, days=7)
    first = [f for f in card.figures if f.section.startswith("Generation 1")]
    assert all(f.status == "ok" for f in first), [(f.label, f.status) for f in first]
    level = next(f for f in first if f.label == "Service level (phone)")
    assert level.source == "service_level"


REFUSED = {
    "fct_agent_assist_aht_daily": {"aht_delta_seconds"},
    "fct_attrition": {"headcount_start", "headcount_end"},
    "fct_automation_daily": {"automation_rate"},
    "fct_bot_qa_sample": {"sample_rank"},
    "fct_channel_mix_daily": {"low_usage_threshold"},
    "fct_cross_channel_consistency_daily": {
        "channels_with_csat",
        "csat_min",
        "csat_max",
        "csat_spread",
        "channels_with_fcr",
        "fcr_min",
        "fcr_max",
        "fcr_spread",
    },
    "fct_cxi_daily": {
        "cxi_weight_csat",
        "cxi_weight_fcr",
        "cxi_weight_response",
        "cxi_weight_covered",
        "cxi",
    },
    "fct_metric_drilldown": {
        "baseline_value",
        "expected_numerator",
        "center_value",
        "dispersion_factor",
        "lower_control_limit",
        "upper_control_limit",
    },
    "fct_omnichannel_response_daily": {"channels_with_contacts"},
    "fct_queue_daily": {"sl_target"},
    "fct_queue_intervals": {"sl_target"},
    "fct_response_daily": {"response_target_seconds", "first_response_seconds_median"},
    "fct_satisfaction_daily": {"nps"},
    "fct_schedule_fit": {
        "interval_minutes",
        "aht_seconds",
        "traffic_erlangs",
        "required_agents",
        "required_service_level",
        "staffed_agents",
        "staffing_gap",
    },
    "fct_source_coverage": {"row_count"},
    "fct_source_systems_daily": {"row_count"},
}
"""The fact marts' numeric columns nobody declares additive or a ratio, each for a reason: a
setting (sl_target, cxi weights), a stock (headcount), a count of channels, a minimum,
maximum, median or spread, a mean or an index published with its parts beside it (nps, cxi),
an interval's staffing figures, the drill-down's baselines and control limits (per member and
period, not summable across them), the meta marts' delivered records (provenance, not
metrics)."""


def test_fact_columns_not_declared_are_the_known_ones(warehouse):
    """Additive or ratio only by declaration (semantic measures, rate_of tests, column meta):
    a new undeclared column of a fact mart fails here until it is declared or listed."""
    for mart in warehouse.catalog.marts.values():
        refused = {n for n, m in mart.metrics.items() if m.kind == "non_additive"}
        if mart.name.startswith("fct_"):
            assert refused <= REFUSED.get(mart.name, set()), (mart.name, refused)
    queue = warehouse.catalog.mart("fct_queue_daily").metrics
    assert queue["offered"].kind == "sum"  # a semantic measure of queue_days
    assert queue["service_level"].kind == "ratio"  # a rate_of test
