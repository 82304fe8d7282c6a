"""The two meta marts, shaped as dbt builds them, for warehouses of hand-made mart tables."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

SOURCES = (
    "contacts",
    "agent_states",
    "bot_sessions",
    "surveys",
    "customers",
    "agents",
    "schedules",
    "qa_evaluations",
    "kb_events",
    "ai_recommendations",
    "cost_lines",
)
DEFAULTS: dict[str, Any] = {
    "fcr_window_hours": 2,
    "reporting_timezone": "UTC",
    "week_start": "monday",
    "cxi_weights": {"csat": 0.4, "fcr": 0.4, "response": 0.2},
}


def add_meta_marts(
    con: duckdb.DuckDBPyConnection,
    *,
    parameters: dict[str, Any],
    data_ends_at: datetime,
    complete: tuple[date, date],
    undelivered: tuple[str, ...] = (),
    systems: tuple[tuple[date, str, str], ...] = (),
) -> None:
    """dim_build_parameters with `parameters` over DEFAULTS; fct_source_coverage with every
    source delivered but `undelivered`, contacts ending at `data_ends_at`; when `systems` is
    given, fct_source_systems_daily with those (day, entity, system) rows."""
    values = {**DEFAULTS, **parameters}
    con.execute(
        "create table dim_build_parameters (parameter_name varchar, parameter_value varchar, "
        "default_value varchar, is_default boolean)"
    )
    con.executemany(
        "insert into dim_build_parameters values (?, ?, ?, ?)",
        [
            (name, json.dumps(value), json.dumps(DEFAULTS[name]), value == DEFAULTS[name])
            for name, value in values.items()
        ],
    )
    con.execute(
        "create table fct_source_coverage (source_name varchar, row_count bigint, "
        "is_delivered boolean, data_ends_at timestamp, first_complete_date date, "
        "last_complete_date date)"
    )
    con.executemany(
        "insert into fct_source_coverage values (?, ?, ?, ?, ?, ?)",
        [
            (
                name,
                0 if name in undelivered else 10,
                name not in undelivered,
                data_ends_at if name == "contacts" else None,
                complete[0] if name == "contacts" else None,
                complete[1] if name == "contacts" else None,
            )
            for name in SOURCES
        ],
    )
    if systems:
        con.execute(
            "create table fct_source_systems_daily (reporting_date date, source_name varchar, "
            "source_system varchar, row_count bigint)"
        )
        con.executemany(
            "insert into fct_source_systems_daily values (?, ?, ?, 5)", [list(r) for r in systems]
        )
