"""The scorecard: the four generations of metrics, workforce and cost, each with its trend.

Its lines are the semantic layer's headline metrics (`ccmetrics.registry`: the metrics whose
`config: meta: ccmetrics: headline:` places them in a section), under their labels; each is
read as the semantic layer defines it, from the mart columns of its measures, and a derived
metric (NPS, CXI) is its manifest expression over its inputs, so a `--vars` change the build
made (CXI weights, the service-level threshold) reaches the scorecard with the marts.

The period is the last `days` complete reporting days, compared with the `days` before them;
with a whole number of weeks, the periods are whole weeks starting on the build's
`week_start`. A trailing fragment (the last reporting day the deliveries cover only in part,
see fct_source_coverage) is left out and the data's end is stated. When the data is shorter
than two such periods, the available days are split in halves instead, and the label says
so. Every figure is re-aggregated from summed numerators and denominators through the query
API; a section whose marts do not exist yet is shown as such, and a figure whose landing
source was never delivered as "n/a (no <source> delivered)", never filled with made-up
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlglot import exp

from ccmetrics.catalog import Catalog, CatalogError
from ccmetrics.provenance import META_MARTS, WEEKDAYS, Provenance, read_provenance
from ccmetrics.registry import Formula, Headline, HeadlineSection, Term, Unit
from ccmetrics.sqlbuild import BatchQuery, Filter, Period, Read, build_batch, derived_tree

if TYPE_CHECKING:
    import pandas as pd
    from duckdb import DuckDBPyConnection

    from ccmetrics.api import Warehouse

Source = tuple[str, tuple[tuple[str, str, str], ...]]
"""A mart and the filters a headline reads it with: one query per source."""
QUEUE_MARTS = ("fct_queue_daily", "fct_queue_intervals")
NO_MART = "no mart yet"
LABOR = ("agent_states", "agents")
"""Labor cost is logged-in time (agent states) x the agent's hourly cost (agents)."""


def headline_sections(catalog: Catalog) -> tuple[HeadlineSection, ...]:
    """The scorecard's sections: the semantic layer's headline metrics (see registry)."""
    return catalog.semantic.headline_sections()


@dataclass(frozen=True)
class Periods:
    current: tuple[date, date]
    previous: tuple[date, date] | None
    label: str
    note: str = ""
    """Where the data ends and which days were left out (a fragment, an unfinished week)."""


@dataclass(frozen=True)
class Figure:
    section: str
    headline: Headline
    label: str
    """The line's label with the build's parameters filled in ("FCR (24 h)")."""
    source: str | None
    """The metric read, or the formula over summed parts; None when nothing was found."""
    mart: str | None
    current: float | None
    previous: float | None
    status: str
    """ok, no mart yet, "n/a (no <source> delivered)", or why the figure cannot be shown."""

    @property
    def unit(self) -> Unit:
        return self.headline.unit

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class Scorecard:
    periods: Periods
    figures: tuple[Figure, ...]
    systems: str = ""
    """Which systems fed the current period ("contacts from asterisk, landing; ...")."""
    queries: int = 0
    """Mart reads it took (one per mart and filter, both periods at once)."""
    statements: int = 0
    """Metric statements it ran: all the reads are batched into one."""

    def missing_sections(self) -> tuple[str, ...]:
        titles = dict.fromkeys(f.section for f in self.figures)
        return tuple(
            t for t in titles if all(f.status == NO_MART for f in self.figures if f.section == t)
        )

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "section": f.section,
                    "label": f.label,
                    "source": f.source,
                    "mart": f.mart,
                    "unit": f.unit,
                    "current": f.current,
                    "previous": f.previous,
                    "delta": f.delta,
                    "status": f.status,
                    "current_period": f"{self.periods.current[0]}..{self.periods.current[1]}",
                    "previous_period": (
                        f"{self.periods.previous[0]}..{self.periods.previous[1]}"
                        if self.periods.previous
                        else None
                    ),
                    "periods_note": self.periods.note or None,
                }
                for f in self.figures
            ]
        )


def data_range(warehouse: Warehouse) -> tuple[date, date] | None:
    """First and last reporting day of the queue mart (the demo period), else of all marts
    (not the meta marts, whose dates are delivery days, not reporting days)."""
    first: date | None = None
    last: date | None = None
    marts = warehouse.catalog.marts
    anchor = [marts[name] for name in QUEUE_MARTS[:1] if name in marts]
    others = [mart for name, mart in marts.items() if name not in META_MARTS]
    for mart in anchor or others:
        if mart.time_column is None or not mart.columns[mart.time_column].startswith("DATE"):
            continue
        column = exp.column(mart.time_column, quoted=True)
        statement = exp.select(exp.Min(this=column), exp.Max(this=column)).from_(
            exp.table_(mart.name, db=mart.schema, quoted=True)
        )
        low, high = warehouse.connection.execute(statement.sql(dialect="duckdb")).fetchall()[0]
        if low is not None:
            first = low if first is None else min(first, low)
            last = high if last is None else max(last, high)
    return (first, last) if first is not None and last is not None else None


def choose_periods(first: date, last: date, days: int, week_start: int | None = None) -> Periods:
    """The last `days` days vs the `days` before; halves of the data when it is shorter.

    With `week_start` (0 = Monday) and a whole number of weeks, the periods are whole weeks
    when the data holds two such periods: the days after the last whole week are left out
    (an unfinished week is not compared with whole ones) and the label says so.
    """
    if week_start is not None and days % 7 == 0:
        week_end = last - timedelta(days=(last.weekday() - week_start + 1) % 7)
        if (week_end - first).days + 1 >= 2 * days:
            weeks = days // 7
            periods = _last_days(week_end, days)
            label = (
                f"last {weeks} week{'s' if weeks > 1 else ''} "
                f"(starting {WEEKDAYS[week_start].capitalize()}) vs the {weeks} before"
            )
            if week_end < last:
                left_out = _span(week_end + timedelta(days=1), last)
                label += f"; {left_out} left out (week not over)"
            return Periods(periods.current, periods.previous, label)
    span = (last - first).days + 1
    if span >= 2 * days:
        return _last_days(last, days)
    half = span // 2
    if half == 0:
        return Periods((first, last), None, f"all {span} day(s) of data, no earlier period")
    current = (last - timedelta(days=half - 1), last)
    previous = (current[0] - timedelta(days=half), current[0] - timedelta(days=1))
    return Periods(
        current,
        previous,
        f"second half vs first half of the data ({half} days each; "
        f"less than {2 * days} days available)",
    )


def _last_days(last: date, days: int) -> Periods:
    current = (last - timedelta(days=days - 1), last)
    previous = (last - timedelta(days=2 * days - 1), last - timedelta(days=days))
    return Periods(current, previous, f"last {days} days vs the {days} days before")


def _span(first: date, last: date) -> str:
    return str(first) if first == last else f"{first}..{last}"


def complete_range(
    warehouse: Warehouse, provenance: Provenance, end: date | None = None
) -> tuple[date, date, str]:
    """The complete reporting days to score (up to `end`) and a note on the data's end."""
    bounds = data_range(warehouse)
    if bounds is None:
        raise CatalogError("no mart with a date column holds any data; nothing to score")
    first, last = bounds
    if end is not None:
        if end < first:
            raise CatalogError(f"no data on or before {end}; the data starts on {first}")
        last = min(last, end)
    complete = provenance.complete_days(first, last)
    data_end = provenance.data_end_text()
    if complete is None:
        raise CatalogError(
            f"no complete reporting day between {first} and {last}"
            + (f" ({data_end})" if data_end else "")
        )
    notes = [data_end] if data_end else []
    if complete[1] < last:
        notes.append(f"{_span(complete[1] + timedelta(days=1), last)} partial, left out")
    return complete[0], complete[1], "; ".join(notes)


@dataclass(frozen=True)
class Placement:
    """Where a headline's figure comes from: the mart columns of its formula, each read
    under the headline's filters where its mart has them (a declared ratio column when the
    mart publishes the ratio over the same parts, which the query API re-aggregates alike)."""

    formula: Formula
    reads: Mapping[Term, tuple[Source, str]]
    """Each term of the formula -> the source it is read from and the column read."""

    @property
    def mart(self) -> str:
        return self.formula.marts()[0]

    def ratio_column(self) -> str | None:
        """The mart's ratio column read for a ratio formula, None when it is combined here."""
        if self.formula.kind != "ratio":
            return None
        column = self.reads[self.formula.terms[0]][1]
        return column if column != self.formula.terms[0].column else None


def locate(warehouse: Warehouse, headline: Headline) -> Placement | str:
    """Where to read a headline from, or why it cannot be shown."""
    marts = warehouse.catalog.marts
    reads: dict[Term, tuple[Source, str]] = {}
    for term in headline.formula.all_terms():
        found = marts.get(term.mart)
        if found is None or not found.time_column:
            return NO_MART
        metric = found.metrics.get(term.column)
        if metric is None or metric.kind != "sum":
            return f"n/a ({term.column} of {term.mart} is not a column the marts declare additive)"
        where = tuple(
            item for item in (*term.where, *headline.where) if item[0] in found.dimensions
        )
        reads[term] = ((term.mart, where), term.column)
    formula = headline.formula
    if formula.kind == "ratio":
        numerator, denominator = formula.terms
        (source, _), (other, _) = reads[numerator], reads[denominator]
        home = marts[numerator.mart]
        for metric in home.metrics.values():
            if (
                source == other
                and metric.kind == "ratio"
                and (metric.numerator, metric.denominator) == (numerator.column, denominator.column)
            ):
                reads = {numerator: (source, metric.name), denominator: (source, metric.name)}
                break
    return Placement(formula, reads)


def _value(
    placement: Placement,
    formula: Formula,
    read: Mapping[Source, Mapping[str, Mapping[str, float | None]]],
    labels: Sequence[str],
    connection: DuckDBPyConnection,
) -> dict[str, float | None]:
    """The formula's value per period label, from the summed columns `read` holds."""

    def column(term: Term, label: str) -> float | None:
        source, name = placement.reads[term]
        return read[source].get(label, {}).get(name)

    if formula.kind == "sum":
        return {label: column(formula.terms[0], label) for label in labels}
    if formula.kind == "ratio":
        numerator, denominator = formula.terms
        if placement.reads[numerator] == placement.reads[denominator]:
            return {label: column(numerator, label) for label in labels}
        values = {}
        for label in labels:
            top, bottom = column(numerator, label), column(denominator, label)
            values[label] = top / bottom if top is not None and bottom else None
        return values
    inputs = {
        name: _value(placement, item, read, labels, connection) for name, item in formula.inputs
    }
    return evaluate_derived(formula, inputs, labels, connection)


@lru_cache(maxsize=256)
def _derived_sql(expr: str, names: tuple[str, ...]) -> str:
    """The checked expression as DuckDB SQL, kept per expression: parsing and checking it
    took a fifth of a scorecard's time, run after run over the same manifest."""
    return derived_tree(expr, names).sql(dialect="duckdb")


def evaluate_derived(
    formula: Formula,
    inputs: Mapping[str, Mapping[str, float | None]],
    labels: Sequence[str],
    connection: DuckDBPyConnection,
) -> dict[str, float | None]:
    """A derived metric's expression, as the semantic manifest states it, evaluated by the
    database over its inputs' values per label: the definition is never restated here."""
    names = [name for name, _ in formula.inputs]
    expression = _derived_sql(formula.expr, tuple(names))
    rows = ", ".join(
        "(" + ", ".join(["?"] + ["cast(? as double)"] * len(names)) + ")" for _ in labels
    )
    columns = ", ".join(exp.to_identifier(n, quoted=True).sql("duckdb") for n in ["label", *names])
    statement = f"select label, {expression} from (values {rows}) as inputs({columns})"
    values = [v for label in labels for v in (label, *(inputs[n].get(label) for n in names))]
    found = dict(connection.execute(statement, values).fetchall()) if labels else {}
    return {label: None if _missing(found.get(label)) else float(found[label]) for label in labels}


@dataclass(frozen=True)
class Plan:
    """Where every headline reads from and the one statement that reads them all: what a
    scorecard computes before it touches the data, the same for every run over one catalog."""

    placed: Mapping[tuple[str, str], Placement | str]
    sources: tuple[Source, ...]
    query: BatchQuery | None


_PLANS: dict[Hashable, Plan] = {}
_MAX_PLANS = 16
"""Plans kept per process: one per catalog, source coverage and period count seen."""


def _fingerprint(catalog: Catalog) -> Hashable:
    """Everything of the catalog a plan depends on, hashable (a new Warehouse over the same
    snapshot discovers an equal catalog, not the same object)."""
    return (
        tuple(
            (
                mart.name,
                mart.schema,
                mart.time_column,
                tuple(mart.columns.items()),
                mart.dimensions,
                tuple(mart.metrics.values()),
            )
            for mart in catalog.marts.values()
        ),
        headline_sections(catalog),
    )


def plan(
    warehouse: Warehouse,
    unavailable: Mapping[tuple[str, str], str | None],
    labels: tuple[str, ...],
) -> Plan:
    """The scorecard's plan, built once per process for the same catalog, undelivered sources
    and periods, then reused: building and rendering the SQL costs more than running it."""
    key = (_fingerprint(warehouse.catalog), tuple(unavailable.items()), labels)
    cached = _PLANS.get(key)
    if cached is not None:
        return cached
    placed: dict[tuple[str, str], Placement | str] = {}
    for section in headline_sections(warehouse.catalog):
        for headline in section.headlines:
            missing = unavailable[(section.key, headline.metric)]
            placed[(section.key, headline.metric)] = (
                f"n/a ({missing})" if missing else locate(warehouse, headline)
            )
    wanted: dict[Source, list[str]] = {}
    for place in placed.values():
        if isinstance(place, Placement):
            for source, column in place.reads.values():
                columns = wanted.setdefault(source, [])
                columns += [column] if column not in columns else []
    reads = [
        Read(mart, tuple(names), tuple(Filter(*item) for item in where))
        for (mart, where), names in wanted.items()
    ]
    query = build_batch(reads, labels, warehouse.catalog) if reads else None
    built = Plan(placed, tuple(wanted), query)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[key] = built
    return built


def _values(
    warehouse: Warehouse, built: Plan, windows: Sequence[Period]
) -> dict[Source, dict[str, dict[str, float | None]]]:
    """Source -> period label -> column -> value, from the plan's one statement."""
    values: dict[Source, dict[str, dict[str, float | None]]] = {
        source: {item.label: {} for item in windows} for source in built.sources
    }
    if built.query is None:
        return values
    rows = warehouse.connection.execute(built.query.sql, built.query.values(windows)).fetchall()
    for index, label, numbers in rows:
        values[built.sources[index]][label] = {
            name: None if _missing(value) else float(value)
            for name, value in zip(built.query.metrics[index], numbers, strict=True)
        }
    return values


def _missing(value: object) -> bool:
    """None, NaN or not a number: DuckDB gives None for an empty ratio, pandas NaN."""
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def build_provenance(warehouse: Warehouse) -> Provenance:
    """The build's parameters and source coverage, from the meta marts the warehouse holds."""
    marts = warehouse.catalog.marts
    relations = {
        name: exp.table_(name, db=marts[name].schema, quoted=True).sql(dialect="duckdb")
        for name in META_MARTS
        if name in marts
    }
    return read_provenance(warehouse.connection, relations)


def window_label(suffix: str, hours: object = None) -> str:
    """An FCR window for a reader: 2 -> "2 h", 168 -> "7 d"; from the column suffix ("7d")
    when the build did not publish the window's hours."""
    if isinstance(hours, int | float) and not isinstance(hours, bool):
        if hours >= 168 and hours % 24 == 0:
            return f"{hours / 24:g} d"
        return f"{hours:g} h"
    digits = suffix.rstrip("hd")
    return f"{digits} {suffix[-1]}" if digits.isdigit() and digits != suffix else suffix


def window_labels(provenance: Provenance) -> dict[str, str]:
    """The FCR windows of the build as labels, by column suffix, in the build's order:
    "default" is var fcr_window_hours, the others the fixed windows the build published
    (parameter fcr_windows of dim_build_parameters; for a warehouse built before that row
    existed, the suffixes the queue marts have always published, labelled from the suffix)."""
    windows = provenance.parameters.get("fcr_windows")
    labels = {"default": provenance.fcr_window}
    if isinstance(windows, Mapping) and windows:
        return labels | {
            str(suffix): window_label(str(suffix), hours)
            for suffix, hours in windows.items()
            if suffix != "default"
        }
    return labels | {suffix: window_label(suffix) for suffix in LEGACY_FCR_SUFFIXES}


LEGACY_FCR_SUFFIXES = ("24h", "72h", "7d")
"""Column suffixes of the fixed FCR windows (fcr_rate_<suffix>) of a warehouse whose
dim_build_parameters has no fcr_windows row."""


def headline_label(headline: Headline, provenance: Provenance) -> str:
    """The headline's label; an FCR headline's window in parentheses is the build's ("FCR
    (2 h)" for the default window var fcr_window_hours)."""
    if headline.fcr_window is None:
        return headline.label
    window = window_labels(provenance).get(headline.fcr_window, headline.fcr_window)
    stem, _, _ = headline.label.rpartition(" (")
    return f"{stem or headline.label} ({window})"


@dataclass(frozen=True)
class Evaluated:
    """A headline over named periods: its figure per period label, or why it has none."""

    section: HeadlineSection
    headline: Headline
    label: str
    place: Placement | str
    values: Mapping[str, float | None]
    unavailable: str | None
    """Why the headline's landing sources make it meaningless ("no surveys delivered")."""

    @property
    def source(self) -> str | None:
        if not isinstance(self.place, Placement):
            return None
        return self.place.ratio_column() or self.headline.formula.text()


def evaluate(
    warehouse: Warehouse, provenance: Provenance, windows: Sequence[Period]
) -> list[Evaluated]:
    """Every headline over every period of `windows` (non-overlapping), in one statement:
    what the scorecard compares and the report shows, computed once."""
    unavailable = _unavailable(warehouse.catalog, provenance)
    labels = tuple(item.label for item in windows)
    built = plan(warehouse, unavailable, labels)
    read = _values(warehouse, built, windows) if windows else {}
    evaluated = []
    for section in headline_sections(warehouse.catalog):
        for headline in section.headlines:
            key = (section.key, headline.metric)
            place = built.placed[key]
            results: dict[str, float | None] = {}
            if isinstance(place, Placement):
                results = _value(place, place.formula, read, labels, warehouse.connection)
            evaluated.append(
                Evaluated(
                    section,
                    headline,
                    headline_label(headline, provenance),
                    place,
                    results,
                    unavailable[key],
                )
            )
    return evaluated


def build_scorecard(warehouse: Warehouse, days: int = 7, end: date | None = None) -> Scorecard:
    """Compute the scorecard from the marts `warehouse` holds."""
    provenance = build_provenance(warehouse)
    first, last, note = complete_range(warehouse, provenance, end)
    # an explicit end is the last day of the current period, wherever the week stands
    week_start = provenance.week_start if end is None else None
    chosen = choose_periods(first, last, days, week_start)
    periods = Periods(chosen.current, chosen.previous, chosen.label, note)
    windows = [Period("current", *periods.current)]
    if periods.previous:
        windows.append(Period("previous", *periods.previous))
    figures = []
    for item in evaluate(warehouse, provenance, windows):
        place = item.place
        if not isinstance(place, Placement):
            figures.append(
                Figure(item.section.title, item.headline, item.label, None, None, None, None, place)
            )
            continue
        figures.append(
            Figure(
                item.section.title,
                item.headline,
                item.label,
                item.source,
                place.mart,
                item.values.get("current"),
                item.values.get("previous"),
                "ok",
            )
        )
    built = plan(
        warehouse,
        _unavailable(warehouse.catalog, provenance),
        tuple(w.label for w in windows),
    )
    return Scorecard(
        periods,
        tuple(figures),
        provenance.systems_text(*periods.current),
        len(built.sources),
        1 if built.query else 0,
    )


def _unavailable(catalog: Catalog, provenance: Provenance) -> dict[tuple[str, str], str | None]:
    return {
        (section.key, headline.metric): provenance.unavailable(headline.needs)
        for section in headline_sections(catalog)
        for headline in section.headlines
    }


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "-"
    if unit == "rate":
        return f"{value:.1%}"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "money":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


CHANGE_FORMATS: dict[str, tuple[float, int, str]] = {
    "rate": (100.0, 1, " pp"),
    "count": (1.0, 0, ""),
    "money": (1.0, 2, ""),
    "seconds": (1.0, 1, " s"),
}
"""How a change is shown per unit: scale, decimals, suffix (others: one decimal, no suffix)."""


def format_delta(figure: Figure) -> str:
    return format_change(figure.current, figure.previous, figure.headline)


def format_change(current: float | None, previous: float | None, headline: Headline) -> str:
    """current - previous in the headline's unit, and whether that is better or worse: the
    scorecard's trend column and the report cards' change."""
    if current is None or previous is None:
        return "-"
    delta = current - previous
    scale, decimals, suffix = CHANGE_FORMATS.get(headline.unit, (1.0, 1, ""))
    shown = round(delta * scale, decimals)
    if shown == 0:
        # a change that rounds to nothing is shown unsigned and unjudged, never "-0.0 worse"
        return f"{0:.{decimals}f}{suffix}"
    text = f"{shown:+,.{decimals}f}{suffix}"
    if headline.higher_is_better is None:
        return text
    better = (delta > 0) == headline.higher_is_better
    return f"{text} {'better' if better else 'worse'}"


def print_scorecard(card: Scorecard) -> None:
    """The scorecard on the terminal: the generations side by side, then workforce and cost."""
    from rich.columns import Columns
    from rich.console import Console
    from rich.table import Table

    console = Console()
    periods = card.periods
    previous = f"{periods.previous[0]}..{periods.previous[1]}" if periods.previous else "-"
    console.print(
        f"[bold]ccmetrics scorecard[/bold]  current {periods.current[0]}..{periods.current[1]}"
        f"  previous {previous}  ({periods.label})"
    )
    if periods.note:
        console.print(periods.note)
    if card.systems:
        console.print(f"fed by: {card.systems}")
    tables = []
    for title in dict.fromkeys(f.section for f in card.figures):
        figures = [f for f in card.figures if f.section == title]
        table = Table(title=title, title_justify="left", caption_justify="left")
        for column, justify in (("metric", "left"), ("current", "right"), ("previous", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        table.add_column("trend", justify="right")
        if all(f.status == NO_MART for f in figures):
            table.add_row("[italic]no mart yet[/italic]", "", "", "")
        for figure in figures:
            if figure.status == "ok":
                table.add_row(
                    figure.label,
                    format_value(figure.current, figure.unit),
                    format_value(figure.previous, figure.unit),
                    format_delta(figure),
                )
            elif figure.status != NO_MART:
                table.add_row(figure.label, f"[italic]{figure.status}[/italic]", "", "")
        notes = []
        unpublished = [f.label for f in figures if f.status == NO_MART]
        if unpublished and len(unpublished) < len(figures):
            notes.append(f"no mart yet: {', '.join(unpublished)}")
        table.caption = "\n".join(notes) or None
        tables.append(table)
    generations = [t for t in tables if str(t.title).startswith("Generation")]
    console.print(Columns(generations))
    console.print(Columns([t for t in tables if t not in generations]))
    missing = card.missing_sections()
    if missing:
        console.print(f"sections without a mart yet: {', '.join(missing)}")
