"""Rasa tracker-store events: raw table `rasa_events`, landing folder `rasa/events/`.

One row per event (reader.py); dbt assembles them into bot sessions
(models/staging/rasa/stg_rasa__bot_sessions.sql). docs/sources/rasa.md maps every field.
"""

from __future__ import annotations

from ccmetrics.contract_schema import MAX_LENGTH_REASON, Source, SourceRules, col
from ccmetrics.native.rasa.reader import read_events

MAX_LENGTH_SENDER = 255
"""Rasa's SQL tracker store holds sender ids of up to 255 characters."""
MAX_LENGTH_SLOT_VALUE = 1024
MAX_LENGTH_METADATA = 8192

RASA_EVENTS = Source(
    name="rasa_events",
    system="rasa",
    description=(
        "Rasa tracker-store events (the SQL tracker store's events table or the same events "
        "as JSON lines), one row per event; staged into bot sessions."
    ),
    key="event_id",
    day_column="event_at",
    columns=(
        col(
            "event_id",
            "string",
            False,
            "The events table's id (CSV export); for JSON lines, the content hash.",
        ),
        col(
            "content_hash",
            "string",
            False,
            "SHA-256 of sender and canonical event JSON: the same event delivered twice "
            "(restart, re-export) has the same hash, and staging keeps one.",
            max_length=64,
        ),
        col(
            "sender_id",
            "string",
            False,
            "Conversation (tracker) id given by the channel.",
            max_length=MAX_LENGTH_SENDER,
        ),
        col(
            "event_type",
            "string",
            False,
            "Event type name: user, bot, action, slot, session_started, ...",
            max_length=64,
        ),
        col("event_at", "timestamp", False, "Event timestamp (epoch seconds as delivered), UTC."),
        col(
            "intent_name",
            "string",
            True,
            "user events: parse_data.intent.name.",
            max_length=MAX_LENGTH_REASON,
        ),
        col(
            "action_name",
            "string",
            True,
            "action events: the action's name.",
            max_length=MAX_LENGTH_REASON,
        ),
        col(
            "slot_name",
            "string",
            True,
            "slot events: the slot's name.",
            max_length=MAX_LENGTH_REASON,
        ),
        col(
            "slot_value",
            "string",
            True,
            "slot events: the value as text (JSON for lists and objects); null resets it.",
            max_length=MAX_LENGTH_SLOT_VALUE,
        ),
        col(
            "input_channel",
            "string",
            True,
            "user events: the Rasa channel the message came through.",
            max_length=64,
        ),
        col(
            "metadata_pairs",
            "string",
            True,
            "The event's top-level scalar metadata as |key=value| pairs (sorted; %, | and = "
            "percent-encoded); nested values are not kept.",
            max_length=MAX_LENGTH_METADATA,
        ),
    ),
    folder="rasa/events",
    file_suffixes=("jsonl", "csv"),
    reader=read_events,
    rules=SourceRules(),
)

SOURCES: tuple[Source, ...] = (RASA_EVENTS,)
