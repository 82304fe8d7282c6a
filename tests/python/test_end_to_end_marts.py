"""The generation 2-4, workforce and cost marts match an independent pandas recomputation
from the landing files (reference_experience.py), over the whole period and per day."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import BuiltCenter
from reference import latest_versions, read_landing
from reference_experience import (
    agent_state_days,
    bot_daily,
    cost_daily,
    kb_daily,
    satisfaction_daily,
    schedule_adherence,
)

RATE_TOLERANCE = 1e-9


def mart(built: BuiltCenter, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(built.db_path), read_only=True) as connection:
        frame = connection.sql(sql).df()
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame


def landing(built: BuiltCenter, source: str, key: str, version: str | None) -> pd.DataFrame:
    return latest_versions(read_landing(built.landing, source), key, version)


@pytest.fixture(scope="module")
def contacts(built_center: BuiltCenter) -> pd.DataFrame:
    return landing(built_center, "contacts", "contact_id", "record_updated_at")


@pytest.fixture(scope="module")
def bot_sessions(built_center: BuiltCenter) -> pd.DataFrame:
    return landing(built_center, "bot_sessions", "bot_session_id", "record_updated_at")


@pytest.fixture(scope="module")
def agent_states(built_center: BuiltCenter) -> pd.DataFrame:
    return landing(built_center, "agent_states", "state_interval_id", None)


def assert_counts_equal(
    actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str], columns: list[str]
) -> None:
    """Same key rows (rows with nothing to count on both sides dropped) and equal counts."""
    merged = actual.merge(
        expected, on=keys, how="outer", suffixes=("_mart", "_reference"), indicator=True
    )
    only = merged[merged["_merge"] != "both"]
    assert only.empty, f"rows on one side only:\n{only[[*keys, '_merge']].head(20)}"
    for column in columns:
        mart_values = merged[f"{column}_mart"].astype(float)
        reference_values = merged[f"{column}_reference"].astype(float)
        differs = (mart_values - reference_values).abs() > RATE_TOLERANCE * (
            1 + reference_values.abs()
        )
        shown = [*keys, f"{column}_mart", f"{column}_reference"]
        assert not differs.any(), f"{column} differs:\n{merged.loc[differs, shown].head(20)}"


def test_csat_and_nps_match_per_day_and_channel(built_center, contacts, bot_sessions):
    surveys = landing(built_center, "surveys", "survey_id", None)
    expected = satisfaction_daily(surveys, contacts, bot_sessions)
    actual = mart(
        built_center,
        """
        select reporting_date as date, channel, csat_responses, csat_satisfied_responses,
            nps_responses, nps_promoters, nps_passives, nps_detractors, csat, nps
        from marts.fct_satisfaction_daily
        """,
    )
    counts = [
        "csat_responses",
        "csat_satisfied_responses",
        "nps_responses",
        "nps_promoters",
        "nps_passives",
        "nps_detractors",
    ]
    assert expected["csat_responses"].sum() > 100
    assert_counts_equal(actual, expected, ["date", "channel"], counts)

    # The rates are the documented ratios of the counts, null on an empty denominator.
    with_csat = actual["csat_responses"] > 0
    assert actual.loc[~with_csat, "csat"].isna().all()
    assert actual.loc[with_csat, "csat"].to_numpy() == pytest.approx(
        (actual["csat_satisfied_responses"] / actual["csat_responses"])[with_csat].to_numpy(),
        abs=RATE_TOLERANCE,
    )
    with_nps = actual["nps_responses"] > 0
    assert actual.loc[~with_nps, "nps"].isna().all()
    assert actual.loc[with_nps, "nps"].to_numpy() == pytest.approx(
        (100 * (actual["nps_promoters"] - actual["nps_detractors"]) / actual["nps_responses"])[
            with_nps
        ].to_numpy(),
        abs=1e-7,
    )

    totals = expected[counts].sum()
    actual_totals = mart(
        built_center,
        """
        select sum(csat_satisfied_responses) / sum(csat_responses) as csat,
            100 * (sum(nps_promoters) - sum(nps_detractors)) / sum(nps_responses) as nps
        from marts.fct_satisfaction_daily
        """,
    ).iloc[0]
    expected_csat = totals["csat_satisfied_responses"] / totals["csat_responses"]
    expected_nps = (
        100 * (totals["nps_promoters"] - totals["nps_detractors"]) / totals["nps_responses"]
    )
    assert actual_totals["csat"] == pytest.approx(expected_csat, abs=RATE_TOLERANCE)
    assert actual_totals["nps"] == pytest.approx(expected_nps, abs=1e-7)
    # A plausible center: ratings spread over the scale.
    assert 0.3 < expected_csat < 0.98
    assert -100 < expected_nps < 100


def test_bot_resolution_and_handoff_match_per_day_and_channel(built_center, contacts, bot_sessions):
    expected = bot_daily(contacts, bot_sessions)
    actual = mart(
        built_center,
        """
        select reporting_date as date, channel, bot_sessions, bot_handoffs,
            bot_resolution_eligible, bot_resolutions, bot_resolution_rate, bot_handoff_rate
        from marts.fct_bot_daily
        """,
    )
    assert_counts_equal(
        actual,
        expected,
        ["date", "channel"],
        ["bot_sessions", "bot_handoffs", "bot_resolution_eligible", "bot_resolutions"],
    )
    totals = expected[
        ["bot_sessions", "bot_handoffs", "bot_resolution_eligible", "bot_resolutions"]
    ].sum()
    # Censoring removed the sessions near the end of the data, and only those.
    assert (
        0 < totals["bot_sessions"] - totals["bot_resolution_eligible"] < totals["bot_sessions"] / 5
    )
    actual_totals = mart(
        built_center,
        """
        select sum(bot_resolutions) / sum(bot_resolution_eligible) as bot_resolution_rate,
            sum(bot_handoffs) / sum(bot_sessions) as bot_handoff_rate
        from marts.fct_bot_daily
        """,
    ).iloc[0]
    expected_rate = totals["bot_resolutions"] / totals["bot_resolution_eligible"]
    assert actual_totals["bot_resolution_rate"] == pytest.approx(expected_rate, abs=RATE_TOLERANCE)
    assert actual_totals["bot_handoff_rate"] == pytest.approx(
        totals["bot_handoffs"] / totals["bot_sessions"], abs=RATE_TOLERANCE
    )
    assert 0.1 < expected_rate < 0.95


def test_kb_hit_rate_matches_per_day_and_actor(built_center):
    kb_events = landing(built_center, "kb_events", "kb_event_id", None)
    expected = kb_daily(kb_events)
    # The mart splits by channel too; the day and actor are what the reference attributes.
    actual = mart(
        built_center,
        """
        select reporting_date as date, actor_type, sum(lookups) as lookups,
            sum(kb_hits) as kb_hits
        from marts.fct_kb_daily
        group by all
        """,
    )
    assert_counts_equal(actual, expected, ["date", "actor_type"], ["lookups", "kb_hits"])
    assert set(expected["actor_type"]) == {"agent", "bot"}
    totals = expected[["lookups", "kb_hits"]].sum()
    actual_rate = mart(
        built_center, "select sum(kb_hits) / sum(lookups) as rate from marts.fct_kb_daily"
    ).iloc[0]["rate"]
    assert actual_rate == pytest.approx(totals["kb_hits"] / totals["lookups"], abs=RATE_TOLERANCE)
    assert 0.1 < totals["kb_hits"] / totals["lookups"] < 0.95


def test_schedule_adherence_matches_per_agent_and_day(built_center, agent_states):
    schedules = landing(built_center, "schedules", "schedule_id", None)
    expected = schedule_adherence(schedules, agent_states)
    expected["scheduled_minutes"] = expected["scheduled_seconds"] / 60
    expected["adherent_minutes"] = expected["adherent_seconds"] / 60
    actual = mart(
        built_center,
        """
        select agent_id, reporting_date as date, scheduled_minutes, adherent_minutes,
            schedule_adherence
        from marts.fct_schedule_adherence
        """,
    )
    assert len(expected) > 50
    assert_counts_equal(
        actual, expected, ["agent_id", "date"], ["scheduled_minutes", "adherent_minutes"]
    )
    scheduled = actual["scheduled_minutes"] > 0
    assert actual.loc[scheduled, "schedule_adherence"].to_numpy() == pytest.approx(
        (actual["adherent_minutes"] / actual["scheduled_minutes"])[scheduled].to_numpy(),
        abs=RATE_TOLERANCE,
    )
    overall = expected["adherent_seconds"].sum() / expected["scheduled_seconds"].sum()
    actual_overall = mart(
        built_center,
        "select sum(adherent_minutes) / sum(scheduled_minutes) as rate "
        "from marts.fct_schedule_adherence",
    ).iloc[0]["rate"]
    assert actual_overall == pytest.approx(overall, abs=RATE_TOLERANCE)
    assert 0.5 < overall < 1


def test_occupancy_matches_per_agent_and_day(built_center, agent_states):
    expected = agent_state_days(agent_states)
    actual = mart(
        built_center,
        """
        select agent_id, reporting_date as date, handling_seconds, available_seconds,
            paid_seconds, occupancy
        from marts.fct_agent_occupancy
        where paid_seconds > 0
        """,
    )
    assert_counts_equal(
        actual,
        expected,
        ["agent_id", "date"],
        ["handling_seconds", "available_seconds", "paid_seconds"],
    )
    denominator = actual["handling_seconds"] + actual["available_seconds"]
    assert actual.loc[denominator > 0, "occupancy"].to_numpy() == pytest.approx(
        (actual["handling_seconds"] / denominator)[denominator > 0].to_numpy(),
        abs=RATE_TOLERANCE,
    )
    totals = expected[["handling_seconds", "available_seconds"]].sum()
    overall = totals["handling_seconds"] / totals.sum()
    actual_overall = mart(
        built_center,
        "select sum(handling_seconds) / sum(occupied_or_available_seconds) as rate "
        "from marts.fct_agent_occupancy",
    ).iloc[0]["rate"]
    assert actual_overall == pytest.approx(overall, abs=RATE_TOLERANCE)
    assert 0.3 < overall < 1


def compare_costs(
    built: BuiltCenter,
    contacts: pd.DataFrame,
    bot_sessions: pd.DataFrame,
    agent_states: pd.DataFrame,
) -> pd.DataFrame:
    """fct_cost_daily beside the reference, one row per day."""
    expected = cost_daily(
        contacts,
        bot_sessions,
        landing(built, "agents", "agent_id", "record_updated_at"),
        agent_states,
        landing(built, "cost_lines", "cost_line_id", None),
    )
    actual = mart(
        built,
        """
        select reporting_date as date, labor_cost, total_cost, contacts, customers_served,
            human_resolved_issues, bot_resolved_issues, resolved_issues, cost_per_resolution
        from marts.fct_cost_daily
        """,
    )
    return actual.merge(expected, on="date", how="outer", suffixes=("_mart", "_reference"))


@pytest.fixture(scope="module")
def cost_comparison(built_center, contacts, bot_sessions, agent_states) -> pd.DataFrame:
    return compare_costs(built_center, contacts, bot_sessions, agent_states)


def test_total_cost_contacts_and_human_resolutions_match_per_day(cost_comparison):
    assert len(cost_comparison) >= 10
    for column in ("labor_cost", "total_cost"):
        assert cost_comparison[f"{column}_mart"].to_numpy() == pytest.approx(
            cost_comparison[f"{column}_reference"].to_numpy(), rel=RATE_TOLERANCE
        ), column
    for column in ("contacts", "customers_served", "human_resolved_issues"):
        assert (
            cost_comparison[f"{column}_mart"].tolist()
            == cost_comparison[f"{column}_reference"].tolist()
        ), column


def test_cost_per_resolution_counts_bot_resolutions_per_day(cost_comparison):
    """METRICS.md: resolved issues are first-contact-resolved contacts and bot resolutions,
    bot resolutions being the numerator of bot_resolution_rate (no handoff, no repeat)."""
    for column in ("bot_resolved_issues", "resolved_issues"):
        assert (
            cost_comparison[f"{column}_mart"].tolist()
            == cost_comparison[f"{column}_reference"].tolist()
        ), column
    with_resolutions = cost_comparison["resolved_issues_reference"] > 0
    expected = (
        cost_comparison["total_cost_reference"] / cost_comparison["resolved_issues_reference"]
    )[with_resolutions]
    assert cost_comparison.loc[with_resolutions, "cost_per_resolution"].to_numpy() == (
        pytest.approx(expected.to_numpy(), rel=RATE_TOLERANCE)
    )
    assert cost_comparison.loc[~with_resolutions, "cost_per_resolution"].isna().all()
    period = cost_comparison[["total_cost_reference", "resolved_issues_reference"]].sum()
    mart_period = cost_comparison[["total_cost_mart", "resolved_issues_mart"]].sum()
    assert mart_period["total_cost_mart"] / mart_period["resolved_issues_mart"] == (
        pytest.approx(
            period["total_cost_reference"] / period["resolved_issues_reference"], rel=RATE_TOLERANCE
        )
    )
