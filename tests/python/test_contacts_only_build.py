"""A center that delivers contacts only (no customers, agents, schedules, agent states, cost
lines, QA, KB, surveys, recommendations or bot sessions) builds, and its marts say "not
available" (null) where a source is missing instead of a 0 that would read as a measurement.

Seven contacts of 2026-03-02, worked out by hand (default vars: UTC, 2 h FCR window, reason
matched, 20 s threshold, negative abandon treatment):
  k1  x1  inbound, billing, queued 09:00:10, answered after 10 s, handled until 09:05:20
  k2  '0' inbound, routed straight to an agent at 09:10:15 (no queued_at): wait 0
  k3  x2  inbound, abandoned after 30 s in the billing queue
  k4  x1  outbound call by the center at 09:30 (no queue): handled, not offered
  k5  'Anonymous' hung up in the IVR (ivr_abandoned): not offered
  k6  x1  inbound, billing, 10:00, answered after 15 s: repeats k1 within 2 h
  k7  x3  inbound, billing, 20:00, answered after 10 s: the data ends at its start
Phone billing: offered k1, k2, k3, k6, k7 = 5; answered 4, all within 20 s; abandoned 1 (not
short): service level 4 / 5. FCR: k2 is left out (caller not identified), k4 too (outbound,
on queue '(none)'); k1 repeated by k6 (the outbound k4 in between is no repeat), k6 resolved,
k7 censored: 1 / 2.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BIN, ROOT, dbt_env

from ccmetrics.contract import LOADER_COLUMNS, source
from ccmetrics.loader import RAW, connect, ensure_raw_tables

DAY = dt.date(2026, 3, 2)

Built = tuple[Path, subprocess.CompletedProcess[str]]
"""The warehouse file and the `dbt build` run."""


def _at(clock: str | None) -> dt.datetime | None:
    if clock is None:
        return None
    return dt.datetime.combine(DAY, dt.time.fromisoformat(clock))


def _contact(
    contact_id: str,
    customer_id: str | None,
    started: str,
    queued: str | None,
    connected: str | None,
    ended: str,
    disposition: str,
    *,
    initiation_method: str = "inbound",
    queue_id: str | None = "billing",
    agent_id: str | None = None,
    handle: tuple[float, float] | None = None,
) -> dict[str, object]:
    talk, acw = handle if handle else (None, None)
    return {
        "contact_id": contact_id,
        "initial_contact_id": None,
        "previous_contact_id": None,
        "related_contact_id": None,
        "initiation_method": initiation_method,
        "channel": "phone",
        "customer_id": customer_id,
        "customer_phone": None,
        "customer_email": None,
        "queue_id": queue_id,
        "contact_reason": "billing_question",
        "agent_id": agent_id,
        "started_at": _at(started),
        "queued_at": _at(queued),
        "connected_at": _at(connected),
        "first_response_at": _at(connected),
        "ended_at": _at(ended),
        "talk_seconds": talk,
        "hold_seconds": 0.0 if handle else None,
        "acw_seconds": acw,
        "disposition": disposition,
        "ai_assisted": False,
        "record_updated_at": _at(ended),
    }


CONTACTS = [
    _contact("k1", "x1", "09:00:00", "09:00:10", "09:00:20", "09:05:20", "handled",
             agent_id="a1", handle=(250.0, 50.0)),
    _contact("k2", "0", "09:10:00", None, "09:10:15", "09:14:15", "handled",
             agent_id="a1", handle=(200.0, 40.0)),
    _contact("k3", "x2", "09:20:00", "09:20:00", None, "09:20:30", "abandoned"),
    _contact("k4", "x1", "09:30:00", None, "09:30:10", "09:33:10", "handled",
             initiation_method="outbound", queue_id=None, agent_id="a2", handle=(160.0, 20.0)),
    _contact("k5", "Anonymous", "09:40:00", None, None, "09:40:40", "ivr_abandoned",
             queue_id=None),
    _contact("k6", "x1", "10:00:00", "10:00:10", "10:00:25", "10:05:25", "handled",
             agent_id="a2", handle=(270.0, 30.0)),
    _contact("k7", "x3", "20:00:00", "20:00:10", "20:00:20", "20:04:20", "handled",
             agent_id="a1", handle=(200.0, 40.0)),
]  # fmt: skip


def _write_contacts(db_path: Path) -> None:
    con = connect(db_path)
    try:
        ensure_raw_tables(con)
        frame = pd.DataFrame(CONTACTS, columns=list(source("contacts").column_names))
        frame["_batch_date"] = DAY
        frame["_source_file"] = f"contacts/{DAY.isoformat()}.parquet"
        frame["_source_row"] = range(1, len(frame) + 1)
        frame["_loaded_at"] = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(1))
        assert list(frame.columns[-len(LOADER_COLUMNS) :]) == list(LOADER_COLUMNS)
        con.register("landed", frame)
        con.execute(f"insert into {RAW}.contacts by name select * from landed")
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("contacts_only")
    db_path = work / "contacts_only.duckdb"
    _write_contacts(db_path)
    build = subprocess.run(
        [str(BIN / "dbt"), "build", "--target", "dev"],
        cwd=ROOT,
        env=dbt_env(db_path, work),
        capture_output=True,
        text=True,
        check=False,
    )
    return db_path, build


def _rows(db_path: Path, sql: str) -> list[dict[str, object]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        result = con.execute(sql)
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def test_only_contacts_raw_tables_hold_rows(built: Built) -> None:
    db_path, _ = built
    for name in ("customers", "agents", "schedules", "agent_states", "cost_lines", "surveys"):
        assert _rows(db_path, f"select count(*) as n from {RAW}.{name}") == [{"n": 0}]


def test_build_passes_without_master_data(built: Built) -> None:
    _, build = built
    assert build.returncode == 0, build.stdout[-4000:]
    assert " ERROR=0 " in build.stdout and " SKIP=0 " in build.stdout, build.stdout[-2000:]


def test_queue_marts_count_every_contact(built: Built) -> None:
    db_path, _ = built
    rows = _rows(
        db_path,
        """
        select queue_id, offered, answered, abandoned, answered_within_threshold,
            service_level, handled_contacts, fcr_resolved_default, fcr_eligible_default,
            fcr_excluded_unidentified, fcr_excluded_outbound, paid_seconds, labor_cost,
            cost_per_contact
        from marts.fct_queue_daily
        where reporting_date = date '2026-03-02' and channel = 'phone'
        order by queue_id
        """,
    )
    assert rows == [
        {
            "queue_id": "(none)",
            "offered": 0,
            "answered": 0,
            "abandoned": 0,
            "answered_within_threshold": 0,
            "service_level": None,
            "handled_contacts": 1,
            "fcr_resolved_default": 0,
            "fcr_eligible_default": 0,
            "fcr_excluded_unidentified": 0,
            "fcr_excluded_outbound": 1,
            "paid_seconds": None,
            "labor_cost": None,
            "cost_per_contact": None,
        },
        {
            "queue_id": "billing",
            "offered": 5,
            "answered": 4,
            "abandoned": 1,
            "answered_within_threshold": 4,
            "service_level": 0.8,
            "handled_contacts": 4,
            "fcr_resolved_default": 1,
            "fcr_eligible_default": 2,
            "fcr_excluded_unidentified": 1,
            "fcr_excluded_outbound": 0,
            "paid_seconds": None,
            "labor_cost": None,
            "cost_per_contact": None,
        },
    ]


def test_workforce_metrics_are_not_available(built: Built) -> None:
    db_path, _ = built
    occupancy = _rows(
        db_path,
        """
        select agent_id, team_id, handled_contacts, paid_seconds, occupancy, utilization
        from marts.fct_agent_occupancy order by agent_id
        """,
    )
    assert occupancy == [
        {
            "agent_id": agent_id,
            "team_id": None,
            "handled_contacts": handled,
            "paid_seconds": None,
            "occupancy": None,
            "utilization": None,
        }
        for agent_id, handled in (("a1", 3), ("a2", 2))
    ]
    assert _rows(db_path, "select count(*) as n from marts.fct_schedule_adherence") == [{"n": 0}]
    fit = _rows(
        db_path,
        """
        select count(*) as intervals, count(staffed_agents) as staffed,
            count(is_within_one_agent) as judged
        from marts.fct_schedule_fit
        """,
    )
    assert fit[0]["intervals"] > 0 and fit[0]["staffed"] == 0 and fit[0]["judged"] == 0


def test_cost_is_not_available_but_contacts_count(built: Built) -> None:
    db_path, _ = built
    assert _rows(
        db_path,
        """
        select labor_cost, telephony_cost, total_cost, contacts, customers_served,
            cost_per_contact, cost_per_user
        from marts.fct_cost_daily where reporting_date = date '2026-03-02'
        """,
    ) == [
        {
            "labor_cost": None,
            "telephony_cost": None,
            "total_cost": None,
            "contacts": 7,
            "customers_served": 3,
            "cost_per_contact": None,
            "cost_per_user": None,
        }
    ]


def test_per_customer_metrics_leave_unidentified_callers_out(built: Built) -> None:
    db_path, _ = built
    churn = _rows(
        db_path,
        """
        select customer_id, segment, interactions, repeat_interactions, unresolved_interactions
        from marts.fct_customer_churn_risk order by customer_id
        """,
    )
    assert churn == [
        {
            "customer_id": "x1",
            "segment": None,
            "interactions": 3,
            "repeat_interactions": 1,
            "unresolved_interactions": 0,
        },
        {
            "customer_id": "x2",
            "segment": None,
            "interactions": 1,
            "repeat_interactions": 0,
            "unresolved_interactions": 1,
        },
        {
            "customer_id": "x3",
            "segment": None,
            "interactions": 1,
            "repeat_interactions": 0,
            "unresolved_interactions": 0,
        },
    ]


def test_marts_of_missing_sources_are_empty(built: Built) -> None:
    db_path, _ = built
    for mart in (
        "fct_satisfaction_daily",
        "fct_bot_daily",
        "fct_bot_qa_sample",
        "fct_qa_scores",
        "fct_kb_daily",
        "fct_recommendation_conversion_daily",
        "fct_attrition",
    ):
        assert _rows(db_path, f"select count(*) as n from marts.{mart}") == [{"n": 0}], mart
    cxi = _rows(
        db_path,
        """
        select csat, fcr_rate, cxi_weight_covered from marts.fct_cxi_daily
        where reporting_date = date '2026-03-02' and channel = 'phone'
        """,
    )
    assert cxi == [{"csat": None, "fcr_rate": 0.5, "cxi_weight_covered": pytest.approx(0.6)}]
