"""A planted FCR problem is traced by fct_metric_drilldown to the team, week and agents that
caused it, and flagged nowhere else.

The generator plants it with `--plant-fcr-problem voice_b:<Monday>`: for 7 days the team's
handled contacts are never resolved and 60% come back after about 40 minutes, so the team's
default-window FCR falls from about 0.9 to about 0.45 for exactly one Monday-to-Sunday week.
The center has two full weeks: a clean one, then the planted one (so the center's weekly
baseline, its own previous weeks, is clean).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BIN, BuiltCenter, dbt, dbt_env, load, run
from reference import read_landing

PLANTED_TEAM = "voice_b"
PLANTED_QUEUE = "tech_support"
CLEAN_WEEK = "2026-10-05"
PLANTED_WEEK = "2026-10-12"
PLANTED_DAYS = [str(day.date()) for day in pd.date_range(PLANTED_WEEK, periods=7)]
DAYS = 14
SCALE = 0.2
SEED = 5
# Only what the drill-down reads (and the customers its sources reference) is loaded and
# built, to keep the test short.
DRILLDOWN_SOURCES = (
    "contacts",
    "bot_sessions",
    "surveys",
    "agents",
    "agent_states",
    "customers",
)


@pytest.fixture(scope="module")
def planted_center(tmp_path_factory: pytest.TempPathFactory) -> BuiltCenter:
    work = tmp_path_factory.mktemp("planted")
    landing = work / "landing"
    db_path = work / "planted.duckdb"
    env = dbt_env(db_path, work)
    run(
        [
            str(BIN / "ccmetrics"),
            "generate",
            "--out",
            str(landing),
            "--start",
            CLEAN_WEEK,
            "--days",
            str(DAYS),
            "--scale",
            str(SCALE),
            "--seed",
            str(SEED),
            "--quiet",
            "--plant-fcr-problem",
            f"{PLANTED_TEAM}:{PLANTED_WEEK}",
        ],
        env,
    )
    load(landing, db_path, env, *[arg for s in DRILLDOWN_SOURCES for arg in ("--source", s)])
    dbt(env, "run", "--select", "+fct_metric_drilldown")
    return BuiltCenter(landing=landing, db_path=db_path, env=env)


def fcr_rows(db_path: Path, grain: str, level: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        frame = connection.execute(
            """
            select cast(period_start as varchar) as period_start, member_id, numerator,
                denominator, metric_value, center_value, lower_control_limit,
                coalesce(is_flagged_low, false) as is_flagged_low,
                coalesce(is_flagged_high, false) as is_flagged_high
            from marts.fct_metric_drilldown
            where metric_name = 'fcr_rate' and period_grain = ? and drilldown_level = ?
            order by period_start, member_id
            """,
            [grain, level],
        ).df()
    return frame


def agent_teams(db_path: Path) -> dict[str, str]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rows = connection.sql("select agent_id, team_id from staging.stg_wfm__agents").fetchall()
    return dict(rows)


def flagged_low(frame: pd.DataFrame) -> set[tuple[str, str]]:
    low = frame[frame["is_flagged_low"]]
    return set(zip(low["period_start"], low["member_id"], strict=True))


def test_weekly_team_flag_lands_on_the_planted_team_and_week(planted_center):
    teams = fcr_rows(planted_center.db_path, "week", "team")
    planted = teams.set_index(["period_start", "member_id"]).loc[(PLANTED_WEEK, PLANTED_TEAM)]
    # The effect is large and the team is flagged low against the center of the same week.
    assert planted["metric_value"] < 0.6
    assert planted["metric_value"] < planted["center_value"] - 0.2
    assert planted["is_flagged_low"]
    # No other team is flagged low in any week: the drop is traced to one team only.
    other_teams = teams[teams["member_id"] != PLANTED_TEAM]
    assert set(other_teams["member_id"]) == {"voice_a", "voice_c", "digital"}
    assert flagged_low(other_teams) == set()


def test_daily_team_flags_cover_exactly_the_planted_days(planted_center):
    teams = fcr_rows(planted_center.db_path, "day", "team")
    assert flagged_low(teams) == {(day, PLANTED_TEAM) for day in PLANTED_DAYS}


def test_center_flags_the_planted_week_and_the_first_planted_day(planted_center):
    """The center is judged against its own previous periods (pooled). The clean week is its
    baseline for the planted week. At daily grain the trailing 4 days start to include
    planted days from the second day on, so the center flag fades within the week and
    only the team level keeps the problem in sight (asserted: the first day only)."""
    weeks = fcr_rows(planted_center.db_path, "week", "center")
    assert flagged_low(weeks) == {(PLANTED_WEEK, "center")}
    days = fcr_rows(planted_center.db_path, "day", "center")
    assert (PLANTED_DAYS[0], "center") in flagged_low(days)
    clean_days = days[days["period_start"] < PLANTED_WEEK]
    assert flagged_low(clean_days) == set()


def test_weekly_agent_flags_in_the_planted_week_are_the_planted_teams_agents(planted_center):
    team_of = agent_teams(planted_center.db_path)
    agents = fcr_rows(planted_center.db_path, "week", "agent")
    week = agents[agents["period_start"] == PLANTED_WEEK]
    team_agents = week[week["member_id"].map(team_of) == PLANTED_TEAM]
    assert len(team_agents) >= 5
    # Every agent of the team drags (the problem is the team's, not one agent's) ...
    assert team_agents["is_flagged_low"].mean() >= 0.8
    # ... and no agent of another team is flagged low that week.
    others = week[week["member_id"].map(team_of) != PLANTED_TEAM]
    assert flagged_low(others) == set()


def test_weekly_reason_flags_in_the_planted_week_are_reasons_the_team_serves(planted_center):
    contacts = read_landing(planted_center.landing, "contacts")
    queued = contacts[contacts["queue_id"].notna()]
    # The reasons the team mainly serves: most of their queued contacts are in its queue
    # (a few of every reason reach it through transfers and callbacks).
    queue_share = queued["queue_id"].eq(PLANTED_QUEUE).groupby(queued["contact_reason"]).mean()
    team_reasons = set(queue_share[queue_share > 0.5].index)
    assert 0 < len(team_reasons) < len(queue_share)
    reasons = fcr_rows(planted_center.db_path, "week", "contact_reason")
    week = reasons[reasons["period_start"] == PLANTED_WEEK]
    low = {member for _, member in flagged_low(week)}
    assert low, "no reason flagged in the planted week"
    assert low <= team_reasons


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known limitation, reported to the lead: members are compared with the center of the "
        "same period, so a team whose contact reasons resolve less often by design (voice_b: "
        "FCR 0.914 vs center 0.944 over 1115 chains in the clean week, 3-sigma band +-0.021) "
        "is flagged low in a week without any problem; strict, so a fix shows up"
    ),
)
def test_weekly_team_flag_is_absent_in_the_clean_week(planted_center):
    teams = fcr_rows(planted_center.db_path, "week", "team")
    clean = teams[teams["period_start"] == CLEAN_WEEK]
    assert len(clean) == 4
    assert flagged_low(clean) == set()
