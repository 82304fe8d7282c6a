"""Erlang C, used to size the schedules the way a workforce planner would."""

from __future__ import annotations

import math


def service_level(traffic: float, agents: int, threshold: float, handle_seconds: float) -> float:
    """Share of contacts answered within `threshold` seconds with `agents` servers."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    inverse_blocking = 1.0
    for n in range(1, agents + 1):
        inverse_blocking = 1.0 + inverse_blocking * n / traffic
    blocking = 1.0 / inverse_blocking
    wait_probability = agents * blocking / (agents - traffic * (1.0 - blocking))
    return 1.0 - wait_probability * math.exp(-(agents - traffic) * threshold / handle_seconds)


def required_agents(
    arrivals: float, handle_seconds: float, interval_seconds: float, threshold: float, target: float
) -> int:
    """Fewest agents that reach `target` service level within `threshold` seconds."""
    if arrivals <= 0:
        return 0
    traffic = arrivals * handle_seconds / interval_seconds
    agents = max(1, math.floor(traffic) + 1)
    while service_level(traffic, agents, threshold, handle_seconds) < target:
        agents += 1
    return agents
