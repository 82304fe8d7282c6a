"""The report's headline cards: the scorecard's lines and numbers over the reported days, each
with its daily trend."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import TYPE_CHECKING

from ccmetrics.catalog import CatalogError
from ccmetrics.report import charts
from ccmetrics.report.formatting import format_value
from ccmetrics.report.model import Chart, Section, Tile
from ccmetrics.report.sections import D3_FORMATS
from ccmetrics.scorecard import NO_MART, SECTIONS, Evaluated, Placement, complete_range, evaluate
from ccmetrics.scorecard import Section as Headlines
from ccmetrics.sqlbuild import Period

if TYPE_CHECKING:
    from ccmetrics.report.warehouse import ReportSource


def headline_marts() -> tuple[str, ...]:
    """The marts the headline cards read."""
    return tuple(sorted({line.mart for section in SECTIONS for line in section.lines}))


def headline_span(
    warehouse: ReportSource, period: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date] | None:
    """The complete reporting days the headline cards cover (within `period` when given)."""
    try:
        first, last, _ = complete_range(warehouse.warehouse, warehouse.provenance)
    except CatalogError:
        return None
    if period is not None:
        first, last = max(first, period[0]), min(last, period[1])
    return (first, last) if first <= last else None


def headline_sections(
    warehouse: ReportSource, period: tuple[dt.date, dt.date] | None = None
) -> list[Section]:
    """The scorecard's sections over the complete reporting days of the data (within
    `period` when given): the same lines, labels and numbers as `ccmetrics scorecard` shows
    for the same days."""
    provenance = warehouse.provenance
    first, last = headline_span(warehouse, period) or (None, None)
    days: list[tuple[str, dt.date]] = []
    whole_periods: list[Period] = []
    span = ""
    if first is not None and last is not None:
        count = (last - first).days + 1
        days = [
            (f"d{first + timedelta(days=n):%Y%m%d}", first + timedelta(days=n))
            for n in range(count)
        ]
        whole_periods = [Period("period", first, last)]
        span = f"{first:%d %b} - {last:%d %b}"
    whole = evaluate(warehouse.warehouse, provenance, whole_periods)
    daily = evaluate(
        warehouse.warehouse, provenance, [Period(label, day, day) for label, day in days]
    )
    return [headline_section(section, whole, daily, days, span) for section in SECTIONS]


def headline_section(
    section: Headlines,
    whole: list[Evaluated],
    daily: list[Evaluated],
    days: list[tuple[str, dt.date]],
    span: str,
) -> Section:
    """Tiles with each headline over the whole period (the scorecard's lines and numbers)
    and small-multiple daily trends."""
    import pandas as pd

    tiles: list[Tile] = []
    notes: list[str] = []
    trends: list[pd.DataFrame] = []
    trend_formats: dict[str, str] = {}
    by_day = {(item.line.label): item for item in daily if item.section is section}
    for item in whole:
        if item.section is not section:
            continue
        if item.unavailable:
            tiles.append(Tile(item.label, "n/a", item.unavailable))
            continue
        if not isinstance(item.place, Placement):
            reason = (
                f"mart `{item.line.mart}` is not built in this warehouse"
                if item.place == NO_MART
                else item.place
            )
            notes.append(f"{item.label}: not shown, {reason}.")
            continue
        if not days:
            notes.append(f"{item.label}: not shown, no complete reporting day.")
            continue
        value = next(iter(item.values.values()), None)
        tiles.append(Tile(item.label, format_value(value, item.line.unit), span, value))
        trend = by_day[item.line.label]
        trends.append(
            pd.DataFrame(
                {
                    "date": [day for _, day in days],
                    "metric": item.label,
                    "value": [trend.values.get(label) for label, _ in days],
                }
            )
        )
        trend_formats[item.label] = D3_FORMATS[item.line.unit]
    chart_list: list[Chart] = []
    if trends:
        frame = pd.concat(trends, ignore_index=True)
        frame["date"] = pd.to_datetime(frame["date"])
        frame["value"] = frame["value"].astype("object").where(frame["value"].notna(), None)
        chart_list.append(Chart("Daily trend", charts.metric_trends(frame, trend_formats)))
    return Section(
        key=section.key,
        title=section.title,
        intro=section.intro,
        tiles=tuple(tiles),
        charts=tuple(chart_list),
        notes=tuple(notes),
    )
