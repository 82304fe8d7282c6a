"""The report's headline cards: the scorecard's lines and numbers over the reported days, each
with its daily trend and its change against the previous period of the same length.

The cards are the semantic layer's headline metrics (`ccmetrics.registry`), evaluated by the
scorecard's own `evaluate`: the same labels, numbers and delta formatting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ccmetrics.catalog import CatalogError
from ccmetrics.registry import HeadlineSection, project_semantic_layer
from ccmetrics.report import charts
from ccmetrics.report.formatting import format_value
from ccmetrics.report.model import Chart, Section, Tile
from ccmetrics.report.sections import D3_FORMATS
from ccmetrics.scorecard import (
    NO_MART,
    Evaluated,
    Placement,
    complete_range,
    evaluate,
    format_change,
)
from ccmetrics.scorecard import headline_sections as declared_sections
from ccmetrics.sqlbuild import Period

if TYPE_CHECKING:
    from ccmetrics.report.warehouse import ReportSource


def headline_marts() -> tuple[str, ...]:
    """The marts the headline cards read, as the project's semantic layer declares them."""
    from ccmetrics import paths

    semantic = project_semantic_layer(paths.project_dir() / "models" / "semantic")
    return tuple(
        sorted(
            {
                mart
                for section in semantic.headline_sections()
                for headline in section.headlines
                for mart in headline.formula.marts()
            }
        )
    )


def _complete(warehouse: ReportSource) -> tuple[dt.date, dt.date] | None:
    try:
        first, last, _ = complete_range(warehouse.warehouse, warehouse.provenance)
    except CatalogError:
        return None
    return first, last


def headline_span(
    warehouse: ReportSource, period: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date] | None:
    """The complete reporting days the headline cards cover (within `period` when given)."""
    complete = _complete(warehouse)
    if complete is None:
        return None
    first, last = complete
    if period is not None:
        first, last = max(first, period[0]), min(last, period[1])
    return (first, last) if first <= last else None


def previous_span(
    warehouse: ReportSource, span: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date] | None:
    """The complete reporting days of the same length just before `span`, None when the data
    does not reach that far back (then a card shows no change)."""
    complete = _complete(warehouse)
    length = span[1] - span[0] + timedelta(days=1)
    previous = (span[0] - length, span[0] - timedelta(days=1))
    if complete is None or previous[0] < complete[0]:
        return None
    return previous


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
    span = previous_text = ""
    if first is not None and last is not None:
        count = (last - first).days + 1
        days = [
            (f"d{first + timedelta(days=n):%Y%m%d}", first + timedelta(days=n))
            for n in range(count)
        ]
        whole_periods = [Period("period", first, last)]
        span = f"{first:%d %b} - {last:%d %b}"
        previous = previous_span(warehouse, (first, last))
        if previous is not None:
            whole_periods.append(Period("previous", *previous))
            previous_text = f"{previous[0]:%d %b} - {previous[1]:%d %b}"
    whole = evaluate(warehouse.warehouse, provenance, whole_periods)
    daily = evaluate(
        warehouse.warehouse, provenance, [Period(label, day, day) for label, day in days]
    )
    return [
        headline_section(section, whole, daily, days, span, previous_text, provenance.parameters)
        for section in declared_sections(warehouse.warehouse.catalog)
    ]


def headline_section(
    section: HeadlineSection,
    whole: list[Evaluated],
    daily: list[Evaluated],
    days: list[tuple[str, dt.date]],
    span: str,
    previous: str = "",
    parameters: Mapping[str, Any] | None = None,
) -> Section:
    """Tiles with each headline over the whole period (the scorecard's lines and numbers),
    its change against the `previous` period (the scorecard's delta formatting), and
    small-multiple daily trends, with a headline's target where the build's `parameters`
    publish the one its meta names (`target: sl_target`)."""
    import pandas as pd

    tiles: list[Tile] = []
    notes: list[str] = []
    trends: list[pd.DataFrame] = []
    trend_formats: dict[str, str] = {}
    targets: dict[str, float] = {}
    by_day = {item.headline.metric: item for item in daily if item.section.key == section.key}
    for item in whole:
        if item.section.key != section.key:
            continue
        if item.unavailable:
            tiles.append(Tile(item.label, "n/a", item.unavailable))
            continue
        if not isinstance(item.place, Placement):
            reason = (
                f"mart `{item.headline.mart}` is not built in this warehouse"
                if item.place == NO_MART
                else item.place
            )
            notes.append(f"{item.label}: not shown, {reason}.")
            continue
        if not days:
            notes.append(f"{item.label}: not shown, no complete reporting day.")
            continue
        value = item.values.get("period")
        change = ""
        if previous:
            delta = format_change(value, item.values.get("previous"), item.headline)
            change = f"{delta} vs {previous}"
        tiles.append(Tile(item.label, format_value(value, item.headline.unit), span, value, change))
        trend = by_day[item.headline.metric]
        trends.append(
            pd.DataFrame(
                {
                    "date": [day for _, day in days],
                    "metric": item.label,
                    "value": [trend.values.get(label) for label, _ in days],
                }
            )
        )
        trend_formats[item.label] = D3_FORMATS[item.headline.unit]
        target = (parameters or {}).get(item.headline.target or "")
        if isinstance(target, int | float) and not isinstance(target, bool):
            targets[item.label] = float(target)
    chart_list: list[Chart] = []
    if trends:
        frame = pd.concat(trends, ignore_index=True)
        frame["date"] = pd.to_datetime(frame["date"])
        frame["value"] = frame["value"].astype("object").where(frame["value"].notna(), None)
        chart_list.append(
            Chart(
                "Daily trend", charts.metric_trends(frame, trend_formats, targets=targets or None)
            )
        )
    return Section(
        key=section.key,
        title=section.title,
        intro=section.intro,
        tiles=tuple(tiles),
        charts=tuple(chart_list),
        notes=tuple(notes),
    )
