"""Reference Erlang C, checked against published and worked staffing values.

The dbt macro `ccm_erlang_c_evaluate` computes Erlang B from Poisson terms over a numbers
spine (portable SQL has no loops); this module computes it the other way, with the stable
recurrence of METRICS.md, cross-checks it against the Poisson closed form from scipy and
pins the values that the dbt unit tests and singular tests also assert. Self-contained: no
warehouse needed.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability by the recurrence inv = 1 + inv * n / A."""
    inverse = 1.0
    for n in range(1, agents + 1):
        inverse = 1.0 + inverse * n / traffic
    return 1.0 / inverse


def erlang_b_poisson(traffic: float, agents: int) -> float:
    """Blocking probability as pmf(N) / cdf(N) of a Poisson(A): what the SQL computes."""
    return float(stats.poisson.pmf(agents, traffic) / stats.poisson.cdf(agents, traffic))


def wait_probability(traffic: float, agents: int) -> float:
    blocking = erlang_b(traffic, agents)
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def service_level(traffic: float, agents: int, threshold: float, aht: float) -> float:
    return 1.0 - wait_probability(traffic, agents) * math.exp(-(agents - traffic) * threshold / aht)


def average_speed_of_answer(traffic: float, agents: int, aht: float) -> float:
    return wait_probability(traffic, agents) * aht / (agents - traffic)


def required_agents(traffic: float, threshold: float, aht: float, target: float) -> int:
    agents = math.floor(traffic) + 1
    while service_level(traffic, agents, threshold, aht) < target:
        agents += 1
    return agents


def traffic_erlangs(arrivals: int, aht: float, interval_seconds: float) -> float:
    return arrivals * aht / interval_seconds


def test_metrics_md_check_value() -> None:
    # METRICS.md: 360 calls in 30 min at AHT 240 s is A = 48; N = 55, t = 15 s.
    traffic = traffic_erlangs(360, 240.0, 1800.0)
    assert traffic == 48.0
    assert wait_probability(traffic, 55) == pytest.approx(0.239, abs=5e-4)
    assert service_level(traffic, 55, 15.0, 240.0) == pytest.approx(0.846, abs=5e-4)
    assert average_speed_of_answer(traffic, 55, 240.0) == pytest.approx(8.2, abs=0.05)


def test_published_worked_example() -> None:
    # The widely reproduced Call Centre Helper worked example ("Erlang C formula - made
    # simple"): 100 calls in 30 min, AHT 180 s (A = 10 Erlangs), 11 agents:
    # Pw 68.21 %, service level 39.0 % at 20 s, ASA 122.8 s; 14 agents meet 80/20.
    traffic = traffic_erlangs(100, 180.0, 1800.0)
    assert wait_probability(traffic, 11) == pytest.approx(0.6821, abs=5e-5)
    assert service_level(traffic, 11, 20.0, 180.0) == pytest.approx(0.390, abs=5e-4)
    assert average_speed_of_answer(traffic, 11, 180.0) == pytest.approx(122.8, abs=0.05)
    assert service_level(traffic, 13, 20.0, 180.0) == pytest.approx(0.7956, abs=5e-4)
    assert required_agents(traffic, 20.0, 180.0, 0.80) == 14


@pytest.mark.parametrize(
    ("traffic", "threshold", "aht", "target", "expected"),
    [
        # Values the dbt unit tests of int_queue_intervals_agents_required assert.
        (48.0, 15.0, 240.0, 0.80, 55),
        (48.0, 20.0, 240.0, 0.80, 54),
        (10.0, 20.0, 180.0, 0.80, 14),
        (0.5, 20.0, 300.0, 0.80, 2),
        (2.0 / 15.0, 20.0, 240.0, 0.80, 1),
    ],
)
def test_required_agents(
    traffic: float, threshold: float, aht: float, target: float, expected: int
) -> None:
    assert required_agents(traffic, threshold, aht, target) == expected


@pytest.mark.parametrize("traffic", [0.2, 1.0, 10.0, 48.0, 150.0, 600.0])
def test_recurrence_matches_poisson_closed_form(traffic: float) -> None:
    for agents in range(math.floor(traffic) + 1, math.floor(traffic) + 30):
        assert erlang_b(traffic, agents) == pytest.approx(
            erlang_b_poisson(traffic, agents), rel=1e-9
        )
