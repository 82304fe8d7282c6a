"""The scorecard: the four generations of metrics, workforce and cost, each with its trend.

The period is the last `days` complete reporting days, compared with the `days` before them;
with a whole number of weeks, the periods are whole weeks starting on the build's
`week_start`. A trailing fragment (the last reporting day the deliveries cover only in part,
see fct_source_coverage) is left out and the data's end is stated. When the data is shorter
than two such periods, the available days are split in halves instead, and the label says
so. Every figure is re-aggregated from summed numerators and denominators through the query
API; a section whose marts do not exist yet is shown as such, and a figure whose landing
source was never delivered as "n/a (no <source> delivered)", never filled with made-up
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from sqlglot import exp

from ccmetrics.catalog import Catalog, CatalogError, Mart
from ccmetrics.provenance import META_MARTS, WEEKDAYS, Provenance, read_provenance
from ccmetrics.sqlbuild import BatchQuery, Filter, Period, Read, build_batch

if TYPE_CHECKING:
    import pandas as pd

    from ccmetrics.api import Warehouse

Unit = Literal["rate", "seconds", "money", "count", "score", "index"]
Combine = Literal["ratio", "nps", "product", "cxi"]
QUEUE_MARTS = ("fct_queue_daily", "fct_queue_intervals")
COST_MART = "fct_cost_channel_daily"
Source = tuple[str, tuple[tuple[str, str, str], ...]]
"""A mart and the filters a scorecard line reads it with: one query per source."""
NO_MART = "no mart yet"
UNDELIVERED = "n/a ("
"""How the status of a figure begins when it is not available for a stated reason (a landing
source never delivered, a parameter the build did not publish)."""


@dataclass(frozen=True)
class Line:
    """One headline metric: what the scorecard and the report both show under `label`."""

    label: str
    metric: str
    """The mart column that holds the metric (a ratio re-aggregated from its parts, or a sum)."""
    mart: str
    """The mart the semantic layer reads the metric from."""
    unit: Unit
    higher_is_better: bool | None = None
    parts: tuple[str, ...] = ()
    """The additive columns the metric is aggregated from when the mart publishes no ratio
    column for it (numerator, denominator; the components of an index)."""
    combine: Combine = "ratio"
    """How `parts` combine: a / b; NPS 100 * (promoters - detractors) / responses;
    (a / b) x (c / d); CXI 100 x the build's cxi_weights mean of the present component
    ratios."""
    where: tuple[tuple[str, str, str], ...] = ()
    """Filters: the phone channel for telephone-era queue metrics, one grain of a mart that
    holds several side by side (attrition per week and month)."""
    needs: tuple[str, ...] = ("contacts",)
    """Landing sources without which the figure means nothing (labor needs agent states)."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    lines: tuple[Line, ...]


LABOR = ("agent_states", "agents")
"""Labor cost is logged-in time (agent states) x the agent's hourly cost (agents)."""
COST = ("cost_lines", *LABOR)
PHONE = (("channel", "=", "phone"),)
QUEUE = "fct_queue_daily"


def _queue(
    label: str,
    name: str,
    unit: Unit,
    better: bool | None,
    *parts: str,
    needs: tuple[str, ...] = ("contacts",),
) -> Line:
    return Line(label, name, QUEUE, unit, better, parts=parts, needs=needs)


def _phone_queue(label: str, name: str, unit: Unit, better: bool | None, *parts: str) -> Line:
    """A telephone-era queue metric: its 20-second threshold means nothing for e-mail or
    messaging queues, whose waits are hours, so it is scored on the phone channel."""
    return Line(f"{label} (phone)", name, QUEUE, unit, better, parts=parts, where=PHONE)


def _rate(
    label: str,
    name: str,
    mart: str,
    better: bool | None,
    *parts: str,
    unit: Unit = "rate",
    needs: tuple[str, ...] = ("contacts",),
) -> Line:
    return Line(label, name, mart, unit, better, parts=parts, needs=needs)


SECTIONS: tuple[Section, ...] = (
    Section(
        "gen1",
        "Generation 1 - efficiency",
        "Telephone-era queue metrics: offered calls, service level, speed of answer, answer "
        "and abandon rates on the phone channel (a 20-second threshold means nothing for "
        "e-mail), handle time, first-contact resolution and labor cost per handled contact.",
        (
            _phone_queue("offered", "offered", "count", None),
            _phone_queue(
                "service level",
                "service_level",
                "rate",
                True,
                "service_level_numerator",
                "service_level_denominator",
            ),
            _phone_queue("ASA", "asa_seconds", "seconds", False, "asa_wait_seconds", "answered"),
            _queue("AHT", "aht_seconds", "seconds", False, "handle_seconds", "handled_contacts"),
            _phone_queue(
                "answer rate",
                "answer_rate",
                "rate",
                True,
                "answer_rate_numerator",
                "answer_rate_denominator",
            ),
            _phone_queue(
                "abandon rate",
                "abandon_rate",
                "rate",
                False,
                "abandon_rate_numerator",
                "abandon_rate_denominator",
            ),
            _queue(
                "FCR ({fcr_window})",
                "fcr_rate_default",
                "rate",
                True,
                "fcr_resolved_default",
                "fcr_eligible_default",
            ),
            _queue(
                "FCR ({fcr_window_7d})",
                "fcr_rate_7d",
                "rate",
                True,
                "fcr_resolved_7d",
                "fcr_eligible_7d",
            ),
            _queue("labor cost", "labor_cost", "money", None, needs=LABOR),
            _queue(
                "labor cost per contact",
                "cost_per_contact",
                "money",
                False,
                "labor_cost",
                "handled_contacts",
                needs=LABOR,
            ),
        ),
    ),
    Section(
        "gen2",
        "Generation 2 - experience",
        "Multichannel-era customer experience: satisfaction, loyalty, response within the "
        "channel's target and resolution in self-service.",
        (
            _rate(
                "first response (mean)",
                "first_response_seconds_mean",
                "fct_response_daily",
                False,
                "first_response_seconds_sum",
                "responded_contacts",
                unit="seconds",
            ),
            _rate(
                "response within target",
                "response_within_target_rate",
                "fct_response_daily",
                True,
                "responded_within_target",
                "inbound_contacts",
            ),
            _rate(
                "omnichannel response",
                "omnichannel_response_rate",
                "fct_response_daily",
                True,
                "responded_contacts",
                "inbound_contacts",
            ),
            _rate(
                "CSAT",
                "csat",
                "fct_satisfaction_daily",
                True,
                "csat_satisfied_responses",
                "csat_responses",
                needs=("surveys",),
            ),
            Line(
                "NPS",
                "nps",
                "fct_satisfaction_daily",
                "score",
                True,
                parts=("nps_promoters", "nps_detractors", "nps_responses"),
                combine="nps",
                needs=("surveys",),
            ),
            _rate(
                "channel integration",
                "channel_integration_rate",
                "fct_channel_integration_daily",
                True,
                "context_carrying_follow_ups",
                "channel_switch_follow_ups",
            ),
            _rate(
                "self-service",
                "self_service_rate",
                "fct_channel_mix_daily",
                True,
                "self_served_interactions",
                "interactions",
            ),
        ),
    ),
    Section(
        "gen3",
        "Generation 3 - AI assists",
        "Omnichannel intelligence: the bot resolving or handing off, knowledge-base look-ups "
        "that found an article that was used, and the handling time automation saved.",
        (
            _rate(
                "bot resolution",
                "bot_resolution_rate",
                "fct_bot_daily",
                True,
                "bot_resolutions",
                "bot_resolution_eligible",
                needs=("bot_sessions",),
            ),
            _rate(
                "bot handoff",
                "bot_handoff_rate",
                "fct_bot_daily",
                False,
                "bot_handoffs",
                "bot_sessions",
                needs=("bot_sessions",),
            ),
            _rate(
                "KB hit rate",
                "kb_hit_rate",
                "fct_kb_daily",
                True,
                "kb_hits",
                "lookups",
                needs=("kb_events",),
            ),
            Line(
                "automation savings",
                "handle_seconds_saved",
                "fct_automation_savings_daily",
                "seconds",
                True,
                needs=("bot_sessions",),
            ),
        ),
    ),
    Section(
        "gen4",
        "Generation 4 - value creation",
        "Large-model era: the customer experience index, satisfaction with AI-handled "
        "interactions, AI coverage and the revenue AI recommendations convert.",
        (
            Line(
                "CXI",
                "cxi",
                "fct_cxi_daily",
                "index",
                True,
                parts=(
                    "csat_numerator",
                    "csat_denominator",
                    "fcr_numerator",
                    "fcr_denominator",
                    "response_numerator",
                    "response_denominator",
                ),
                combine="cxi",
            ),
            _rate(
                "AI interaction CSAT",
                "ai_interaction_csat",
                "fct_ai_interaction_csat_daily",
                True,
                "ai_csat_satisfied_responses",
                "ai_csat_responses",
                needs=("surveys",),
            ),
            _rate(
                "automation coverage",
                "automation_coverage",
                "fct_automation_daily",
                True,
                "ai_touched_interactions",
                "interactions",
            ),
            Line(
                "automation rate",
                "automation_rate",
                "fct_automation_daily",
                "rate",
                True,
                parts=(
                    "ai_touched_interactions",
                    "interactions",
                    "bot_resolutions",
                    "bot_resolution_eligible",
                ),
                combine="product",
                needs=("contacts", "bot_sessions"),
            ),
            _rate(
                "recommendation conversion",
                "recommendation_conversion_rate",
                "fct_recommendation_conversion_daily",
                True,
                "recommendations_accepted",
                "recommendations_offered",
                needs=("ai_recommendations",),
            ),
            Line(
                "recommendation revenue",
                "revenue",
                "fct_recommendation_conversion_daily",
                "money",
                True,
                needs=("ai_recommendations",),
            ),
            _rate(
                "assist AHT delta",
                "agent_assist_aht_delta_seconds",
                "fct_agent_assist_aht_delta_daily",
                False,
                "weighted_delta_seconds_sum",
                "assisted_handled_compared",
                unit="seconds",
            ),
        ),
    ),
    Section(
        "workforce",
        "Workforce and quality",
        "Adherence to schedule, occupancy and utilization of agents, schedule fit, attrition, "
        "and QA evaluations of agents and sampled bot conversations.",
        (
            _rate(
                "schedule adherence",
                "schedule_adherence",
                "fct_schedule_adherence",
                True,
                "adherent_minutes",
                "scheduled_minutes",
                needs=("agent_states", "schedules"),
            ),
            _rate(
                "occupancy",
                "occupancy",
                "fct_agent_occupancy",
                None,
                "handling_seconds",
                "occupied_or_available_seconds",
                needs=("agent_states",),
            ),
            _rate(
                "utilization",
                "utilization",
                "fct_agent_occupancy",
                None,
                "handling_seconds",
                "paid_seconds",
                needs=("agent_states",),
            ),
            _rate(
                "schedule fit",
                "schedule_fit_rate",
                "fct_schedule_fit_daily",
                True,
                "intervals_within_one_agent",
                "intervals_evaluated",
                needs=("contacts", "schedules"),
            ),
            Line(
                "attrition (weekly)",
                "attrition_rate",
                "fct_attrition",
                "rate",
                False,
                parts=("leavers", "average_headcount"),
                where=(("period_grain", "=", "week"),),
                needs=("agents",),
            ),
            _rate(
                "QA score",
                "qa_score",
                "fct_qa_scores",
                True,
                "score_sum",
                "evaluations",
                unit="score",
                needs=("qa_evaluations",),
            ),
            _rate(
                "QA fatal errors",
                "qa_fatal_error_rate",
                "fct_qa_scores",
                False,
                "fatal_error_evaluations",
                "evaluations",
                needs=("qa_evaluations",),
            ),
        ),
    ),
    Section(
        "cost-summary",
        "Cost",
        "Total cost (labor, telephony, bot and AI platforms, other lines, shared costs "
        "allocated to channels) per contact, per resolved issue and per customer served.",
        (
            Line("total cost", "total_cost", COST_MART, "money", None, needs=COST),
            _rate(
                "cost per contact",
                "cost_per_contact",
                COST_MART,
                False,
                "total_cost",
                "contacts",
                unit="money",
                needs=COST,
            ),
            _rate(
                "cost per resolution",
                "cost_per_resolution",
                COST_MART,
                False,
                "total_cost",
                "resolved_issues",
                unit="money",
                needs=COST,
            ),
            _rate(
                "human cost per resolution",
                "human_cost_per_resolution",
                COST_MART,
                False,
                "human_cost",
                "human_resolved_issues",
                unit="money",
                needs=COST,
            ),
            _rate(
                "AI cost per resolution",
                "ai_cost_per_resolution",
                COST_MART,
                False,
                "ai_cost",
                "bot_resolved_issues",
                unit="money",
                needs=COST,
            ),
            _rate(
                "cost per user",
                "cost_per_user",
                COST_MART,
                False,
                "total_cost",
                "customers_served",
                unit="money",
                needs=COST,
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Periods:
    current: tuple[date, date]
    previous: tuple[date, date] | None
    label: str
    note: str = ""
    """Where the data ends and which days were left out (a fragment, an unfinished week)."""


@dataclass(frozen=True)
class Figure:
    section: str
    line: Line
    label: str
    """The line's label with the build's parameters filled in ("FCR (24 h)")."""
    source: str | None
    """The metric read, or the formula over summed parts; None when nothing was found."""
    mart: str | None
    current: float | None
    previous: float | None
    status: str
    """ok, no mart yet, "n/a (no <source> delivered)", or why the figure cannot be shown."""

    @property
    def unit(self) -> Unit:
        return self.line.unit

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class Scorecard:
    periods: Periods
    figures: tuple[Figure, ...]
    systems: str = ""
    """Which systems fed the current period ("contacts from asterisk, landing; ...")."""
    queries: int = 0
    """Mart reads it took (one per mart and filter, both periods at once)."""
    statements: int = 0
    """Metric statements it ran: all the reads are batched into one."""

    def missing_sections(self) -> tuple[str, ...]:
        titles = dict.fromkeys(f.section for f in self.figures)
        return tuple(
            t for t in titles if all(f.status == NO_MART for f in self.figures if f.section == t)
        )

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "section": f.section,
                    "label": f.label,
                    "source": f.source,
                    "mart": f.mart,
                    "unit": f.unit,
                    "current": f.current,
                    "previous": f.previous,
                    "delta": f.delta,
                    "status": f.status,
                    "current_period": f"{self.periods.current[0]}..{self.periods.current[1]}",
                    "previous_period": (
                        f"{self.periods.previous[0]}..{self.periods.previous[1]}"
                        if self.periods.previous
                        else None
                    ),
                    "periods_note": self.periods.note or None,
                }
                for f in self.figures
            ]
        )


def data_range(warehouse: Warehouse) -> tuple[date, date] | None:
    """First and last reporting day of the queue mart (the demo period), else of all marts
    (not the meta marts, whose dates are delivery days, not reporting days)."""
    first: date | None = None
    last: date | None = None
    marts = warehouse.catalog.marts
    anchor = [marts[name] for name in QUEUE_MARTS[:1] if name in marts]
    others = [mart for name, mart in marts.items() if name not in META_MARTS]
    for mart in anchor or others:
        if mart.time_column is None or not mart.columns[mart.time_column].startswith("DATE"):
            continue
        column = exp.column(mart.time_column, quoted=True)
        statement = exp.select(exp.Min(this=column), exp.Max(this=column)).from_(
            exp.table_(mart.name, db=mart.schema, quoted=True)
        )
        low, high = warehouse.connection.execute(statement.sql(dialect="duckdb")).fetchall()[0]
        if low is not None:
            first = low if first is None else min(first, low)
            last = high if last is None else max(last, high)
    return (first, last) if first is not None and last is not None else None


def choose_periods(first: date, last: date, days: int, week_start: int | None = None) -> Periods:
    """The last `days` days vs the `days` before; halves of the data when it is shorter.

    With `week_start` (0 = Monday) and a whole number of weeks, the periods are whole weeks
    when the data holds two such periods: the days after the last whole week are left out
    (an unfinished week is not compared with whole ones) and the label says so.
    """
    if week_start is not None and days % 7 == 0:
        week_end = last - timedelta(days=(last.weekday() - week_start + 1) % 7)
        if (week_end - first).days + 1 >= 2 * days:
            weeks = days // 7
            periods = _last_days(week_end, days)
            label = (
                f"last {weeks} week{'s' if weeks > 1 else ''} "
                f"(starting {WEEKDAYS[week_start].capitalize()}) vs the {weeks} before"
            )
            if week_end < last:
                left_out = _span(week_end + timedelta(days=1), last)
                label += f"; {left_out} left out (week not over)"
            return Periods(periods.current, periods.previous, label)
    span = (last - first).days + 1
    if span >= 2 * days:
        return _last_days(last, days)
    half = span // 2
    if half == 0:
        return Periods((first, last), None, f"all {span} day(s) of data, no earlier period")
    current = (last - timedelta(days=half - 1), last)
    previous = (current[0] - timedelta(days=half), current[0] - timedelta(days=1))
    return Periods(
        current,
        previous,
        f"second half vs first half of the data ({half} days each; "
        f"less than {2 * days} days available)",
    )


def _last_days(last: date, days: int) -> Periods:
    current = (last - timedelta(days=days - 1), last)
    previous = (last - timedelta(days=2 * days - 1), last - timedelta(days=days))
    return Periods(current, previous, f"last {days} days vs the {days} days before")


def _span(first: date, last: date) -> str:
    return str(first) if first == last else f"{first}..{last}"


def complete_range(
    warehouse: Warehouse, provenance: Provenance, end: date | None = None
) -> tuple[date, date, str]:
    """The complete reporting days to score (up to `end`) and a note on the data's end."""
    bounds = data_range(warehouse)
    if bounds is None:
        raise CatalogError("no mart with a date column holds any data; nothing to score")
    first, last = bounds
    if end is not None:
        if end < first:
            raise CatalogError(f"no data on or before {end}; the data starts on {first}")
        last = min(last, end)
    complete = provenance.complete_days(first, last)
    data_end = provenance.data_end_text()
    if complete is None:
        raise CatalogError(
            f"no complete reporting day between {first} and {last}"
            + (f" ({data_end})" if data_end else "")
        )
    notes = [data_end] if data_end else []
    if complete[1] < last:
        notes.append(f"{_span(complete[1] + timedelta(days=1), last)} partial, left out")
    return complete[0], complete[1], "; ".join(notes)


@dataclass(frozen=True)
class Placement:
    """Where a line's figure comes from: one metric, or parts combined by the scorecard."""

    mart: str
    metric: str | None
    parts: tuple[str, ...] = ()
    where: tuple[tuple[str, str, str], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.metric,) if self.metric else self.parts


def locate(warehouse: Warehouse, line: Line) -> Placement | str:
    """Where to read a line from in its mart, or why it cannot be shown."""
    found = warehouse.catalog.marts.get(line.mart)
    if found is None or not found.time_column:
        return NO_MART
    metric = found.metrics.get(line.metric)
    if metric is not None and metric.kind != "non_additive":
        return Placement(line.mart, line.metric, where=_where(line, found))
    if line.parts and set(line.parts) <= set(found.queryable_metrics()):
        return Placement(line.mart, None, line.parts, _where(line, found))
    if metric is not None:
        return f"{line.metric} ({line.mart}) declares no numerator/denominator"
    return NO_MART


def _where(line: Line, mart: Mart) -> tuple[tuple[str, str, str], ...]:
    """The line's filters on columns this mart has."""
    return tuple(item for item in line.where if item[0] in mart.dimensions)


CXI_COMPONENTS = ("csat", "fcr", "response")
"""The keys of var cxi_weights, in the order of the CXI line's parts."""


def cxi_weights(provenance: Provenance) -> dict[str, float] | None:
    """The CXI weights the build used (dim_build_parameters), None when it did not say."""
    weights = provenance.parameters.get("cxi_weights")
    if not isinstance(weights, Mapping) or not all(k in weights for k in CXI_COMPONENTS):
        return None
    return {name: float(weights[name]) for name in CXI_COMPONENTS}


def _cxi(numbers: Sequence[float], weights: Mapping[str, float]) -> float | None:
    """100 x the weighted mean of the components that have data, the mart's own rule, with
    the weights the build used."""
    present = [
        (weights[name], numerator / denominator)
        for name, numerator, denominator in zip(
            CXI_COMPONENTS, numbers[0::2], numbers[1::2], strict=True
        )
        if denominator
    ]
    total_weight = sum(weight for weight, _ in present)
    if not total_weight:
        return None
    return 100 * sum(weight * ratio for weight, ratio in present) / total_weight


def _combine(
    line: Line, values: Sequence[float | None], weights: Mapping[str, float] | None = None
) -> float | None:
    if any(value is None for value in values):
        return None
    numbers = [float(value) for value in values if value is not None]
    if line.combine == "nps":
        promoters, detractors, responses = numbers
        return 100 * (promoters - detractors) / responses if responses else None
    if line.combine == "product":
        a, b, c, d = numbers
        return (a / b) * (c / d) if b and d else None
    if line.combine == "cxi":
        return _cxi(numbers, weights) if weights is not None else None
    numerator, denominator = numbers
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Plan:
    """Where every line reads from and the one statement that reads them all: what a
    scorecard computes before it touches the data, the same for every run over one catalog."""

    placed: Mapping[tuple[str, str], Placement | str]
    sources: tuple[Source, ...]
    query: BatchQuery | None


_PLANS: dict[Hashable, Plan] = {}
_MAX_PLANS = 16
"""Plans kept per process: one per catalog, source coverage and period count seen."""


def _fingerprint(catalog: Catalog) -> Hashable:
    """Everything of the catalog a plan depends on, hashable (a new Warehouse over the same
    snapshot discovers an equal catalog, not the same object)."""
    return tuple(
        (
            mart.name,
            mart.schema,
            mart.time_column,
            tuple(mart.columns.items()),
            mart.dimensions,
            tuple(mart.metrics.values()),
        )
        for mart in catalog.marts.values()
    )


def plan(
    warehouse: Warehouse,
    unavailable: Mapping[tuple[str, str], str | None],
    labels: tuple[str, ...],
) -> Plan:
    """The scorecard's plan, built once per process for the same catalog, undelivered sources
    and periods, then reused: building and rendering the SQL costs more than running it."""
    key = (_fingerprint(warehouse.catalog), tuple(unavailable.items()), labels)
    cached = _PLANS.get(key)
    if cached is not None:
        return cached
    placed: dict[tuple[str, str], Placement | str] = {}
    for section in SECTIONS:
        for line in section.lines:
            missing = unavailable[(section.title, line.label)]
            placed[(section.title, line.label)] = (
                f"n/a ({missing})" if missing else locate(warehouse, line)
            )
    wanted: dict[Source, list[str]] = {}
    for place in placed.values():
        if isinstance(place, Placement):
            columns = wanted.setdefault((place.mart, place.where), [])
            columns += [c for c in place.columns if c not in columns]
    reads = [
        Read(mart, tuple(names), tuple(Filter(*item) for item in where))
        for (mart, where), names in wanted.items()
    ]
    query = build_batch(reads, labels, warehouse.catalog) if reads else None
    built = Plan(placed, tuple(wanted), query)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[key] = built
    return built


def _values(
    warehouse: Warehouse, built: Plan, windows: Sequence[Period]
) -> dict[Source, dict[str, dict[str, float | None]]]:
    """Source -> period label -> metric -> value, from the plan's one statement."""
    values: dict[Source, dict[str, dict[str, float | None]]] = {
        source: {item.label: {} for item in windows} for source in built.sources
    }
    if built.query is None:
        return values
    rows = warehouse.connection.execute(built.query.sql, built.query.values(windows)).fetchall()
    for index, label, numbers in rows:
        values[built.sources[index]][label] = {
            name: None if _missing(value) else float(value)
            for name, value in zip(built.query.metrics[index], numbers, strict=True)
        }
    return values


def _missing(value: object) -> bool:
    """None, NaN or not a number: DuckDB gives None for an empty ratio, pandas NaN."""
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def build_provenance(warehouse: Warehouse) -> Provenance:
    """The build's parameters and source coverage, from the meta marts the warehouse holds."""
    marts = warehouse.catalog.marts
    relations = {
        name: exp.table_(name, db=marts[name].schema, quoted=True).sql(dialect="duckdb")
        for name in META_MARTS
        if name in marts
    }
    return read_provenance(warehouse.connection, relations)


def window_label(suffix: str, hours: object = None) -> str:
    """An FCR window for a reader: 2 -> "2 h", 168 -> "7 d"; from the column suffix ("7d")
    when the build did not publish the window's hours."""
    if isinstance(hours, int | float) and not isinstance(hours, bool):
        if hours >= 168 and hours % 24 == 0:
            return f"{hours / 24:g} d"
        return f"{hours:g} h"
    digits = suffix.rstrip("hd")
    return f"{digits} {suffix[-1]}" if digits.isdigit() and digits != suffix else suffix


def window_labels(provenance: Provenance) -> dict[str, str]:
    """The FCR windows of the build as labels, by column suffix, in the build's order:
    "default" is var fcr_window_hours, the others the fixed windows the build published
    (parameter fcr_windows of dim_build_parameters; for a warehouse built before that row
    existed, the suffixes the queue marts have always published, labelled from the suffix)."""
    windows = provenance.parameters.get("fcr_windows")
    labels = {"default": provenance.fcr_window}
    if isinstance(windows, Mapping) and windows:
        return labels | {
            str(suffix): window_label(str(suffix), hours)
            for suffix, hours in windows.items()
            if suffix != "default"
        }
    return labels | {suffix: window_label(suffix) for suffix in LEGACY_FCR_SUFFIXES}


LEGACY_FCR_SUFFIXES = ("24h", "72h", "7d")
"""Column suffixes of the fixed FCR windows (fcr_rate_<suffix>) of a warehouse whose
dim_build_parameters has no fcr_windows row."""


def line_label(line: Line, provenance: Provenance) -> str:
    """The line's label with the build's parameters filled in ("FCR (24 h)")."""
    windows = window_labels(provenance)
    return line.label.format(
        fcr_window=windows["default"],
        **{f"fcr_window_{suffix}": label for suffix, label in windows.items()},
    )


@dataclass(frozen=True)
class Evaluated:
    """A line over named periods: its figure per period label, or why it has none."""

    section: Section
    line: Line
    label: str
    place: Placement | str
    values: Mapping[str, float | None]
    unavailable: str | None
    """Why the line's landing sources make it meaningless ("no surveys delivered")."""

    @property
    def source(self) -> str | None:
        if not isinstance(self.place, Placement):
            return None
        return self.place.metric or _formula(self.line)


def evaluate(
    warehouse: Warehouse, provenance: Provenance, windows: Sequence[Period]
) -> list[Evaluated]:
    """Every headline line over every period of `windows` (non-overlapping), in one
    statement: what the scorecard compares and the report shows, computed once."""
    unavailable = _unavailable(provenance)
    labels = tuple(item.label for item in windows)
    built = plan(warehouse, unavailable, labels)
    read = _values(warehouse, built, windows) if windows else {}
    weights = cxi_weights(provenance)
    evaluated = []
    for section in SECTIONS:
        for line in section.lines:
            place = built.placed[(section.title, line.label)]
            if isinstance(place, Placement) and line.combine == "cxi" and weights is None:
                place = "n/a (the build published no cxi_weights)"
            results: dict[str, float | None] = {}
            if isinstance(place, Placement):
                for label in labels:
                    values = read[(place.mart, place.where)].get(label, {})
                    columns = [values.get(c) for c in place.columns]
                    results[label] = (
                        columns[0] if place.metric else _combine(line, columns, weights)
                    )
            evaluated.append(
                Evaluated(
                    section,
                    line,
                    line_label(line, provenance),
                    place,
                    results,
                    unavailable[(section.title, line.label)],
                )
            )
    return evaluated


def build_scorecard(warehouse: Warehouse, days: int = 7, end: date | None = None) -> Scorecard:
    """Compute the scorecard from the marts `warehouse` holds."""
    provenance = build_provenance(warehouse)
    first, last, note = complete_range(warehouse, provenance, end)
    # an explicit end is the last day of the current period, wherever the week stands
    week_start = provenance.week_start if end is None else None
    chosen = choose_periods(first, last, days, week_start)
    periods = Periods(chosen.current, chosen.previous, chosen.label, note)
    windows = [Period("current", *periods.current)]
    if periods.previous:
        windows.append(Period("previous", *periods.previous))
    figures = []
    evaluated = evaluate(warehouse, provenance, windows)
    for item in evaluated:
        place = item.place
        if not isinstance(place, Placement):
            figures.append(
                Figure(item.section.title, item.line, item.label, None, None, None, None, place)
            )
            continue
        figures.append(
            Figure(
                item.section.title,
                item.line,
                item.label,
                item.source,
                place.mart,
                item.values.get("current"),
                item.values.get("previous"),
                "ok",
            )
        )
    built = plan(warehouse, _unavailable(provenance), tuple(w.label for w in windows))
    return Scorecard(
        periods,
        tuple(figures),
        provenance.systems_text(*periods.current),
        len(built.sources),
        1 if built.query else 0,
    )


def _unavailable(provenance: Provenance) -> dict[tuple[str, str], str | None]:
    return {
        (section.title, line.label): provenance.unavailable(line.needs)
        for section in SECTIONS
        for line in section.lines
    }


def _formula(line: Line) -> str:
    if line.combine == "nps":
        return "100 * ({} - {}) / {}".format(*line.parts)
    if line.combine == "product":
        return "({} / {}) * ({} / {})".format(*line.parts)
    if line.combine == "cxi":
        return (
            "100 * cxi_weights mean of csat_numerator / csat_denominator, "
            "fcr_numerator / fcr_denominator, response_numerator / response_denominator"
        )
    return "{} / {}".format(*line.parts)


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "-"
    if unit == "rate":
        return f"{value:.1%}"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "money":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def format_delta(figure: Figure) -> str:
    delta = figure.delta
    if delta is None:
        return "-"
    if figure.unit == "rate":
        text = f"{delta * 100:+.1f} pp"
    elif figure.unit == "count":
        text = f"{delta:+,.0f}"
    elif figure.unit == "money":
        text = f"{delta:+,.2f}"
    elif figure.unit == "seconds":
        text = f"{delta:+,.1f} s"
    else:
        text = f"{delta:+,.1f}"
    if delta == 0 or figure.line.higher_is_better is None:
        return text
    better = (delta > 0) == figure.line.higher_is_better
    return f"{text} {'better' if better else 'worse'}"


def print_scorecard(card: Scorecard) -> None:
    """The scorecard on the terminal: the generations side by side, then workforce and cost."""
    from rich.columns import Columns
    from rich.console import Console
    from rich.table import Table

    console = Console()
    periods = card.periods
    previous = f"{periods.previous[0]}..{periods.previous[1]}" if periods.previous else "-"
    console.print(
        f"[bold]ccmetrics scorecard[/bold]  current {periods.current[0]}..{periods.current[1]}"
        f"  previous {previous}  ({periods.label})"
    )
    if periods.note:
        console.print(periods.note)
    if card.systems:
        console.print(f"fed by: {card.systems}")
    tables = []
    for title in dict.fromkeys(f.section for f in card.figures):
        figures = [f for f in card.figures if f.section == title]
        table = Table(title=title, title_justify="left", caption_justify="left")
        for column, justify in (("metric", "left"), ("current", "right"), ("previous", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        table.add_column("trend", justify="right")
        if all(f.status == NO_MART for f in figures):
            table.add_row("[italic]no mart yet[/italic]", "", "", "")
        for figure in figures:
            if figure.status == "ok":
                table.add_row(
                    figure.label,
                    format_value(figure.current, figure.unit),
                    format_value(figure.previous, figure.unit),
                    format_delta(figure),
                )
            elif figure.status.startswith(UNDELIVERED):
                table.add_row(figure.label, f"[italic]{figure.status}[/italic]", "", "")
            elif figure.status != NO_MART:
                table.add_row(figure.label, "[italic]n/a[/italic]", "", "")
        notes = []
        unpublished = [f.label for f in figures if f.status == NO_MART]
        if unpublished and len(unpublished) < len(figures):
            notes.append(f"no mart yet: {', '.join(unpublished)}")
        refused = [
            f.label
            for f in figures
            if f.status not in ("ok", NO_MART) and not f.status.startswith(UNDELIVERED)
        ]
        if refused:
            notes.append(f"n/a, published without numerator/denominator: {', '.join(refused)}")
        table.caption = "\n".join(notes) or None
        tables.append(table)
    generations = [t for t in tables if str(t.title).startswith("Generation")]
    console.print(Columns(generations))
    console.print(Columns([t for t in tables if t not in generations]))
    missing = card.missing_sections()
    if missing:
        console.print(f"sections without a mart yet: {', '.join(missing)}")
