"""A small warehouse shaped like the marts, shared by the API, CLI, publish and scorecard tests.

Two weeks of two queues on two channels with hand-picked counts, a raw table with PII (which
must never be published), a dimension table without a date, and a mean published without its
parts (which must be refused rather than averaged).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb

FIRST_DAY = date(2026, 1, 5)
DAYS = 14

# (channel, queue_id): offered, answered, abandoned, short_abandoned, answered_within_sl,
# handle_seconds, labor_cost per day; day d adds d to offered and answered.
QUEUES = {
    ("phone", "q_billing"): (100, 90, 8, 2, 72, 27000.0, 500.0),
    ("chat", "q_support"): (40, 38, 2, 1, 30, 15200.0, 200.0),
}


def queue_daily_rows() -> list[tuple]:
    rows = []
    for day in range(DAYS):
        report_date = FIRST_DAY + timedelta(days=day)
        for (channel, queue), (off, ans, abn, short, within, handle, cost) in QUEUES.items():
            offered, answered = off + day, ans + day
            sl_den = offered - short
            rows.append(
                (
                    report_date,
                    channel,
                    queue,
                    offered,
                    answered,
                    abn,
                    short,
                    within,
                    sl_den,
                    within / sl_den,
                    answered / sl_den,
                    handle,
                    handle / answered,
                    cost,
                )
            )
    return rows


MANIFEST = {
    "nodes": {
        "test.ccmetrics.rate_of_fct_queue_daily_service_level": {
            "resource_type": "test",
            "attached_node": "model.ccmetrics.fct_queue_daily",
            "test_metadata": {
                "name": "rate_of",
                "kwargs": {
                    "column_name": "service_level",
                    "numerator": "answered_within_sl",
                    "denominator": "sl_denominator",
                },
            },
        },
        "test.ccmetrics.rate_of_fct_queue_daily_answer_rate": {
            "resource_type": "test",
            "attached_node": "model.ccmetrics.fct_queue_daily",
            "test_metadata": {
                "name": "rate_of",
                "kwargs": {
                    "column_name": "answer_rate",
                    "numerator": "answered",
                    "denominator": "sl_denominator",
                },
            },
        },
        "model.ccmetrics.fct_queue_daily": {
            "resource_type": "model",
            "name": "fct_queue_daily",
            "columns": {
                "aht_seconds": {
                    "name": "aht_seconds",
                    "meta": {"numerator": "handle_seconds", "denominator": "answered"},
                }
            },
        },
    }
}


def make_working_db(path: Path) -> Path:
    """The working database as `dbt build` leaves it: raw, staging-ish and mart tables."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute("create schema marts")
    con.execute(
        "create table raw.contacts as select 'c1' as contact_id, '+33 6 12 34 56 78' as "
        "customer_phone"
    )
    con.execute(
        """
        create table marts.fct_queue_daily (
            report_date date, channel varchar, queue_id varchar, offered bigint,
            answered bigint, abandoned bigint, short_abandoned bigint,
            answered_within_sl bigint, sl_denominator bigint, service_level double,
            answer_rate double, handle_seconds double, aht_seconds double, labor_cost double
        )
        """
    )
    con.executemany(
        "insert into marts.fct_queue_daily values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        queue_daily_rows(),
    )
    con.execute("comment on table marts.fct_queue_daily is 'Queue metrics per day.'")
    con.execute("comment on column marts.fct_queue_daily.offered is 'Contacts that queued.'")
    con.execute(
        "create table marts.dim_queue as select * from (values ('q_billing', 'Billing'), "
        "('q_support', 'Support')) as t(queue_id, queue_name)"
    )
    con.execute(
        "create table marts.fct_csat_daily as select report_date, channel, 0.5 as csat_mean "
        "from marts.fct_queue_daily"
    )
    # What the dbt hooks record (macros/ccm_build_runs.sql): publish needs a successful build.
    con.execute("create schema ccmetrics_meta")
    con.execute(
        "create table ccmetrics_meta.build_runs as select 'sample' as invocation_id, "
        "'build' as command, 'dev' as target_name, timestamp '2026-01-19 06:00' as started_at, "
        "timestamp '2026-01-19 06:01' as finished_at, 'success' as status, 3::bigint as nodes, "
        "0::bigint as errors, 0::bigint as skipped"
    )
    con.close()
    return path


def write_manifest(path: Path) -> Path:
    """The sample's manifest.json, and its semantic_manifest.json next to it (as dbt writes)."""
    path.write_text(json.dumps(MANIFEST))
    path.with_name("semantic_manifest.json").write_text(json.dumps(SEMANTIC_MANIFEST))
    return path


def publish_sample(directory: Path) -> Path:
    """Build the sample working database and publish it; returns the published file."""
    from ccmetrics.publish import publish

    working = make_working_db(directory / "working.duckdb")
    manifest = write_manifest(directory / "manifest.json")
    return publish(working, directory / "published" / "ccmetrics.duckdb", manifest).path


def _headline(section: str, order: int, unit: str, better: bool | None, **extra: object) -> dict:
    return {
        "ccmetrics": {
            "headline": {
                "section": section,
                "order": order,
                "unit": unit,
                "higher_is_better": better,
                **extra,
            }
        }
    }


def _measure(name: str) -> dict:
    return {"name": name, "agg": "sum", "expr": None}


def _simple(name: str, label: str, meta: dict | None = None) -> dict:
    return {
        "name": name,
        "label": label,
        "type": "simple",
        "filter": None,
        "type_params": {"measure": {"name": name}, "metrics": []},
        "config": {"meta": meta or {}},
    }


def _ratio(name: str, label: str, numerator: str, denominator: str, meta: dict) -> dict:
    return {
        "name": name,
        "label": label,
        "type": "ratio",
        "filter": None,
        "type_params": {
            "numerator": {"name": numerator},
            "denominator": {"name": denominator},
            "metrics": [],
        },
        "config": {"meta": meta},
    }


QUEUE_MEASURES = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_within_sl",
    "sl_denominator",
    "handle_seconds",
    "labor_cost",
)
OPENS = {"title": "Generation 1 - efficiency", "intro": "Queue metrics."}
SEMANTIC_MANIFEST = {
    "semantic_models": [
        {
            "name": "satisfaction_days",
            "node_relation": {"alias": "fct_satisfaction_daily"},
            "dimensions": [],
            "measures": [_measure("csat_satisfied_responses"), _measure("csat_responses")],
        },
        {
            "name": "queue_days",
            "node_relation": {"alias": "fct_queue_daily"},
            "dimensions": [{"name": "channel"}],
            "measures": [_measure(name) for name in QUEUE_MEASURES],
        },
    ],
    "metrics": [
        *(_simple(name, name) for name in QUEUE_MEASURES if name not in ("offered", "labor_cost")),
        _simple(
            "offered",
            "Offered",
            _headline("gen1", 110, "count", None, where={"channel": "phone"}, opens_section=OPENS),
        ),
        _ratio(
            "service_level",
            "Service level",
            "answered_within_sl",
            "sl_denominator",
            _headline("gen1", 120, "rate", True, where={"channel": "phone"}),
        ),
        _ratio(
            "aht", "AHT", "handle_seconds", "answered", _headline("gen1", 140, "seconds", False)
        ),
        _simple(
            "labor_cost",
            "Labor cost",
            _headline("gen1", 190, "money", None, needs=["agent_states", "agents"]),
        ),
        _simple("csat_satisfied_responses", "csat_satisfied_responses"),
        _simple("csat_responses", "csat_responses"),
        _ratio(
            "csat",
            "CSAT",
            "csat_satisfied_responses",
            "csat_responses",
            _headline(
                "gen2",
                240,
                "rate",
                True,
                opens_section={"title": "Generation 2 - experience", "intro": "Experience."},
            ),
        ),
    ],
}
"""The sample's semantic layer: its queue columns declared additive, four headlines."""


def embed_semantic(path: Path, manifest: dict) -> None:
    """Embed `manifest` in the database at `path` as `ccmetrics publish` does."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists ccmetrics_meta")
        con.execute("create or replace table ccmetrics_meta.semantic_manifest (manifest varchar)")
        con.execute(
            "insert into ccmetrics_meta.semantic_manifest values (?)", [json.dumps(manifest)]
        )
    finally:
        con.close()


def project_manifest() -> dict:
    """The project's semantic layer (models/semantic), in the manifest's shape."""
    from ccmetrics import paths
    from ccmetrics.registry import project_semantic_layer

    return dict(project_semantic_layer(paths.project_dir() / "models" / "semantic").manifest)
