"""Which marts, metrics and dimensions a warehouse holds, discovered at run time.

Nothing here is hard-coded per mart: the catalog reads the database's own information schema
(tables named `fct_*` / `dim_*`), so marts that appear later are queryable without a code
change. Which column is a rate of which numerator and denominator is never guessed: it is
declared in the dbt project (a `rate_of` test, or column meta `ccmetrics: {numerator: ...,
denominator: ...}` for a ratio that is not a share, such as a mean or a cost per unit) and
comes from the `ccmetrics_meta.metric_ratios` table that `ccmetrics publish` embeds, or from
the dbt manifest.

Which column is additive is declared too, never read from its name: a column the semantic
layer's measures sum (`agg: sum`, see `ccmetrics.registry`), or the numerator or denominator
of a declared ratio. A metric is either additive (re-aggregated with `sum`) or a ratio
(re-aggregated as sum(numerator) / sum(denominator): a rate of rates is never averaged).
Numeric columns declared as neither (a mean or an index published without its parts, an
attribute such as an agent's hourly cost, a column nobody declared) are listed but refused by
queries, with the way to declare them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ccmetrics.registry import META_SCHEMA, SemanticLayer, has_meta_table, semantic_layer

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MART_PREFIXES = ("fct_", "dim_")
RATIOS_TABLE = "metric_ratios"
PREFERRED_TIME_COLUMNS = (
    "reporting_date",
    "report_date",
    "date_day",
    "activity_date",
    "metric_date",
)

MetricKind = Literal["sum", "ratio", "non_additive"]

_NUMERIC = re.compile(
    r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|REAL|DOUBLE|DECIMAL)"
)
INTEGER_TYPE = re.compile(r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT)")
_DIMENSION = re.compile(r"^(VARCHAR|BOOLEAN|DATE|TIMESTAMP)")
DECLARE_HINT = (
    "declare it in the semantic layer (a measure with agg: sum in "
    "models/semantic/_semantic__models.yml) if it is a count or a sum, or as a ratio (a "
    "rate_of test, or column meta ccmetrics: {numerator: ..., denominator: ...}) if it is one; "
    "see docs/registry.md"
)


class CatalogError(ValueError):
    """A name that is not in the catalog, or a request no mart can answer."""


@dataclass(frozen=True)
class Metric:
    name: str
    kind: MetricKind
    numerator: str | None = None
    denominator: str | None = None


@dataclass(frozen=True)
class Mart:
    name: str
    schema: str
    columns: Mapping[str, str]
    """Column name -> database type, in table order."""
    time_column: str | None
    dimensions: tuple[str, ...]
    metrics: Mapping[str, Metric]
    row_estimate: int = 0
    description: str = ""
    column_descriptions: Mapping[str, str] = field(default_factory=dict)

    def queryable_metrics(self) -> tuple[str, ...]:
        return tuple(n for n, m in self.metrics.items() if m.kind != "non_additive")


@dataclass(frozen=True)
class Catalog:
    marts: Mapping[str, Mart]
    semantic: SemanticLayer = field(default_factory=SemanticLayer)
    """The semantic layer the marts were published with: what each metric is."""

    def metric_names(self) -> tuple[str, ...]:
        return tuple(sorted({n for m in self.marts.values() for n in m.queryable_metrics()}))

    def dimension_names(self) -> tuple[str, ...]:
        return tuple(sorted({d for m in self.marts.values() for d in m.dimensions}))

    def describe(self) -> list[dict[str, str]]:
        """One row per mart column: its role, how it aggregates, and its description."""
        rows = []
        for mart in self.marts.values():
            roles = {name: _aggregation(metric) for name, metric in mart.metrics.items()}
            roles |= {name: ("dimension", "") for name in mart.dimensions}
            if mart.time_column:
                roles[mart.time_column] = ("time (grain)", "")
            for name, (role, aggregation) in roles.items():
                rows.append(
                    {
                        "mart": mart.name,
                        "name": name,
                        "role": role,
                        "aggregation": aggregation,
                        "description": mart.column_descriptions.get(name, ""),
                    }
                )
        return rows

    def mart(self, name: str) -> Mart:
        if name not in self.marts:
            raise CatalogError(f"unknown mart {name!r}; valid marts: {_listing(self.marts)}")
        return self.marts[name]

    def resolve(
        self,
        metrics: Iterable[str],
        dimensions: Iterable[str] = (),
        *,
        needs_time: bool = False,
        mart: str | None = None,
    ) -> Mart:
        """The mart that answers these metrics and dimensions (the smallest when several do)."""
        metrics, dimensions = tuple(metrics), tuple(dimensions)
        if not metrics:
            raise CatalogError(
                f"no metric requested; valid metrics: {_listing(self.metric_names())}"
            )
        scope = [self.mart(mart)] if mart is not None else list(self.marts.values())
        valid_metrics = sorted({n for m in scope for n in m.queryable_metrics()})
        valid_dimensions = sorted({d for m in scope for d in m.dimensions})
        for name in metrics:
            refusal = _non_additive_reason(name, scope)
            if refusal:
                raise CatalogError(refusal)
            if name not in valid_metrics:
                raise CatalogError(
                    f"unknown metric {name!r}; valid metrics: {_listing(valid_metrics)}"
                )
        for name in dimensions:
            if name not in valid_dimensions:
                raise CatalogError(
                    f"unknown dimension {name!r}; valid dimensions: {_listing(valid_dimensions)}"
                )
        candidates = [
            m
            for m in scope
            if set(metrics) <= set(m.queryable_metrics())
            and set(dimensions) <= set(m.dimensions)
            and (m.time_column is not None or not needs_time)
        ]
        if not candidates:
            homes = "; ".join(
                f"{m.name}: metrics {_listing(m.queryable_metrics())}, "
                f"dimensions {_listing(m.dimensions)}"
                for m in scope
                if set(metrics) & set(m.queryable_metrics())
            )
            raise CatalogError(
                "no single mart has all of metrics "
                f"{_listing(metrics)} with dimensions {_listing(dimensions)}"
                f"{' and a date column' if needs_time else ''}; {homes}"
            )
        return min(candidates, key=lambda m: (m.row_estimate, m.name))


def _aggregation(metric: Metric) -> tuple[str, str]:
    if metric.kind == "ratio":
        return "ratio", f"sum({metric.numerator}) / sum({metric.denominator})"
    if metric.kind == "sum":
        return "metric", "sum"
    return "non_additive", "not re-aggregatable"


def _listing(names: Iterable[str]) -> str:
    names = sorted(names)
    return ", ".join(names) if names else "(none)"


def _non_additive_reason(name: str, scope: list[Mart]) -> str | None:
    for mart in scope:
        metric = mart.metrics.get(name)
        if metric is not None and metric.kind != "non_additive":
            return None
    for mart in scope:
        metric = mart.metrics.get(name)
        if metric is not None:
            return (
                f"metric {name!r} of {mart.name} is not declared additive or a ratio, so no "
                f"re-aggregation of it is known: {DECLARE_HINT}; or query its parts: "
                f"{_listing(mart.queryable_metrics())}"
            )
    return None


def ratios_from_manifest(manifest: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    """(mart, rate column) -> (numerator, denominator) from `rate_of` tests and column meta."""
    ratios: dict[tuple[str, str], tuple[str, str]] = {}
    nodes: Mapping[str, Any] = manifest.get("nodes", {})
    for node in nodes.values():
        if node.get("resource_type") == "model" and node.get("name", "").startswith(MART_PREFIXES):
            for column in node.get("columns", {}).values():
                meta = column.get("meta") or {}
                meta = meta.get("ccmetrics", meta)
                if meta.get("numerator") and meta.get("denominator"):
                    key = (node["name"], column["name"])
                    ratios[key] = (str(meta["numerator"]), str(meta["denominator"]))
        metadata = node.get("test_metadata") or {}
        if node.get("resource_type") != "test" or metadata.get("name") != "rate_of":
            continue
        kwargs = metadata.get("kwargs", {})
        attached = (node.get("attached_node") or "").split(".")[-1]
        if attached.startswith(MART_PREFIXES) and kwargs.get("column_name"):
            ratios[(attached, kwargs["column_name"])] = (
                str(kwargs["numerator"]),
                str(kwargs["denominator"]),
            )
    return ratios


def load_manifest_ratios(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    if not path.is_file():
        return {}
    return ratios_from_manifest(json.loads(path.read_text()))


def embedded_ratios(con: DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, str]] | None:
    """The ratios `ccmetrics publish` stored in the database, or None when it has none."""
    if not has_meta_table(con, RATIOS_TABLE):
        return None
    rows = con.execute(
        f"select mart, metric, numerator, denominator from {META_SCHEMA}.{RATIOS_TABLE}"
    ).fetchall()
    return {(mart, metric): (num, den) for mart, metric, num, den in rows}


def discover(
    con: DuckDBPyConnection,
    ratios: Mapping[tuple[str, str], tuple[str, str]] | None = None,
    semantic: SemanticLayer | None = None,
) -> Catalog:
    """Read the marts of an open DuckDB connection; `ratios` add to (and win over) the ones
    embedded in the database, `semantic` replaces the semantic layer embedded in it (a dev
    build's target/semantic_manifest.json)."""
    ratios = {**(embedded_ratios(con) or {}), **(ratios or {})}
    semantic = semantic if semantic is not None else semantic_layer(con)
    additive = semantic.additive_columns()
    tables = con.execute(
        """
        select schema_name, table_name, coalesce(estimated_size, 0), coalesce(comment, '')
        from duckdb_tables()
        where database_name = current_database()
        union all
        select schema_name, view_name, 0, coalesce(comment, '')
        from duckdb_views()
        where database_name = current_database() and not internal
        order by 2
        """
    ).fetchall()
    columns = con.execute(
        """
        select schema_name, table_name, column_name, data_type, coalesce(comment, '')
        from duckdb_columns()
        where database_name = current_database()
        order by schema_name, table_name, column_index
        """
    ).fetchall()
    by_table: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for schema, table, column, data_type, comment in columns:
        by_table.setdefault((schema, table), []).append((column, data_type.upper(), comment))
    marts: dict[str, Mart] = {}
    for schema, table, size, comment in tables:
        if not table.startswith(MART_PREFIXES) or schema == META_SCHEMA or table in marts:
            continue
        marts[table] = _mart(
            table, schema, by_table.get((schema, table), []), ratios, additive, size, comment
        )
    return Catalog(marts, semantic)


def _mart(
    name: str,
    schema: str,
    columns: list[tuple[str, str, str]],
    ratios: Mapping[tuple[str, str], tuple[str, str]],
    additive: set[tuple[str, str]],
    size: int,
    comment: str,
) -> Mart:
    types = {column: data_type for column, data_type, _ in columns}
    descriptions = {column: text for column, _, text in columns if text}
    time_column = _time_column(types)
    metrics: dict[str, Metric] = {}
    for column, data_type in types.items():
        if not _NUMERIC.match(data_type):
            continue
        pair = ratios.get((name, column))
        if (
            pair is not None
            and column not in pair
            and all(_NUMERIC.match(types.get(part, "")) for part in pair)
        ):
            metrics[column] = Metric(column, "ratio", pair[0], pair[1])
    # A ratio of ratios cannot be re-aggregated from sums; only additive parts count.
    for column, metric in list(metrics.items()):
        if metric.numerator in metrics or metric.denominator in metrics:
            del metrics[column]
    parts = {part for m in metrics.values() for part in (m.numerator, m.denominator) if part}
    for column, data_type in types.items():
        if column in metrics or not _NUMERIC.match(data_type):
            continue
        # Additive only when declared: summed by a semantic measure, or the numerator or
        # denominator of a declared ratio. Any other number (an attribute such as an hourly
        # cost, a mean, an index) is listed but refused by queries.
        declared = column in parts or (name, column) in additive
        metrics[column] = Metric(column, "sum" if declared else "non_additive")
    dimensions = tuple(
        column
        for column, data_type in types.items()
        if _DIMENSION.match(data_type) and column != time_column
    )
    return Mart(
        name=name,
        schema=schema,
        columns=types,
        time_column=time_column,
        dimensions=dimensions,
        metrics=metrics,
        row_estimate=int(size),
        description=comment,
        column_descriptions=descriptions,
    )


def _time_column(types: Mapping[str, str]) -> str | None:
    dates = [c for c, t in types.items() if t == "DATE"]
    for preferred in PREFERRED_TIME_COLUMNS:
        if preferred in dates:
            return preferred
    if dates:
        return dates[0]
    stamps = [c for c, t in types.items() if t.startswith("TIMESTAMP")]
    return stamps[0] if stamps else None
