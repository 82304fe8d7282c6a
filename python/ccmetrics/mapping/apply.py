"""Apply a mapping to a CSV export: every canonical contacts column as text, plus `_source_row`
(the CSV line the record starts on; the header is line 1).

A value the mapping cannot map never becomes a silent null: the canonical column gets a marker
such as `unmapped Outcome='XX'`, which no contract type, enum or plain-id check accepts, so the
guard quarantines the row with a reason that shows the source column and value; the same
problem is listed for `ccmetrics map --check`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ccmetrics.contract import CONTACTS
from ccmetrics.mapping import clock
from ccmetrics.mapping.spec import DEFAULT_DATETIME_FORMAT, Mapping, Rule

if TYPE_CHECKING:
    import pandas as pd

SOURCE_ROW = "_source_row"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class FileProblem(ValueError):
    """The file cannot be read through the mapping (encoding, header, a short row)."""


@dataclass(frozen=True)
class Problem:
    column: str
    """Canonical column that could not be filled."""
    source: str
    """Source column(s) the value came from."""
    value: str
    line: int
    kind: str
    """unmapped, unreadable or no reading (an ambiguous or skipped local time, rejected)."""
    expected: str = ""


@dataclass
class Mapped:
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    cells: dict[str, str | None]
    values: dict[str, str | None] = field(default_factory=dict)
    instants: dict[str, dt.datetime | None] = field(default_factory=dict)


class _Failed(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_records(path: Path, mapping: Mapping) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and (line, fields) of every record; blank lines are skipped."""
    encoding = "utf-8-sig" if mapping.encoding == "utf-8" else mapping.encoding
    records: list[tuple[int, list[str]]] = []
    try:
        with path.open(newline="", encoding=encoding) as handle:
            reader = csv.reader(handle, delimiter=mapping.delimiter, strict=True)
            header = next(reader, None)
            if not header:
                raise FileProblem("an empty file (no header)")
            header = [name.strip() for name in header]
            while True:
                start = reader.line_num + 1
                fields = next(reader, None)
                if fields is None:
                    break
                if not fields:
                    continue
                if len(fields) != len(header):
                    raise FileProblem(
                        f"line {start} has {len(fields)} fields; the header has {len(header)}"
                    )
                records.append((start, fields))
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"not {mapping.encoding} text (byte {exc.start}); set csv.encoding in the mapping"
        ) from None
    except csv.Error as exc:
        raise FileProblem(f"malformed CSV: {exc}") from None
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise FileProblem(f"duplicated header columns {duplicated}")
    missing = [name for name in mapping.source_columns if name not in header]
    if missing:
        raise FileProblem(f"columns {missing} of the mapping are not in the file's header {header}")
    return header, records


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(round(value, 6))


def _fail(
    rule: Rule, row: _Row, source: str, value: str, kind: str, expected: str = ""
) -> NoReturn:
    raise _Failed(Problem(rule.target, source, value, row.line, kind, expected))


def _cell(row: _Row, name: str) -> str | None:
    return row.cells.get(name)


def _mapped_text(rule: Rule, row: _Row, source: str, value: str | None) -> str | None:
    if value is None or value in rule.none:
        return None
    table = rule.get("map")
    if table is None:
        return value
    if value in table:
        return table[value]
    if rule.get("unmapped", "reject") == "keep":
        return value
    _fail(rule, row, source, value, "unmapped")


def _template(rule: Rule, row: _Row, file_day: dt.date | None) -> str | None:
    text = rule.get("template")
    parts: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "file_day":
            return file_day.isoformat() if file_day else ""
        value = _cell(row, name)
        if value is None:
            parts.append(name)
            return ""
        return value

    filled = _PLACEHOLDER.sub(fill, text)
    if parts:
        return None
    return _mapped_text(rule, row, "template", filled)


def _anchor(rule: Rule, row: _Row) -> dt.datetime | None:
    for name in rule.anchors:
        instant = row.instants.get(name)
        if instant is not None:
            return instant
    return None


def _timestamp(rule: Rule, row: _Row, mapping: Mapping) -> dt.datetime | None:
    zone = mapping.zone
    anchor = _anchor(rule, row)
    if rule.kind == "time":
        date_column, time_column = rule.get("date"), rule.get("time")
        time_text = _cell(row, time_column)
        if time_text is None or time_text in rule.none:
            return None
        date_text = _cell(row, date_column) or ""
        try:
            day = clock.parse_date(date_text, mapping.date_format)
        except clock.Unreadable as exc:
            _fail(rule, row, date_column, date_text, "unreadable", str(exc))
        try:
            offset = clock.parse_time_of_day(time_text)
        except clock.Unreadable as exc:
            _fail(rule, row, time_column, time_text, "unreadable", str(exc))
        try:
            if anchor is not None:
                return clock.anchored_to_utc(day, offset, anchor, zone, mapping.nonexistent_time)
            local = dt.datetime.combine(day, dt.time()) + offset
            return clock.to_utc(local, zone, mapping.ambiguous_time, mapping.nonexistent_time)
        except clock.NoReading as exc:
            _fail(rule, row, time_column, f"{date_text} {time_text}", "no reading", str(exc))
    column = rule.get("datetime")
    text = _cell(row, column)
    if text is None or text in rule.none:
        return None
    try:
        local = clock.parse_datetime(text, rule.get("format", DEFAULT_DATETIME_FORMAT))
    except clock.Unreadable as exc:
        _fail(rule, row, column, text, "unreadable", str(exc))
    try:
        if anchor is not None:
            found, exists = clock.readings(local, zone)
            if not exists and mapping.nonexistent_time == "reject":
                raise clock.NoReading("skipped by the change to summer time")
            later = [instant for instant in found if instant >= anchor]
            return later[0] if later else found[-1]
        return clock.to_utc(local, zone, mapping.ambiguous_time, mapping.nonexistent_time)
    except clock.NoReading as exc:
        _fail(rule, row, column, text, "no reading", str(exc))


def _duration(rule: Rule, row: _Row) -> str | None:
    column = rule.get("duration")
    text = _cell(row, column)
    if text is None or text in rule.none:
        return None
    try:
        return _number(clock.parse_duration(text, rule.get("unit", "seconds")))
    except clock.Unreadable as exc:
        _fail(rule, row, column, text, "unreadable", str(exc))


def _plus(rule: Rule, row: _Row) -> dt.datetime | None:
    """`from` plus the durations of the `plus` columns (an empty or none value counts as 0)."""
    base = row.instants.get(rule.get("from"))
    if base is None:
        return None
    total = 0.0
    for column in rule.get("plus"):
        text = _cell(row, column)
        if text is None or text in rule.none:
            continue
        try:
            total += clock.parse_duration(text, rule.get("unit", "seconds"))
        except clock.Unreadable as exc:
            _fail(rule, row, column, text, "unreadable", str(exc))
    return base + dt.timedelta(seconds=total)


def _modified_time(path: Path) -> str:
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    return clock.iso_utc(stamp.replace(microsecond=0))


def _evaluate(
    rule: Rule, row: _Row, mapping: Mapping, path: Path, file_day: dt.date | None
) -> None:
    """Fill `row.values[rule.target]` (and `row.instants` for a timestamp)."""
    target = rule.target
    for case in rule.cases:
        if all((_cell(row, column) or "") in values for column, values in case.when):
            row.values[target] = case.value
            return
    kind = rule.kind
    value: str | None = None
    if kind == "cases":
        value = None
    elif kind == "column":
        column = rule.get("column")
        value = _mapped_text(rule, row, column, _cell(row, column))
    elif kind == "template":
        value = _template(rule, row, file_day)
    elif kind == "constant":
        value = rule.get("constant")
    elif kind == "same_as":
        instant = row.instants.get(rule.get("same_as"))
        row.instants[target] = instant
        value = None if instant is None else clock.iso_utc(instant)
    elif kind == "from":
        instant = _plus(rule, row)
        row.instants[target] = instant
        value = None if instant is None else clock.iso_utc(instant)
    elif kind == "file":
        value = _modified_time(path)
    elif kind in ("time", "datetime"):
        instant = _timestamp(rule, row, mapping)
        row.instants[target] = instant
        value = None if instant is None else clock.iso_utc(instant)
    elif kind == "duration":
        value = _duration(rule, row)
    elif kind == "seconds_between":
        first, second = (row.instants.get(name) for name in rule.get("seconds_between"))
        if first is not None and second is not None:
            value = _number((second - first).total_seconds())
    row.values[target] = value


def marker(problem: Problem) -> str:
    """The text put in the canonical column: fails every guard check, names source and value."""
    word = "no local time" if problem.kind == "no reading" else problem.kind
    return f"{word} {problem.source}={problem.value!r}"


def apply_mapping(
    mapping: Mapping, path: Path, file_day: dt.date | None = None, limit: int | None = None
) -> Mapped:
    """The file's rows as canonical contacts text; `limit` stops after that many records."""
    import pandas as pd

    header, records = read_records(path, mapping)
    if limit is not None:
        records = records[:limit]
    problems: list[Problem] = []
    rows: list[list[object]] = []
    columns = list(CONTACTS.column_names)
    for line, fields in records:
        cells = {name: (text.strip() or None) for name, text in zip(header, fields, strict=True)}
        row = _Row(line, cells)
        for rule in mapping.rules:
            try:
                _evaluate(rule, row, mapping, path, file_day)
            except _Failed as failed:
                problems.append(failed.problem)
                row.values[rule.target] = marker(failed.problem)
                row.instants[rule.target] = None
        rows.append([line, *(row.values.get(name) for name in columns)])
    frame = pd.DataFrame(rows, columns=[SOURCE_ROW, *columns], dtype=object)
    frame[SOURCE_ROW] = frame[SOURCE_ROW].astype("int64")
    frame.index = frame[SOURCE_ROW].to_numpy()
    return Mapped(frame, problems)
