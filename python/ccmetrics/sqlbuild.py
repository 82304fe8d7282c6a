"""Build metric queries as sqlglot expressions, and refuse anything that is not a plain SELECT.

User input never becomes SQL text: names are checked against the catalog (the marts' real
columns) and become quoted identifiers; values become bound parameters (or, when a query is
rendered for another engine, sqlglot literals, which escape themselves). Every statement is
parsed back before it runs and refused unless it is one read-only SELECT.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ccmetrics.catalog import INTEGER_TYPE, Catalog, CatalogError, Mart
from ccmetrics.registry import Formula, RegistryError, Term

GRAINS = ("day", "week", "month", "quarter", "year", "all")
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "is null", "is not null")
PERIOD_COLUMN = "period"
Scalar = str | int | float | bool | date | datetime


class QueryError(ValueError):
    """A request or a statement that the query layer refuses."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: Scalar | tuple[Scalar, ...] | None = None


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    """Inclusive."""


@dataclass(frozen=True)
class QuerySpec:
    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    grain: str = "day"
    start: date | None = None
    end: date | None = None
    """Inclusive: the last reporting day in the result."""
    filters: tuple[Filter, ...] = ()
    mart: str | None = None
    limit: int | None = None
    periods: tuple[Period, ...] = ()
    """Named date ranges compared side by side in one query (replaces the time grain)."""


@dataclass(frozen=True)
class BuiltQuery:
    expression: exp.Select
    params: Mapping[str, Scalar]
    mart: Mart
    columns: tuple[str, ...]


def make_spec(
    metrics: str | Iterable[str],
    dimensions: str | Iterable[str] = (),
    grain: str = "day",
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    filters: Any = None,
    mart: str | None = None,
    limit: int | None = None,
    periods: Any = None,
) -> QuerySpec:
    """Normalise the arguments of the public API into a checked QuerySpec."""
    if not isinstance(grain, str) or grain not in GRAINS:
        raise QueryError(f"unknown grain {grain!r}; valid grains: {', '.join(GRAINS)}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise QueryError(f"limit must be a positive integer, got {limit!r}")
    if mart is not None and not isinstance(mart, str):
        raise QueryError(f"mart must be a name, got {mart!r}")
    first, last = as_date(start, "start"), as_date(end, "end")
    if first is not None and last is not None and first > last:
        raise QueryError(f"start {first} is after end {last}")
    return QuerySpec(
        metrics=_names(metrics, "metric"),
        dimensions=_names(dimensions, "dimension"),
        grain=grain,
        start=first,
        end=last,
        filters=parse_filters(filters),
        mart=mart,
        limit=limit,
        periods=_periods(periods, grain, first, last),
    )


def _periods(periods: Any, grain: str, start: date | None, end: date | None) -> tuple[Period, ...]:
    """(label, start, end) triples or a {label: (start, end)} mapping, checked."""
    if not periods:
        return ()
    if grain != "all" or start is not None or end is not None:
        raise QueryError("periods replace the grain and the date range: use grain='all' alone")
    items = list(periods.items()) if isinstance(periods, Mapping) else list(periods)
    checked = []
    for item in items:
        if isinstance(item, Period):
            item = (item.label, item.start, item.end)
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Sequence):
            item = (item[0], *item[1])
        if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != 3:
            raise QueryError(f"a period is (label, start, end), got {item!r}")
        label, first, last = item
        if not isinstance(label, str):
            raise QueryError(f"a period label must be a string, got {label!r}")
        first_day, last_day = as_date(first, "period start"), as_date(last, "period end")
        if first_day is None or last_day is None or first_day > last_day:
            raise QueryError(f"period {label!r} needs a start on or before its end")
        checked.append(Period(label, first_day, last_day))
    if len({p.label for p in checked}) != len(checked):
        raise QueryError("period labels must be distinct")
    return tuple(checked)


def _names(value: str | Iterable[str], what: str) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise QueryError(f"{what} names must be strings, got {item!r}")
    if len(set(items)) != len(items):
        raise QueryError(f"a {what} is listed twice: {', '.join(items)}")
    return items


def as_date(value: date | datetime | str | None, what: str) -> date | None:
    """A date from a date, a datetime (its day) or an ISO string; anything else is refused."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise QueryError(f"{what} is not a valid date: {value!r}") from error
    raise QueryError(f"{what} must be a date or an ISO date string (YYYY-MM-DD), got {value!r}")


_FILTER_TEXT = re.compile(
    r"^\s*(?P<column>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?P<op>!=|<=|>=|=|<|>|\s+not\s+in\s+|\s+in\s+|\s+is\s+not\s+null\s*$|\s+is\s+null\s*$)"
    r"(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def parse_filter_text(text: str) -> Filter:
    """`channel=phone`, `queue_id in q1,q2`, `agent_id is null`: values stay strings."""
    match = _FILTER_TEXT.match(text)
    if match is None:
        raise QueryError(
            f"cannot read filter {text!r}; write <column><op><value> with op one of "
            f"{', '.join(OPERATORS)} (in / not in take comma-separated values)"
        )
    op = " ".join(match["op"].lower().split())
    raw = match["value"].strip()
    if op.endswith("null"):
        return Filter(match["column"], op)
    if op in ("in", "not in"):
        return Filter(match["column"], op, tuple(v.strip() for v in raw.split(",")))
    return Filter(match["column"], op, raw)


def parse_filters(filters: Any) -> tuple[Filter, ...]:
    """Filters as Filter objects, (column, op, value) tuples, {column: value} or strings."""
    if filters is None:
        return ()
    if isinstance(filters, Mapping):
        items: list[Any] = [
            (column, "in" if isinstance(value, list | tuple | set) else "=", value)
            for column, value in filters.items()
        ]
    elif isinstance(filters, str | Filter):
        items = [filters]
    else:
        items = list(filters)
    parsed = []
    for item in items:
        if isinstance(item, Filter):
            candidate = item
        elif isinstance(item, str):
            candidate = parse_filter_text(item)
        elif isinstance(item, Sequence) and len(item) in (2, 3):
            candidate = Filter(*item)
        else:
            raise QueryError(f"cannot read filter {item!r}; use (column, op, value)")
        parsed.append(_checked_filter(candidate))
    return tuple(parsed)


def _checked_filter(item: Filter) -> Filter:
    if not isinstance(item.column, str):
        raise QueryError(f"filter column must be a name, got {item.column!r}")
    op = item.op.lower().strip() if isinstance(item.op, str) else item.op
    if op not in OPERATORS:
        raise QueryError(f"unknown filter operator {item.op!r}; valid: {', '.join(OPERATORS)}")
    if op in ("is null", "is not null"):
        if item.value is not None:
            raise QueryError(f"{op} takes no value, got {item.value!r}")
        return Filter(item.column, op)
    if op in ("in", "not in"):
        if not isinstance(item.value, list | tuple | set) or not item.value:
            raise QueryError(f"{op} needs a non-empty list of values, got {item.value!r}")
        values = tuple(sorted(item.value, key=repr)) if isinstance(item.value, set) else item.value
        return Filter(item.column, op, tuple(_scalar(v) for v in values))
    return Filter(item.column, op, _scalar(item.value))


def _scalar(value: Any) -> Scalar:
    if isinstance(value, float) and not math.isfinite(value):
        raise QueryError(f"filter value must be finite, got {value!r}")
    if isinstance(value, str | int | float | bool | date | datetime):
        return value
    raise QueryError(
        f"filter values must be strings, numbers, booleans or dates, got {type(value).__name__}"
    )


def build(spec: QuerySpec, catalog: Catalog) -> BuiltQuery:
    """The aggregate SELECT for `spec`, with every name checked against `catalog`."""
    needs_time = (
        spec.grain != "all" or spec.start is not None or spec.end is not None or bool(spec.periods)
    )
    derived = derived_formulas(spec.metrics, catalog, spec.mart)
    plain = [name for name in spec.metrics if name not in derived]
    parts = [term.column for formula in derived.values() for term in formula.all_terms()]
    home = _derived_home(derived, spec.mart)
    mart = catalog.resolve(
        list(dict.fromkeys(plain + parts)), spec.dimensions, needs_time=needs_time, mart=home
    )
    params: dict[str, Scalar] = {}

    def bind(value: Scalar) -> exp.Placeholder:
        name = f"p{len(params)}"
        params[name] = value
        return exp.Placeholder(this=name)

    groups: list[exp.Expression] = []
    selections: list[exp.Expression] = []
    names: list[str] = []
    if spec.grain != "all":
        assert mart.time_column is not None
        period: exp.Expression = _column(mart.time_column)
        if spec.grain != "day":
            period = exp.DateTrunc(this=period, unit=exp.var(spec.grain.upper()))
        groups.append(period)
        selections.append(exp.alias_(period, PERIOD_COLUMN, quoted=True))
        names.append(PERIOD_COLUMN)
    ranges: list[exp.Expression] = []
    if spec.periods:
        assert mart.time_column is not None
        labelled = exp.Case()
        for item in spec.periods:
            inside = _within(mart.time_column, item.start, item.end, bind)
            ranges.append(inside)
            labelled = labelled.when(inside, bind(item.label), copy=False)
        groups.append(labelled)
        selections.append(exp.alias_(labelled, PERIOD_COLUMN, quoted=True))
        names.append(PERIOD_COLUMN)
    for dimension in spec.dimensions:
        groups.append(_column(dimension))
        selections.append(_column(dimension))
        names.append(dimension)
    for name in _output_metrics(plain, mart):
        selections.append(exp.alias_(_aggregate(mart, name), name, quoted=True))
        names.append(name)
    for name, formula in derived.items():
        value = exp.cast(_formula_value(formula, mart, bind), "double")
        selections.append(exp.alias_(value, name, quoted=True))
        names.append(name)

    conditions: list[exp.Expression] = []
    if spec.start is not None:
        assert mart.time_column is not None
        conditions.append(exp.GTE(this=_column(mart.time_column), expression=bind(spec.start)))
    if spec.end is not None:
        assert mart.time_column is not None
        # An exclusive bound on the next day works for date and timestamp columns alike.
        next_day = spec.end + timedelta(days=1)
        conditions.append(exp.LT(this=_column(mart.time_column), expression=bind(next_day)))
    if ranges:
        conditions.append(exp.or_(*ranges, copy=False))
    allowed = set(mart.dimensions) | ({mart.time_column} if mart.time_column else set())
    for item in spec.filters:
        if item.column not in allowed:
            raise QueryError(
                f"unknown filter column {item.column!r} for {mart.name}; valid: "
                f"{', '.join(sorted(allowed))}"
            )
        conditions.append(_condition(item, bind))

    query = exp.select(*selections, copy=False).from_(
        exp.table_(mart.name, db=mart.schema, quoted=True), copy=False
    )
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    if groups:
        query = query.group_by(*groups, copy=False).order_by(
            *(g.copy() for g in groups), copy=False
        )
    if spec.limit is not None:
        query = query.limit(exp.Literal.number(spec.limit), copy=False)
    return BuiltQuery(query, params, mart, tuple(names))


def derived_formulas(
    metrics: Iterable[str], catalog: Catalog, mart: str | None = None
) -> dict[str, Formula]:
    """The requested names that are the semantic layer's derived metrics (CXI, NPS), which no
    mart column re-aggregates: a mart's column of that name that can be summed or is a
    declared ratio wins (in `mart` when one is pinned)."""
    scope = [catalog.marts[mart]] if mart in catalog.marts else list(catalog.marts.values())
    found: dict[str, Formula] = {}
    for name in metrics:
        if any(name in each.queryable_metrics() for each in scope):
            continue
        try:
            formula = catalog.semantic.formula(name)
        except RegistryError:
            continue
        if formula.kind == "derived":
            found[name] = formula
    return found


def _derived_home(derived: Mapping[str, Formula], mart: str | None) -> str | None:
    """The one mart every part of the derived metrics is in (a query reads one mart)."""
    homes = {home for formula in derived.values() for home in formula.marts()}
    if mart is not None:
        homes.add(mart)
    if len(homes) > 1:
        names = ", ".join(derived)
        raise QueryError(
            f"{names}: the parts are in {', '.join(sorted(homes))}, and a query reads one mart;"
            " query the parts on their own marts, or use the scorecard"
        )
    return next(iter(homes), None)


def _formula_value(formula: Formula, mart: Mart, bind: Any) -> exp.Expression:
    """A metric as the semantic layer defines it, aggregated from the mart's summed columns:
    a sum, a ratio of two sums, or a derived expression over such inputs."""
    if formula.kind == "sum":
        return _term_sum(formula.terms[0], mart, bind)
    if formula.kind == "ratio":
        numerator, denominator = (_term_sum(term, mart, bind) for term in formula.terms)
        return _ratio(numerator, denominator)
    inputs = {name: _formula_value(item, mart, bind) for name, item in formula.inputs}
    tree = derived_tree(formula.expr, list(inputs))
    return exp.Paren(
        this=tree.transform(
            lambda node: (
                exp.Paren(this=inputs[node.name].copy()) if isinstance(node, exp.Column) else node
            ),
            copy=False,
        )
    )


def _term_sum(term: Term, mart: Mart, bind: Any) -> exp.Expression:
    """sum(column), over the rows of the term's filters (a metric's `channel = 'phone'`)."""
    if mart.metrics.get(term.column) is None or mart.metrics[term.column].kind != "sum":
        raise QueryError(f"{term.column} of {mart.name} is not a column the marts declare additive")
    value: exp.Expression = _column(term.column)
    conditions = []
    for column, op, filter_value in term.where:
        if column not in mart.dimensions:
            raise QueryError(f"{mart.name} has no dimension {column!r} to filter {term.column} by")
        conditions.append(_condition(Filter(column, op, filter_value), bind))
    if conditions:
        value = exp.Case().when(exp.and_(*conditions, copy=False), value, copy=False)
    return exp.Sum(this=value)


def derived_tree(expr: str, names: Sequence[str]) -> exp.Expression:
    """A derived metric's expression, as the semantic manifest states it, refused unless it
    is arithmetic over the metric's own inputs (no table, no subquery, no function beyond
    plain arithmetic)."""
    allowed = (
        exp.Column,
        exp.Identifier,
        exp.Literal,
        exp.Paren,
        exp.Binary,
        exp.Neg,
        exp.Nullif,
        exp.Coalesce,
        exp.Case,
        exp.If,
        exp.Null,
        exp.Boolean,
        exp.Not,
        exp.Is,
    )
    try:
        tree = sqlglot.parse_one(expr, read="duckdb")
    except SqlglotError as error:
        raise CatalogError(f"derived metric expression {expr!r} does not parse: {error}") from None
    for node in tree.walk():
        if not isinstance(node, allowed):
            raise CatalogError(f"derived metric expression {expr!r}: {node.key} not allowed")
        if isinstance(node, exp.Column) and (node.table or node.name not in names):
            raise CatalogError(f"derived metric expression {expr!r}: unknown input {node.sql()}")
    return tree


@dataclass(frozen=True)
class Read:
    """One mart read under filters, its metrics summed per named period."""

    mart: str
    metrics: tuple[str, ...]
    filters: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class BatchQuery:
    """One statement that reads several marts, each once, all periods side by side.

    The SQL text holds no dates: a period's bounds are the parameters `<label>_start` and
    `<label>_end` (exclusive), so the same text serves every run over the same catalog.
    """

    sql: str
    params: Mapping[str, Scalar]
    """The filters' values."""
    metrics: tuple[tuple[str, ...], ...]
    """The metrics of each read, in the order of its row's `values` list."""

    def values(self, periods: Sequence[Period]) -> dict[str, Scalar]:
        """The statement's parameters for these periods' dates."""
        bound = dict(self.params)
        for item in periods:
            bound[f"{item.label}_start"] = item.start
            bound[f"{item.label}_end"] = item.end + timedelta(days=1)
        return bound


_LABEL = re.compile(r"[a-z][a-z0-9_]*")


def build_batch(reads: Sequence[Read], labels: Sequence[str], catalog: Catalog) -> BatchQuery:
    """One SELECT over several marts: a row (read index, period label, values) per read and
    period that has rows.

    Each read is the grouped query `build` makes for periods, its metrics in one list of
    doubles so that reads of different marts share the columns of a UNION ALL. A period
    without rows has no row, as in `build`. The tree is checked as one read-only SELECT over
    the marts before it is rendered.
    """
    if not reads or not labels:
        raise QueryError("a batch needs at least one read and one period")
    if len(set(labels)) != len(labels) or not all(_LABEL.fullmatch(x) for x in labels):
        raise QueryError(f"period labels must be distinct lowercase names, got {labels!r}")
    params: dict[str, Scalar] = {}

    def bind(value: Scalar) -> exp.Placeholder:
        name = f"f{len(params)}"
        params[name] = value
        return exp.Placeholder(this=name)

    parts: list[exp.Select] = []
    for index, read in enumerate(reads):
        mart = catalog.mart(read.mart)
        if mart.time_column is None:
            raise QueryError(f"{mart.name} has no date column to split periods by")
        unknown = [name for name in read.metrics if name not in mart.queryable_metrics()]
        if unknown:
            raise QueryError(f"{mart.name} cannot aggregate {', '.join(unknown)}")
        allowed = set(mart.dimensions) | {mart.time_column}
        conditions = []
        for item in read.filters:
            if item.column not in allowed:
                raise QueryError(f"unknown filter column {item.column!r} for {mart.name}")
            conditions.append(_condition(_checked_filter(item), bind))
        labelled = exp.Case()
        ranges = []
        for label in labels:
            inside = _within_period(mart.time_column, label)
            ranges.append(inside)
            labelled = labelled.when(inside.copy(), exp.Literal.string(label), copy=False)
        conditions.append(exp.or_(*ranges, copy=False))
        values = exp.Array(
            expressions=[exp.cast(_aggregate(mart, name), "double") for name in read.metrics]
        )
        parts.append(
            exp.select(
                exp.alias_(exp.Literal.number(index), "read_index", quoted=True),
                exp.alias_(labelled, PERIOD_COLUMN, quoted=True),
                exp.alias_(values, "metric_values", quoted=True),
                copy=False,
            )
            .from_(exp.table_(mart.name, db=mart.schema, quoted=True), copy=False)
            .where(exp.and_(*conditions, copy=False), copy=False)
            .group_by(labelled.copy(), copy=False)
        )
    query: exp.Query = parts[0]
    for part in parts[1:]:
        query = exp.union(query, part, distinct=False, copy=False)
    check_expression(query, catalog.marts)
    return BatchQuery(
        query.sql(dialect="duckdb", copy=False), params, tuple(read.metrics for read in reads)
    )


def _within_period(column: str, label: str) -> exp.Expression:
    return exp.and_(
        exp.GTE(this=_column(column), expression=exp.Placeholder(this=f"{label}_start")),
        exp.LT(this=_column(column), expression=exp.Placeholder(this=f"{label}_end")),
        copy=False,
    )


def _aggregate(mart: Mart, name: str) -> exp.Expression:
    """The metric re-aggregated over a group of rows, as `build` does it."""
    metric = mart.metrics[name]
    if metric.kind == "ratio":
        assert metric.numerator is not None and metric.denominator is not None
        return _ratio(
            exp.Sum(this=_column(metric.numerator)), exp.Sum(this=_column(metric.denominator))
        )
    # DuckDB widens sum(bigint) to a 128-bit decimal; keep counts as plain integers.
    total = "bigint" if INTEGER_TYPE.match(mart.columns[name]) else "double"
    return exp.cast(exp.Sum(this=_column(name)), total)


def _ratio(numerator: exp.Expression, denominator: exp.Expression) -> exp.Expression:
    """sum / sum as a double, null where the denominator sums to 0: never a mean of rates."""
    return exp.Div(
        this=exp.cast(numerator, "double"),
        expression=exp.Nullif(this=denominator, expression=exp.Literal.number(0)),
    )


def _output_metrics(metrics: Sequence[str], mart: Mart) -> list[str]:
    """The requested metrics, each ratio followed by its numerator and denominator."""
    out: list[str] = []
    for name in metrics:
        metric = mart.metrics[name]
        for column in (name, metric.numerator, metric.denominator):
            if column is not None and column not in out:
                out.append(column)
    return out


def _within(column: str, start: date, end: date, bind: Any) -> exp.Expression:
    # An exclusive bound on the next day works for date and timestamp columns alike.
    return exp.and_(
        exp.GTE(this=_column(column), expression=bind(start)),
        exp.LT(this=_column(column), expression=bind(end + timedelta(days=1))),
        copy=False,
    )


def _column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _condition(item: Filter, bind: Any) -> exp.Expression:
    column = _column(item.column)
    if item.op == "is null":
        return exp.Is(this=column, expression=exp.Null())
    if item.op == "is not null":
        return exp.Not(this=exp.Is(this=column, expression=exp.Null()))
    if item.op in ("in", "not in"):
        assert isinstance(item.value, tuple)
        inside = exp.In(this=column, expressions=[bind(v) for v in item.value])
        return inside if item.op == "in" else exp.Not(this=inside)
    comparisons: dict[str, type[exp.Binary]] = {
        "=": exp.EQ,
        "!=": exp.NEQ,
        "<": exp.LT,
        "<=": exp.LTE,
        ">": exp.GT,
        ">=": exp.GTE,
    }
    return comparisons[item.op](this=column, expression=bind(item.value))


def literal(value: Scalar) -> exp.Expression:
    """A sqlglot literal for a bound value (sqlglot escapes quotes when it renders it)."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(repr(value))
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "timestamp")
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date")
    return exp.Literal.string(value)


def valid_dialects() -> tuple[str, ...]:
    return tuple(sorted(d.value for d in sqlglot.dialects.Dialects if d.value))


def render(
    built: BuiltQuery,
    dialect: str = "duckdb",
    *,
    inline: bool = False,
    pretty: bool = True,
    copy: bool = True,
) -> str:
    """SQL text for `dialect`; `inline` replaces the parameters by literals (to share it).

    Some dialects rewrite the tree while they render it; `copy=False` skips the protective
    copy and is only for a tree that is rendered once and then dropped.
    """
    if not isinstance(dialect, str) or dialect not in valid_dialects():
        raise QueryError(f"unknown dialect {dialect!r}; valid: {', '.join(valid_dialects())}")
    if inline:
        inlined = built.expression.transform(
            lambda node: (
                literal(built.params[node.name]) if isinstance(node, exp.Placeholder) else node
            )
        )
        return inlined.sql(dialect=dialect, pretty=pretty, copy=False)
    return built.expression.sql(dialect=dialect, pretty=pretty, copy=copy)


_FORBIDDEN = (
    exp.DML,
    exp.DDL,
    exp.Command,
    exp.Copy,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Into,
    exp.Attach,
    exp.Detach,
    exp.Install,
)


def check_select(sql: str, allowed_tables: Iterable[str], dialect: str = "duckdb") -> exp.Query:
    """Parse `sql` and return it only if it is one SELECT over `allowed_tables`."""
    if not isinstance(sql, str) or not sql.strip():
        raise QueryError("empty statement")
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except SqlglotError as error:
        raise QueryError(f"cannot parse statement: {error}") from error
    if len(statements) != 1:
        raise QueryError(f"exactly one statement is allowed, got {len(statements)}")
    return check_expression(statements[0], allowed_tables, dialect)


def check_expression(
    statement: exp.Expression, allowed_tables: Iterable[str], dialect: str = "duckdb"
) -> exp.Query:
    """`statement` itself if it is a read-only SELECT over `allowed_tables`, else QueryError."""
    if not isinstance(statement, exp.Query):
        raise QueryError(f"only SELECT is allowed, got {statement.key.upper()}")
    tables: list[exp.Table] = []
    ctes: set[str] = set()
    for node in statement.walk():
        if isinstance(node, _FORBIDDEN):
            raise QueryError(f"only read-only SELECT is allowed, found {node.key.upper()}")
        if isinstance(node, exp.Table):
            tables.append(node)
        elif isinstance(node, exp.CTE):
            ctes.add(node.alias_or_name)
    allowed = set(allowed_tables) | ctes
    for table in tables:
        if not isinstance(table.this, exp.Identifier) or table.catalog:
            raise QueryError(f"only marts can be read, not {table.sql(dialect=dialect)}")
        if table.name not in allowed:
            raise QueryError(
                f"unknown table {table.name!r}; valid: {', '.join(sorted(allowed_tables))}"
            )
    return statement
