"""Headline metrics of the four generations, each a true ratio of summed columns of a mart.

A metric over a period (or a day of the trend) is sum(numerator) / sum(denominator) over the
mart's rows, never an average of the rows' rates, so it matches the semantic layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["percent", "seconds", "currency", "score"]


@dataclass(frozen=True)
class Ratio:
    name: str
    label: str
    table: str
    date_column: str
    numerator: str
    """SQL expression over the mart's columns, summed."""
    denominator: str
    columns: tuple[str, ...]
    """Columns the expressions need (checked before querying)."""
    fmt: Format = "percent"
    scale: float = 1.0
    sources: tuple[str, ...] = ("contacts",)
    """Landing sources without which the metric is not available."""


@dataclass(frozen=True)
class Weighted:
    """A weighted mean of ratios (CXI): each component is sum(numerator) / sum(denominator)
    over the period; a component without data drops out and the remaining weights are
    renormalised, as the mart does."""

    name: str
    label: str
    table: str
    date_column: str
    components: tuple[tuple[str, str, str], ...]
    """(weight name in the dbt var `weights_var`, numerator column, denominator column)."""
    weights_var: str
    fmt: Format = "score"
    scale: float = 100.0
    sources: tuple[str, ...] = ("contacts",)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for _, num, den in self.components for column in (num, den))


Metric = Ratio | Weighted


@dataclass(frozen=True)
class Generation:
    key: str
    title: str
    intro: str
    metrics: tuple[Metric, ...]


def _ratio(
    name: str,
    label: str,
    table: str,
    date_column: str,
    numerator: str,
    denominator: str,
    fmt: Format = "percent",
    scale: float = 1.0,
    sources: tuple[str, ...] = ("contacts",),
) -> Ratio:
    columns = tuple(
        token
        for token in sorted(set((numerator + " " + denominator).replace("-", " ").split()))
        if token.isidentifier()
    )
    return Ratio(
        name, label, table, date_column, numerator, denominator, columns, fmt, scale, sources
    )


LABOR = ("agent_states", "agents")
"""Labor cost is logged-in time (agent states) x the agent's hourly cost (agents)."""


GENERATIONS: tuple[Generation, ...] = (
    Generation(
        key="gen1",
        title="Generation 1 - efficiency",
        intro="Telephone-era queue metrics: service level, answer and abandon rates, speed of "
        "answer, handle time, first-contact resolution and labor cost per handled contact.",
        metrics=(
            _ratio(
                "service_level",
                "Service level",
                "fct_queue_daily",
                "reporting_date",
                "service_level_numerator",
                "service_level_denominator",
            ),
            _ratio(
                "answer_rate",
                "Answer rate",
                "fct_queue_daily",
                "reporting_date",
                "answer_rate_numerator",
                "answer_rate_denominator",
            ),
            _ratio(
                "abandon_rate",
                "Abandon rate",
                "fct_queue_daily",
                "reporting_date",
                "abandon_rate_numerator",
                "abandon_rate_denominator",
            ),
            _ratio(
                "asa",
                "ASA",
                "fct_queue_daily",
                "reporting_date",
                "asa_wait_seconds",
                "answered",
                fmt="seconds",
            ),
            _ratio(
                "aht",
                "AHT",
                "fct_queue_daily",
                "reporting_date",
                "handle_seconds",
                "handled_contacts",
                fmt="seconds",
            ),
            _ratio(
                "fcr_rate",
                "FCR ({fcr_window})",
                "fct_queue_daily",
                "reporting_date",
                "fcr_resolved_default",
                "fcr_eligible_default",
            ),
            _ratio(
                "cost_per_contact",
                "Labor cost per handled contact",
                "fct_queue_daily",
                "reporting_date",
                "labor_cost",
                "handled_contacts",
                fmt="currency",
                sources=LABOR,
            ),
        ),
    ),
    Generation(
        key="gen2",
        title="Generation 2 - experience",
        intro="Multichannel-era customer experience: satisfaction, loyalty, response within the "
        "channel's target and resolution in self-service.",
        metrics=(
            _ratio(
                "csat",
                "CSAT (top-2-box)",
                "fct_satisfaction_daily",
                "reporting_date",
                "csat_satisfied_responses",
                "csat_responses",
                sources=("surveys",),
            ),
            _ratio(
                "nps",
                "NPS",
                "fct_satisfaction_daily",
                "reporting_date",
                "nps_promoters - nps_detractors",
                "nps_responses",
                fmt="score",
                scale=100.0,
                sources=("surveys",),
            ),
            _ratio(
                "response_within_target_rate",
                "Response within target",
                "fct_response_daily",
                "reporting_date",
                "responded_within_target",
                "inbound_contacts",
            ),
            _ratio(
                "omnichannel_response_rate",
                "Omnichannel response rate",
                "fct_response_daily",
                "reporting_date",
                "responded_contacts",
                "inbound_contacts",
            ),
            _ratio(
                "first_response_seconds",
                "First response",
                "fct_response_daily",
                "reporting_date",
                "first_response_seconds_sum",
                "responded_contacts",
                fmt="seconds",
            ),
            _ratio(
                "self_service_rate",
                "Self-service rate",
                "fct_channel_mix_daily",
                "reporting_date",
                "self_served_interactions",
                "interactions",
            ),
            _ratio(
                "channel_integration_rate",
                "Channel integration",
                "fct_channel_integration_daily",
                "reporting_date",
                "context_carrying_follow_ups",
                "channel_switch_follow_ups",
            ),
        ),
    ),
    Generation(
        key="gen3",
        title="Generation 3 - AI assists",
        intro="Omnichannel intelligence: the bot resolving or handing off, and knowledge-base "
        "look-ups that found an article that was used.",
        metrics=(
            _ratio(
                "bot_resolution_rate",
                "Bot resolution rate",
                "fct_bot_daily",
                "reporting_date",
                "bot_resolutions",
                "bot_resolution_eligible",
                sources=("bot_sessions",),
            ),
            _ratio(
                "bot_handoff_rate",
                "Bot handoff rate",
                "fct_bot_daily",
                "reporting_date",
                "bot_handoffs",
                "bot_sessions",
                sources=("bot_sessions",),
            ),
            _ratio(
                "kb_hit_rate",
                "KB hit rate",
                "fct_kb_daily",
                "reporting_date",
                "kb_hits",
                "lookups",
                sources=("kb_events",),
            ),
        ),
    ),
    Generation(
        key="gen4",
        title="Generation 4 - value creation",
        intro="Large-model era: satisfaction with AI-handled interactions, AI coverage and the "
        "revenue AI recommendations convert.",
        metrics=(
            Weighted(
                "cxi",
                "CXI (0-100)",
                "fct_cxi_daily",
                "reporting_date",
                (
                    ("csat", "csat_numerator", "csat_denominator"),
                    ("fcr", "fcr_numerator", "fcr_denominator"),
                    ("response", "response_numerator", "response_denominator"),
                ),
                weights_var="cxi_weights",
            ),
            _ratio(
                "automation_coverage",
                "Automation coverage",
                "fct_automation_daily",
                "reporting_date",
                "ai_touched_interactions",
                "interactions",
            ),
            _ratio(
                "agent_assist_aht_delta",
                "Agent-assist AHT delta",
                "fct_agent_assist_aht_delta_daily",
                "reporting_date",
                "weighted_delta_seconds_sum",
                "assisted_handled_compared",
                fmt="seconds",
            ),
            _ratio(
                "ai_interaction_csat",
                "AI interaction CSAT",
                "fct_ai_interaction_csat_daily",
                "reporting_date",
                "ai_csat_satisfied_responses",
                "ai_csat_responses",
                sources=("surveys",),
            ),
            _ratio(
                "recommendation_conversion_rate",
                "Recommendation conversion",
                "fct_recommendation_conversion_daily",
                "reporting_date",
                "recommendations_accepted",
                "recommendations_offered",
                sources=("ai_recommendations",),
            ),
        ),
    ),
    Generation(
        key="workforce",
        title="Workforce and quality",
        intro="Adherence to schedule, occupancy and utilization of agents, and QA evaluations "
        "of agents and sampled bot conversations.",
        metrics=(
            _ratio(
                "schedule_adherence",
                "Schedule adherence",
                "fct_schedule_adherence",
                "reporting_date",
                "adherent_minutes",
                "scheduled_minutes",
                sources=("agent_states", "schedules"),
            ),
            _ratio(
                "occupancy",
                "Occupancy",
                "fct_agent_occupancy",
                "reporting_date",
                "handling_seconds",
                "occupied_or_available_seconds",
                sources=("agent_states",),
            ),
            _ratio(
                "utilization",
                "Utilization",
                "fct_agent_occupancy",
                "reporting_date",
                "handling_seconds",
                "paid_seconds",
                sources=("agent_states",),
            ),
            _ratio(
                "qa_score",
                "QA score",
                "fct_qa_scores",
                "reporting_date",
                "score_sum",
                "evaluations",
                fmt="score",
                sources=("qa_evaluations",),
            ),
            _ratio(
                "qa_fatal_error_rate",
                "QA fatal-error rate",
                "fct_qa_scores",
                "reporting_date",
                "fatal_error_evaluations",
                "evaluations",
                sources=("qa_evaluations",),
            ),
        ),
    ),
)
