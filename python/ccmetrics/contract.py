"""The landing contract: every source the project reads, its columns, keys and types.

This module is the single source of truth. The generator writes it, the loader and the
Great Expectations suites check it, `docs/landing_contract.md` is rendered from it and the
dbt source definitions are tested against it.

All timestamps are UTC, delivered without an offset (or with one, which the loader converts).
A landing file holds one day: `<landing>/<source>/<YYYY-MM-DD>.parquet` (or `.csv`).

The native formats (`ccmetrics.native`: Asterisk queue_log, Amazon Connect contact records,
Rasa tracker events) are sources too, each landing as it is in its own raw table: `SOURCES` is
the landing contract, `ALL_SOURCES` adds them, and the guard and the loader work on both.
"""

from __future__ import annotations

from pathlib import Path

from ccmetrics.contract_schema import (
    MAX_LENGTH_CODE,
    MAX_LENGTH_REASON,
    NullWhen,
    Source,
    col,
)
from ccmetrics.native import NATIVE_SOURCES

CHANNELS = ("phone", "ivr", "chat", "messaging", "social", "email")
DISPOSITIONS = (
    "handled",
    "transferred",
    "abandoned",
    "flow_out",
    "self_served",
    "disconnected",
    "ivr_abandoned",
)
INITIATION_METHODS = ("inbound", "outbound", "transfer", "callback", "bot_handoff")
BOT_OUTCOMES = ("resolved", "handoff", "dropped")
AGENT_STATES = ("available", "handling", "acw", "break", "lunch", "training", "meeting")
SCHEDULE_ACTIVITIES = ("open", "break", "lunch", "training", "meeting")
KB_ACTORS = ("agent", "bot")
COST_CATEGORIES = ("telephony", "bot_platform", "ai_platform", "other")
SEGMENTS = ("consumer", "small_business", "enterprise")

LOADER_COLUMNS = ("_batch_date", "_source_file", "_source_row", "_loaded_at")
"""Columns the loader adds to every raw table: which delivery a row came from."""

DEFAULT_UNKNOWN_CUSTOMER_IDS = ("0", "anonymous", "unknown")
"""Customer ids that mean "caller not identified", like a null; dbt var `unknown_customer_ids`."""


def unknown_customer_ids(project_file: Path | None = None) -> tuple[str, ...]:
    """The sentinel customer ids of dbt var `unknown_customer_ids`, trimmed and lower-cased.

    dbt_project.yml is the one definition that staging and the loader share; without the file
    or the var, the documented default applies."""
    import yaml

    from ccmetrics.paths import project_dir

    path = project_file if project_file is not None else project_dir() / "dbt_project.yml"
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except OSError:
        return DEFAULT_UNKNOWN_CUSTOMER_IDS
    configured = (config.get("vars") or {}).get("unknown_customer_ids")
    if configured is None:
        return DEFAULT_UNKNOWN_CUSTOMER_IDS
    return tuple(str(value).strip().lower() for value in configured)


CONTACTS = Source(
    name="contacts",
    system="acd",
    description=(
        "One row per contact segment on any channel (phone, IVR, chat, messaging, social, "
        "email). A transfer or callback starts a new segment that points to the previous one "
        "and to the chain's initial contact."
    ),
    key="contact_id",
    day_column="started_at",
    version_column="record_updated_at",
    columns=(
        col("contact_id", "string", False, "Unique id of the contact segment."),
        col(
            "initial_contact_id",
            "string",
            True,
            "First contact of the transfer/callback chain; null when the segment starts a chain.",
            references="contacts.contact_id",
        ),
        col(
            "previous_contact_id",
            "string",
            True,
            "Segment this one continues (transfer or callback); null when it starts a chain.",
            references="contacts.contact_id",
        ),
        col(
            "related_contact_id",
            "string",
            True,
            "Earlier contact whose context this follow-up carries (linked case); not a chain link.",
            references="contacts.contact_id",
        ),
        col(
            "initiation_method",
            "string",
            False,
            "How the segment started.",
            enum=INITIATION_METHODS,
        ),
        col("channel", "string", False, "Channel of the segment.", enum=CHANNELS),
        col(
            "customer_id",
            "string",
            True,
            "Customer who made the contact; null when the caller was not identified (so are "
            "the ids of dbt var `unknown_customer_ids`, by default `0`, `anonymous`, `unknown`).",
            references="customers.customer_id",
        ),
        col("customer_phone", "string", True, "Caller number (PII, hashed in staging).", pii=True),
        col("customer_email", "string", True, "Sender address (PII, hashed in staging).", pii=True),
        col("queue_id", "string", True, "Queue entered; null when the contact never queued."),
        col(
            "contact_reason",
            "string",
            False,
            "Reason (IVR menu, intent or agent wrap-up code).",
            max_length=MAX_LENGTH_REASON,
        ),
        col(
            "agent_id",
            "string",
            True,
            "Agent who handled the segment; null when unanswered.",
            references="agents.agent_id",
        ),
        col(
            "started_at",
            "timestamp",
            False,
            "Contact arrived (call offered to the IVR, chat opened, e-mail received).",
        ),
        col(
            "queued_at",
            "timestamp",
            True,
            "Entered the queue. Null when the contact was routed straight to an agent (then "
            "`connected_at` is set: offered with a zero wait) or never asked for an agent.",
        ),
        col("connected_at", "timestamp", True, "Agent connected; null when never answered."),
        col(
            "first_response_at",
            "timestamp",
            True,
            "First response by a person (agent connect on phone, first agent message on digital "
            "channels); bot replies do not count.",
        ),
        col("ended_at", "timestamp", False, "Segment ended (hang-up, chat closed, e-mail closed)."),
        col("talk_seconds", "double", True, "Agent talk (or active handling) time."),
        col("hold_seconds", "double", True, "Customer on hold."),
        col("acw_seconds", "double", True, "After-contact work by the agent."),
        col(
            "disposition",
            "string",
            False,
            "How the segment ended; `ivr_abandoned`: the caller hung up inside the IVR before "
            "asking for an agent.",
            enum=DISPOSITIONS,
        ),
        col(
            "ai_assisted",
            "boolean",
            False,
            "An AI assistant (suggested replies, summaries, knowledge) helped the agent.",
        ),
        col("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
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
        "first_response_seconds",
        "response_within_target_rate",
        "omnichannel_response_rate",
        "channel_integration_rate",
        "self_service_rate",
        "channel_share",
        "automation_coverage",
        "agent_assist_aht_delta",
        "occupancy",
        "utilization",
        "schedule_fit",
        "cost_per_contact",
        "cost_per_resolution",
        "cost_per_user",
        "churn_risk",
    ),
    null_when=(
        NullWhen(
            "disposition",
            "ivr_abandoned",
            ("queued_at", "connected_at"),
            "the caller hung up inside the IVR before asking for an agent",
        ),
    ),
)

BOT_SESSIONS = Source(
    name="bot_sessions",
    system="bot",
    description="One row per conversation with the virtual agent (chat, messaging or voice bot).",
    key="bot_session_id",
    day_column="started_at",
    version_column="record_updated_at",
    columns=(
        col("bot_session_id", "string", False, "Unique id of the bot conversation."),
        col(
            "customer_id",
            "string",
            True,
            "Customer in the conversation; null when not identified (so are the ids of dbt "
            "var `unknown_customer_ids`).",
            references="customers.customer_id",
        ),
        col("channel", "string", False, "Channel the bot served.", enum=CHANNELS),
        col("started_at", "timestamp", False, "Conversation started."),
        col("ended_at", "timestamp", False, "Conversation ended (or handed off)."),
        col(
            "intent",
            "string",
            False,
            "Recognised intent, in the contact-reason vocabulary.",
            max_length=MAX_LENGTH_REASON,
        ),
        col("turns", "integer", False, "Customer turns in the conversation."),
        col(
            "outcome",
            "string",
            False,
            "resolved, handoff (to a human) or dropped.",
            enum=BOT_OUTCOMES,
        ),
        col(
            "handoff_contact_id",
            "string",
            True,
            "Contact the bot handed off to; set exactly when outcome is handoff.",
            references="contacts.contact_id",
        ),
        col("kb_lookups", "integer", False, "Knowledge-base look-ups made by the bot."),
        col("generative_ai", "boolean", False, "A large language model generated replies."),
        col("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
    ),
    metrics=(
        "bot_resolution_rate",
        "bot_handoff_rate",
        "automation_coverage",
        "automation_rate",
        "automation_savings",
        "self_service_rate",
        "cost_per_resolution",
    ),
)

SURVEYS = Source(
    name="surveys",
    system="survey",
    description="Post-contact survey responses, each rating one contact or one bot session.",
    key="survey_id",
    day_column="responded_at",
    columns=(
        col("survey_id", "string", False, "Unique id of the response."),
        col(
            "contact_id",
            "string",
            True,
            "Rated contact; null when a bot session is rated.",
            references="contacts.contact_id",
        ),
        col(
            "bot_session_id",
            "string",
            True,
            "Rated bot session; null when a contact is rated.",
            references="bot_sessions.bot_session_id",
        ),
        col("customer_id", "string", False, "Respondent.", references="customers.customer_id"),
        col("responded_at", "timestamp", False, "When the response was submitted."),
        col("csat_score", "integer", True, "Satisfaction 1-5; null when not answered."),
        col("nps_score", "integer", True, "Likelihood to recommend 0-10; null when not answered."),
    ),
    metrics=(
        "csat",
        "nps",
        "ai_interaction_csat",
        "cxi",
        "cross_channel_consistency",
        "churn_risk",
    ),
)

CUSTOMERS = Source(
    name="customers",
    system="crm",
    description="Customer master data; a changed customer is delivered again with a newer version.",
    key="customer_id",
    day_column="record_updated_at",
    version_column="record_updated_at",
    columns=(
        col("customer_id", "string", False, "Unique id of the customer."),
        col("segment", "string", False, "Customer segment.", enum=SEGMENTS),
        col("email", "string", True, "E-mail address (PII, hashed in staging).", pii=True),
        col("phone", "string", True, "Phone number (PII, hashed in staging).", pii=True),
        col("created_at", "timestamp", False, "Customer since."),
        col("churned_at", "timestamp", True, "Customer cancelled; null while active."),
        col("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
    ),
    metrics=("cost_per_user", "churn_risk"),
)

AGENTS = Source(
    name="agents",
    system="wfm",
    description="Agent roster with team, home queue, employment dates and loaded hourly cost.",
    key="agent_id",
    day_column="record_updated_at",
    version_column="record_updated_at",
    columns=(
        col("agent_id", "string", False, "Unique id of the agent."),
        col("team_id", "string", False, "Team the agent belongs to."),
        col("home_queue_id", "string", False, "Queue the agent is staffed for."),
        col("hire_date", "date", False, "First day employed."),
        col("leave_date", "date", True, "Last day employed; null while employed."),
        col("hourly_cost", "double", False, "Fully loaded cost of one paid hour."),
        col("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
    ),
    metrics=("labor_cost", "attrition_rate", "utilization", "cost_per_resolution"),
)

AGENT_STATES = Source(
    name="agent_states",
    system="acd",
    description="Logged-in agent time cut into state intervals (no row while logged out).",
    key="state_interval_id",
    day_column="started_at",
    columns=(
        col("state_interval_id", "string", False, "Unique id of the state interval."),
        col("agent_id", "string", False, "Agent.", references="agents.agent_id"),
        col("state", "string", False, "Agent state.", enum=AGENT_STATES),
        col("started_at", "timestamp", False, "State entered."),
        col("ended_at", "timestamp", False, "State left."),
    ),
    metrics=("schedule_adherence", "occupancy", "utilization", "labor_cost", "schedule_fit"),
)

SCHEDULES = Source(
    name="schedules",
    system="wfm",
    description="Planned agent activities from workforce management.",
    key="schedule_id",
    day_column="starts_at",
    columns=(
        col("schedule_id", "string", False, "Unique id of the scheduled activity."),
        col("agent_id", "string", False, "Agent.", references="agents.agent_id"),
        col(
            "activity",
            "string",
            False,
            "Planned activity; open means taking contacts.",
            enum=SCHEDULE_ACTIVITIES,
        ),
        col("starts_at", "timestamp", False, "Activity starts."),
        col("ends_at", "timestamp", False, "Activity ends."),
    ),
    metrics=("schedule_adherence", "schedule_fit"),
)

QA_EVALUATIONS = Source(
    name="qa_evaluations",
    system="qa",
    description="Quality evaluations of agent contacts and of bot conversations.",
    key="evaluation_id",
    day_column="evaluated_at",
    columns=(
        col("evaluation_id", "string", False, "Unique id of the evaluation."),
        col(
            "contact_id",
            "string",
            True,
            "Evaluated contact; null for a bot conversation.",
            references="contacts.contact_id",
        ),
        col(
            "bot_session_id",
            "string",
            True,
            "Evaluated bot conversation; null for a contact.",
            references="bot_sessions.bot_session_id",
        ),
        col(
            "agent_id",
            "string",
            True,
            "Evaluated agent; null for a bot conversation.",
            references="agents.agent_id",
        ),
        col("evaluated_at", "timestamp", False, "When the evaluation was completed."),
        col("score", "double", False, "Evaluation score 0-100."),
        col("fatal_errors", "integer", False, "Fatal errors found (compliance, wrong answer)."),
        col("non_fatal_errors", "integer", False, "Non-fatal errors found."),
    ),
    metrics=("qa_score", "qa_fatal_error_rate"),
)

KB_EVENTS = Source(
    name="kb_events",
    system="kb",
    description="Knowledge-base look-ups by agents and by the bot.",
    key="kb_event_id",
    day_column="occurred_at",
    columns=(
        col("kb_event_id", "string", False, "Unique id of the look-up."),
        col("occurred_at", "timestamp", False, "When the look-up was made."),
        col("actor_type", "string", False, "Who looked up: agent or bot.", enum=KB_ACTORS),
        col(
            "agent_id",
            "string",
            True,
            "Agent who looked up; null for the bot.",
            references="agents.agent_id",
        ),
        col(
            "contact_id",
            "string",
            True,
            "Contact during which an agent looked up.",
            references="contacts.contact_id",
        ),
        col(
            "bot_session_id",
            "string",
            True,
            "Bot conversation during which the bot looked up.",
            references="bot_sessions.bot_session_id",
        ),
        col("article_id", "string", True, "Article returned; null when nothing was found."),
        col("article_used", "boolean", False, "The returned article was used in the answer."),
    ),
    metrics=("kb_hit_rate",),
)

AI_RECOMMENDATIONS = Source(
    name="ai_recommendations",
    system="ai",
    description="Next-best-offer recommendations made by the AI during contacts and bot sessions.",
    key="recommendation_id",
    day_column="offered_at",
    columns=(
        col("recommendation_id", "string", False, "Unique id of the recommendation."),
        col(
            "contact_id",
            "string",
            True,
            "Contact in which it was offered.",
            references="contacts.contact_id",
        ),
        col(
            "bot_session_id",
            "string",
            True,
            "Bot session in which it was offered.",
            references="bot_sessions.bot_session_id",
        ),
        col(
            "customer_id",
            "string",
            False,
            "Customer it was offered to.",
            references="customers.customer_id",
        ),
        col("offered_at", "timestamp", False, "When it was offered."),
        col(
            "product_code",
            "string",
            False,
            "Recommended product or plan.",
            max_length=MAX_LENGTH_CODE,
        ),
        col("accepted", "boolean", False, "The customer bought it."),
        col("revenue", "double", True, "Revenue of the purchase; null when not accepted."),
    ),
    metrics=("recommendation_conversion_rate",),
)

COST_LINES = Source(
    name="cost_lines",
    system="finance",
    description="Non-labor cost per day: telephony, bot and AI platforms, other.",
    key="cost_line_id",
    day_column="cost_date",
    columns=(
        col("cost_line_id", "string", False, "Unique id of the cost line."),
        col("cost_date", "date", False, "Day the cost belongs to."),
        col("category", "string", False, "Kind of cost.", enum=COST_CATEGORIES),
        col("channel", "string", True, "Channel the cost is for; null when shared.", enum=CHANNELS),
        col("amount", "double", False, "Amount in the reporting currency."),
    ),
    metrics=("total_cost", "cost_per_contact", "cost_per_resolution", "cost_per_user"),
)

SOURCES: tuple[Source, ...] = (
    CONTACTS,
    BOT_SESSIONS,
    SURVEYS,
    CUSTOMERS,
    AGENTS,
    AGENT_STATES,
    SCHEDULES,
    QA_EVALUATIONS,
    KB_EVENTS,
    AI_RECOMMENDATIONS,
    COST_LINES,
)
ALL_SOURCES: tuple[Source, ...] = (*SOURCES, *NATIVE_SOURCES)
SOURCES_BY_NAME: dict[str, Source] = {source.name: source for source in ALL_SOURCES}
SOURCES_BY_FOLDER: dict[str, Source] = {source.landing_folder: source for source in ALL_SOURCES}


def source(name: str) -> Source:
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        valid = ", ".join(SOURCES_BY_NAME)
        raise KeyError(f"unknown source {name!r}; valid sources: {valid}") from None
