"""What produced the marts and how far their data reaches, as published with them.

`dim_build_parameters` holds the parameters the build used, `fct_source_coverage` which
landing sources were delivered and where the data ends, and `fct_source_systems_daily` which
systems (the landing contract, Asterisk, Amazon Connect, Rasa) fed each reporting day.
Readers of the marts (the scorecard, the report) use them to label figures with the
parameters actually used (the FCR window), to compare complete reporting days only, to say
"not available" for a metric whose source never arrived instead of showing 0, and to name the
systems that fed the period. A warehouse built before these marts existed has
neither: then nothing is known, every day counts as complete and every source as delivered,
which is how such warehouses were always read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

PARAMETERS_MART = "dim_build_parameters"
COVERAGE_MART = "fct_source_coverage"
SYSTEMS_MART = "fct_source_systems_daily"
META_MARTS = (PARAMETERS_MART, COVERAGE_MART, SYSTEMS_MART)
ENTITY_LABELS = {
    "contacts": "contacts",
    "agent_states": "agent states",
    "bot_sessions": "bot sessions",
}
DATA_END_SOURCE = "contacts"
"""The source whose deliveries decide where the data ends (fct_source_coverage)."""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Coverage:
    delivered: Mapping[str, bool]
    """Landing source -> whether any record of it was delivered."""
    data_ends_at: datetime | None = None
    """Midnight UTC after the last delivered day of contacts (naive, UTC)."""
    first_complete: date | None = None
    last_complete: date | None = None
    """First and last reporting day the contact deliveries cover completely."""


@dataclass(frozen=True)
class Provenance:
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """Parameter name -> value the build used (decoded from JSON); empty when unknown."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    coverage: Coverage | None = None
    systems: tuple[tuple[date, str, str], ...] = ()
    """(reporting day, entity, system) for every system that delivered records that day."""

    def systems_text(self, first: date, last: date) -> str:
        """Which systems fed `first`..`last`: "contacts from asterisk, landing; bot sessions
        from rasa"; "" when unknown (a warehouse built before the mart existed)."""
        fed: dict[str, set[str]] = {}
        for day, entity, system in self.systems:
            if first <= day <= last:
                fed.setdefault(entity, set()).add(system)
        return "; ".join(
            f"{ENTITY_LABELS[entity]} from {', '.join(sorted(fed[entity]))}"
            for entity in ENTITY_LABELS
            if entity in fed
        )

    def undelivered(self, sources: Iterable[str]) -> tuple[str, ...]:
        """Those of `sources` known never to have been delivered."""
        if self.coverage is None:
            return ()
        return tuple(s for s in sources if self.coverage.delivered.get(s) is False)

    def unavailable(self, sources: Iterable[str]) -> str | None:
        """Why a figure that needs `sources` is not available, or None when it is."""
        missing = self.undelivered(sources)
        return f"no {_either(missing)} delivered" if missing else None

    @property
    def fcr_window(self) -> str:
        """The default FCR window as a label: "24 h", or "default window" when unknown."""
        hours = self.parameters.get("fcr_window_hours")
        if not isinstance(hours, int | float) or isinstance(hours, bool):
            return "default window"
        return f"{hours:g} h"

    @property
    def week_start(self) -> int | None:
        """Weekday weeks start on (0 = Monday, as date.weekday()), None when unknown."""
        name = self.parameters.get("week_start")
        if isinstance(name, str) and name.strip().lower() in WEEKDAYS:
            return WEEKDAYS.index(name.strip().lower())
        return None

    def changed_parameters(self) -> dict[str, Any]:
        """Parameters the build set to something other than the project's default."""
        return {
            name: value
            for name, value in self.parameters.items()
            if name in self.defaults and self.defaults[name] != value
        }

    def complete_days(self, first: date, last: date) -> tuple[date, date] | None:
        """`first`..`last` narrowed to the complete reporting days; None when none is left."""
        coverage = self.coverage
        if coverage is not None and coverage.first_complete is not None:
            first = max(first, coverage.first_complete)
        if coverage is not None and coverage.last_complete is not None:
            last = min(last, coverage.last_complete)
        return (first, last) if first <= last else None

    def data_end_text(self) -> str:
        """Where the data ends, for a reader: "" when unknown."""
        coverage = self.coverage
        if coverage is None or coverage.data_ends_at is None:
            return ""
        zone = self.parameters.get("reporting_timezone")
        text = f"data ends {coverage.data_ends_at:%Y-%m-%d %H:%M} UTC"
        if coverage.first_complete and coverage.last_complete:
            days = f"{coverage.first_complete} to {coverage.last_complete}"
            where = f" ({zone})" if isinstance(zone, str) else ""
            text += f"; complete reporting days {days}{where}"
        return text


def _either(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def read_provenance(con: DuckDBPyConnection, relations: Mapping[str, str]) -> Provenance:
    """Read the meta marts through `con`; `relations` maps mart name -> quoted relation for
    the marts the warehouse holds."""
    parameters: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    if PARAMETERS_MART in relations:
        rows = con.execute(
            "select parameter_name, parameter_value, default_value "
            f"from {relations[PARAMETERS_MART]}"
        ).fetchall()
        for name, value, default in rows:
            parameters[name] = json.loads(value)
            defaults[name] = json.loads(default)
    coverage = None
    if COVERAGE_MART in relations:
        rows = con.execute(
            "select source_name, is_delivered, data_ends_at, first_complete_date, "
            f"last_complete_date from {relations[COVERAGE_MART]}"
        ).fetchall()
        delivered = {name: bool(is_delivered) for name, is_delivered, *_ in rows}
        ends = [row for row in rows if row[0] == DATA_END_SOURCE]
        _, _, data_ends_at, first_complete, last_complete = ends[0] if ends else (None,) * 5
        coverage = Coverage(delivered, data_ends_at, first_complete, last_complete)
    systems: tuple[tuple[date, str, str], ...] = ()
    if SYSTEMS_MART in relations:
        systems = tuple(
            con.execute(
                "select distinct reporting_date, source_name, source_system "
                f"from {relations[SYSTEMS_MART]} where row_count > 0"
            ).fetchall()
        )
    return Provenance(parameters, defaults, coverage, systems)
