"""Quarantine reasons that name the problem and show the row's own values.

A reason reads `<check>: <what is wrong, with the values>`, e.g.
`order: ended_at 09:01:12 is before started_at 09:03:40`: the check name first (what the
rule book calls it), then the offending values, so that whoever fixes the row sees what to
change. Values of PII columns are never shown ("malformed phone number"), since reasons are
printed, logged and exported.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy

from ccmetrics.contract import SOURCES_BY_NAME, Source
from ccmetrics.guard.suites import (
    DAY_END_COLUMN,
    DAY_START_COLUMN,
    RATED_ENDED_COLUMN,
    SPAN_COLUMN,
    TARGETS_COLUMN,
)

if TYPE_CHECKING:
    import pandas as pd

MAX_TEXT = 60
HIDDEN = "(value hidden: personal data)"


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _timestamp(value: object) -> dt.datetime | None:
    import pandas as pd

    if _missing(value) or isinstance(value, str):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return pd.Timestamp(value).to_pydatetime()
    return None


def _clock(moment: dt.datetime) -> str:
    text = moment.strftime("%H:%M:%S")
    return f"{text}.{moment.microsecond:06d}".rstrip("0") if moment.microsecond else text


def _moments(*values: object) -> list[str] | None:
    """Timestamps as clock times when they fall on one day (the usual case), else in full."""
    moments = [_timestamp(value) for value in values]
    if any(moment is None for moment in moments):
        return None
    days = {moment.date() for moment in moments if moment is not None}
    if len(days) == 1:
        return [_clock(moment) for moment in moments if moment is not None]
    return [
        f"{moment.date().isoformat()} {_clock(moment)}" for moment in moments if moment is not None
    ]


def _full(value: object) -> str:
    moment = _timestamp(value)
    if moment is None:
        return _plain(value)
    return f"{moment.date().isoformat()} {_clock(moment)}"


def _day(value: object) -> str:
    moment = _timestamp(value)
    if moment is not None:
        return moment.date().isoformat()
    return _plain(value)


def _plain(value: object) -> str:
    if _missing(value):
        return "(empty)"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if _timestamp(value) is not None:
        return _full(value)
    if isinstance(value, bool | numpy.bool_):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        return f"{number:g}" if math.isfinite(number) else str(number)
    text = str(value)
    shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "..."
    return repr(shown)


class _Row:
    """A failing row's values, with the PII columns of its source masked."""

    def __init__(self, source: Source, row: pd.Series) -> None:
        self.source = source
        self.row = row

    def pii(self, column: str) -> bool:
        return column in self.source.column_names and self.source.column(column).pii

    def get(self, column: str) -> object:
        return self.row.get(column)

    def is_date(self, column: str) -> bool:
        return column in self.source.column_names and self.source.column(column).type == "date"

    def show(self, column: str) -> str:
        if self.pii(column):
            return HIDDEN
        if self.is_date(column):
            return _day(self.get(column))
        return _plain(self.get(column))

    def pair(self, first: str, second: str) -> tuple[str, str]:
        """Two values to compare; two timestamps of one day as clock times (09:01:12)."""
        if any(self.pii(c) or self.is_date(c) for c in (first, second)):
            return self.show(first), self.show(second)
        both = _moments(self.get(first), self.get(second))
        if both is None:
            return self.show(first), self.show(second)
        return both[0], both[1]


def _limit(value: float | None) -> str:
    return "no limit" if value is None else f"{value:g}"


def _not_null(meta: Mapping[str, Any], row: _Row) -> str:
    return f"{meta['column']} is missing (required)"


def _enum(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    allowed = ", ".join(row.source.column(column).enum or ())
    return f"{column} {row.show(column)} is not one of {allowed}"


def _format(meta: Mapping[str, Any], row: _Row) -> str:
    return f"malformed {meta['kind']} in {meta['column']}"


def _max_length(meta: Mapping[str, Any], row: _Row) -> str:
    """The length and the limit only: the value may be megabytes long, or personal data."""
    column = meta["column"]
    value = row.get(column)
    length = 0 if _missing(value) else len(str(value))
    return (
        f"{column} is {length:,} characters long; the limit is {meta['max_length']:,} "
        "(value not shown)"
    )


def _plain_text(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    return f"{column} {row.show(column)} is not a plain id or code ({meta['allowed']})"


def _reference(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    target = meta["references"].split(".")[0]
    source = meta["source"]
    return (
        f"{column} {row.show(column)} not found in {target} (loaded, or delivered earlier in "
        f"this run); if it arrives in a later file, load that file, then re-check this row: "
        f"ccmetrics quarantine export --source {source} --out FILE, then "
        f"ccmetrics load --source {source} --corrections FILE"
    )


def _not_future(meta: Mapping[str, Any], row: _Row, now: dt.datetime) -> str:
    column = meta["column"]
    return f"{column} {row.show(column)} is in the future (the run started {_full(now)})"


def _unique_key(meta: Mapping[str, Any], row: _Row) -> str:
    values = " and ".join(f"{column} {row.show(column)}" for column in meta["columns"])
    return f"{values} appear on more than one row of the batch with different content"


def _in_batch_day(meta: Mapping[str, Any], row: _Row) -> str:
    day_start = _timestamp(row.get(DAY_START_COLUMN))
    day_end = _timestamp(row.get(DAY_END_COLUMN))
    day = day_start.date().isoformat() if day_start is not None else "?"
    where = f"the batch's UTC day {day}"
    if day_start is not None and day_end is not None and day_start.time() != dt.time():
        # A local day (a CSV export read through its mapping's time zone).
        where = f"the batch's local day, {_full(day_start)} to {_full(day_end)} UTC"
    day_column = meta["day_column"]
    text = f"{day_column} {row.show(day_column)} is not on {where}"
    version = meta.get("version_column")
    if version:
        text += f", nor is {version} {row.show(version)}"
    return text


def _plausible(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    return (
        f"{column} {row.show(column)} is outside {_limit(meta['min_value'])} to "
        f"{_limit(meta['max_value'])} ({meta['reason']})"
    )


def _order(meta: Mapping[str, Any], row: _Row) -> str:
    later, earlier = row.pair(meta["later"], meta["earlier"])
    return f"{meta['later']} {later} is before {meta['earlier']} {earlier}"


def _duration(meta: Mapping[str, Any], row: _Row) -> str:
    span = row.get(SPAN_COLUMN)
    finite = isinstance(span, numbers.Real) and math.isfinite(float(span))
    lasted = f"{float(span):,.0f} s" if finite else "?"  # type: ignore[arg-type]
    return (
        f"{meta['start']} to {meta['end']} lasts {lasted}; expected 0 to "
        f"{meta['max_seconds']:,.0f} s ({meta['max_seconds'] / 86400:g} days)"
    )


def _one_target(meta: Mapping[str, Any], row: _Row) -> str:
    columns = meta["columns"]
    count = row.get(TARGETS_COLUMN)
    if count == 0:
        return f"none of {', '.join(columns)} is set; exactly one must be"
    shown = ", ".join(f"{column} {row.show(column)}" for column in columns)
    return f"{shown}: exactly one must be set"


def _after_rated(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    answered, ended = row.pair(column, RATED_ENDED_COLUMN)
    return f"{column} {answered} is before the rated contact or bot session ended ({ended})"


def _null_when(meta: Mapping[str, Any], row: _Row) -> str:
    column = meta["column"]
    return (
        f"{column} {row.show(column)} is set on a {meta['when_column']} "
        f"{meta['when_value']} row; it must be empty ({meta['why']})"
    )


_PLAIN_RULES = {
    "not_null": _not_null,
    "enum": _enum,
    "format": _format,
    "plain_text": _plain_text,
    "max_length": _max_length,
    "reference": _reference,
    "unique_key": _unique_key,
    "in_batch_day": _in_batch_day,
    "plausible": _plausible,
    "order": _order,
    "duration": _duration,
    "one_target": _one_target,
    "after_rated": _after_rated,
    "null_when": _null_when,
}


def describe(
    source: Source | str, meta: Mapping[str, Any], row: pd.Series, now: dt.datetime
) -> str:
    """The quarantine reason of `row` failing the expectation with `meta`."""
    if isinstance(source, str):
        source = SOURCES_BY_NAME[source]
    check = meta["check"]
    values = _Row(source, row)
    if check == "not_future":
        return f"{check}: {_not_future(meta, values, now)}"
    rule = _PLAIN_RULES.get(check)
    if rule is None:
        return f"{check}: {meta['reason']}"
    return f"{check}: {rule(meta, values)}"
