"""On a generated center with no planted fault, fct_metric_drilldown flags about as many
member-days as its limits promise.

Limits at 3 sigma, two-sided, have a nominal false-alarm rate of 0.27 % of judged rows when the
sigma is right. The plain p-, X-bar and u-charts took the sigma of a single member's sampling
noise and ignored that members differ by more than that (agents' speed, teams' channels, day to
day swings), so on this month they flagged 5.5 % of agent-days on AHT and 17 % on cost per
resolution, and 69 % of team-days on service level. The Laney p'/u' limits inflate the sigma by
the dispersion of the members' z-scores over the baseline window.

Tolerance: at most 2 % of the judged member-days (about 7 times the nominal rate; the normal
approximation is coarse for agents with a dozen chains at an FCR near 0.95), per metric at
agent level (about 490 agent-days each) and over the five metrics pooled at team level: a
team-level metric has about 80 judged team-days, where one flag is 1.25 % and a second one
2.5 %, so a per-metric share cannot tell 0.27 % from 2 %; pooled, the 390 team-days can.

Flagged share of judged member-days on this month (seed 5), with days judged against the
previous days of their type: (a) types weekday / Saturday / Sunday, any number of baseline
days; (b) Monday a type of its own and at least 2 baseline days (var
drilldown_min_baseline_days), the rule in force:

    metric               agent (a) -> (b)                   team (a) -> (b)
    fcr_rate             0.33 % (2/599) -> 0.20 % (1/491)   0.00 % (0/96) -> 0.00 % (0/78)
    service_level        (no agent level)                   1.00 % (1/100) -> 1.25 % (1/80)
    aht                  1.17 % (7/599) -> 0.81 % (4/491)   1.04 % (1/96) -> 0.00 % (0/78)
    csat                 0.18 % (1/559) -> 0.00 % (0/453)   1.01 % (1/99) -> 2.53 % (2/79)
    cost_per_resolution  1.50 % (9/599) -> 0.61 % (3/491)   3.13 % (3/96) -> 0.00 % (0/78)
    team, pooled                                            1.23 % (6/487) -> 0.76 % (3/393)

(a) flagged the digital team's Mondays on cost per resolution (Monday clears the weekend's
written backlog: 40 % more resolutions at the same labor) and the second Saturday judged against
the first alone. (b) was chosen for those reasons on this seed and then measured once on three
seeds it was not chosen on (6, 7, 8; not run here): pooled agent-days 1.24 / 1.18 / 0.97 % ->
0.57 / 0.98 / 0.67 %, pooled team-days 1.46 / 2.50 / 1.05 % -> 0.77 / 1.03 / 0.26 %. Fewer
member-days are judged: the first two days of each type have no limits.
"""

from __future__ import annotations

import duckdb
import pytest
from conftest import BuiltCenter, dbt, dbt_env, generate, load

START = "2026-10-05"
DAYS = 28
SCALE = 0.2
SEED = 5
NOMINAL_RATE = 0.0027
TOLERANCE = 0.02
DRILLDOWN_SOURCES = (
    "contacts",
    "bot_sessions",
    "surveys",
    "agents",
    "agent_states",
    "customers",
)
METRICS = ("fcr_rate", "service_level", "aht", "csat", "cost_per_resolution")
AGENT_METRICS = tuple(metric for metric in METRICS if metric != "service_level")


@pytest.fixture(scope="module")
def clean_center(tmp_path_factory: pytest.TempPathFactory) -> BuiltCenter:
    work = tmp_path_factory.mktemp("clean_month")
    landing = work / "landing"
    db_path = work / "clean.duckdb"
    env = dbt_env(db_path, work)
    generate(landing, env, "--start", START, days=DAYS, scale=SCALE, seed=SEED)
    load(landing, db_path, env, *[arg for s in DRILLDOWN_SOURCES for arg in ("--source", s)])
    dbt(env, "run", "--select", "+fct_metric_drilldown")
    return BuiltCenter(landing=landing, db_path=db_path, env=env)


def daily_flags(center: BuiltCenter, metric: str, level: str) -> tuple[int, int]:
    """Judged member-days (complete days with limits) and how many of them are flagged."""
    with duckdb.connect(str(center.db_path), read_only=True) as connection:
        judged, flagged = connection.execute(
            """
            select count(*), count(*) filter (where is_flagged_low or is_flagged_high)
            from marts.fct_metric_drilldown
            where metric_name = ? and drilldown_level = ? and period_grain = 'day'
                and is_flagged_low is not null
            """,
            [metric, level],
        ).fetchone()
    return judged, flagged


@pytest.mark.parametrize("metric", AGENT_METRICS)
def test_flagged_share_of_agent_days_is_near_the_nominal_rate(
    clean_center: BuiltCenter, metric: str
) -> None:
    judged, flagged = daily_flags(clean_center, metric, "agent")
    # Agents are judged on most of their working days of the month.
    assert judged >= 400
    assert flagged / judged <= TOLERANCE, f"{flagged} of {judged} agent-days flagged"


def test_flagged_share_of_team_days_is_near_the_nominal_rate(clean_center: BuiltCenter) -> None:
    judged_per_metric = {}
    flagged_total = 0
    for metric in METRICS:
        judged, flagged = daily_flags(clean_center, metric, "team")
        judged_per_metric[metric] = judged
        flagged_total += flagged
    # Four teams on the 20 days of the month that have 2 earlier days of their type; a team
    # that does not work Sundays has fewer.
    assert min(judged_per_metric.values()) >= 70, judged_per_metric
    judged_total = sum(judged_per_metric.values())
    assert flagged_total / judged_total <= TOLERANCE, (
        f"{flagged_total} of {judged_total} team-days flagged"
    )


def test_dispersion_factor_is_published_and_at_least_one(clean_center: BuiltCenter) -> None:
    with duckdb.connect(str(clean_center.db_path), read_only=True) as connection:
        rows = connection.execute(
            """
            select count(*) filter (where lower_control_limit is not null),
                count(*) filter (where lower_control_limit is not null
                    and dispersion_factor is null),
                min(dispersion_factor),
                max(dispersion_factor) filter (where metric_name = 'aht'
                    and drilldown_level = 'agent')
            from marts.fct_metric_drilldown
            """
        ).fetchone()
    with_limits, without_factor, smallest, aht_agents = rows
    assert with_limits > 0
    assert without_factor == 0
    assert smallest >= 1
    # Agents differ in speed by more than chance: their AHT limits are widened.
    assert aht_agents > 1.2
    assert NOMINAL_RATE < TOLERANCE
