"""What happens around contacts: surveys, QA evaluations, knowledge look-ups, AI offers."""

from __future__ import annotations

import math
from collections.abc import Iterable

from ccmetrics.generator import catalog
from ccmetrics.generator.bots import BotSession
from ccmetrics.generator.contacts import Contact, IdSequence
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.people import customer_id

SURVEY_SHARE = 0.15
QA_SHARE = 0.03
BOT_QA_SHARE = 0.02
SALES_REASONS = frozenset({"plan_change", "billing_question", "cancellation", "order_status"})

Columns = dict[str, list[object]]


def _scores(satisfaction: float, draws: Draws) -> tuple[int | None, int | None]:
    csat = min(5, max(1, round(satisfaction + draws.normal() * 0.8)))
    nps = min(10, max(0, round(2.3 * csat - 1.5 + draws.normal() * 1.2)))
    answered = draws.uniform()
    if answered < 0.12:
        return None, nps
    if answered < 0.24:
        return csat, None
    return csat, nps


def surveys(
    contacts: Iterable[Contact], sessions: Iterable[BotSession], ids: IdSequence, draws: Draws
) -> Columns:
    rows: Columns = {
        name: []
        for name in (
            "survey_id",
            "contact_id",
            "bot_session_id",
            "customer_id",
            "responded_at",
            "csat_score",
            "nps_score",
        )
    }

    def add(
        contact_id: str | None,
        session_id: str | None,
        customer: int,
        ended: float,
        satisfaction: float,
    ) -> None:
        csat, nps = _scores(satisfaction, draws)
        rows["contact_id"].append(contact_id)
        rows["bot_session_id"].append(session_id)
        rows["customer_id"].append(customer_id(customer))
        rows["responded_at"].append(
            math.floor(ended + min(5 * 86400.0, draws.lognormal(2400.0, 1.2)))
        )
        rows["csat_score"].append(csat)
        rows["nps_score"].append(nps)

    for contact in contacts:
        if contact.disposition == "transferred":
            continue
        answered = contact.connected_at is not None
        if not draws.chance(SURVEY_SHARE if answered else SURVEY_SHARE / 5):
            continue
        waited = contact.waited or 0.0
        satisfaction = 4.4
        satisfaction -= 0.0 if contact.resolved else 1.6
        satisfaction -= 0.4 if waited > 60 else 0.0
        satisfaction -= 0.6 if waited > 300 else 0.0
        satisfaction -= 1.0 if not answered and contact.disposition != "self_served" else 0.0
        satisfaction += 0.15 if contact.ai_assisted else 0.0
        add(contact.contact_id, None, contact.customer, contact.ended_at, satisfaction)
    for session in sessions:
        if draws.chance(SURVEY_SHARE):
            satisfaction = {"resolved": 4.3, "handoff": 3.4, "dropped": 2.3}[session.outcome]
            add(None, session.bot_session_id, session.customer, session.ended_at, satisfaction)
    rows["survey_id"] = list(ids.many(len(rows["contact_id"])))
    return rows


def _review_time(at: float, draws: Draws) -> float:
    """When QA reviews something that ended at `at`: within hours to about three days."""
    return math.floor(at + max(1800.0, draws.lognormal(20 * 3600.0, 0.9)))


def qa_evaluations(
    contacts: Iterable[Contact], sessions: Iterable[BotSession], ids: IdSequence, draws: Draws
) -> Columns:
    rows: Columns = {
        name: []
        for name in (
            "evaluation_id",
            "contact_id",
            "bot_session_id",
            "agent_id",
            "evaluated_at",
            "score",
            "fatal_errors",
            "non_fatal_errors",
        )
    }

    def add(
        contact_id: str | None, session_id: str | None, agent_id: str | None, at: float, good: bool
    ) -> None:
        rows["contact_id"].append(contact_id)
        rows["bot_session_id"].append(session_id)
        rows["agent_id"].append(agent_id)
        rows["evaluated_at"].append(_review_time(at, draws))
        mean = 87.0 if good else 76.0
        rows["score"].append(round(min(100.0, max(0.0, mean + 7.0 * draws.normal())), 1))
        rows["fatal_errors"].append(1 if draws.chance(0.03 if good else 0.09) else 0)
        rows["non_fatal_errors"].append(min(6, int(draws.exponential(0.8 if good else 1.6))))

    for contact in contacts:
        if contact.agent is not None and draws.chance(QA_SHARE):
            add(
                contact.contact_id, None, contact.agent.agent_id, contact.ended_at, contact.resolved
            )
    for session in sessions:
        if draws.chance(BOT_QA_SHARE):
            add(None, session.bot_session_id, None, session.ended_at, session.outcome != "dropped")
    rows["evaluation_id"] = list(ids.many(len(rows["contact_id"])))
    return rows


def _article(draws: Draws) -> str:
    # A few articles answer most questions.
    return f"KB{int(catalog.KB_ARTICLES * draws.uniform() ** 2.5):04d}"


def kb_events(
    contacts: Iterable[Contact], sessions: Iterable[BotSession], ids: IdSequence, draws: Draws
) -> Columns:
    rows: Columns = {
        name: []
        for name in (
            "kb_event_id",
            "occurred_at",
            "actor_type",
            "agent_id",
            "contact_id",
            "bot_session_id",
            "article_id",
            "article_used",
        )
    }

    def add(
        at: float,
        agent_id: str | None,
        contact_id: str | None,
        session_id: str | None,
        found: float,
        used: float,
    ) -> None:
        hit = draws.chance(found)
        rows["occurred_at"].append(math.floor(at))
        rows["actor_type"].append("agent" if agent_id else "bot")
        rows["agent_id"].append(agent_id)
        rows["contact_id"].append(contact_id)
        rows["bot_session_id"].append(session_id)
        rows["article_id"].append(_article(draws) if hit else None)
        rows["article_used"].append(hit and draws.chance(used))

    for contact in contacts:
        if contact.agent is None or contact.connected_at is None:
            continue
        lookups = 1 + int(draws.chance(0.3)) if draws.chance(0.35) else 0
        for _ in range(lookups):
            at = contact.connected_at + draws.uniform() * max(
                1.0, contact.ended_at - contact.connected_at
            )
            add(
                at,
                contact.agent.agent_id,
                contact.contact_id,
                None,
                0.82,
                0.78 if contact.resolved else 0.5,
            )
    for session in sessions:
        for _ in range(session.kb_lookups):
            at = session.started_at + draws.uniform() * (session.ended_at - session.started_at)
            add(
                at,
                None,
                None,
                session.bot_session_id,
                0.75,
                0.75 if session.outcome == "resolved" else 0.4,
            )
    rows["kb_event_id"] = list(ids.many(len(rows["occurred_at"])))
    return rows


def recommendations(
    contacts: Iterable[Contact], sessions: Iterable[BotSession], ids: IdSequence, draws: Draws
) -> Columns:
    rows: Columns = {
        name: []
        for name in (
            "recommendation_id",
            "contact_id",
            "bot_session_id",
            "customer_id",
            "offered_at",
            "product_code",
            "accepted",
            "revenue",
        )
    }

    def add(
        contact_id: str | None, session_id: str | None, customer: int, at: float, conversion: float
    ) -> None:
        accepted = draws.chance(conversion)
        rows["contact_id"].append(contact_id)
        rows["bot_session_id"].append(session_id)
        rows["customer_id"].append(customer_id(customer))
        rows["offered_at"].append(math.floor(at))
        rows["product_code"].append(draws.pick(catalog.PRODUCTS))
        rows["accepted"].append(accepted)
        rows["revenue"].append(round(draws.lognormal(35.0, 0.6), 2) if accepted else None)

    for contact in contacts:
        if contact.agent is None or contact.connected_at is None:
            continue
        if draws.chance(0.12 if contact.reason in SALES_REASONS else 0.04):
            at = contact.connected_at + draws.between(0.3, 0.9) * (
                contact.ended_at - contact.connected_at
            )
            add(contact.contact_id, None, contact.customer, at, 0.22 if contact.resolved else 0.08)
    for session in sessions:
        if session.outcome == "resolved" and draws.chance(0.05):
            at = session.started_at + 0.8 * (session.ended_at - session.started_at)
            add(None, session.bot_session_id, session.customer, at, 0.1)
    rows["recommendation_id"] = list(ids.many(len(rows["contact_id"])))
    return rows
