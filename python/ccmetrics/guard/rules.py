"""What every landing source must satisfy beyond its contract: the reviewable rule book.

The contract (`ccmetrics.contract`) gives columns, types, keys, enums and references; this
module adds the plausibility bounds, the timestamp orders and the batch policies. `suites`
turns both into Great Expectations suites. Plain data, no Great Expectations import.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from ccmetrics.contract import ALL_SOURCES, Source
from ccmetrics.contract_schema import (
    Bound,
    Order,
    SetWithoutWarning,
    SourceRules,
    Span,
)
from ccmetrics.native import NATIVE_SOURCES

LANDING_LOAD_ORDER: tuple[str, ...] = (
    "customers",
    "agents",
    "contacts",
    "bot_sessions",
    "surveys",
    "agent_states",
    "schedules",
    "qa_evaluations",
    "kb_events",
    "ai_recommendations",
    "cost_lines",
)
"""Referenced sources first, so that a reference can be checked against what is loaded. A
native format that delivers an entity's records (`Source.provides`) loads right before that
entity's landing source (a landing contact may follow up a Connect contact; native records
reference nothing the guard checks); the other native formats load last."""


def _load_order() -> tuple[str, ...]:
    order: list[str] = []
    for name in LANDING_LOAD_ORDER:
        order += [
            native.name
            for native in NATIVE_SOURCES
            if native.provides and native.provides[0].entity == name
        ]
        order.append(name)
    return (*order, *(native.name for native in NATIVE_SOURCES if native.name not in order))


LOAD_ORDER: tuple[str, ...] = _load_order()

PLAIN_TEXT_REGEX = r"^[A-Za-z0-9][A-Za-z0-9 _./:#\-]*$"
"""Ids and codes: letters, digits and a few separators. Rejects quotes, semicolons, `=`, `|`,
so that SQL or spreadsheet-formula payloads (`'; drop table`, `=cmd|`) never pass as an id."""
PLAIN_TEXT_ALLOWED = "letters, digits, space and _ . / : # - only"
EMAIL_REGEX = r"^[^\s@'\";=|<>(),]+@[^\s@'\";=|<>(),]+\.[^\s@'\";=|<>(),]+$"
PHONE_REGEX = r"^\+?[0-9][0-9 ()./\-]*$"

HOUR = 3600.0
DAY = 24 * HOUR


VOLUME_SAME_WEEKDAYS = 4
"""The volume check compares a day with the same weekday of the last 4 weeks: a bank that
closes early on Friday and opens late on Saturday has small Saturdays, every week."""
VOLUME_MIN_HISTORY = 2
"""Accepted same-weekday batches needed before the volume check applies."""
VOLUME_BAND = 5.0
"""Default `--volume-band`: a batch outside [median / 5, median x 5] of those days is rejected
(ten times the usual size, or a collapse to a fifth)."""
CLOCK_SKEW_SECONDS = 5.0
"""Default `--clock-skew-seconds`: how far one system's clock may run behind another's."""
CLOCK_SKEW_ENV = "CCMETRICS_CLOCK_SKEW_SECONDS"


def default_clock_skew() -> float:
    configured = os.environ.get(CLOCK_SKEW_ENV)
    if not configured:
        return CLOCK_SKEW_SECONDS
    try:
        seconds = float(configured)
    except ValueError:
        raise ValueError(
            f"{CLOCK_SKEW_ENV} must be a number of seconds, got {configured!r}"
        ) from None
    if not seconds >= 0:
        raise ValueError(f"{CLOCK_SKEW_ENV} must be 0 or more, got {configured!r}")
    return seconds


@dataclass(frozen=True)
class GuardSettings:
    """The guard's run parameters (`ccmetrics check` and `ccmetrics load` options)."""

    clock_skew_seconds: float = field(default_factory=default_clock_skew)
    """Order violations up to this many seconds are clamped, not quarantined."""
    volume_band: float = VOLUME_BAND
    accepted_volume_days: frozenset[dt.date] = frozenset()
    """Days whose volume the user accepted explicitly (`--accept-volume`)."""

    def __post_init__(self) -> None:
        if not self.clock_skew_seconds >= 0:
            raise ValueError(f"clock skew must be 0 or more seconds, got {self.clock_skew_seconds}")
        if not self.volume_band > 1:
            raise ValueError(f"the volume band must be more than 1, got {self.volume_band}")


RULES: dict[str, SourceRules] = {
    "contacts": SourceRules(
        bounds=(
            Bound("talk_seconds", 0, 8 * HOUR, "talk time is at most one 8-hour shift"),
            Bound("hold_seconds", 0, 8 * HOUR, "hold time is at most one 8-hour shift"),
            Bound("acw_seconds", 0, 4 * HOUR, "after-contact work is at most 4 hours"),
        ),
        orders=(
            Order("started_at", "queued_at"),
            Order("queued_at", "connected_at"),
            Order("started_at", "connected_at"),
            Order("started_at", "first_response_at"),
            Order("connected_at", "ended_at"),
            Order("queued_at", "ended_at"),
            Order("started_at", "ended_at"),
            Order("started_at", "record_updated_at"),
        ),
        # E-mail contacts stay open for days; a segment open for a month is a broken clock.
        span=Span("started_at", "ended_at", 14 * DAY),
        warnings=(
            SetWithoutWarning(
                "connected_at",
                "queued_at",
                "answered contacts have no queued_at: counted as offered with a zero wait "
                "(routed directly to an agent)",
                # The center's own outbound calls never queue and are never offered.
                unless=("initiation_method", ("outbound",)),
            ),
        ),
    ),
    "bot_sessions": SourceRules(
        bounds=(
            Bound("turns", 0, 500, "a conversation has at most 500 customer turns"),
            Bound("kb_lookups", 0, 500, "a conversation makes at most 500 look-ups"),
        ),
        orders=(Order("started_at", "ended_at"), Order("started_at", "record_updated_at")),
        span=Span("started_at", "ended_at", DAY),
    ),
    "surveys": SourceRules(
        bounds=(
            Bound("csat_score", 1, 5, "CSAT is on a 1-5 scale"),
            Bound("nps_score", 0, 10, "NPS likelihood is on a 0-10 scale"),
        ),
        exactly_one_of=("contact_id", "bot_session_id"),
        rated_after_contact=True,
    ),
    "customers": SourceRules(
        orders=(Order("created_at", "churned_at"), Order("created_at", "record_updated_at")),
        daily_volume=False,
        upsert=True,
    ),
    "agents": SourceRules(
        bounds=(Bound("hourly_cost", 0, 1000, "loaded hourly cost is between 0 and 1000"),),
        orders=(Order("hire_date", "leave_date"),),
        daily_volume=False,
        upsert=True,
    ),
    "agent_states": SourceRules(
        orders=(Order("started_at", "ended_at"),),
        span=Span("started_at", "ended_at", DAY),
    ),
    "schedules": SourceRules(
        orders=(Order("starts_at", "ends_at"),),
        span=Span("starts_at", "ends_at", DAY),
    ),
    "qa_evaluations": SourceRules(
        bounds=(
            Bound("score", 0, 100, "QA scores are 0-100"),
            Bound("fatal_errors", 0, 100, "error counts are non-negative"),
            Bound("non_fatal_errors", 0, 100, "error counts are non-negative"),
        ),
        exactly_one_of=("contact_id", "bot_session_id"),
    ),
    "kb_events": SourceRules(),
    "ai_recommendations": SourceRules(
        bounds=(Bound("revenue", 0, 1_000_000, "revenue of one purchase is 0-1,000,000"),),
    ),
    "cost_lines": SourceRules(
        bounds=(Bound("amount", 0, 10_000_000, "a daily cost line is 0-10,000,000"),),
    ),
}


def rules_for(source: Source) -> SourceRules:
    return source.rules if source.rules is not None else RULES[source.name]


def check_rules_cover_contract() -> None:
    """Fail fast when a source is added to the contract without rules."""
    missing = {s.name for s in ALL_SOURCES if s.rules is None} - set(RULES)
    unordered = {s.name for s in ALL_SOURCES} - set(LOAD_ORDER)
    if missing or unordered:
        raise RuntimeError(f"guard rules missing for {sorted(missing | unordered)}")
