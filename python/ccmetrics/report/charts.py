"""Vega-Lite chart specs (built with Altair) for the report; data is inlined in each spec."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

WIDTH = 360
HEIGHT = 180


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _cell(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: dates as ISO strings, NaN/NaT as null."""
    import pandas as pd

    rows = frame.astype(object).where(pd.notna(frame), None).to_dict(orient="records")
    return [{str(key): _cell(value) for key, value in row.items()} for row in rows]


def _data(frame: pd.DataFrame) -> alt.Data:
    import altair as alt

    return alt.Data(values=records(frame))


def _tooltips(frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> list[alt.Tooltip]:
    """A tooltip per column, typed from the column's dtype (the data is inlined, not a frame)."""
    import altair as alt
    import pandas as pd

    tooltips = []
    for name in frame.columns:
        if name in skip:
            continue
        if pd.api.types.is_float_dtype(frame[name]):
            tooltips.append(alt.Tooltip(f"{name}:Q", format=",.3~f"))
        elif pd.api.types.is_numeric_dtype(frame[name]):
            tooltips.append(alt.Tooltip(f"{name}:Q"))
        else:
            tooltips.append(alt.Tooltip(f"{name}:N"))
    return tooltips


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure_view(stroke=None).to_dict()


def metric_trends(frame: pd.DataFrame, formats: dict[str, str], columns: int = 4) -> dict[str, Any]:
    """Small multiples in the given order, one per metric (columns date, metric, value), each
    with its own scale and number format (`formats`: metric -> d3 format)."""
    import altair as alt

    panels = []
    for metric, number_format in formats.items():
        subset = frame[frame["metric"] == metric]
        panels.append(
            alt.Chart(_data(subset), title=alt.Title(metric, fontSize=12))
            .mark_line(point=alt.OverlayMarkDef(size=18))
            .encode(
                x=alt.X("date:T", title=None, axis=alt.Axis(format="%d %b", tickCount=5)),
                y=alt.Y(
                    "value:Q",
                    title=None,
                    scale=alt.Scale(zero=False),
                    axis=alt.Axis(format=number_format, tickCount=4),
                ),
                tooltip=[
                    alt.Tooltip("date:T", format="%Y-%m-%d"),
                    alt.Tooltip("value:Q", title=metric, format=number_format),
                ],
            )
            .properties(width=200, height=110)
        )
    return _spec(alt.concat(*panels, columns=columns))


def interval_heatmap(frame: pd.DataFrame, value: str, title: str) -> dict[str, Any]:
    """Day x time-of-day heat map (columns date, time_of_day, `value`, plus tooltip counts)."""
    import altair as alt

    tooltips = _tooltips(frame, skip=("date", value))
    chart = (
        alt.Chart(_data(frame))
        .mark_rect()
        .encode(
            x=alt.X("time_of_day:O", title="interval start", axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("date:O", title=None),
            color=alt.Color(
                f"{value}:Q",
                title=title,
                scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                legend=alt.Legend(format="%"),
            ),
            tooltip=[alt.Tooltip("date:N"), alt.Tooltip(f"{value}:Q", format=".1%"), *tooltips],
        )
        .properties(width=max(WIDTH, 16 * frame["time_of_day"].nunique()))
    )
    return _spec(chart)


def grouped_bars(
    frame: pd.DataFrame, x: str, group: str, value: str, value_title: str, percent: bool = True
) -> dict[str, Any]:
    """Bars of `value` per `x`, one bar per `group` side by side."""
    import altair as alt

    axis = alt.Axis(format="%") if percent else alt.Axis()
    chart = (
        alt.Chart(_data(frame))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{group}:N", sort=None),
            y=alt.Y(f"{value}:Q", title=value_title, axis=axis),
            color=alt.Color(f"{group}:N", sort=None, title=None),
            tooltip=_tooltips(frame),
        )
        .properties(width=WIDTH + 120, height=HEIGHT)
    )
    return _spec(chart)


def lines(
    frame: pd.DataFrame,
    x: str,
    value: str,
    series: str,
    value_title: str,
    percent: bool = False,
) -> dict[str, Any]:
    """One line per `series` over the dates in `x`."""
    import altair as alt

    axis = alt.Axis(format="%") if percent else alt.Axis()
    chart = (
        alt.Chart(_data(frame))
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=value_title, axis=axis),
            color=alt.Color(f"{series}:N", title=None, sort=None),
            tooltip=_tooltips(frame),
        )
        .properties(width=WIDTH + 120, height=HEIGHT)
    )
    return _spec(chart)


def bars(
    frame: pd.DataFrame, x: str, value: str, value_title: str, color: str | None = None
) -> dict[str, Any]:
    """Simple bars of `value` per `x` (optionally stacked by `color`)."""
    import altair as alt

    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{value}:Q", title=value_title),
        "tooltip": _tooltips(frame),
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None, sort=None)
    chart = alt.Chart(_data(frame)).mark_bar().encode(**encoding)
    return _spec(chart.properties(width=WIDTH, height=HEIGHT))


def staffing_gap_heatmap(frame: pd.DataFrame) -> dict[str, Any]:
    """Queue x time-of-day heat map of the mean staffing gap (staffed - required agents) over
    the days reported; columns queue_id, time_of_day, mean_gap plus tooltip counts."""
    import altair as alt

    limit = max(1.0, float(frame["mean_gap"].abs().max()))
    chart = (
        alt.Chart(_data(frame))
        .mark_rect()
        .encode(
            x=alt.X("time_of_day:O", title="interval start", axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("queue_id:N", title=None),
            color=alt.Color(
                "mean_gap:Q",
                title="staffed - required",
                scale=alt.Scale(domain=[-limit, 0, limit], scheme="redblue", domainMid=0),
            ),
            tooltip=_tooltips(frame),
        )
        .properties(width=max(WIDTH, 16 * frame["time_of_day"].nunique()))
    )
    return _spec(chart)


def flag_bars(frame: pd.DataFrame) -> dict[str, Any]:
    """Flag counts (columns metric_name, drilldown_level, flag, flags, checked) per metric,
    one column of bars per drill-down level."""
    import altair as alt

    chart = (
        alt.Chart(_data(frame))
        .mark_bar()
        .encode(
            x=alt.X("metric_name:N", title=None, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("flags:Q", title="flagged days", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "flag:N",
                title=None,
                scale=alt.Scale(
                    domain=["below_limit", "above_limit"], range=["#b03a2e", "#2f6f9f"]
                ),
            ),
            tooltip=_tooltips(frame),
        )
        .properties(width=170, height=HEIGHT)
        .facet(
            column=alt.Column(
                "drilldown_level:N", title=None, sort=["center", "team", "agent", "contact_reason"]
            )
        )
    )
    return _spec(chart)
