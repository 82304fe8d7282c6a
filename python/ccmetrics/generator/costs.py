"""Non-labor cost lines of a day: telephony minutes, bot and AI platforms, fixed costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ccmetrics.generator.bots import BotSession
from ccmetrics.generator.contacts import Contact

TELEPHONY_PER_MINUTE = {"phone": 0.018, "ivr": 0.009}
BOT_PER_SESSION = 0.12
AI_PER_ASSISTED_CONTACT = 0.06
AI_PER_GENERATIVE_SESSION = 0.02
OTHER_PER_DAY = 1400.0
"""Licences, facilities and tooling at scale 1."""

Columns = dict[str, list[object]]


def cost_lines(
    day: dt.date,
    contacts: Iterable[Contact],
    sessions: Iterable[BotSession],
    scale: float,
) -> Columns:
    minutes = dict.fromkeys(TELEPHONY_PER_MINUTE, 0.0)
    assisted = 0
    for contact in contacts:
        if contact.channel in minutes:
            minutes[contact.channel] += (contact.ended_at - contact.started_at) / 60.0
        if contact.ai_assisted and contact.agent is not None:
            assisted += 1
    bot_sessions: dict[str, int] = {}
    generative = 0
    for session in sessions:
        bot_sessions[session.channel] = bot_sessions.get(session.channel, 0) + 1
        generative += session.generative_ai
    lines: list[tuple[str, str | None, float]] = [
        ("telephony", channel, total * TELEPHONY_PER_MINUTE[channel])
        for channel, total in minutes.items()
    ]
    lines += [
        ("bot_platform", channel, count * BOT_PER_SESSION)
        for channel, count in sorted(bot_sessions.items())
    ]
    lines.append(
        (
            "ai_platform",
            None,
            assisted * AI_PER_ASSISTED_CONTACT + generative * AI_PER_GENERATIVE_SESSION,
        )
    )
    lines.append(("other", None, OTHER_PER_DAY * scale))
    key = day.strftime("%Y%m%d")
    return {
        "cost_line_id": [f"CL{key}-{n:02d}" for n in range(1, len(lines) + 1)],
        "cost_date": [day] * len(lines),
        "category": [category for category, _, _ in lines],
        "channel": [channel for _, channel, _ in lines],
        "amount": [round(amount, 2) for _, _, amount in lines],
    }
