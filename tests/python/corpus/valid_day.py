"""A small, consistent landing day for every contract source (what a good delivery looks like).

`valid_day(day)` returns one DataFrame of text values per source; every row passes the guard.
Ids carry the day so that several days can be loaded side by side. The corpus tests corrupt a
copy of it, one fault at a time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ccmetrics.contract import SOURCES_BY_NAME

DAY = dt.date(2026, 10, 1)


def _ts(day: dt.date, clock: str) -> str:
    return f"{day.isoformat()} {clock}"


def valid_day(day: dt.date = DAY) -> dict[str, pd.DataFrame]:
    d = day.strftime("%m%d")
    t = lambda clock: _ts(day, clock)  # noqa: E731 - a local shorthand keeps the rows readable
    rows: dict[str, list[dict[str, object]]] = {
        "customers": [
            {
                "customer_id": f"c{i}",
                "segment": seg,
                "email": f"c{i}@example.com",
                "phone": f"+1 555 010{i}",
                "created_at": "2025-01-01 00:00:00",
                "churned_at": None,
                "record_updated_at": t("00:00:00"),
            }
            for i, seg in ((1, "consumer"), (2, "small_business"), (3, "enterprise"))
        ],
        "agents": [
            {
                "agent_id": f"a{i}",
                "team_id": "voice_a",
                "home_queue_id": "billing",
                "hire_date": "2024-01-01",
                "leave_date": None,
                "hourly_cost": "30.0",
                "record_updated_at": t("06:00:00"),
            }
            for i in (1, 2)
        ],
        "contacts": [
            _contact(
                f"k{d}1",
                None,
                "inbound",
                "phone",
                "c1",
                "a1",
                t("09:00:00"),
                t("09:00:10"),
                t("09:00:30"),
                t("09:05:00"),
                "handled",
            ),
            _contact(
                f"k{d}2",
                f"k{d}1",
                "transfer",
                "phone",
                "c1",
                "a2",
                t("09:05:00"),
                t("09:05:05"),
                t("09:05:20"),
                t("09:09:00"),
                "handled",
            ),
            _contact(
                f"k{d}3",
                None,
                "inbound",
                "chat",
                "c2",
                "a2",
                t("10:00:00"),
                t("10:00:05"),
                t("10:01:00"),
                t("10:10:00"),
                "handled",
            ),
            _contact(
                f"k{d}4",
                None,
                "inbound",
                "phone",
                "c3",
                None,
                t("11:00:00"),
                t("11:00:05"),
                None,
                t("11:00:40"),
                "abandoned",
            ),
        ],
        "bot_sessions": [
            {
                "bot_session_id": f"b{d}1",
                "customer_id": "c2",
                "channel": "chat",
                "started_at": t("09:58:00"),
                "ended_at": t("10:00:00"),
                "intent": "billing_question",
                "turns": "3",
                "outcome": "handoff",
                "handoff_contact_id": f"k{d}3",
                "kb_lookups": "1",
                "generative_ai": "true",
                "record_updated_at": t("10:00:00"),
            },
            {
                "bot_session_id": f"b{d}2",
                "customer_id": "c3",
                "channel": "messaging",
                "started_at": t("12:00:00"),
                "ended_at": t("12:03:00"),
                "intent": "password_reset",
                "turns": "4",
                "outcome": "resolved",
                "handoff_contact_id": None,
                "kb_lookups": "2",
                "generative_ai": "false",
                "record_updated_at": t("12:03:00"),
            },
        ],
        "surveys": [
            {
                "survey_id": f"s{d}1",
                "contact_id": f"k{d}2",
                "bot_session_id": None,
                "customer_id": "c1",
                "responded_at": t("09:30:00"),
                "csat_score": "5",
                "nps_score": "9",
            },
            {
                "survey_id": f"s{d}2",
                "contact_id": None,
                "bot_session_id": f"b{d}2",
                "customer_id": "c3",
                "responded_at": t("12:10:00"),
                "csat_score": "2",
                "nps_score": None,
            },
        ],
        "agent_states": [
            {
                "state_interval_id": f"st{d}1",
                "agent_id": "a1",
                "state": "available",
                "started_at": t("08:00:00"),
                "ended_at": t("09:00:00"),
            },
            {
                "state_interval_id": f"st{d}2",
                "agent_id": "a1",
                "state": "handling",
                "started_at": t("09:00:00"),
                "ended_at": t("09:05:00"),
            },
            {
                "state_interval_id": f"st{d}3",
                "agent_id": "a2",
                "state": "acw",
                "started_at": t("09:09:00"),
                "ended_at": t("09:10:00"),
            },
        ],
        "schedules": [
            {
                "schedule_id": f"sc{d}{i}",
                "agent_id": f"a{i}",
                "activity": "open",
                "starts_at": t("08:00:00"),
                "ends_at": t("16:00:00"),
            }
            for i in (1, 2)
        ],
        "qa_evaluations": [
            {
                "evaluation_id": f"q{d}1",
                "contact_id": f"k{d}1",
                "bot_session_id": None,
                "agent_id": "a1",
                "evaluated_at": t("15:00:00"),
                "score": "88.5",
                "fatal_errors": "0",
                "non_fatal_errors": "2",
            },
            {
                "evaluation_id": f"q{d}2",
                "contact_id": None,
                "bot_session_id": f"b{d}2",
                "agent_id": None,
                "evaluated_at": t("15:30:00"),
                "score": "70",
                "fatal_errors": "1",
                "non_fatal_errors": "0",
            },
        ],
        "kb_events": [
            {
                "kb_event_id": f"kb{d}1",
                "occurred_at": t("09:01:00"),
                "actor_type": "agent",
                "agent_id": "a1",
                "contact_id": f"k{d}1",
                "bot_session_id": None,
                "article_id": "art_12",
                "article_used": "true",
            },
            {
                "kb_event_id": f"kb{d}2",
                "occurred_at": t("12:01:00"),
                "actor_type": "bot",
                "agent_id": None,
                "contact_id": None,
                "bot_session_id": f"b{d}2",
                "article_id": None,
                "article_used": "false",
            },
        ],
        "ai_recommendations": [
            {
                "recommendation_id": f"r{d}1",
                "contact_id": f"k{d}3",
                "bot_session_id": None,
                "customer_id": "c2",
                "offered_at": t("10:05:00"),
                "product_code": "plan_plus",
                "accepted": "true",
                "revenue": "120.0",
            },
            {
                "recommendation_id": f"r{d}2",
                "contact_id": None,
                "bot_session_id": f"b{d}2",
                "customer_id": "c3",
                "offered_at": t("12:02:00"),
                "product_code": "addon_tv",
                "accepted": "false",
                "revenue": None,
            },
        ],
        "cost_lines": [
            {
                "cost_line_id": f"cl{d}1",
                "cost_date": day.isoformat(),
                "category": "telephony",
                "channel": "phone",
                "amount": "150.0",
            },
            {
                "cost_line_id": f"cl{d}2",
                "cost_date": day.isoformat(),
                "category": "other",
                "channel": None,
                "amount": "80.0",
            },
        ],
    }
    return {
        name: pd.DataFrame(
            records, columns=list(SOURCES_BY_NAME[name].column_names), dtype="object"
        )
        for name, records in rows.items()
    }


def _contact(
    contact_id: str,
    previous: str | None,
    method: str,
    channel: str,
    customer: str,
    agent: str | None,
    started: str,
    queued: str,
    connected: str | None,
    ended: str,
    disposition: str,
) -> dict[str, object]:
    answered = connected is not None
    return {
        "contact_id": contact_id,
        "initial_contact_id": previous,
        "previous_contact_id": previous,
        "related_contact_id": None,
        "initiation_method": method,
        "channel": channel,
        "customer_id": customer,
        "customer_phone": "+1 555 0101" if channel == "phone" else None,
        "customer_email": None if channel == "phone" else "someone@example.com",
        "queue_id": "billing",
        "contact_reason": "billing_question",
        "agent_id": agent,
        "started_at": started,
        "queued_at": queued,
        "connected_at": connected,
        "first_response_at": connected,
        "ended_at": ended,
        "talk_seconds": "200.0" if answered else None,
        "hold_seconds": "10.0" if answered else None,
        "acw_seconds": "30.0" if answered else None,
        "disposition": disposition,
        "ai_assisted": "false",
        "record_updated_at": ended,
    }


def write_day(
    landing: Path, frames: dict[str, pd.DataFrame], day: dt.date = DAY, fmt: str = "csv"
) -> dict[str, Path]:
    """Write one file per source; CSV keeps text as is, Parquet gets contract types."""
    written: dict[str, Path] = {}
    for name, frame in frames.items():
        folder = landing / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{day.isoformat()}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            typed_parquet(frame, name).to_parquet(path, index=False)
        written[name] = path
    return written


def typed_parquet(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    typed = frame.copy()
    for column in SOURCES_BY_NAME[name].columns:
        values = typed[column.name]
        if column.type == "timestamp":
            typed[column.name] = pd.to_datetime(values)
        elif column.type == "date":
            typed[column.name] = pd.to_datetime(values).dt.date
        elif column.type == "integer":
            typed[column.name] = pd.to_numeric(values).astype("Int64")
        elif column.type == "double":
            typed[column.name] = pd.to_numeric(values).astype("float64")
        elif column.type == "boolean":
            typed[column.name] = values.map({"true": True, "false": False}).astype("boolean")
        else:
            typed[column.name] = values.astype("string")
    return typed
