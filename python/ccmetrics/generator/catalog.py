"""The simulated center: channels, queues, teams, reasons, demand profiles and handle times.

Every number here is a modelling assumption, chosen to look like a mid-size consumer
contact center; `docs/generator.md` explains them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

REASONS: tuple[str, ...] = (
    "billing_question",
    "payment_issue",
    "technical_problem",
    "outage",
    "plan_change",
    "cancellation",
    "order_status",
    "account_access",
)
REASON_WEIGHTS = np.array([0.22, 0.12, 0.20, 0.06, 0.10, 0.06, 0.14, 0.10])

PHONE_QUEUE_OF_REASON: dict[str, str] = {
    "billing_question": "billing",
    "payment_issue": "billing",
    "technical_problem": "tech_support",
    "outage": "tech_support",
    "account_access": "tech_support",
    "plan_change": "sales",
    "cancellation": "sales",
    "order_status": "sales",
}

# Median talk seconds on the phone (lognormal, sigma TALK_SIGMA) and the probability that an
# agent-handled contact solves the issue.
TALK_MEDIAN: dict[str, float] = {
    "billing_question": 190.0,
    "payment_issue": 230.0,
    "technical_problem": 320.0,
    "outage": 140.0,
    "plan_change": 270.0,
    "cancellation": 300.0,
    "order_status": 120.0,
    "account_access": 180.0,
}
RESOLVE_PROBABILITY: dict[str, float] = {
    "billing_question": 0.85,
    "payment_issue": 0.78,
    "technical_problem": 0.66,
    "outage": 0.55,
    "plan_change": 0.85,
    "cancellation": 0.80,
    "order_status": 0.88,
    "account_access": 0.80,
}
TALK_SIGMA = 0.55
HOLD_PROBABILITY = 0.25
HOLD_MEDIAN = 45.0
ACW_MEDIAN = 30.0
ACW_SIGMA = 0.5
AI_ASSIST_SHARE = 0.35
AI_ASSIST_HANDLE_FACTOR = 0.85

# Handle time on digital channels relative to the phone (a chat agent types, and serves two).
CHANNEL_TALK_FACTOR: dict[str, float] = {
    "phone": 1.0,
    "chat": 1.6,
    "messaging": 1.0,
    "social": 0.9,
    "email": 0.8,
}

PHONE_QUEUES: tuple[str, ...] = ("billing", "tech_support", "sales")


@dataclass(frozen=True)
class Team:
    team_id: str
    home_queue_id: str
    hourly_cost: float


TEAMS: tuple[Team, ...] = (
    Team("voice_a", "billing", 34.0),
    Team("voice_b", "tech_support", 38.0),
    Team("voice_c", "sales", 36.0),
    Team("digital", "chat", 33.0),
)
TEAM_OF_QUEUE: dict[str, str] = {
    "billing": "voice_a",
    "tech_support": "voice_b",
    "sales": "voice_c",
    "chat": "digital",
    "messaging": "digital",
    "social": "digital",
    "email": "digital",
}

# Share of first contacts per entry point, averaged over the week. Phone entries include
# those that end in the IVR (IVR_SELF_SERVICE_SHARE of them).
ENTRY_SHARES: dict[str, float] = {
    "phone": 0.55,
    "chat": 0.15,
    "messaging": 0.08,
    "social": 0.02,
    "email": 0.10,
    "bot": 0.10,
}
IVR_SELF_SERVICE_SHARE = 0.10
BASE_DAILY_ENTRIES = 3400.0
"""First contacts plus bot sessions on an average day at scale 1 (follow-ups come on top)."""

BOT_CHANNELS: tuple[str, ...] = ("chat", "messaging", "phone")
BOT_CHANNEL_WEIGHTS = np.array([0.6, 0.3, 0.1])

OPEN_HOUR = 8
CLOSE_HOUR = 20
"""Agents work, and phone and chat are open, from OPEN_HOUR to CLOSE_HOUR UTC."""
LIVE_CHANNELS: frozenset[str] = frozenset({"phone", "chat"})
"""Channels that only take contacts while the center is open."""

# Arrival intensity by UTC hour (relative), for live channels and for always-open ones.
LIVE_HOURLY = np.array(
    [
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0.6,
        1.1,
        1.35,
        1.3,
        1.05,
        1.15,
        1.25,
        1.15,
        1.0,
        0.8,
        0.6,
        0.4,
        0,
        0,
        0,
        0,
    ],
    dtype=float,
)
ALWAYS_OPEN_HOURLY = np.array(
    [
        0.15,
        0.1,
        0.08,
        0.07,
        0.08,
        0.12,
        0.25,
        0.5,
        0.8,
        1.0,
        1.1,
        1.1,
        1.0,
        1.05,
        1.05,
        1.0,
        0.95,
        0.9,
        0.85,
        0.8,
        0.75,
        0.6,
        0.45,
        0.3,
    ],
    dtype=float,
)
# Monday .. Sunday.
WEEKDAY_FACTOR = np.array([1.2, 1.1, 1.05, 1.05, 1.0, 0.55, 0.45]) / (6.4 / 7.0)

# Customer patience before abandoning the queue (seconds, lognormal median / sigma) and the
# phone queue timeout after which the caller is offered a callback.
PATIENCE_MEDIAN: dict[str, float] = {"phone": 75.0, "chat": 150.0}
PATIENCE_SIGMA = 1.0
IMPATIENT_SHARE = 0.05
"""Callers who hang up within seconds of queuing (the short abandons)."""
PHONE_QUEUE_TIMEOUT = 600.0
CALLBACK_OFFER_SECONDS = 90.0
CALLBACK_ACCEPT_SHARE = 0.5
"""Callers still waiting after CALLBACK_OFFER_SECONDS are offered a callback; this share
accepts (the contact flows out and is called back later), the others keep waiting until
PHONE_QUEUE_TIMEOUT."""
IVR_SECONDS_RANGE = (25, 90)

SERVICE_TARGETS: dict[str, tuple[float, float]] = {
    "phone": (20.0, 0.80),
    "chat": (120.0, 0.80),
    "messaging": (900.0, 0.80),
}
"""(threshold seconds, target share) each pool is sized for."""

SHIFT_INTERVALS = 17
"""Full-time shift length in 30-minute intervals (8.5 h including a 30-minute lunch)."""
SHIFT_LENGTHS = (SHIFT_INTERVALS, 12, 8)
"""Shift patterns the planner may use: full-time, and 6-hour and 4-hour part-time."""
PLANNED_SHRINKAGE = 0.05
"""Share of a shift the planner expects to lose; breaks, lunch, late log-ins and training
really take about 15%, so the plan runs a little short, as plans do."""

PRODUCTS: tuple[str, ...] = (
    "unlimited_plus",
    "family_bundle",
    "device_protection",
    "fiber_upgrade",
    "streaming_addon",
    "international_pack",
)
KB_ARTICLES = 400
"""Articles in the knowledge base."""

SEGMENT_WEIGHTS = np.array([0.82, 0.14, 0.04])


def expected_phone_handle_seconds(queue_id: str) -> float:
    """Mean talk + hold + after-contact work of a phone queue, over its reason mix."""
    sigma_factor = float(np.exp(TALK_SIGMA**2 / 2))
    reasons = [r for r, q in PHONE_QUEUE_OF_REASON.items() if q == queue_id]
    weights = np.array([REASON_WEIGHTS[REASONS.index(r)] for r in reasons])
    talk = np.array([TALK_MEDIAN[r] for r in reasons]) * sigma_factor
    mean_talk = float((weights * talk).sum() / weights.sum())
    hold = HOLD_PROBABILITY * HOLD_MEDIAN * float(np.exp(0.8**2 / 2))
    acw = ACW_MEDIAN * float(np.exp(ACW_SIGMA**2 / 2))
    assist = 1 - AI_ASSIST_SHARE * (1 - AI_ASSIST_HANDLE_FACTOR)
    return (mean_talk + hold + acw) * assist


def expected_talk_seconds(channel: str) -> float:
    """Mean handle seconds on a digital channel, over all reasons."""
    sigma_factor = float(np.exp(TALK_SIGMA**2 / 2))
    talk = np.array([TALK_MEDIAN[r] for r in REASONS]) * sigma_factor
    mean_talk = float((REASON_WEIGHTS * talk).sum() / REASON_WEIGHTS.sum())
    return mean_talk * CHANNEL_TALK_FACTOR[channel] + 20.0
