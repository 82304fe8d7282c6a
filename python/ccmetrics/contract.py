"""The landing contract: every source the project reads, its columns, keys and types.

This module is the single source of truth. The generator writes it, the loader and the
Great Expectations suites check it, `docs/landing_contract.md` is rendered from it and the
dbt source definitions are tested against it.

All timestamps are UTC, delivered without an offset (or with one, which the loader converts).
A landing file holds one day: `<landing>/<source>/<YYYY-MM-DD>.parquet` (or `.csv`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


MAX_LENGTH_ID = 128
"""Ids (`*_id`): far above any real system's keys, far below an abuse."""
MAX_LENGTH_CODE = 64
"""Enums and short codes (channel, disposition, product code)."""
MAX_LENGTH_REASON = 256
"""Contact reasons and bot intents: a menu entry, an intent or a wrap-up code."""
MAX_LENGTH_PHONE = 32
"""Phone numbers: E.164 has at most 15 digits; formatting and an extension fit in 32."""
MAX_LENGTH_EMAIL = 254
"""E-mail addresses: the longest address SMTP can carry (RFC 5321)."""


def default_max_length(name: str, enum: tuple[str, ...] | None, pii: bool) -> int | None:
    """The bound a text column gets from its kind; None when its kind gives none."""
    if enum is not None:
        return MAX_LENGTH_CODE
    if pii and "email" in name:
        return MAX_LENGTH_EMAIL
    if pii and "phone" in name:
        return MAX_LENGTH_PHONE
    if name.endswith("_id"):
        return MAX_LENGTH_ID
    return None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """One of: string, timestamp, date, integer, double, boolean, decimal."""
    nullable: bool
    description: str
    enum: tuple[str, ...] | None = None
    pii: bool = False
    references: str | None = None
    """`source.column` this column points to, when it is a foreign key."""
    max_length: int | None = None
    """Most characters a value of a string column may have (the guard quarantines a longer
    one); defaults by kind (`default_max_length`). Every string column has one."""

    def __post_init__(self) -> None:
        if self.type != "string":
            if self.max_length is not None:
                raise ValueError(f"{self.name}: only string columns have a max_length")
            return
        if self.max_length is None:
            bound = default_max_length(self.name, self.enum, self.pii)
            if bound is None:
                raise ValueError(f"{self.name}: a string column needs a max_length")
            object.__setattr__(self, "max_length", bound)
        if self.max_length is not None and self.max_length < 1:
            raise ValueError(f"{self.name}: max_length must be positive")


@dataclass(frozen=True)
class NullWhen:
    """On rows whose `when_column` is `when_value`, every column of `columns` is null."""

    when_column: str
    when_value: str
    columns: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Source:
    name: str
    system: str
    """The dbt source (operational system) the table belongs to."""
    description: str
    key: str
    day_column: str
    """The timestamp or date column whose UTC day decides which daily file a row lands in."""
    columns: tuple[Column, ...]
    version_column: str | None = None
    """Where a record can be re-delivered with changes: the column that orders versions."""
    metrics: tuple[str, ...] = field(default_factory=tuple)
    null_when: tuple[NullWhen, ...] = ()
    """Columns that must be empty on some rows (the guard quarantines a row that breaks it)."""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)


def _c(name: str, type_: str, nullable: bool, description: str, **kwargs: object) -> Column:
    return Column(name, type_, nullable, description, **kwargs)  # type: ignore[arg-type]


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
        _c("contact_id", "string", False, "Unique id of the contact segment."),
        _c(
            "initial_contact_id",
            "string",
            True,
            "First contact of the transfer/callback chain; null when the segment starts a chain.",
            references="contacts.contact_id",
        ),
        _c(
            "previous_contact_id",
            "string",
            True,
            "Segment this one continues (transfer or callback); null when it starts a chain.",
            references="contacts.contact_id",
        ),
        _c(
            "related_contact_id",
            "string",
            True,
            "Earlier contact whose context this follow-up carries (linked case); not a chain link.",
            references="contacts.contact_id",
        ),
        _c(
            "initiation_method",
            "string",
            False,
            "How the segment started.",
            enum=INITIATION_METHODS,
        ),
        _c("channel", "string", False, "Channel of the segment.", enum=CHANNELS),
        _c(
            "customer_id",
            "string",
            True,
            "Customer who made the contact; null when the caller was not identified (so are "
            "the ids of dbt var `unknown_customer_ids`, by default `0`, `anonymous`, `unknown`).",
            references="customers.customer_id",
        ),
        _c("customer_phone", "string", True, "Caller number (PII, hashed in staging).", pii=True),
        _c("customer_email", "string", True, "Sender address (PII, hashed in staging).", pii=True),
        _c("queue_id", "string", True, "Queue entered; null when the contact never queued."),
        _c(
            "contact_reason",
            "string",
            False,
            "Reason (IVR menu, intent or agent wrap-up code).",
            max_length=MAX_LENGTH_REASON,
        ),
        _c(
            "agent_id",
            "string",
            True,
            "Agent who handled the segment; null when unanswered.",
            references="agents.agent_id",
        ),
        _c(
            "started_at",
            "timestamp",
            False,
            "Contact arrived (call offered to the IVR, chat opened, e-mail received).",
        ),
        _c(
            "queued_at",
            "timestamp",
            True,
            "Entered the queue. Null when the contact was routed straight to an agent (then "
            "`connected_at` is set: offered with a zero wait) or never asked for an agent.",
        ),
        _c("connected_at", "timestamp", True, "Agent connected; null when never answered."),
        _c(
            "first_response_at",
            "timestamp",
            True,
            "First response by a person (agent connect on phone, first agent message on digital "
            "channels); bot replies do not count.",
        ),
        _c("ended_at", "timestamp", False, "Segment ended (hang-up, chat closed, e-mail closed)."),
        _c("talk_seconds", "double", True, "Agent talk (or active handling) time."),
        _c("hold_seconds", "double", True, "Customer on hold."),
        _c("acw_seconds", "double", True, "After-contact work by the agent."),
        _c(
            "disposition",
            "string",
            False,
            "How the segment ended; `ivr_abandoned`: the caller hung up inside the IVR before "
            "asking for an agent.",
            enum=DISPOSITIONS,
        ),
        _c(
            "ai_assisted",
            "boolean",
            False,
            "An AI assistant (suggested replies, summaries, knowledge) helped the agent.",
        ),
        _c("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
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
        _c("bot_session_id", "string", False, "Unique id of the bot conversation."),
        _c(
            "customer_id",
            "string",
            True,
            "Customer in the conversation; null when not identified (so are the ids of dbt "
            "var `unknown_customer_ids`).",
            references="customers.customer_id",
        ),
        _c("channel", "string", False, "Channel the bot served.", enum=CHANNELS),
        _c("started_at", "timestamp", False, "Conversation started."),
        _c("ended_at", "timestamp", False, "Conversation ended (or handed off)."),
        _c(
            "intent",
            "string",
            False,
            "Recognised intent, in the contact-reason vocabulary.",
            max_length=MAX_LENGTH_REASON,
        ),
        _c("turns", "integer", False, "Customer turns in the conversation."),
        _c(
            "outcome",
            "string",
            False,
            "resolved, handoff (to a human) or dropped.",
            enum=BOT_OUTCOMES,
        ),
        _c(
            "handoff_contact_id",
            "string",
            True,
            "Contact the bot handed off to; set exactly when outcome is handoff.",
            references="contacts.contact_id",
        ),
        _c("kb_lookups", "integer", False, "Knowledge-base look-ups made by the bot."),
        _c("generative_ai", "boolean", False, "A large language model generated replies."),
        _c("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
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
        _c("survey_id", "string", False, "Unique id of the response."),
        _c(
            "contact_id",
            "string",
            True,
            "Rated contact; null when a bot session is rated.",
            references="contacts.contact_id",
        ),
        _c(
            "bot_session_id",
            "string",
            True,
            "Rated bot session; null when a contact is rated.",
            references="bot_sessions.bot_session_id",
        ),
        _c("customer_id", "string", False, "Respondent.", references="customers.customer_id"),
        _c("responded_at", "timestamp", False, "When the response was submitted."),
        _c("csat_score", "integer", True, "Satisfaction 1-5; null when not answered."),
        _c("nps_score", "integer", True, "Likelihood to recommend 0-10; null when not answered."),
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
        _c("customer_id", "string", False, "Unique id of the customer."),
        _c("segment", "string", False, "Customer segment.", enum=SEGMENTS),
        _c("email", "string", True, "E-mail address (PII, hashed in staging).", pii=True),
        _c("phone", "string", True, "Phone number (PII, hashed in staging).", pii=True),
        _c("created_at", "timestamp", False, "Customer since."),
        _c("churned_at", "timestamp", True, "Customer cancelled; null while active."),
        _c("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
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
        _c("agent_id", "string", False, "Unique id of the agent."),
        _c("team_id", "string", False, "Team the agent belongs to."),
        _c("home_queue_id", "string", False, "Queue the agent is staffed for."),
        _c("hire_date", "date", False, "First day employed."),
        _c("leave_date", "date", True, "Last day employed; null while employed."),
        _c("hourly_cost", "double", False, "Fully loaded cost of one paid hour."),
        _c("record_updated_at", "timestamp", False, "Version of the record; latest wins."),
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
        _c("state_interval_id", "string", False, "Unique id of the state interval."),
        _c("agent_id", "string", False, "Agent.", references="agents.agent_id"),
        _c("state", "string", False, "Agent state.", enum=AGENT_STATES),
        _c("started_at", "timestamp", False, "State entered."),
        _c("ended_at", "timestamp", False, "State left."),
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
        _c("schedule_id", "string", False, "Unique id of the scheduled activity."),
        _c("agent_id", "string", False, "Agent.", references="agents.agent_id"),
        _c(
            "activity",
            "string",
            False,
            "Planned activity; open means taking contacts.",
            enum=SCHEDULE_ACTIVITIES,
        ),
        _c("starts_at", "timestamp", False, "Activity starts."),
        _c("ends_at", "timestamp", False, "Activity ends."),
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
        _c("evaluation_id", "string", False, "Unique id of the evaluation."),
        _c(
            "contact_id",
            "string",
            True,
            "Evaluated contact; null for a bot conversation.",
            references="contacts.contact_id",
        ),
        _c(
            "bot_session_id",
            "string",
            True,
            "Evaluated bot conversation; null for a contact.",
            references="bot_sessions.bot_session_id",
        ),
        _c(
            "agent_id",
            "string",
            True,
            "Evaluated agent; null for a bot conversation.",
            references="agents.agent_id",
        ),
        _c("evaluated_at", "timestamp", False, "When the evaluation was completed."),
        _c("score", "double", False, "Evaluation score 0-100."),
        _c("fatal_errors", "integer", False, "Fatal errors found (compliance, wrong answer)."),
        _c("non_fatal_errors", "integer", False, "Non-fatal errors found."),
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
        _c("kb_event_id", "string", False, "Unique id of the look-up."),
        _c("occurred_at", "timestamp", False, "When the look-up was made."),
        _c("actor_type", "string", False, "Who looked up: agent or bot.", enum=KB_ACTORS),
        _c(
            "agent_id",
            "string",
            True,
            "Agent who looked up; null for the bot.",
            references="agents.agent_id",
        ),
        _c(
            "contact_id",
            "string",
            True,
            "Contact during which an agent looked up.",
            references="contacts.contact_id",
        ),
        _c(
            "bot_session_id",
            "string",
            True,
            "Bot conversation during which the bot looked up.",
            references="bot_sessions.bot_session_id",
        ),
        _c("article_id", "string", True, "Article returned; null when nothing was found."),
        _c("article_used", "boolean", False, "The returned article was used in the answer."),
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
        _c("recommendation_id", "string", False, "Unique id of the recommendation."),
        _c(
            "contact_id",
            "string",
            True,
            "Contact in which it was offered.",
            references="contacts.contact_id",
        ),
        _c(
            "bot_session_id",
            "string",
            True,
            "Bot session in which it was offered.",
            references="bot_sessions.bot_session_id",
        ),
        _c(
            "customer_id",
            "string",
            False,
            "Customer it was offered to.",
            references="customers.customer_id",
        ),
        _c("offered_at", "timestamp", False, "When it was offered."),
        _c(
            "product_code",
            "string",
            False,
            "Recommended product or plan.",
            max_length=MAX_LENGTH_CODE,
        ),
        _c("accepted", "boolean", False, "The customer bought it."),
        _c("revenue", "double", True, "Revenue of the purchase; null when not accepted."),
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
        _c("cost_line_id", "string", False, "Unique id of the cost line."),
        _c("cost_date", "date", False, "Day the cost belongs to."),
        _c("category", "string", False, "Kind of cost.", enum=COST_CATEGORIES),
        _c("channel", "string", True, "Channel the cost is for; null when shared.", enum=CHANNELS),
        _c("amount", "double", False, "Amount in the reporting currency."),
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
SOURCES_BY_NAME: dict[str, Source] = {source.name: source for source in SOURCES}


def source(name: str) -> Source:
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        valid = ", ".join(SOURCES_BY_NAME)
        raise KeyError(f"unknown source {name!r}; valid sources: {valid}") from None
