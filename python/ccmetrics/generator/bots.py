"""Virtual-agent conversations: intent, turns, outcome, and the contact a handoff creates."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccmetrics.generator import catalog
from ccmetrics.generator.contacts import Contact, ContactFactory, IdSequence
from ccmetrics.generator.draws import Draws

BOT_RESOLVE_PROBABILITY: dict[str, float] = {
    "billing_question": 0.55,
    "payment_issue": 0.45,
    "technical_problem": 0.30,
    "outage": 0.50,
    "plan_change": 0.35,
    "cancellation": 0.10,
    "order_status": 0.70,
    "account_access": 0.55,
}
HANDOFF_SHARE_OF_UNRESOLVED = 0.7
GENERATIVE_SHARE = 0.6


@dataclass(slots=True)
class BotSession:
    bot_session_id: str
    customer: int
    channel: str
    started_at: float
    ended_at: float
    intent: str
    turns: int
    outcome: str
    generative_ai: bool
    kb_lookups: int
    handoff: Contact | None


def _open_at(channel: str, at: float) -> bool:
    if channel not in catalog.LIVE_CHANNELS:
        return True
    hour = (at % 86400.0) / 3600.0
    return catalog.OPEN_HOUR <= hour < catalog.CLOSE_HOUR - 0.25


def run_bot_sessions(
    times: np.ndarray,
    reasons: np.ndarray,
    customers: np.ndarray,
    day_end: float,
    ids: IdSequence,
    factory: ContactFactory,
    draws: Draws,
) -> list[BotSession]:
    """Conversations of one day; a handoff creates a contact (queued when the bot ends)."""
    sessions: list[BotSession] = []
    cumulative = tuple(np.cumsum(catalog.BOT_CHANNEL_WEIGHTS).tolist())
    for started, reason_index, customer in zip(
        times.tolist(), reasons.tolist(), customers.tolist(), strict=True
    ):
        intent = catalog.REASONS[reason_index]
        channel = draws.weighted(catalog.BOT_CHANNELS, cumulative)
        turns = 1 + min(30, int(draws.exponential(4.0)))
        ended = started + math.floor(10 + sum(draws.lognormal(22.0, 0.4) for _ in range(turns)))
        generative = draws.chance(GENERATIVE_SHARE)
        chance = BOT_RESOLVE_PROBABILITY[intent] + (0.08 if generative else 0.0)
        if draws.chance(chance):
            outcome = "resolved"
        elif draws.chance(HANDOFF_SHARE_OF_UNRESOLVED):
            outcome = "handoff"
        else:
            outcome = "dropped"
        if outcome == "handoff" and (ended >= day_end or not _open_at(channel, ended)):
            # Out of hours (or past midnight) the bot cannot hand over: the customer leaves.
            outcome = "dropped"
        handoff = None
        if outcome == "handoff":
            handoff = factory.create(channel, customer, intent, "bot_handoff", ended)
        lookups = min(6, int(draws.exponential(1.6 if outcome == "resolved" else 0.9)))
        sessions.append(
            BotSession(
                bot_session_id=ids(),
                customer=customer,
                channel=channel,
                started_at=started,
                ended_at=ended,
                intent=intent,
                turns=turns,
                outcome=outcome,
                generative_ai=generative,
                kb_lookups=lookups,
                handoff=handoff,
            )
        )
    return sessions
