"""Amazon Connect contact trace records (CTR) as a native source: raw table `connect_ctr`.

Kinesis Data Firehose delivers the records as concatenated JSON objects (not always one per
line, sometimes pretty-printed) to `<landing>/connect/ctr/<YYYY-MM-DD>.json`, one file per UTC
day of delivery (`LastUpdateTimestamp`). A record arrives at least once and again whenever the
contact changes: the raw key is the record version (`contact_id` with `last_update_timestamp`),
and staging (`stg_connect__contacts`) keeps the latest version per contact. An exact duplicate
delivery of one version loads once (the guard validates identical rows once, staging keeps one
row per contact), like every re-sent record of the landing contract.

The columns flatten the CTR's nested objects (`Queue.Name` -> `queue_name`, ...) and hold
what staging needs from `Attributes` (`ccmetrics.native.connect.reader.attribute_keys`).
"""

from __future__ import annotations

from ccmetrics.contract_schema import (
    MAX_LENGTH_CODE,
    MAX_LENGTH_REASON,
    MEMBER_NAME,
    Bound,
    Order,
    ProvidedIds,
    Source,
    SourceRules,
    Span,
    col,
)
from ccmetrics.native.connect.reader import read_ctr_file

HOUR = 3600.0
DAY = 24 * HOUR

CTR = Source(
    name="connect_ctr",
    system="connect",
    description=(
        "Amazon Connect contact trace records as delivered by Kinesis Data Firehose: one row "
        "per record version (a contact's record is delivered again whenever it changes; the "
        "latest LastUpdateTimestamp wins in staging)."
    ),
    key="contact_id",
    day_column="last_update_timestamp",
    version_column="last_update_timestamp",
    event_column="initiation_timestamp",
    folder="connect/ctr",
    file_suffixes=("json",),
    # Surveys, QA evaluations, KB look-ups, AI recommendations and bot hand-offs point to these
    # contacts by ContactId, as staging publishes it.
    provides=(ProvidedIds("contacts", "contact_id", "disconnect_timestamp"),),
    reader=read_ctr_file,
    columns=(
        col("contact_id", "string", False, "ContactId: the contact segment."),
        col("initial_contact_id", "string", True, "InitialContactId: first contact of the chain."),
        col(
            "previous_contact_id", "string", True, "PreviousContactId: contact this one continues."
        ),
        col("next_contact_id", "string", True, "NextContactId: contact that continues this one."),
        col(
            "related_contact_id", "string", True, "RelatedContactId: linked, not chained, contact."
        ),
        col(
            "channel",
            "string",
            False,
            "Channel: VOICE, CHAT, TASK or EMAIL.",
            max_length=MAX_LENGTH_CODE,
        ),
        col(
            "initiation_method",
            "string",
            False,
            "InitiationMethod: INBOUND, OUTBOUND, TRANSFER, QUEUE_TRANSFER, CALLBACK, API, ...",
            max_length=MAX_LENGTH_CODE,
        ),
        col("initiation_timestamp", "timestamp", False, "InitiationTimestamp: contact started."),
        col(
            "connected_to_system_timestamp",
            "timestamp",
            True,
            "ConnectedToSystemTimestamp: customer endpoint connected to Amazon Connect.",
        ),
        col("disconnect_timestamp", "timestamp", False, "DisconnectTimestamp: contact ended."),
        col(
            "disconnect_reason",
            "string",
            True,
            "DisconnectReason: CUSTOMER_DISCONNECT, AGENT_DISCONNECT, CONTACT_FLOW_DISCONNECT, "
            "TELECOM_PROBLEM, ...",
            max_length=MAX_LENGTH_CODE,
        ),
        col("queue_name", "string", True, "Queue.Name: queue entered.", max_length=256),
        col("queue_enqueue_timestamp", "timestamp", True, "Queue.EnqueueTimestamp."),
        col("queue_dequeue_timestamp", "timestamp", True, "Queue.DequeueTimestamp."),
        col("queue_duration", "integer", True, "Queue.Duration: whole seconds in queue."),
        col(
            "agent_username",
            "string",
            True,
            "Agent.Username: agent who handled it.",
            max_length=100,
            pattern=MEMBER_NAME,
        ),
        col(
            "agent_connected_to_agent_timestamp",
            "timestamp",
            True,
            "Agent.ConnectedToAgentTimestamp: agent connected.",
        ),
        col(
            "agent_interaction_duration",
            "integer",
            True,
            "Agent.AgentInteractionDuration: seconds the agent interacted with the customer.",
        ),
        col(
            "agent_customer_hold_duration",
            "integer",
            True,
            "Agent.CustomerHoldDuration: seconds the customer was on hold.",
        ),
        col(
            "agent_after_contact_work_duration",
            "integer",
            True,
            "Agent.AfterContactWorkDuration: seconds of after-contact work.",
        ),
        col(
            "customer_endpoint_type",
            "string",
            True,
            "CustomerEndpoint.Type: TELEPHONE_NUMBER, EMAIL_ADDRESS, ...",
            max_length=MAX_LENGTH_CODE,
        ),
        col(
            "chat_agent_first_response_timestamp",
            "timestamp",
            True,
            "ChatMetrics.ChatContactMetrics.AgentFirstResponseTimestamp: first agent message of "
            "a chat.",
        ),
        col(
            "customer_phone",
            "string",
            True,
            "CustomerEndpoint.Address of a TELEPHONE_NUMBER endpoint (PII, hashed in staging); "
            "null for a withheld number (anonymous caller).",
            pii=True,
        ),
        col(
            "customer_email",
            "string",
            True,
            "CustomerEndpoint.Address of an EMAIL_ADDRESS endpoint (PII, hashed in staging).",
            pii=True,
        ),
        col(
            "attribute_contact_reason",
            "string",
            True,
            "Attributes: the contact reason attribute (key `contact_reason` by default).",
            max_length=MAX_LENGTH_REASON,
        ),
        col(
            "attribute_customer_id",
            "string",
            True,
            "Attributes: the customer id attribute (key `customer_id` by default).",
        ),
        col(
            "attribute_ai_assisted",
            "string",
            True,
            "Attributes: the AI-assist flag (key `ai_assisted` by default; `true` or `false`).",
            max_length=MAX_LENGTH_CODE,
        ),
        col(
            "attribute_bot_handoff",
            "string",
            True,
            "Attributes: the bot-handoff flag (key `bot_handoff` by default; `true`: a bot in "
            "the flow handed the customer to a queue).",
            max_length=MAX_LENGTH_CODE,
        ),
        col(
            "last_update_timestamp",
            "timestamp",
            False,
            "LastUpdateTimestamp: version of the record; latest wins.",
        ),
    ),
    metrics=("offered", "answered", "abandoned", "service_level", "asa", "aht", "fcr_rate"),
    rules=SourceRules(
        bounds=(
            Bound("queue_duration", 0, DAY, "a contact waits at most a day in queue"),
            Bound("agent_interaction_duration", 0, 8 * HOUR, "talk time is at most 8 hours"),
            Bound("agent_customer_hold_duration", 0, 8 * HOUR, "hold time is at most 8 hours"),
            Bound(
                "agent_after_contact_work_duration",
                0,
                4 * HOUR,
                "after-contact work is at most 4 h",
            ),
        ),
        orders=(
            Order("initiation_timestamp", "disconnect_timestamp"),
            Order("initiation_timestamp", "queue_enqueue_timestamp"),
            Order("queue_enqueue_timestamp", "queue_dequeue_timestamp"),
            Order("queue_enqueue_timestamp", "agent_connected_to_agent_timestamp"),
            Order("initiation_timestamp", "agent_connected_to_agent_timestamp"),
            Order("agent_connected_to_agent_timestamp", "disconnect_timestamp"),
            Order("agent_connected_to_agent_timestamp", "chat_agent_first_response_timestamp"),
            Order("initiation_timestamp", "last_update_timestamp"),
        ),
        # E-mail contacts stay open for days; a contact open for a month is a broken clock.
        span=Span("initiation_timestamp", "disconnect_timestamp", 14 * DAY),
    ),
)

SOURCES: tuple[Source, ...] = (CTR,)
