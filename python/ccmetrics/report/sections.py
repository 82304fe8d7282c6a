"""The report's sections: each queries the marts it needs and turns them into tiles and charts.

A section whose mart (or column) is missing is still shown, with a note saying what is missing,
so the page never presents a number the warehouse does not hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccmetrics.report import charts
from ccmetrics.report.formatting import format_value
from ccmetrics.report.model import Chart, Section, Table, Tile
from ccmetrics.scorecard import LABOR, window_labels

if TYPE_CHECKING:
    from ccmetrics.report.warehouse import ReportSource as Warehouse

QUEUE_DAILY_MART = "fct_queue_daily"
QUEUE_INTERVALS_MART = "fct_queue_intervals"
BOT_MART = "fct_bot_daily"
COST_MART = "fct_cost_daily"
SCHEDULE_FIT_MART = "fct_schedule_fit"
SCHEDULE_FIT_DAILY_MART = "fct_schedule_fit_daily"
DRILLDOWN_MART = "fct_metric_drilldown"
SECTION_MARTS = (
    QUEUE_DAILY_MART,
    QUEUE_INTERVALS_MART,
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


def _unavailable(warehouse: Warehouse, sources: tuple[str, ...]) -> str | None:
    """Why a section or tile that needs `sources` shows nothing: "no schedules delivered"."""
    return warehouse.provenance.unavailable(sources)


def _divide(numerator: float, denominator: float, scale: float) -> float | None:
    if denominator is None or denominator == 0 or numerator is None:
        return None
    return float(numerator) / float(denominator) * scale


def service_level_section(warehouse: Warehouse) -> Section:
    """Phone service level per interval of the day, queues pooled, as a heat map."""
    key, title = "service-level", "Service level by interval (phone)"
    intro = (
        "Answered within the threshold over the service-level denominator (per the configured "
        "abandon treatment), phone queues pooled, for each interval of each day. Service level "
        "is the telephone-era measure; digital channels are judged against their own response "
        "targets (Generation 2). Empty cells had no call in the denominator."
    )
    table = QUEUE_INTERVALS_MART
    needed = (
        "interval_start",
        "channel",
        "service_level_numerator",
        "service_level_denominator",
        "offered",
    )
    reason = warehouse.missing(table, needed)
    if reason:
        return Section(key, title, intro, notes=(f"Not shown: {reason}.",))
    frame = warehouse.query(
        f"""
        select
            strftime(interval_start, '%Y-%m-%d') as date,
            strftime(interval_start, '%H:%M') as time_of_day,
            sum(offered) as offered,
            sum(service_level_numerator) as met,
            sum(service_level_denominator) as denominator,
            sum(service_level_numerator) / nullif(sum(service_level_denominator), 0)
                as service_level
        from {warehouse.relation(table)}
        where channel = 'phone' and {warehouse.complete("interval_start")}
        group by 1, 2
        having sum(service_level_denominator) > 0
        order by 1, 2
        """
    )
    if frame.empty:
        return Section(key, title, intro, notes=(f"Not shown: `{table}` has no phone rows.",))
    spec = charts.interval_heatmap(frame, "service_level", "service level")
    return Section(key, title, intro, charts=(Chart("Service level heat map", spec),))


def fcr_section(warehouse: Warehouse) -> Section:
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
    reason = warehouse.missing(table, needed)
    if reason:
        return Section(key, title, intro, notes=(f"Not shown: {reason}.",))
    labels["default"] = (
        f"default ({labels['default']})"
        if warehouse.provenance.parameters.get("fcr_window_hours") is not None
        else "default window"
    )
    selects = ",\n".join(
        f"select channel, '{labels[window]}' as fcr_window, "
        f"{position} as window_order, "
        f"sum(fcr_resolved_{window}) as resolved, sum(fcr_eligible_{window}) as eligible "
        f"from {warehouse.relation(table)} where {warehouse.complete('reporting_date')} "
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


def schedule_fit_section(warehouse: Warehouse) -> Section:
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
            where {warehouse.complete("reporting_date")}
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
                and {warehouse.complete("interval_start")}
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


def bot_section(warehouse: Warehouse) -> Section:
    """Bot resolution and handoff rates per day and per channel."""
    key, title = "bot", "Bot resolution and handoff"
    intro = (
        "Resolution: bot sessions that ended without handoff and with no repeat contact within "
        "the FCR window, over sessions whose window is complete (right-censored sessions are "
        "left out). Handoff: sessions transferred to a human, over all sessions."
    )
    undelivered = _unavailable(warehouse, ("bot_sessions",))
    if undelivered:
        return Section(key, title, intro, notes=(f"Not available: {undelivered}.",))
    table = BOT_MART
    needed = (
        "reporting_date",
        "channel",
        "bot_sessions",
        "bot_handoffs",
        "bot_resolutions",
        "bot_resolution_eligible",
    )
    reason = warehouse.missing(table, needed)
    if reason:
        return Section(key, title, intro, notes=(f"Not shown: {reason}.",))
    rates = """
            sum(bot_resolutions) / nullif(sum(bot_resolution_eligible), 0) as resolution,
            sum(bot_handoffs) / nullif(sum(bot_sessions), 0) as handoff,
            sum(bot_sessions) as sessions
    """
    complete = warehouse.complete("reporting_date")
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
                charts.lines(long_daily, "date", "value", "rate", "rate", percent=True),
            ),
            Chart(
                "By channel the bot served",
                charts.grouped_bars(long_channel, "channel", "rate", "value", "rate"),
            ),
        ),
    )


def cost_section(warehouse: Warehouse) -> Section:
    """Cost per resolution of human service (labor + telephony) vs AI (bot + AI platform)."""
    key, title = "cost", "Cost per resolution: human vs AI"
    intro = (
        "Human: agent labor and telephony over first-contact-resolved handled contacts. AI: bot "
        "and AI platform cost over bot resolutions. An issue that comes back within the FCR "
        "window is not resolved. The cost per resolution of the period, human and AI, is on "
        "the Cost cards above."
    )
    undelivered = _unavailable(warehouse, COST_SOURCES)
    if undelivered:
        return Section(key, title, intro, notes=(f"Not available: {undelivered}.",))
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
    reason = warehouse.missing(table, needed)
    if reason:
        return Section(key, title, intro, notes=(f"Not shown: {reason}.",))
    relation = warehouse.relation(table)
    complete = warehouse.complete("reporting_date")
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
    composition["date"] = [f"{day:%d %b}" for day in composition["date"]]
    return Section(
        key,
        title,
        intro,
        charts=(
            Chart(
                "Cost per resolution by day (gaps: no resolution that day)",
                charts.lines(
                    per_resolution, "date", "cost_per_resolution", "service", "cost per resolution"
                ),
            ),
            Chart(
                "Total cost by day and cost line",
                charts.bars(composition, "date", "cost", "cost", color="cost_line"),
            ),
        ),
    )


def drilldown_section(warehouse: Warehouse, limit: int = 25) -> Section:
    """Daily control-chart flags by metric and level, and the flagged rows themselves."""
    key, title = "drilldown", "Drill-down flags"
    intro = (
        "Daily FCR, service level, AHT, CSAT and cost per resolution at center, team, agent and "
        "contact-reason level, flagged when outside 3-sigma Laney control limits (p' for "
        "proportions, u' for durations and costs: sigma widened by the spread between members), "
        "so a drop can be traced from the center to the team, agent or reason "
        "that caused it. Complete days only: the last day of the data is often a fragment."
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
    reason = warehouse.missing(table, needed)
    if reason:
        return Section(key, title, intro, notes=(f"Not shown: {reason}.",))
    relation = warehouse.relation(table)
    counts = warehouse.query(
        f"""
        select
            metric_name,
            drilldown_level,
            sum(case when is_flagged_low then 1 else 0 end) as below_limit,
            sum(case when is_flagged_high then 1 else 0 end) as above_limit,
            count(lower_control_limit) as checked
        from {relation}
        where period_grain = 'day' and is_complete_period
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
        where period_grain = 'day' and (is_flagged_low or is_flagged_high)
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
