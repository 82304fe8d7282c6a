"""The Asterisk queue_log as a source: raw table `asterisk_queue_log`, one row per log line.

Landing folder `<landing>/asterisk/queue_log/<YYYY-MM-DD>.log`: the lines whose epoch falls on
that UTC day. dbt source `asterisk`, table `queue_log`; staged by models/staging/asterisk/ into
the canonical contacts and agent states (docs/sources/asterisk.md).
"""

from __future__ import annotations

from ccmetrics.contract_schema import (
    MAX_LENGTH_CODE,
    MAX_LENGTH_ID,
    MEMBER_NAME,
    Bound,
    ProvidedIds,
    Source,
    SourceRules,
    col,
)
from ccmetrics.native.asterisk.reader import (
    STATUS_OK,
    read_queue_log,
)

HOUR = 3600.0
MAX_LENGTH_DATA = 256
"""An event parameter: a number, a channel or bridge id, a URL, a caller id or a pause reason."""

QUEUE_LOG = Source(
    name="asterisk_queue_log",
    system="asterisk",
    description=(
        "Asterisk queue_log: one row per line of the PBX's queue event log "
        "(epoch|callid|queuename|agent|event|data1..data5), as delivered. Lines repeated after "
        "a restart or a log rotation share their line_key; staging keeps one."
    ),
    key="line_key",
    day_column="event_at",
    folder="asterisk/queue_log",
    file_suffixes=("log",),
    reader=read_queue_log,
    columns=(
        col(
            "line_key",
            "string",
            False,
            "Hash of the line's content: a line repeated after a restart or rotation has the "
            "same key.",
            max_length=64,
        ),
        col(
            "line_status",
            "string",
            False,
            "Whether the line could be read: ok; too_few_fields (fewer than epoch, callid, "
            "queue, agent and event); bad_epoch (the first field is not a Unix time).",
            enum=(STATUS_OK,),
        ),
        col("event_epoch", "double", True, "Unix time of the event (seconds, UTC), as written."),
        col("event_at", "timestamp", False, "The event time in UTC (from event_epoch)."),
        col(
            "callid",
            "string",
            False,
            "Unique id of the caller's channel; NONE (or REALTIME) on agent and system events.",
            max_length=MAX_LENGTH_ID,
        ),
        col(
            "queue_name",
            "string",
            False,
            "Queue; NONE on events that concern no queue.",
            max_length=MAX_LENGTH_ID,
        ),
        col(
            "agent",
            "string",
            False,
            "Queue member name (membername; often a person's name or a channel such as "
            "Local/101@from-queue/n, so personal data and free text); NONE on caller events.",
            pii=True,
            max_length=MAX_LENGTH_ID,
            pattern=MEMBER_NAME,
        ),
        col(
            "event",
            "string",
            False,
            "Event type (ENTERQUEUE, CONNECT, COMPLETECALLER, PAUSE, ...), upper case.",
            max_length=MAX_LENGTH_CODE,
        ),
        *(
            col(
                f"data{number}",
                "string",
                True,
                f"Event parameter {number} (data{number} of the queue_log table); "
                + ("parameters past the fifth stay here, joined by |. " if number == 5 else "")
                + (
                    "On ENTERQUEUE lines data2 (the caller id) moves to caller_phone or "
                    "caller_label. "
                    if number == 2
                    else ""
                )
                + "Free text that may carry caller data (ENTERQUEUE's URL).",
                pii=True,
                max_length=MAX_LENGTH_DATA if number < 5 else 4 * MAX_LENGTH_DATA,
            )
            for number in range(1, 6)
        ),
        col(
            "data_fields",
            "integer",
            True,
            "Number of event parameters on the line: tells the older and newer layouts of an "
            "event apart.",
        ),
        col(
            "caller_phone",
            "string",
            True,
            "ENTERQUEUE's caller id (its data2) when it is a number (PII, hashed in staging).",
            pii=True,
        ),
        col(
            "caller_label",
            "string",
            True,
            "ENTERQUEUE's caller id when it is not a number (anonymous, unknown, a name): an "
            "unidentified caller.",
            max_length=MAX_LENGTH_CODE,
        ),
        col(
            "wait_seconds",
            "double",
            True,
            "Queue wait from the event's parameters (holdtime of CONNECT, COMPLETE* and "
            "transfers; waittime of ABANDON and EXIT*); null when the layout has none.",
        ),
        col(
            "talk_seconds",
            "double",
            True,
            "Talk time from the event's parameters (calltime of COMPLETE* and transfers).",
        ),
        col(
            "contact_id",
            "string",
            True,
            "On a call's closing line (COMPLETE*, ABANDON, EXIT*, transfers): the contact id "
            "staging gives the queue visit it closes (callid, or <callid>-<n> for the n-th "
            "ENTERQUEUE of the call in the file); null on other lines.",
        ),
    ),
    # The contacts this file delivers, ended at their closing line: a survey, QA evaluation,
    # KB event, bot hand-off or follow-up contact pointing to a queue_log call is accepted.
    provides=(ProvidedIds("contacts", "contact_id", "event_at"),),
    rules=SourceRules(
        bounds=(
            Bound("wait_seconds", 0, 8 * HOUR, "a queue wait is at most one 8-hour shift"),
            Bound("talk_seconds", 0, 8 * HOUR, "a call is at most one 8-hour shift"),
            Bound("data_fields", 0, 16, "an event has at most 16 parameters"),
        ),
        # The PBX logs every queue event: a day without lines is a missing delivery or a
        # stopped logger, and a collapse of the day's volume is checked like contacts'.
        daily_volume=True,
    ),
    metrics=(
        "offered",
        "answered",
        "abandoned",
        "short_abandoned",
        "flow_outs",
        "service_level",
        "asa",
        "aht",
        "answer_rate",
        "abandon_rate",
        "fcr_rate",
        "occupancy",
    ),
)

SOURCES: tuple[Source, ...] = (QUEUE_LOG,)
