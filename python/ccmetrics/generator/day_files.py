"""Rows of one simulated day: contacts, bot sessions and what happens around them.

Runs in the writing process (`writer_process`), apart from the simulation: everything here
depends only on the day's finished contacts and its own random stream (`feedback`).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccmetrics.generator import agent_states as states
from ccmetrics.generator import feedback
from ccmetrics.generator.bots import BotSession
from ccmetrics.generator.contacts import Contact, IdSequence
from ccmetrics.generator.costs import cost_lines
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.output import LandingWriter
from ccmetrics.generator.people import (
    CustomerRecords,
    customer_emails,
    customer_ids,
    customer_phones,
)
from ccmetrics.generator.rng import stream
from ccmetrics.generator.staffing import WorkedShift

DAY = 86400.0
REDELIVERY_SHARE = 0.02
DUPLICATE_SHARE = 0.003
_NO_TEXT = pa.scalar(None, pa.string())


@dataclass
class DayOutput:
    """What the simulation of one day hands to the writing process."""

    seed: int
    index: int
    day: dt.date
    day_epoch: float
    last_day: bool
    """The period's last day: no contact is re-delivered the day after."""
    scale: float
    finished: list[Contact]
    sessions: list[BotSession]
    worked: list[WorkedShift]
    churns: CustomerRecords | None
    flush_through: int
    """Day offset up to which every file is complete once this day is written."""


_CONTACT_COLUMNS = (
    ("contact_id", "contact_id"),
    ("initial_contact_id", "initial_id"),
    ("previous_contact_id", "previous_id"),
    ("related_contact_id", "related_id"),
    ("initiation_method", "initiation"),
    ("channel", "channel"),
    ("queue_id", "queue_id"),
    ("contact_reason", "reason"),
    ("started_at", "started_at"),
    ("queued_at", "queued_at"),
    ("connected_at", "connected_at"),
    ("first_response_at", "first_response_at"),
    ("ended_at", "ended_at"),
    ("disposition", "disposition"),
)
"""Landing columns copied from a Contact attribute as they are."""
_CONTACT_VALUES = operator.attrgetter(*(attribute for _, attribute in _CONTACT_COLUMNS))
_CONTACT_DERIVED = operator.attrgetter(
    "customer", "number_shown", "agent", "talk", "hold", "acw", "ai_assisted"
)


def _contact_rows(contacts: list[Contact]) -> dict[str, object]:
    # One C-level getter per contact, then columns by transposing: a list comprehension per
    # column would walk every contact twenty times.
    plain = zip(*map(_CONTACT_VALUES, contacts), strict=True)
    rows: dict[str, object] = {
        name: list(values) for (name, _), values in zip(_CONTACT_COLUMNS, plain, strict=True)
    }
    customer, shown, agent, talk, hold, acw, assisted = zip(
        *map(_CONTACT_DERIVED, contacts), strict=True
    )
    channels: list[str] = rows["channel"]  # type: ignore[assignment]
    ended: list[float] = rows["ended_at"]  # type: ignore[assignment]
    answered = [connected is not None for connected in rows["connected_at"]]  # type: ignore[attr-defined]
    customers = np.array(customer, dtype=np.int64)
    shows_phone = np.array(
        [s and ch in ("phone", "ivr", "messaging") for s, ch in zip(shown, channels, strict=True)],
        dtype=bool,
    )
    shows_email = np.array([ch in ("email", "chat") for ch in channels], dtype=bool)
    phones = customer_phones(customers)
    emails = customer_emails(customers, always=True)
    rows["customer_id"] = customer_ids(customers).to_pylist()
    rows["customer_phone"] = pc.if_else(pa.array(shows_phone), phones, _NO_TEXT).to_pylist()
    rows["customer_email"] = pc.if_else(pa.array(shows_email), emails, _NO_TEXT).to_pylist()
    rows["agent_id"] = [a.agent_id if a else None for a in agent]
    rows["talk_seconds"] = [t if a else None for t, a in zip(talk, answered, strict=True)]
    rows["hold_seconds"] = [h if a else None for h, a in zip(hold, answered, strict=True)]
    rows["acw_seconds"] = [w if a else None for w, a in zip(acw, answered, strict=True)]
    rows["ai_assisted"] = [x and a for x, a in zip(assisted, answered, strict=True)]
    rows["record_updated_at"] = [
        e + w if a else e for e, w, a in zip(ended, acw, answered, strict=True)
    ]
    return rows


def _bot_rows(sessions: list[BotSession]) -> dict[str, object]:
    return {
        "bot_session_id": [s.bot_session_id for s in sessions],
        "customer_id": customer_ids(np.array([s.customer for s in sessions], dtype=np.int64)),
        "channel": [s.channel for s in sessions],
        "started_at": [s.started_at for s in sessions],
        "ended_at": [s.ended_at for s in sessions],
        "intent": [s.intent for s in sessions],
        "turns": [s.turns for s in sessions],
        "outcome": [s.outcome for s in sessions],
        "handoff_contact_id": [s.handoff.contact_id if s.handoff else None for s in sessions],
        "kb_lookups": [s.kb_lookups for s in sessions],
        "generative_ai": [s.generative_ai for s in sessions],
        "record_updated_at": [s.ended_at + 1 for s in sessions],
    }


def _write_contacts(
    writer: LandingWriter, output: DayOutput, contacts: list[Contact], draws: Draws
) -> None:
    rows = _contact_rows(contacts)
    day_number = math.floor(output.day_epoch / DAY)
    # A few records are sent before wrap-up ends and sent again, complete, the next day.
    redelivered = [
        i
        for i, c in enumerate(contacts)
        if not output.last_day
        and c.agent is not None
        and math.floor(c.started_at / DAY) == day_number
        and draws.chance(REDELIVERY_SHARE)
    ]
    first_versions = {key: list(values) for key, values in rows.items()}
    for i in redelivered:
        first_versions["acw_seconds"][i] = None
        first_versions["record_updated_at"][i] = contacts[i].ended_at
    duplicates = [i for i in range(len(contacts)) if draws.chance(DUPLICATE_SHARE)]
    with_duplicates = {
        key: values + [values[i] for i in duplicates] for key, values in first_versions.items()
    }
    writer.add("contacts", with_duplicates)
    if redelivered:
        next_day = (day_number + 1) * DAY
        later = {key: [values[i] for i in redelivered] for key, values in rows.items()}
        later["record_updated_at"] = [
            max(next_day, contacts[i].ended_at + contacts[i].acw)
            + math.floor(draws.between(3600, 6 * 3600))
            for i in redelivered
        ]
        writer.add("contacts", later, np.full(len(redelivered), day_number + 1))


def write_day(writer: LandingWriter, output: DayOutput) -> None:
    """Buffer every row the day produced, then write the files that are complete."""
    key = output.day.strftime("%Y%m%d")
    finished, sessions = output.finished, output.sessions
    extras = Draws(stream(output.seed, output.index, "feedback"))
    if output.churns is not None:
        writer.add("customers", output.churns.rows())
    if finished:
        _write_contacts(writer, output, finished, extras)
    if sessions:
        writer.add("bot_sessions", _bot_rows(sessions))
    writer.add("surveys", feedback.surveys(finished, sessions, IdSequence("SV", key), extras))
    writer.add(
        "qa_evaluations",
        feedback.qa_evaluations(finished, sessions, IdSequence("QA", key), extras),
    )
    writer.add("kb_events", feedback.kb_events(finished, sessions, IdSequence("KB", key), extras))
    writer.add(
        "ai_recommendations",
        feedback.recommendations(finished, sessions, IdSequence("AR", key), extras),
    )
    writer.add("agent_states", states.agent_states(output.worked, finished, IdSequence("AS", key)))
    writer.add("schedules", states.schedules(output.worked, IdSequence("SC", key)))
    writer.add("cost_lines", cost_lines(output.day, finished, sessions, output.scale))
    writer.flush(output.flush_through)
