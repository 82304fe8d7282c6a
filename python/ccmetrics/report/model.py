"""What a report is made of: sections holding headline tiles, charts, tables and notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tile:
    """One headline number: a metric over the whole reported period."""

    label: str
    value: str
    detail: str = ""
    number: float | None = None
    """The value before formatting (None when not available), for checks and exports."""
    change: str = ""
    """The change against the previous period of the same length ("+1.2 pp vs 25 Oct - 31 Oct"),
    empty when there is no previous period to compare with."""


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite chart; `spec` is the JSON-ready dict Altair produces."""

    title: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A small table, for lists a reader scans rather than shapes they look at."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One part of the page. `notes` say what could not be shown and why (e.g. a missing mart)."""

    key: str
    title: str
    intro: str
    tiles: tuple[Tile, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    days: tuple[dt.date, dt.date] | None = None
    """The reporting days the section covers (first, last), the same for every section of a
    report; None when there is no complete reporting day to show."""


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]

    @property
    def chart_count(self) -> int:
        return sum(len(section.charts) for section in self.sections)
