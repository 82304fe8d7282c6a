"""Local dates and times of day to UTC instants, DST-safe; durations to seconds.

A local time is read in the mapping's zone. When clocks go back, a time of the repeated hour
has two readings; when they go forward, a skipped time has none. A time with an anchor (the
canonical timestamp it cannot precede) takes the first reading not before the anchor, on the
row's date or the next day (a call that crossed midnight); without one, the mapping's
`ambiguous_time` / `nonexistent_time` decide.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

UTC = dt.UTC
CLOCK_SKEW = dt.timedelta(hours=1)
"""An anchored time up to this much before its anchor on the same day is a clock error (kept,
for the guard to clamp or quarantine), not a call that crossed midnight."""

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?$")
_CLOCK_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,6}))?$")


class Unreadable(ValueError):
    """A value that does not parse; the message says what was expected."""


class NoReading(ValueError):
    """A local time that is ambiguous or skipped and the mapping says reject."""


def parse_time_of_day(text: str) -> dt.timedelta:
    """`8:05`, `08:05:30`, `08:05:30.250`; hours 24-47 are the next day (`24:03`)."""
    match = _TIME.match(text)
    if match is None:
        raise Unreadable("a time of day H:MM[:SS]")
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    fraction = match.group(4) or ""
    if hours > 47 or minutes > 59 or seconds > 59:
        raise Unreadable("a time of day H:MM[:SS] (hours below 48)")
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds, microseconds=micro)


def parse_date(text: str, date_format: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        raise Unreadable(f"a date {date_format}") from None


def parse_datetime(text: str, datetime_format: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, datetime_format)
    except ValueError:
        raise Unreadable(f"a date and time {datetime_format}") from None


def parse_duration(text: str, unit: str) -> float:
    """Seconds from a number in `unit`, or from a clock string (`0:03:25`, or `3:25` = M:SS)."""
    if unit == "clock":
        match = _CLOCK_DURATION.match(text)
        if match is None:
            raise Unreadable("a duration H:MM:SS or M:SS")
        hours = int(match.group(1) or 0)
        minutes, seconds = int(match.group(2)), int(match.group(3))
        if seconds > 59 or (match.group(1) is not None and minutes > 59):
            raise Unreadable("a duration H:MM:SS or M:SS")
        fraction = match.group(4) or ""
        return hours * 3600 + minutes * 60 + seconds + (float(f"0.{fraction}") if fraction else 0)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise Unreadable(f"a number of {unit}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Unreadable(f"a number of {unit}")
    factor = {"seconds": 1.0, "minutes": 60.0, "milliseconds": 0.001}[unit]
    return number * factor


def readings(local: dt.datetime, zone: ZoneInfo) -> tuple[list[dt.datetime], bool]:
    """The UTC instants a naive local time can mean, earliest first, and whether it exists.

    Two readings: the repeated hour (clocks went back). One reading that does not round-trip:
    a skipped time (clocks went forward); it is read with the offset in force before the
    change (`fold=0`), i.e. as if the clock had not been moved yet."""
    instants = []
    for fold in (0, 1):
        aware = local.replace(tzinfo=zone, fold=fold)
        instants.append(aware.astimezone(UTC).replace(tzinfo=None))
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    exists = first.astimezone(zone).replace(tzinfo=None) == local
    if not exists:
        return [instants[0]], False
    return sorted(set(instants)), True


def to_utc(
    local: dt.datetime,
    zone: ZoneInfo,
    ambiguous: str,
    nonexistent: str,
) -> dt.datetime:
    """An unanchored local time in UTC (naive)."""
    found, exists = readings(local, zone)
    if not exists:
        if nonexistent == "reject":
            raise NoReading("skipped by the change to summer time")
        return found[0]
    if len(found) > 1:
        if ambiguous == "reject":
            raise NoReading("occurs twice (clocks went back)")
        return found[0] if ambiguous == "earlier" else found[-1]
    return found[0]


def anchored_to_utc(
    day: dt.date,
    offset: dt.timedelta,
    anchor: dt.datetime,
    zone: ZoneInfo,
    nonexistent: str,
) -> dt.datetime:
    """The first UTC reading of the local time `day + offset`, or of the same time a day later,
    that is not before `anchor` (UTC). A same-day reading less than CLOCK_SKEW before the anchor
    is kept (a clock error for the guard to judge), not moved to the next day."""
    same_day = dt.datetime.combine(day, dt.time()) + offset
    found, exists = readings(same_day, zone)
    if not exists and nonexistent == "reject":
        raise NoReading("skipped by the change to summer time")
    later = [instant for instant in found if instant >= anchor]
    if later:
        return later[0]
    if anchor - found[-1] <= CLOCK_SKEW:
        return found[-1]
    next_day, exists = readings(same_day + dt.timedelta(days=1), zone)
    if not exists and nonexistent == "reject":
        raise NoReading("skipped by the change to summer time")
    later = [instant for instant in next_day if instant >= anchor]
    return later[0] if later else next_day[-1]


def local_day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants (naive) of a local day: from its midnight to just before the next
    (23 or 25 hours long on a DST change day)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(UTC)
    return (
        start.replace(tzinfo=None),
        end.replace(tzinfo=None) - dt.timedelta(microseconds=1),
    )


def iso_utc(instant: dt.datetime) -> str:
    """Text the guard casts as UTC."""
    text = instant.isoformat(sep=" ")
    return f"{text}+00:00"
