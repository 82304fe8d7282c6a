"""The report's sections: each queries the marts it needs and turns them into tiles and charts.

A section whose mart (or column) is missing is still shown, with a note saying what is missing,
so the page never presents a number the warehouse does not hold.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ccmetrics.report import charts
from ccmetrics.report.formatting import format_value
from ccmetrics.report.model import Chart, Section, Table, Tile
from ccmetrics.scorecard import LABOR, window_labels

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ccmetrics.provenance import Provenance
    from ccmetrics.report.warehouse import ReportSource as Warehouse

Span = tuple[dt.date, dt.date]
"""The complete reporting days every section covers: the headline cards' days
(`ccmetrics.report.headlines.headline_span`), so that no chart reads a day a card leaves out."""

QUEUE_DAILY_MART = "fct_queue_daily"
QUEUE_INTERVALS_MART = "fct_queue_intervals"
RESPONSE_MART = "fct_response_daily"
BOT_MART = "fct_bot_daily"
COST_MART = "fct_cost_daily"
SCHEDULE_FIT_MART = "fct_schedule_fit"
SCHEDULE_FIT_DAILY_MART = "fct_schedule_fit_daily"
DRILLDOWN_MART = "fct_metric_drilldown"
SECTION_MARTS = (
    QUEUE_DAILY_MART,
    QUEUE_INTERVALS_MART,
    RESPONSE_MART,
    BOT_MART,
    COST_MART,
    SCHEDULE_FIT_MART,
    SCHEDULE_FIT_DAILY_MART,
    DRILLDOWN_MART,
)
"""The marts the charted sections read (the headline cards name theirs in
`ccmetrics.report.headlines`)."""

D3_FORMATS = {
    "rate": ".1~%",
    "seconds": ",.0f",
    "money": ",.2f",
    "count": ",.0f",
    "score": ",.0f",
    "index": ",.1f",
}
COST_SOURCES = ("cost_lines", *LABOR)
"""Total cost is labor plus the cost lines: without either it would be a part shown as all."""
FEW_CALLS = 10
"""An interval with fewer calls than this in its service-level denominator is greyed on the
heat map: one call moves its rate by more than 10 points, so its colour says nothing."""
NO_DAYS = "Not shown: no complete reporting day in the period."


def _unavailable(warehouse: Warehouse, sources: tuple[str, ...]) -> str | None:
    """Why a section or tile that needs `sources` shows nothing: "no schedules delivered"."""
    return warehouse.provenance.unavailable(sources)


def _why_not_shown(
    warehouse: Warehouse,
    table: str,
    needed: Iterable[str],
    span: Span | None,
    sources: tuple[str, ...] = (),
) -> str | None:
    """The note a section shows instead of its charts: a landing source it needs was never
    delivered, its mart lacks a column, or there is no complete reporting day."""
    undelivered = _unavailable(warehouse, sources) if sources else None
    if undelivered:
        return f"Not available: {undelivered}."
    reason = warehouse.missing(table, needed)
    if reason:
        return f"Not shown: {reason}."
    if span is None:
        return NO_DAYS
    return None


def _within(expression: str, span: Span) -> str:
    """A SQL condition keeping the reporting days of `span` of `expression` (a date or a local
    timestamp)."""
    first, last = span
    return f"cast({expression} as date) between date '{first:%Y-%m-%d}' and date '{last:%Y-%m-%d}'"


def _days(span: Span) -> list[str]:
    first, last = span
    return [f"{first + dt.timedelta(days=n):%Y-%m-%d}" for n in range((last - first).days + 1)]


def sl_target(provenance: Provenance) -> float | None:
    """The service-level target the build used (var sl_target, as `dim_build_parameters`
    publishes it), None when the build did not publish one."""
    value = provenance.parameters.get("sl_target")
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
        return float(value)
    return None


def _divide(numerator: float, denominator: float, scale: float) -> float | None:
    if denominator is None or denominator == 0 or numerator is None:
        return None
    return float(numerator) / float(denominator) * scale


def service_level_section(warehouse: Warehouse, span: Span | None) -> Section:
    """Phone service level per day against the build's target, and per interval of the day,
    queues pooled, as a heat map."""
    key, title = "service-level", "Service level by day and interval (phone)"
    target = sl_target(warehouse.provenance)
    intro = (
        "Answered within the threshold over the service-level denominator (per the configured "
        "abandon treatment), phone queues pooled, for each day and each interval of each day. "
        "Service level is the telephone-era measure; digital channels are judged against their "
        "own response targets (next section). The dashed line and the heat map's yellow are "
        "the build's target (var sl_target): red cells fell short of it. Empty cells had no "
        f"call in the denominator; grey cells fewer than {FEW_CALLS}, too few for a rate."
    )
    table = QUEUE_INTERVALS_MART
    needed = (
        "interval_start",
        "channel",
        "service_level_numerator",
        "service_level_denominator",
        "offered",
    )
    note = _why_not_shown(warehouse, table, needed, span)
    if note:
        return Section(key, title, intro, notes=(note,))
    notes: list[str] = []
    if target is None:
        notes.append("No target drawn: the build published no sl_target (dim_build_parameters).")
    target_label = f"target {format_value(target, 'rate')}" if target is not None else ""
    chart_list: list[Chart] = []
    daily = QUEUE_DAILY_MART
    reason = warehouse.missing(
        daily,
        ("reporting_date", "channel", "service_level_numerator", "service_level_denominator"),
    )
    if reason:
        notes.append(f"Service level by day not shown: {reason}.")
    else:
        by_day = warehouse.query(
            f"""
            select
                cast(reporting_date as date) as date,
                channel,
                sum(service_level_numerator) / nullif(sum(service_level_denominator), 0)
                    as service_level,
                sum(service_level_numerator) as met,
                sum(service_level_denominator) as denominator
            from {warehouse.relation(daily)}
            where channel = 'phone' and {_within("reporting_date", span)}
            group by 1, 2
            order by 1
            """
        )
        if not by_day.empty:
            chart_list.append(
                Chart(
                    "Service level by day against the target (gaps: no call that day)",
                    charts.daily_lines(
                        by_day,
                        span,
                        "service_level",
                        "channel",
                        "service level",
                        percent=True,
                        target=target,
                        target_label=target_label,
                    ),
                )
            )
    frame = warehouse.query(
        f"""
        select
            strftime(interval_start, '%Y-%m-%d') as date,
            strftime(interval_start, '%H:%M') as time_of_day,
            sum(offered) as offered,
            sum(service_level_numerator) as met,
            sum(service_level_denominator) as denominator,
            sum(service_level_numerator) / nullif(sum(service_level_denominator), 0)
                as service_level,
            sum(service_level_denominator) < {FEW_CALLS} as few_calls
        from {warehouse.relation(table)}
        where channel = 'phone' and {_within("interval_start", span)}
        group by 1, 2
        having sum(service_level_denominator) > 0
        order by 1, 2
        """
    )
    if frame.empty:
        notes.append(f"Heat map not shown: `{table}` has no phone rows in the period.")
    else:
        chart_list.append(
            Chart(
                f"Service level heat map (grey: fewer than {FEW_CALLS} calls)",
                charts.interval_heatmap(
                    frame,
                    "service_level",
                    "service level",
                    _days(span),
                    target=target,
                    few="few_calls",
                    few_label=f"fewer than {FEW_CALLS} calls",
                ),
            )
        )
    return Section(key, title, intro, charts=tuple(chart_list), notes=tuple(notes))


RESPONSE_UNITS = (("hours", 3600.0, 3 * 3600.0), ("minutes", 60.0, 180.0), ("seconds", 1.0, 0.0))
"""(unit, seconds in it, smallest target shown in it): an e-mail target of 86,400 s reads as
24 hours, a chat target of 120 s as 120 seconds."""


def _response_unit(target: float | None, largest: float) -> tuple[str, float]:
    """The unit a channel's first responses are shown in, from its target (else its largest
    mean)."""
    scale = target if target is not None else largest
    return next((name, size) for name, size, floor in RESPONSE_UNITS if scale >= floor)


def response_section(warehouse: Warehouse, span: Span | None) -> Section:
    """Daily mean first response per channel against the channel's target."""
    key, title = "response", "First response by channel against its target"
    intro = (
        "Mean first response (first-response seconds over responded contacts) per channel and "
        "day; the dashed line is the channel's response target as the build used it (var "
        "response_targets, published in fct_response_daily). Each channel has its own scale "
        "and unit: the targets run from seconds to a day."
    )
    table = RESPONSE_MART
    needed = (
        "reporting_date",
        "channel",
        "inbound_contacts",
        "responded_contacts",
        "responded_within_target",
        "first_response_seconds_sum",
        "response_target_seconds",
    )
    note = _why_not_shown(warehouse, table, needed, span)
    if note:
        return Section(key, title, intro, notes=(note,))
    frame = warehouse.query(
        f"""
        select
            cast(reporting_date as date) as date,
            channel,
            sum(first_response_seconds_sum) / nullif(sum(responded_contacts), 0)
                as mean_seconds,
            max(response_target_seconds) as target_seconds,
            sum(responded_within_target) as within_target,
            sum(inbound_contacts) as inbound
        from {warehouse.relation(table)}
        where {_within("reporting_date", span)}
        group by 1, 2
        having sum(inbound_contacts) > 0
        order by 2, 1
        """
    )
    if frame.empty:
        return Section(key, title, intro, notes=(f"Not shown: `{table}` has no rows.",))
    import pandas as pd

    panels = []
    for channel, rows in frame.groupby("channel", sort=True):
        targets = rows["target_seconds"].dropna()
        target = float(targets.max()) if not targets.empty else None
        unit, size = _response_unit(target, float(rows["mean_seconds"].fillna(0).max()))
        goal = f"target {target / size:,.4g} {unit}" if target is not None else "no target"
        panels.append(
            rows.assign(
                panel=f"{channel} ({unit}; {goal})",
                response=rows["mean_seconds"] / size,
                target=None if target is None else target / size,
            )[["date", "panel", "response", "target", "within_target", "inbound"]]
        )
    long = pd.concat(panels, ignore_index=True)
    return Section(
        key,
        title,
        intro,
        charts=(
            Chart(
                "Mean first response by day (dashed: the channel's target)",
                charts.response_panels(long, span),
            ),
        ),
    )


def fcr_section(warehouse: Warehouse, span: Span | None) -> Section:
    """FCR per first channel for each published window."""
    key, title = "fcr", "First-contact resolution by channel and window"
    intro = (
        "Share of handled contacts with no repeat contact from the same customer (same reason) "
        "within the window, right-censored contacts excluded; a longer window can only find "
        "more repeats, so FCR falls as the window grows."
    )
    table = QUEUE_DAILY_MART
    # the windows and their labels are the build's (dim_build_parameters)
    labels = window_labels(warehouse.provenance)
    needed = ["channel"]
    for window in labels:
        needed += [f"fcr_resolved_{window}", f"fcr_eligible_{window}"]
    note = _why_not_shown(warehouse, table, needed, span)
    if note:
        return Section(key, title, intro, notes=(note,))
    labels["default"] = (
        f"default ({labels['default']})"
        if warehouse.provenance.parameters.get("fcr_window_hours") is not None
        else "default window"
    )
    selects = ",\n".join(
        f"select channel, '{labels[window]}' as fcr_window, "
        f"{position} as window_order, "
        f"sum(fcr_resolved_{window}) as resolved, sum(fcr_eligible_{window}) as eligible "
        f"from {warehouse.relation(table)} where {_within('reporting_date', span)} "
        "group by channel"
        for position, window in enumerate(labels)
    ).replace(",\nselect", "\nunion all\nselect")
    frame = warehouse.query(
        f"""
        with by_window as ({selects})
        select
            channel,
            fcr_window,
            resolved,
            eligible,
            resolved / nullif(eligible, 0) as fcr_rate
        from by_window
        where eligible > 0
        order by channel, window_order
        """
    )
    if frame.empty:
        return Section(key, title, intro, notes=("Not shown: no contact with a complete window.",))
    spec = charts.grouped_bars(frame, "channel", "fcr_window", "fcr_rate", "FCR")
    return Section(key, title, intro, charts=(Chart("FCR by first channel", spec),))


def schedule_fit_section(warehouse: Warehouse, span: Span | None) -> Section:
    """Erlang C required agents vs scheduled agents per interval and queue."""
    key, title = "schedule-fit", "Schedule fit"
    intro = (
        "Agents required by Erlang C for each interval's offered load, AHT and service-level "
        "target, against the agents scheduled open for the queue; the tiles give the share of "
        "intervals staffed within +-1 agent of the requirement."
    )
    table, daily = SCHEDULE_FIT_MART, SCHEDULE_FIT_DAILY_MART
    undelivered = _unavailable(warehouse, ("schedules",))
    if undelivered:
        return Section(key, title, intro, notes=(f"Not available: {undelivered}.",))
    if span is None:
        reason = warehouse.missing(daily) or warehouse.missing(table)
        return Section(key, title, intro, notes=(f"Not shown: {reason}." if reason else NO_DAYS,))
    notes: list[str] = []
    tiles: list[Tile] = []
    chart_list: list[Chart] = []
    reason = warehouse.missing(
        daily, ("queue_id", "intervals_evaluated", "intervals_within_one_agent")
    )
    if reason:
        notes.append(f"Share within +-1 agent not shown: {reason}.")
    else:
        shares = warehouse.query(
            f"""
            select
                queue_id,
                sum(intervals_within_one_agent) as within,
                sum(intervals_evaluated) as evaluated
            from {warehouse.relation(daily)}
            where {_within("reporting_date", span)}
            group by 1
            order by 1
            """
        )
        for row in shares.itertuples(index=False):
            share = _divide(row.within, row.evaluated, 1.0)
            tiles.append(
                Tile(
                    f"{row.queue_id}: within +-1 agent",
                    format_value(share, "rate"),
                    f"{int(row.within)} of {int(row.evaluated)} intervals",
                )
            )
    reason = warehouse.missing(
        table, ("queue_id", "interval_start", "required_agents", "staffed_agents")
    )
    if reason:
        notes.append(f"Required vs staffed not shown: {reason}.")
    else:
        frame = warehouse.query(
            f"""
            select
                queue_id,
                strftime(interval_start, '%H:%M') as time_of_day,
                avg(staffed_agents - required_agents) as mean_gap,
                avg(required_agents) as mean_required,
                avg(staffed_agents) as mean_staffed,
                count(*) as intervals
            from {warehouse.relation(table)}
            where
                required_agents is not null
                and staffed_agents is not null
                and {_within("interval_start", span)}
            group by 1, 2
            order by 1, 2
            """
        )
        if frame.empty:
            notes.append(f"Required vs staffed not shown: `{table}` has no rows.")
        else:
            chart_list.append(
                Chart(
                    "Mean staffing gap by interval of the day (blue: over, red: under)",
                    charts.staffing_gap_heatmap(frame),
                )
            )
    return Section(
        key, title, intro, tiles=tuple(tiles), charts=tuple(chart_list), notes=tuple(notes)
    )


def bot_section(warehouse: Warehouse, span: Span | None) -> Section:
    """Bot resolution and handoff rates per day and per channel."""
    key, title = "bot", "Bot resolution and handoff"
    intro = (
        "Resolution: bot sessions that ended without handoff and with no repeat contact within "
        "the FCR window, over sessions whose window is complete (right-censored sessions are "
        "left out). Handoff: sessions transferred to a human, over all sessions."
    )
    table = BOT_MART
    needed = (
        "reporting_date",
        "channel",
        "bot_sessions",
        "bot_handoffs",
        "bot_resolutions",
        "bot_resolution_eligible",
    )
    note = _why_not_shown(warehouse, table, needed, span, ("bot_sessions",))
    if note:
        return Section(key, title, intro, notes=(note,))
    rates = """
            sum(bot_resolutions) / nullif(sum(bot_resolution_eligible), 0) as resolution,
            sum(bot_handoffs) / nullif(sum(bot_sessions), 0) as handoff,
            sum(bot_sessions) as sessions
    """
    complete = _within("reporting_date", span)
    daily = warehouse.query(
        f"""
        select cast(reporting_date as date) as date, {rates}
        from {warehouse.relation(table)}
        where {complete}
        group by 1
        order by 1
        """
    )
    by_channel = warehouse.query(
        f"""
        select channel, {rates}
        from {warehouse.relation(table)}
        where {complete}
        group by 1
        order by 1
        """
    )
    if daily.empty:
        return Section(key, title, intro, notes=(f"Not shown: `{table}` has no rows.",))
    long_daily = daily.melt(
        id_vars=["date", "sessions"], value_vars=["resolution", "handoff"], var_name="rate"
    )
    long_channel = by_channel.melt(
        id_vars=["channel", "sessions"], value_vars=["resolution", "handoff"], var_name="rate"
    )
    return Section(
        key,
        title,
        intro,
        charts=(
            Chart(
                "Bot resolution and handoff rate by day",
                charts.daily_lines(long_daily, span, "value", "rate", "rate", percent=True),
            ),
            Chart(
                "By channel the bot served",
                charts.grouped_bars(long_channel, "channel", "rate", "value", "rate"),
            ),
        ),
    )


def cost_section(warehouse: Warehouse, span: Span | None) -> Section:
    """Cost per resolution of human service (labor + telephony) vs AI (bot + AI platform)."""
    key, title = "cost", "Cost per resolution: human vs AI"
    intro = (
        "Human: agent labor and telephony over first-contact-resolved handled contacts. AI: bot "
        "and AI platform cost over bot resolutions. An issue that comes back within the FCR "
        "window is not resolved. The cost per resolution of the period, human and AI, is on "
        "the Cost cards above."
    )
    table = COST_MART
    needed = (
        "reporting_date",
        "total_cost",
        "resolved_issues",
        "human_cost",
        "human_resolved_issues",
        "ai_cost",
        "bot_resolved_issues",
        "labor_cost",
        "telephony_cost",
        "bot_platform_cost",
        "ai_platform_cost",
        "other_cost",
    )
    note = _why_not_shown(warehouse, table, needed, span, COST_SOURCES)
    if note:
        return Section(key, title, intro, notes=(note,))
    relation = warehouse.relation(table)
    complete = _within("reporting_date", span)
    per_resolution = warehouse.query(
        f"""
        select cast(reporting_date as date) as date, 'human' as service,
            sum(human_cost) / nullif(sum(human_resolved_issues), 0) as cost_per_resolution
        from {relation}
        where {complete}
        group by 1
        union all
        select cast(reporting_date as date) as date, 'AI' as service,
            sum(ai_cost) / nullif(sum(bot_resolved_issues), 0) as cost_per_resolution
        from {relation}
        where {complete}
        group by 1
        order by 2, 1
        """
    )
    composition = warehouse.query(
        f"""
        unpivot (
            select
                cast(reporting_date as date) as date,
                sum(labor_cost) as "agent labor",
                sum(telephony_cost) as telephony,
                sum(bot_platform_cost) as "bot platform",
                sum(ai_platform_cost) as "AI platform",
                sum(other_cost) as other
            from {relation}
            where {complete}
            group by 1
        )
        on "agent labor", telephony, "bot platform", "AI platform", other
        into name cost_line value cost
        order by date
        """
    )
    if composition.empty:
        return Section(key, title, intro, notes=(f"Not shown: `{table}` has no rows.",))
    return Section(
        key,
        title,
        intro,
        charts=(
            Chart(
                "Cost per resolution by day (gaps: no resolution that day)",
                charts.daily_lines(
                    per_resolution, span, "cost_per_resolution", "service", "cost per resolution"
                ),
            ),
            Chart(
                "Total cost by day and cost line",
                charts.daily_stacked_bars(composition, span, "cost", "cost", "cost_line"),
            ),
        ),
    )


def drilldown_section(warehouse: Warehouse, span: Span | None, limit: int = 25) -> Section:
    """Daily control-chart flags by metric and level, and the flagged rows themselves."""
    key, title = "drilldown", "Drill-down flags"
    intro = (
        "Daily FCR, service level, AHT, CSAT and cost per resolution at center, team, agent and "
        "contact-reason level, flagged when outside 3-sigma Laney control limits (p' for "
        "proportions, u' for durations and costs: sigma widened by the spread between members), "
        "so a drop can be traced from the center to the team, agent or reason "
        "that caused it. Complete days of the reported period only: the last day of the data "
        "is often a fragment."
    )
    table = DRILLDOWN_MART
    needed = (
        "metric_name",
        "period_grain",
        "period_start",
        "drilldown_level",
        "member_id",
        "metric_value",
        "center_value",
        "lower_control_limit",
        "upper_control_limit",
        "is_flagged_low",
        "is_flagged_high",
        "is_complete_period",
    )
    note = _why_not_shown(warehouse, table, needed, span)
    if note:
        return Section(key, title, intro, notes=(note,))
    relation = warehouse.relation(table)
    days = _within("period_start", span)
    counts = warehouse.query(
        f"""
        select
            metric_name,
            drilldown_level,
            sum(case when is_flagged_low then 1 else 0 end) as below_limit,
            sum(case when is_flagged_high then 1 else 0 end) as above_limit,
            count(lower_control_limit) as checked
        from {relation}
        where period_grain = 'day' and is_complete_period and {days}
        group by 1, 2
        order by 1, 2
        """
    )
    if counts.empty:
        return Section(key, title, intro, notes=(f"Not shown: `{table}` has no day rows.",))
    long_counts = counts.melt(
        id_vars=["metric_name", "drilldown_level", "checked"],
        value_vars=["below_limit", "above_limit"],
        var_name="flag",
        value_name="flags",
    )
    flagged = warehouse.query(
        f"""
        select
            period_start, metric_name, drilldown_level, member_id, metric_value, center_value,
            lower_control_limit, upper_control_limit, is_flagged_low
        from {relation}
        where
            period_grain = 'day'
            and is_complete_period
            and {days}
            and (is_flagged_low or is_flagged_high)
        order by period_start desc, metric_name, drilldown_level, member_id
        limit {int(limit)}
        """
    )
    rows = tuple(
        (
            f"{row.period_start:%Y-%m-%d}",
            row.metric_name,
            row.drilldown_level,
            row.member_id,
            "below" if row.is_flagged_low else "above",
            f"{row.metric_value:,.3f}",
            f"{row.center_value:,.3f}" if row.center_value == row.center_value else "n/a",
            f"{row.lower_control_limit:,.3f} - {row.upper_control_limit:,.3f}",
        )
        for row in flagged.itertuples(index=False)
    )
    tables = (
        (
            Table(
                f"Flagged days (latest {limit})",
                ("day", "metric", "level", "member", "flag", "value", "center", "limits"),
                rows,
            ),
        )
        if rows
        else ()
    )
    notes = () if rows else ("No daily value is outside its control limits.",)
    return Section(
        key,
        title,
        intro,
        charts=(
            Chart(
                "Flags by metric and level (day grain)",
                charts.flag_bars(long_counts),
            ),
        ),
        tables=tables,
        notes=notes,
    )
