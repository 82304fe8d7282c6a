"""Workforce planning: forecast load per interval, Erlang C requirement, shifts, adherence.

Planned shifts are sized from the *forecast* (not from the sampled arrivals), then cut by
the staffing factor; agents then follow them with adherence noise. The actual open
periods are what the queue simulation uses as servers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ccmetrics.generator import catalog
from ccmetrics.generator.arrivals import expected_entries
from ccmetrics.generator.erlang import required_agents
from ccmetrics.generator.people import Agent

INTERVAL_SECONDS = 1800
INTERVALS_PER_DAY = 48
FIRST_OPEN = catalog.OPEN_HOUR * 2
LAST_OPEN = catalog.CLOSE_HOUR * 2 - 1
FOLLOW_UP_UPLIFT = 1.2
"""Repeats, retries, callbacks, transfers and bot handoffs on top of first contacts."""
MISPLAN_PROBABILITY = 0.15
"""Share of intervals where the plan is off by one agent (as real plans are)."""

POOL_OF_QUEUE: dict[str, str] = {
    "billing": "billing",
    "tech_support": "tech_support",
    "sales": "sales",
    "chat": "chat",
    "messaging": "messaging",
    "social": "messaging",
    "email": "email",
}


@dataclass(frozen=True)
class Shift:
    team_id: str
    mode: str
    """Which pools the agent serves: a phone queue, `chat` (chat + messaging) or `email`."""
    start_interval: int
    length: int
    """Shift length in 30-minute intervals."""


@dataclass
class WorkedShift:
    agent: Agent
    mode: str
    planned: list[tuple[str, float, float]]
    """Scheduled activities (activity, start, end), epoch seconds."""
    actual: list[tuple[str, float, float]]
    """What the agent did: `open` periods and the other activities, as they happened."""

    @property
    def open_periods(self) -> list[tuple[float, float]]:
        return [(start, end) for activity, start, end in self.actual if activity == "open"]


def _interval_sum(bins: np.ndarray) -> np.ndarray:
    return bins.reshape(INTERVALS_PER_DAY, -1).sum(axis=1)


def _phone_queue_share(queue_id: str) -> float:
    weights = catalog.REASON_WEIGHTS / catalog.REASON_WEIGHTS.sum()
    return float(
        sum(
            weights[i]
            for i, reason in enumerate(catalog.REASONS)
            if catalog.PHONE_QUEUE_OF_REASON[reason] == queue_id
        )
    )


def forecast(day: dt.date, scale: float) -> dict[str, np.ndarray]:
    """Expected queue arrivals per 30-minute interval, per pool."""
    phone = _interval_sum(expected_entries("phone", day, scale))
    phone = phone * (1 - catalog.IVR_SELF_SERVICE_SHARE) * FOLLOW_UP_UPLIFT
    bot = _interval_sum(expected_entries("bot", day, scale))
    loads = {queue: phone * _phone_queue_share(queue) for queue in catalog.PHONE_QUEUES}
    chat = _interval_sum(expected_entries("chat", day, scale)) * FOLLOW_UP_UPLIFT
    loads["chat"] = chat + bot * 0.6 * 0.3
    messaging = _interval_sum(expected_entries("messaging", day, scale)) + _interval_sum(
        expected_entries("social", day, scale)
    )
    loads["messaging"] = messaging * FOLLOW_UP_UPLIFT + bot * 0.3 * 0.3
    loads["email"] = _interval_sum(expected_entries("email", day, scale)) * FOLLOW_UP_UPLIFT
    return loads


def _requirement(
    arrivals: np.ndarray, handle: float, threshold: float, target: float, per_agent: int
) -> np.ndarray:
    need = np.zeros(INTERVALS_PER_DAY)
    for i in range(FIRST_OPEN, LAST_OPEN + 1):
        servers = required_agents(float(arrivals[i]), handle, INTERVAL_SECONDS, threshold, target)
        need[i] = math.ceil(servers / per_agent)
    return need


def requirements(day: dt.date, scale: float) -> dict[str, np.ndarray]:
    """Agents needed on the floor (open) per interval, per shift mode."""
    loads = forecast(day, scale)
    threshold, target = catalog.SERVICE_TARGETS["phone"]
    need = {
        queue: _requirement(
            loads[queue], catalog.expected_phone_handle_seconds(queue), threshold, target, 1
        )
        for queue in catalog.PHONE_QUEUES
    }
    chat = _requirement(
        loads["chat"], catalog.expected_talk_seconds("chat"), *catalog.SERVICE_TARGETS["chat"], 2
    )
    messaging = _requirement(
        loads["messaging"],
        catalog.expected_talk_seconds("messaging"),
        *catalog.SERVICE_TARGETS["messaging"],
        1,
    )
    need["chat"] = np.maximum(chat, messaging)
    email_hours = loads["email"].sum() * catalog.expected_talk_seconds("email") / 3600.0
    email = np.zeros(INTERVALS_PER_DAY)
    # E-mail may wait for hours: the plan spreads its work evenly over the open day.
    email[FIRST_OPEN : LAST_OPEN + 1] = email_hours / ((LAST_OPEN + 1 - FIRST_OPEN) / 2)
    need["email"] = np.ceil(email)
    return need


def cover(need: np.ndarray) -> list[tuple[int, int]]:
    """(start interval, length) of shifts covering a requirement.

    Greedy set cover over full-time and part-time shift patterns: each new shift is the one
    that removes the most remaining deficit per paid hour (full-time slightly preferred), so
    both peaks are met without stacking everyone in the middle of the day.
    """
    deficit = np.zeros(INTERVALS_PER_DAY)
    deficit[FIRST_OPEN : LAST_OPEN + 1] = np.maximum(need[FIRST_OPEN : LAST_OPEN + 1], 0.0)
    candidates = [
        (start, length)
        for length in catalog.SHIFT_LENGTHS
        for start in range(FIRST_OPEN, LAST_OPEN + 2 - length)
    ]
    shifts: list[tuple[int, int]] = []
    while deficit.sum() > 0:
        capped = np.minimum(deficit, 1.0)
        scores = [
            float(capped[start : start + length].sum()) / length**0.7
            for start, length in candidates
        ]
        start, length = candidates[int(np.argmax(scores))]
        deficit[start : start + length] = np.maximum(deficit[start : start + length] - 1, 0)
        shifts.append((start, length))
    return sorted(shifts)


def plan_shifts(
    day: dt.date, scale: float, staffing_factor: float, rng: np.random.Generator | None
) -> list[Shift]:
    """The day's planned shifts; without `rng`, the unperturbed plan (used for sizing)."""
    shifts: list[Shift] = []
    for mode, need in requirements(day, scale).items():
        gross = need / (1 - catalog.PLANNED_SHRINKAGE)
        if rng is not None:
            misplan = rng.choice(
                [-1, 0, 1],
                size=INTERVALS_PER_DAY,
                p=[MISPLAN_PROBABILITY / 2, 1 - MISPLAN_PROBABILITY, MISPLAN_PROBABILITY / 2],
            )
            gross = np.maximum(gross + misplan, np.minimum(gross, 1))
        planned = np.round(gross * staffing_factor)
        planned[FIRST_OPEN : LAST_OPEN + 1] = np.maximum(planned[FIRST_OPEN : LAST_OPEN + 1], 1)
        team_id = catalog.TEAM_OF_QUEUE[mode]
        shifts.extend(Shift(team_id, mode, start, length) for start, length in cover(planned))
    return shifts


def team_sizes(start: dt.date, scale: float) -> dict[str, int]:
    """Agents each team needs so that a typical week's plan can be staffed (5 days a week)."""
    week = [start + dt.timedelta(days=offset) for offset in range(7)]
    per_day = [plan_shifts(day, scale, 1.0, None) for day in week]
    sizes: dict[str, int] = {}
    for team in catalog.TEAMS:
        counts = [sum(1 for s in shifts if s.team_id == team.team_id) for shifts in per_day]
        sizes[team.team_id] = math.ceil(max(max(counts), sum(counts) / 5))
    return sizes


def _rounded(epoch: float, step: float = 300.0) -> float:
    return math.floor(epoch / step) * step


_FULL_TIME_BREAKS = (("break", 2.0, 20, 15), ("lunch", 4.0, 30, 30), ("break", 6.25, 20, 15))
_LONG_PART_TIME_BREAKS = (("break", 2.0, 20, 15), ("break", 4.25, 20, 15))
_PART_TIME_BREAKS = (("break", 2.0, 20, 15),)


def _planned_activities(
    start: float, length: int, rng: np.random.Generator
) -> list[tuple[str, float, float]]:
    end = start + length * INTERVAL_SECONDS
    full_time = length >= catalog.SHIFT_INTERVALS
    breaks: list[tuple[str, float, float]] = []
    if full_time:
        pattern = _FULL_TIME_BREAKS
    elif length * INTERVAL_SECONDS > 5 * 3600:
        pattern = _LONG_PART_TIME_BREAKS
    else:
        pattern = _PART_TIME_BREAKS
    for activity, offset_hours, jitter_minutes, minutes in pattern:
        at = _rounded(start + offset_hours * 3600 + rng.uniform(-1, 1) * jitter_minutes * 60)
        breaks.append((activity, at, at + minutes * 60))
    if full_time and rng.random() < 0.12:
        activity = "training" if rng.random() < 0.6 else "meeting"
        after = breaks[0][2] if rng.random() < 0.5 else breaks[1][2]
        breaks.append((activity, after, after + (1800 if rng.random() < 0.6 else 3600)))
        breaks.sort(key=lambda item: item[1])
        for i in range(1, len(breaks)):
            activity, at, until = breaks[i]
            if at < breaks[i - 1][2]:
                shift = breaks[i - 1][2] - at
                breaks[i] = (activity, at + shift, until + shift)
    activities: list[tuple[str, float, float]] = []
    cursor = start
    for activity, at, until in breaks:
        if at > cursor:
            activities.append(("open", cursor, at))
        activities.append((activity, at, until))
        cursor = until
    activities.append(("open", cursor, end))
    return activities


def _actual_activities(
    planned: list[tuple[str, float, float]], rng: np.random.Generator
) -> list[tuple[str, float, float]]:
    login = planned[0][1]
    if rng.random() < 0.2:
        login += min(1800.0, math.floor(rng.exponential(240.0)))
    logout = planned[-1][2]
    if rng.random() < 0.05:
        logout -= math.floor(rng.uniform(0, 900))
    actual: list[tuple[str, float, float]] = []
    cursor = login
    for activity, at, until in planned:
        if activity == "open":
            continue
        begin = max(cursor, at + math.floor(rng.normal(0, 60)))
        overrun = math.floor(rng.exponential(300.0)) if rng.random() < 0.2 else 0.0
        finish = min(logout, max(begin + 60, until + overrun))
        if begin >= logout:
            break
        if begin > cursor:
            actual.append(("open", cursor, begin))
        actual.append((activity, begin, finish))
        cursor = finish
    if logout > cursor:
        actual.append(("open", cursor, logout))
    return actual


def staff_day(
    day: dt.date,
    day_epoch: float,
    roster: list[Agent],
    shifts: list[Shift],
    rng: np.random.Generator,
) -> list[WorkedShift]:
    """Give the planned shifts to agents who are employed and not past five days this week."""
    worked: list[WorkedShift] = []
    for team in catalog.TEAMS:
        team_shifts = [s for s in shifts if s.team_id == team.team_id]
        candidates = [
            agent
            for agent in roster
            if agent.team_id == team.team_id
            and agent.employed_on(day)
            and agent.days_worked_in_week(day) < 5
        ]
        keys = rng.random(len(candidates))
        order = sorted(
            range(len(candidates)),
            key=lambda i: (candidates[i].days_worked_in_week(day), keys[i]),
        )
        staffed = [team_shifts[i] for i in rng.permutation(len(team_shifts))]
        for shift, index in zip(staffed, order, strict=False):
            agent = candidates[index]
            agent.record_day_worked(day)
            planned = _planned_activities(
                day_epoch + shift.start_interval * INTERVAL_SECONDS, shift.length, rng
            )
            worked.append(WorkedShift(agent, shift.mode, planned, _actual_activities(planned, rng)))
    worked.sort(key=lambda w: (w.planned[0][1], w.agent.agent_id))
    return worked
