"""`ccmetrics generate --format rasa`: a generated center's bot sessions as Rasa tracker events.

Every bot session of the landing tree becomes the events a Rasa assistant would have stored
for it, in `rasa/events/<day>.jsonl` (even days of the period) or `rasa/events/<day>.csv` (odd
days: the SQL tracker store's `events` table), each event in the file of its own UTC day; the
landing `bot_sessions` files are then removed (the format carries every session). The events
are laid out so that staging (models/staging/rasa/) gives back each session exactly:

- `action_session_start` and `session_started` at `started_at`, the session's id under
  metadata key `conversation_id` (so surveys, QA evaluations, KB events and AI
  recommendations keep pointing to it);
- a `slot` event `customer_id` (identified customers), one `user` event per turn (the first
  of two or more says `greet`, the next carries the session's intent; `input_channel` from the
  channel), a `bot` reply after each (metadata `rephrase: true` when replies were generated),
  one `action_query_knowledge_base` per look-up after the first turn;
- at `ended_at`: `action_human_handoff` after a `slot` event `handoff_contact_id` (handoff),
  `action_default_fallback` (dropped) or a last `bot` reply (resolved);
- `action_listen` at `record_updated_at`.

A customer's sessions on one channel share a sender id unless they overlap in time. Every
fifth session whose sender has been silent for more than an hour is written as a Rasa version
without conversation sessions writes it (no `session_started`; the conversation id in the
first user message's metadata). Each day file delivers every tenth event after the one that
follows it and every fortieth event twice (the same line again, or the same event under a new
id in the SQL export), so that the equality test goes through these quirks too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from ccmetrics.native.rasa.reader import CSV_HEADER

FOLDER = "rasa/events"
CHANNEL_TO_INPUT: dict[str, str] = {
    "chat": "socketio",
    "messaging": "telegram",
    "social": "facebook",
    "phone": "twilio_voice",
}
"""The Rasa channel each canonical channel is written as (the staging default map's inverse)."""
SESSION_ID_KEY = "conversation_id"
CUSTOMER_SLOT = "customer_id"
HANDOFF_SLOT = "handoff_contact_id"
KB_ACTION = "action_query_knowledge_base"
HANDOFF_ACTION = "action_human_handoff"
FALLBACK_ACTION = "action_default_fallback"
GENERATIVE_KEY = "rephrase"
EPOCH = dt.datetime(1970, 1, 1)


def _micros(value: Any) -> int:
    moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    delta = moment.replace(tzinfo=None) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _seconds(micros: int) -> float:
    return micros / 1_000_000


def _day(micros: int) -> dt.date:
    return (EPOCH + dt.timedelta(microseconds=micros)).date()


def _action(at: int, name: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "event": "action",
        "timestamp": _seconds(at),
        "metadata": metadata or {},
        "name": name,
        "policy": "RulePolicy",
        "confidence": 1.0,
    }


def _slot(at: int, name: str, value: str) -> dict[str, Any]:
    event: dict[str, Any] = {"event": "slot", "timestamp": _seconds(at), "metadata": {}}
    return {**event, "name": name, "value": value}


def _user(
    at: int, intent: str, channel: str, number: int, session: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": _seconds(at),
        "metadata": metadata,
        "text": f"message {number}",
        "parse_data": {
            "intent": {"name": intent, "confidence": 0.93},
            "entities": [],
            "text": f"message {number}",
        },
        "input_channel": channel,
        "message_id": f"{session}-m{number}",
    }


def _bot(at: int, generative: bool) -> dict[str, Any]:
    return {
        "event": "bot",
        "timestamp": _seconds(at),
        "metadata": {GENERATIVE_KEY: True} if generative else {},
        "text": "reply",
        "data": {},
    }


def session_events(session: dict[str, Any], legacy: bool = False) -> list[dict[str, Any]]:
    """The events of one landing bot session, in conversation order (without sender_id).

    `legacy`: as a Rasa version without conversation sessions writes it: no session_started,
    the first event at `started_at`, the conversation id in the first user message's
    metadata."""
    start = _micros(session["started_at"])
    end = _micros(session["ended_at"])
    updated = _micros(session["record_updated_at"])
    turns = int(session["turns"])
    generative = bool(session["generative_ai"])
    channel = CHANNEL_TO_INPUT[str(session["channel"])]
    session_id = str(session["bot_session_id"])
    middle: list[Any] = []
    customer = session["customer_id"]
    if isinstance(customer, str):
        middle.append(lambda at, c=customer: _slot(at, CUSTOMER_SLOT, c))
    for turn in range(turns):
        if turn == 0 and turns >= 2:
            intent = "greet"
        elif turn <= 1:
            intent = str(session["intent"])
        else:
            intent = "inform"
        tagged = {SESSION_ID_KEY: session_id} if legacy and turn == 0 else {}
        middle.append(
            lambda at, i=intent, n=turn + 1, m=tagged: _user(at, i, channel, n, session_id, m)
        )
        if turn == 0:
            middle += [lambda at: _action(at, KB_ACTION)] * int(session["kb_lookups"])
        middle.append(lambda at: _bot(at, generative))
    outcome = str(session["outcome"])
    if outcome == "handoff":
        middle.append(lambda at: _slot(at, HANDOFF_SLOT, str(session["handoff_contact_id"])))
        last = _action(end, HANDOFF_ACTION)
    elif outcome == "dropped":
        last = _action(end, FALLBACK_ACTION)
    else:
        last = _bot(end, generative)
    step = (end - start) // (len(middle) + 1)
    if step < 1:
        raise ValueError(f"bot session {session_id} is too short to lay out its events")
    if legacy:
        step = (end - start) // len(middle)
        events = [make(start + step * index) for index, make in enumerate(middle)]
        return [*events, last, _action(updated, "action_listen")]
    events = [
        _action(start, "action_session_start"),
        {
            "event": "session_started",
            "timestamp": _seconds(start),
            "metadata": {SESSION_ID_KEY: session_id},
        },
    ]
    events += [make(start + step * (index + 1)) for index, make in enumerate(middle)]
    events += [last, _action(updated, "action_listen")]
    return events


LEGACY_EVERY = 5
"""Every fifth session (when its sender allows it) is written the legacy way."""
GAP_SECONDS = 3600
"""Staging's default var rasa_session_gap_seconds: a legacy session needs its sender silent
for longer than this before it starts."""


def _senders(sessions: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """Per session: its sender id and whether it is written the legacy way. A customer's
    sender id per channel (`<customer>-<channel>`) is reused by their next session on that
    channel unless the two overlap; an unidentified customer's session has its own."""
    last_end: dict[str, int] = {}
    order = sorted(range(len(sessions)), key=lambda i: _micros(sessions[i]["started_at"]))
    chosen: dict[int, tuple[str, bool]] = {}
    for position, index in enumerate(order):
        session = sessions[index]
        customer = session["customer_id"]
        started = _micros(session["started_at"])
        sender = f"snd-{session['bot_session_id']}"
        if isinstance(customer, str) and customer:
            shared = f"{customer}-{session['channel']}"
            if last_end.get(shared, -1) < started:
                sender = shared
        silent = last_end.get(sender, -1) < started - GAP_SECONDS * 1_000_000
        last_end[sender] = _micros(session["record_updated_at"])
        chosen[index] = (sender, silent and position % LEGACY_EVERY == LEGACY_EVERY - 1)
    return [chosen[i] for i in range(len(sessions))]


REPEAT_EVERY = 40
"""Every 40th event of a day is delivered twice (a restart, a re-export)."""
SWAP_EVERY = 10
"""Every 10th event of a day is written after the one that follows it (out of time order)."""


def _delivered(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A day's events as a real log delivers them: some out of order, some twice."""
    ordered = list(events)
    for index in range(0, len(ordered) - 1, SWAP_EVERY):
        ordered[index], ordered[index + 1] = ordered[index + 1], ordered[index]
    return ordered + ordered[::REPEAT_EVERY]


def _write_day(path: Path, events: list[dict[str, Any]], as_csv: bool, first_id: int) -> None:
    events = _delivered(events)
    if not as_csv:
        with path.open("w", encoding="utf-8") as handle:
            for event in events:
                handle.write(json.dumps(event) + "\n")
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for offset, event in enumerate(events):
            data = {key: value for key, value in event.items() if key != "sender_id"}
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            writer.writerow(
                [
                    first_id + offset,
                    event["sender_id"],
                    event["event"],
                    repr(event["timestamp"]),
                    intent or "",
                    event.get("name") or "",
                    json.dumps(data),
                ]
            )


def write_native(landing: Path) -> str:
    """Rewrite the landing tree's bot sessions as Rasa events; returns a one-line summary."""
    import pandas as pd

    files = sorted((landing / "bot_sessions").glob("*.parquet"))
    if not files:
        return "rasa: no bot sessions to convert"
    sessions = pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)
    records = sessions.to_dict("records")
    by_day: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for session, (sender, legacy) in zip(records, _senders(records), strict=True):
        for event in session_events(session, legacy):
            event["sender_id"] = sender
            by_day[_day(round(event["timestamp"] * 1_000_000))].append(event)
    folder = landing / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    first_day = min(by_day)
    next_id = 1
    for day in sorted(by_day):
        as_csv = (day - first_day).days % 2 == 1
        path = folder / f"{day.isoformat()}.{'csv' if as_csv else 'jsonl'}"
        _write_day(path, by_day[day], as_csv, next_id)
        next_id += 2 * len(by_day[day])
    for path in files:
        path.unlink()
    if not any((landing / "bot_sessions").iterdir()):
        (landing / "bot_sessions").rmdir()
    events = sum(len(day_events) for day_events in by_day.values())
    return (
        f"rasa: {len(records):,} bot sessions as {events:,} tracker events in "
        f"{len(by_day)} day files under {FOLDER}/ (bot_sessions files removed)"
    )
