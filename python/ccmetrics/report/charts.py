"""Vega-Lite chart specs (built with Altair) for the report; data is inlined in each spec.

Dates travel as ISO day strings ("2026-03-02"), which Vega reads as midnight UTC, and every
date axis is a UTC scale: a reader west of Greenwich would otherwise see each reporting day
labelled with the day before.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import altair as alt
    import pandas as pd

WIDTH = 360
HEIGHT = 180
DAY_TICKS = 8
"""At most this many labelled days on a date axis: "02 Mar" labels of 30 days side by side
run into one unreadable strip."""
TARGET_COLOR = "#1f2933"
FEW_COLOR = "#c9d1d9"
LABEL_PIXELS = 55
"""Room one "02 Mar" label needs, gap included."""
TREND_WIDTH = 200
DAY = "utcyearmonthdate"

Span = tuple[dt.date, dt.date]


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


def _by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its column date as ISO day strings, which Vega reads as UTC midnight (a
    timestamp without a zone it would read as local midnight)."""
    import pandas as pd

    return frame.assign(date=pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"))


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
        if pd.api.types.is_bool_dtype(frame[name]):
            tooltips.append(alt.Tooltip(f"{name}:N"))
        elif pd.api.types.is_float_dtype(frame[name]):
            tooltips.append(alt.Tooltip(f"{name}:Q", format=",.3~f"))
        elif pd.api.types.is_numeric_dtype(frame[name]):
            tooltips.append(alt.Tooltip(f"{name}:Q"))
        else:
            tooltips.append(alt.Tooltip(f"{name}:N"))
    return tooltips


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure_view(stroke=None).to_dict()


def _utc_day(day: dt.date) -> alt.DateTime:
    import altair as alt

    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def day_scale(span: Span) -> alt.Scale:
    """The reporting days `span` as a UTC time scale from the first day's midnight to the
    last minute of the last day, so that every day, data or not, has its place, a day drawn
    as a bar (or a point at noon) fits inside, and no tick falls on the day after."""
    import altair as alt

    first, last = span
    end = alt.DateTime(
        year=last.year, month=last.month, date=last.day, hours=23, minutes=59, utc=True
    )
    return alt.Scale(type="utc", domain=[_utc_day(first), end])


def day_axis(span: Span, width: int = WIDTH) -> alt.Axis:
    """A date axis of `span` whose labels do not collide: one every `step` days, at most
    DAY_TICKS of them and one per LABEL_PIXELS of width."""
    import altair as alt

    days = (span[1] - span[0]).days + 1
    step = max(1, math.ceil(days / max(1, min(DAY_TICKS, width // LABEL_PIXELS))))
    return alt.Axis(
        format="%d %b",
        labelAngle=0,
        labelOverlap=True,
        tickCount=alt.TimeIntervalStep(interval="day", step=step),
        grid=False,
    )


def _day_x(field: str, span: Span, *, centred: bool, width: int = WIDTH) -> alt.X:
    """A reporting day on the x axis: a band per day; points and lines at its middle."""
    import altair as alt

    return alt.X(
        f"{field}:T",
        timeUnit=DAY,
        title=None,
        scale=day_scale(span),
        axis=day_axis(span, width),
        bandPosition=0.5 if centred else alt.Undefined,
    )


def _day_tooltip(field: str) -> alt.Tooltip:
    import altair as alt

    return alt.Tooltip(f"{field}:T", timeUnit=DAY, title="day", format="%a %d %b %Y")


def _target_rule(target: float, label: str) -> alt.LayerChart:
    """A dashed horizontal rule at `target`, labelled at the right end of the plot."""
    import altair as alt

    one = alt.Data(values=[{}])
    rule = (
        alt.Chart(one)
        .mark_rule(color=TARGET_COLOR, strokeDash=[5, 3], strokeWidth=1.5)
        .encode(y=alt.datum(target))
    )
    text = (
        alt.Chart(one)
        .mark_text(align="right", baseline="bottom", dx=-2, dy=-2, color=TARGET_COLOR)
        .encode(y=alt.datum(target), x=alt.value("width"), text=alt.value(label))
    )
    return alt.layer(rule, text)


def metric_trends(
    frame: pd.DataFrame,
    formats: dict[str, str],
    columns: int = 4,
    targets: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Small multiples in the given order, one per metric (columns date, metric, value), each
    with its own scale and number format (`formats`: metric -> d3 format), and a dashed rule
    on the panels of the metrics `targets` gives a target for."""
    import altair as alt
    import pandas as pd

    days = pd.to_datetime(frame["date"])
    frame = _by_day(frame)
    span = (days.min().date(), days.max().date())
    panels = []
    for metric, number_format in formats.items():
        subset = frame[frame["metric"] == metric]
        line = (
            alt.Chart(_data(subset), title=alt.Title(metric, fontSize=12))
            .mark_line(point=alt.OverlayMarkDef(size=18))
            .encode(
                x=_day_x("date", span, centred=True, width=TREND_WIDTH),
                y=alt.Y(
                    "value:Q",
                    title=None,
                    scale=alt.Scale(zero=False),
                    axis=alt.Axis(format=number_format, tickCount=4),
                ),
                tooltip=[
                    _day_tooltip("date"),
                    alt.Tooltip("value:Q", title=metric, format=number_format),
                ],
            )
        )
        target = (targets or {}).get(metric)
        panel = line if target is None else alt.layer(line, _target_rule(target, "target"))
        panels.append(panel.properties(width=TREND_WIDTH, height=110))
    return _spec(alt.concat(*panels, columns=columns))


def interval_heatmap(
    frame: pd.DataFrame,
    value: str,
    title: str,
    days: Sequence[str],
    *,
    target: float | None = None,
    few: str | None = None,
    few_label: str = "",
) -> dict[str, Any]:
    """Day x time-of-day heat map (columns date, time_of_day, `value`, plus tooltip counts),
    one row per day of `days` whether it has cells or not. Coloured red below `target`,
    yellow at it, green above; cells where the boolean column `few` is true are grey instead,
    `few_label` in the legend: too few calls for their rate to mean anything."""
    import altair as alt

    tooltips = _tooltips(frame, skip=("date", value, *((few,) if few else ())))
    x = alt.X("time_of_day:O", title="interval start", axis=alt.Axis(labelAngle=-90))
    y = alt.Y("date:O", title=None, scale=alt.Scale(domain=list(days)))
    rate = alt.Tooltip(f"{value}:Q", title=title, format=".1%")
    legend_title = title if target is None else f"{title} (target {target:.1%})"
    scale = alt.Scale(domain=[0, 1], scheme="redyellowgreen")
    if target is not None:
        scale = alt.Scale(domain=[0, 1], domainMid=target, scheme="redyellowgreen")
    coloured = (
        alt.Chart()
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                f"{value}:Q", title=legend_title, scale=scale, legend=alt.Legend(format="%")
            ),
            tooltip=[alt.Tooltip("date:N", title="day"), rate, *tooltips],
        )
    )
    layers = [coloured]
    if few:
        coloured = coloured.transform_filter(f"!datum.{few}")
        greyed = (
            alt.Chart()
            .mark_rect(stroke="#ffffff", strokeWidth=0.5)
            .encode(
                x=x,
                y=y,
                fill=alt.Fill(
                    f"{few}:N",
                    title=None,
                    scale=alt.Scale(domain=[True], range=[FEW_COLOR]),
                    legend=alt.Legend(labelExpr=f"{few_label!r}", symbolType="square"),
                ),
                tooltip=[
                    alt.Tooltip("date:N", title="day"),
                    rate,
                    *tooltips,
                    alt.Tooltip(f"{few}:N", title=few_label),
                ],
            )
            .transform_filter(f"datum.{few}")
        )
        layers = [coloured, greyed]
    chart = alt.layer(*layers, data=_data(frame)).properties(
        width=max(WIDTH, 16 * frame["time_of_day"].nunique())
    )
    return _spec(chart.resolve_legend(color="independent", fill="independent"))


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


def daily_lines(
    frame: pd.DataFrame,
    span: Span,
    value: str,
    series: str,
    value_title: str,
    *,
    percent: bool = False,
    target: float | None = None,
    target_label: str = "",
) -> dict[str, Any]:
    """One line per `series` over the reporting days of `span` (column date), with a dashed
    rule at `target` when there is one."""
    import altair as alt

    axis = alt.Axis(format="%") if percent else alt.Axis(format=",.2~f")
    lines = (
        alt.Chart(_data(_by_day(frame)))
        .mark_line(point=True)
        .encode(
            x=_day_x("date", span, centred=True, width=WIDTH + 120),
            y=alt.Y(f"{value}:Q", title=value_title, axis=axis),
            color=alt.Color(f"{series}:N", title=None, sort=None),
            tooltip=[_day_tooltip("date"), *_tooltips(frame, skip=("date",))],
        )
    )
    chart = lines if target is None else alt.layer(lines, _target_rule(target, target_label))
    return _spec(chart.properties(width=WIDTH + 120, height=HEIGHT))


def daily_stacked_bars(
    frame: pd.DataFrame, span: Span, value: str, value_title: str, color: str
) -> dict[str, Any]:
    """Bars of `value` per reporting day of `span` (column date), stacked by `color`."""
    import altair as alt

    chart = (
        alt.Chart(_data(_by_day(frame)))
        .mark_bar()
        .encode(
            x=_day_x("date", span, centred=False, width=WIDTH + 120),
            y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{color}:N", title=None, sort=None),
            tooltip=[_day_tooltip("date"), *_tooltips(frame, skip=("date",))],
        )
    )
    return _spec(chart.properties(width=WIDTH + 120, height=HEIGHT))


def response_panels(frame: pd.DataFrame, span: Span, columns: int = 3) -> dict[str, Any]:
    """One panel per channel (column panel, its title, in order of appearance): the daily mean
    first response (column response) against the channel's target (column target, dashed),
    each panel on its own scale since the targets run from seconds to a day."""
    import altair as alt

    frame = _by_day(frame)
    panels = []
    for title in frame["panel"].drop_duplicates():
        subset = frame[frame["panel"] == title]
        line = (
            alt.Chart(_data(subset), title=alt.Title(title, fontSize=12))
            .mark_line(point=alt.OverlayMarkDef(size=18))
            .encode(
                x=_day_x("date", span, centred=True, width=TREND_WIDTH),
                y=alt.Y("response:Q", title=None, axis=alt.Axis(format=",.3~r", tickCount=4)),
                tooltip=[_day_tooltip("date"), *_tooltips(subset, skip=("date", "panel"))],
            )
        )
        targets = subset["target"].dropna()
        panel = (
            alt.layer(line, _target_rule(float(targets.iloc[0]), "target"))
            if not targets.empty
            else line
        )
        panels.append(panel.properties(width=TREND_WIDTH, height=110))
    return _spec(alt.concat(*panels, columns=columns))


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
