"""The one metric registry: the MetricFlow semantic manifest, as published with the marts.

The semantic layer (`models/semantic/`) says what every metric is: a simple metric sums one
measure, a ratio divides the sums of two, a derived metric is an expression over other
metrics; each measure is a column (`expr`) of the mart its semantic model reads. dbt writes it
to `target/semantic_manifest.json` and `ccmetrics publish` embeds it in the published snapshot
(`ccmetrics_meta.semantic_manifest`), so every reader of the marts reads the definitions the
marts were built with:

- the catalog takes from it which columns are additive (a measure with `agg: sum`);
- the scorecard and the report's headline cards are the metrics whose `config: meta:
  ccmetrics: headline:` places them in a section (see docs/registry.md), shown under the
  metric's label;
- `ccmetrics query` accepts its metric names.

Nothing here recomputes a metric: a formula is the metric's own definition resolved to the
mart columns that hold its parts, and a derived metric's expression is evaluated by the
database over its inputs' values, exactly as the manifest states it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

META_SCHEMA = "ccmetrics_meta"
MANIFEST_TABLE = "semantic_manifest"
"""`ccmetrics_meta.semantic_manifest`: one row, the semantic manifest's JSON text."""
ADDITIVE_AGGREGATIONS = ("sum",)
"""Measure aggregations whose column can be summed again at any grain."""
Unit = Literal["rate", "seconds", "money", "count", "score", "index"]
UNITS: tuple[str, ...] = ("rate", "seconds", "money", "count", "score", "index")
DEFAULT_NEEDS = ("contacts",)

_COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
_COALESCED = re.compile(r"^coalesce\(([a-z_][a-z0-9_]*), 0\)$")
# MetricFlow's filter template for one categorical value, the only filter a headline's parts
# may carry: "{{ Dimension('team_month__period_grain') }} = 'week'".
_EQUALS_FILTER = re.compile(
    r"^\{\{\s*Dimension\('(?:[a-z_][a-z0-9_]*__)?([a-z_][a-z0-9_]*)'\)\s*\}\}\s*=\s*'([^']*)'$"
)


class RegistryError(ValueError):
    """The semantic manifest declares something a reader cannot follow."""


Where = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Term:
    """A mart column summed under filters: a simple metric's value."""

    mart: str
    column: str
    where: Where = ()


@dataclass(frozen=True)
class Formula:
    """A metric resolved to mart columns: a sum (`terms` has one), a ratio of two sums, or an
    expression over named inputs (a derived metric)."""

    metric: str
    kind: Literal["sum", "ratio", "derived"]
    terms: tuple[Term, ...] = ()
    inputs: tuple[tuple[str, Formula], ...] = ()
    expr: str = ""

    def all_terms(self) -> tuple[Term, ...]:
        found = list(self.terms)
        for _, formula in self.inputs:
            found += [t for t in formula.all_terms() if t not in found]
        return tuple(found)

    def marts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(term.mart for term in self.all_terms()))

    def text(self) -> str:
        if self.kind == "sum":
            return self.terms[0].column
        if self.kind == "ratio":
            return f"{self.terms[0].column} / {self.terms[1].column}"
        return " ".join(self.expr.split())


@dataclass(frozen=True)
class Headline:
    """A metric the scorecard and the report's headline cards show."""

    metric: str
    label: str
    """The metric's label in the semantic layer, with the headline's filter value ("(phone)")
    appended; an FCR window placeholder is filled from the build by the reader."""
    section: str
    order: int
    unit: Unit
    formula: Formula
    higher_is_better: bool | None = None
    where: Where = ()
    """The headline's own filters (the phone channel), on every part whose mart has them."""
    needs: tuple[str, ...] = DEFAULT_NEEDS
    """Landing sources without which the figure means nothing."""
    fcr_window: str | None = None
    """The FCR window (column suffix) the metric is over, labelled from the build's."""
    target: str | None = None
    """The build parameter that holds the metric's target (`sl_target`), drawn on its trend."""

    @property
    def mart(self) -> str:
        return self.formula.marts()[0]


@dataclass(frozen=True)
class HeadlineSection:
    key: str
    title: str
    intro: str
    headlines: tuple[Headline, ...]


@dataclass(frozen=True, eq=False)
class SemanticLayer:
    """What the readers take from the semantic manifest. The manifest is read once per
    object (a catalog holds one per version of the published file): the scorecard asks for
    its headlines several times a run."""

    manifest: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def metrics(self) -> dict[str, Mapping[str, Any]]:
        return {metric["name"]: metric for metric in self.manifest.get("metrics", [])}

    @cached_property
    def _measures(self) -> dict[str, tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
        found = {}
        for model in self.manifest.get("semantic_models", []):
            mart = (model.get("node_relation") or {}).get("alias", "")
            for measure in model.get("measures", []):
                found[measure["name"]] = (mart, measure, model)
        return found

    def measures(self) -> dict[str, tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
        """Measure name -> (mart, measure, semantic model)."""
        return self._measures

    def additive_columns(self) -> set[tuple[str, str]]:
        """(mart, column) of every column a measure sums: re-aggregated by summing."""
        columns = set()
        for mart, measure, _ in self.measures().values():
            column = measure_column(measure)
            if column is not None and measure.get("agg") in ADDITIVE_AGGREGATIONS:
                columns.add((mart, column))
        return columns

    def formula(self, name: str) -> Formula:
        """The metric `name` resolved to the mart columns of its parts."""
        metric = self.metrics.get(name)
        if metric is None:
            raise RegistryError(f"no metric {name!r} in the semantic layer")
        params = metric.get("type_params") or {}
        kind = metric.get("type")
        where = self._filter(metric.get("filter"), name)
        if kind == "simple":
            measure = params.get("measure") or {}
            where += self._filter(measure.get("filter"), name)
            return Formula(name, "sum", (self._term(measure.get("name", ""), name, where),))
        if kind == "ratio":
            sides = [self.formula(params[side]["name"]) for side in ("numerator", "denominator")]
            if any(side.kind != "sum" for side in sides) or any(
                params[side].get("filter") for side in ("numerator", "denominator")
            ):
                raise RegistryError(f"ratio metric {name!r}: its sides must be simple metrics")
            terms = tuple(
                Term(s.terms[0].mart, s.terms[0].column, s.terms[0].where + where) for s in sides
            )
            return Formula(name, "ratio", terms)
        if kind == "derived":
            inputs = []
            for item in params.get("metrics", []):
                if item.get("filter") or item.get("offset_window") or item.get("offset_to_grain"):
                    raise RegistryError(f"derived metric {name!r}: filtered or offset input")
                inputs.append((item.get("alias") or item["name"], self.formula(item["name"])))
            return Formula(name, "derived", inputs=tuple(inputs), expr=params.get("expr", ""))
        raise RegistryError(f"metric {name!r} is {kind}: the readers follow simple, ratio, derived")

    def _term(self, measure_name: str, metric: str, where: Where) -> Term:
        found = self.measures().get(measure_name)
        if found is None:
            raise RegistryError(f"metric {metric!r}: no measure {measure_name!r}")
        mart, measure, _ = found
        column = measure_column(measure)
        if column is None or measure.get("agg") not in ADDITIVE_AGGREGATIONS:
            raise RegistryError(
                f"metric {metric!r}: measure {measure_name!r} is not a summed mart column "
                f"(agg {measure.get('agg')}, expr {measure.get('expr')!r})"
            )
        return Term(mart, column, where)

    def _filter(self, spec: Mapping[str, Any] | None, metric: str) -> Where:
        """A metric's MetricFlow filter as column filters on its semantic model's mart."""
        where: list[tuple[str, str, str]] = []
        for item in (spec or {}).get("where_filters", []):
            template = " ".join(str(item.get("where_sql_template", "")).split())
            matched = _EQUALS_FILTER.match(template)
            if matched is None:
                raise RegistryError(
                    f"metric {metric!r}: filter {template!r} is not Dimension(...) = 'value'"
                )
            where.append((self._dimension_column(matched.group(1)), "=", matched.group(2)))
        return tuple(where)

    def _dimension_column(self, name: str) -> str:
        for model in self.manifest.get("semantic_models", []):
            for dimension in model.get("dimensions", []):
                if dimension["name"] == name:
                    return dimension.get("expr") or name
        raise RegistryError(f"no dimension {name!r} in the semantic layer")

    @cached_property
    def _sections(self) -> tuple[HeadlineSection, ...]:
        return self._declared_sections()

    def headline_sections(self) -> tuple[HeadlineSection, ...]:
        """The sections of headline metrics, in their declared order."""
        return self._sections

    def _declared_sections(self) -> tuple[HeadlineSection, ...]:
        declared: list[tuple[Headline, Mapping[str, Any]]] = []
        for name, metric in self.metrics.items():
            meta = ((metric.get("config") or {}).get("meta") or {}).get("ccmetrics") or {}
            if "headline" in meta:
                declared.append(_headline(name, metric, meta["headline"], self.formula(name)))
        declared.sort(key=lambda item: (item[0].order, item[0].metric))
        sections: dict[str, tuple[str, str]] = {}
        for headline, spec in declared:
            opens = spec.get("opens_section")
            if opens:
                if headline.section in sections:
                    raise RegistryError(f"section {headline.section!r} is opened twice")
                sections[headline.section] = (str(opens["title"]), str(opens["intro"]))
            elif headline.section not in sections:
                raise RegistryError(
                    f"headline {headline.metric!r}: section {headline.section!r} has no "
                    "opens_section on a headline of a lower order"
                )
        return tuple(
            HeadlineSection(
                key,
                title,
                intro,
                tuple(h for h, _ in declared if h.section == key),
            )
            for key, (title, intro) in sections.items()
        )


def _headline(
    name: str, metric: Mapping[str, Any], spec: Mapping[str, Any], formula: Formula
) -> tuple[Headline, Mapping[str, Any]]:
    unit = spec.get("unit")
    if unit not in UNITS:
        raise RegistryError(f"headline {name!r}: unit {unit!r} is not one of {', '.join(UNITS)}")
    better = spec.get("higher_is_better")
    if better not in (True, False, None):
        raise RegistryError(f"headline {name!r}: higher_is_better must be true, false or null")
    where = tuple((str(k), "=", str(v)) for k, v in (spec.get("where") or {}).items())
    label = str(metric.get("label") or name)
    label += "".join(f" ({value})" for _, _, value in where)
    headline = Headline(
        metric=name,
        label=label,
        section=str(spec["section"]),
        order=int(spec["order"]),
        unit=unit,
        formula=formula,
        higher_is_better=better,
        where=where,
        needs=tuple(spec.get("needs") or DEFAULT_NEEDS),
        fcr_window=spec.get("fcr_window"),
        target=spec.get("target"),
    )
    return headline, spec


def measure_column(measure: Mapping[str, Any]) -> str | None:
    """The mart column a measure aggregates: its name or a plain column `expr`
    (`coalesce(x, 0)` sums to what x sums to); None for any other expression."""
    expr = str(measure.get("expr") or measure["name"]).strip()
    if _COLUMN.match(expr):
        return expr
    coalesced = _COALESCED.match(expr)
    return coalesced.group(1) if coalesced else None


def has_meta_table(con: DuckDBPyConnection, table: str) -> bool:
    """Whether `ccmetrics publish` embedded `ccmetrics_meta.<table>` in the database."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [META_SCHEMA, table],
    ).fetchall()[0][0]
    return bool(present)


def embedded_manifest(con: DuckDBPyConnection) -> Mapping[str, Any] | None:
    """The semantic manifest `ccmetrics publish` embedded, or None when there is none."""
    if not has_meta_table(con, MANIFEST_TABLE):
        return None
    rows = con.execute(f"select manifest from {META_SCHEMA}.{MANIFEST_TABLE}").fetchall()
    return json.loads(rows[0][0]) if rows else None


def read_manifest(path: Path | None) -> Mapping[str, Any] | None:
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text())


def semantic_layer(
    con: DuckDBPyConnection, fallback: Path | None = None, project: Path | None = None
) -> SemanticLayer:
    """The semantic layer published with the marts, else the dev build's file `fallback`
    (target/semantic_manifest.json), else the project's YAML (`project`, models/semantic)
    rendered with the parameters the warehouse says its build used, else an empty one."""
    manifest = embedded_manifest(con)
    if manifest is None:
        manifest = read_manifest(fallback)
    if manifest is None and project is not None and project.is_dir():
        return project_semantic_layer(project, build_variables(con, project.parents[1]))
    return SemanticLayer(manifest or {})


def build_variables(con: DuckDBPyConnection, project_dir: Path) -> dict[str, Any]:
    """The dbt vars a build used: dbt_project.yml's, overridden by those the warehouse's
    dim_build_parameters publishes (what `--vars` changed)."""
    import yaml

    config = project_dir / "dbt_project.yml"
    variables: dict[str, Any] = {}
    if config.is_file():
        variables = dict((yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("vars", {}))
    found = con.execute(
        "select schema_name from duckdb_tables() where database_name = current_database() "
        "and table_name = 'dim_build_parameters' limit 1"
    ).fetchall()
    if found:
        relation = f'"{found[0][0]}"."dim_build_parameters"'
        for name, value in con.execute(
            f"select parameter_name, parameter_value from {relation}"
        ).fetchall():
            variables[name] = json.loads(value)
    return variables


def semantic_manifest_path(manifest: Path) -> Path:
    """The semantic manifest dbt writes next to `manifest.json`."""
    return manifest.with_name("semantic_manifest.json")


_REF = re.compile(r"^ref\('([a-z_][a-z0-9_]*)'\)$")


def project_semantic_layer(
    directory: Path, variables: Mapping[str, Any] | None = None
) -> SemanticLayer:
    """The semantic layer as the project's YAML (`models/semantic/`) declares it, in the
    manifest's shape: what is known before any build (which marts the headlines read, for
    the report's exposure), and the last resort of a warehouse published without a manifest.
    With `variables`, a derived metric's expression is rendered as dbt renders it (`var()`);
    MetricFlow's filter templates are left as they are, as dbt leaves them."""
    import yaml

    models: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("semantic_models", []):
            found = _REF.match(str(model.get("model", "")))
            relation = {"alias": found.group(1) if found else ""}
            models.append({**model, "node_relation": relation})
        for metric in document.get("metrics", []):
            metrics.append(_manifest_metric(metric, variables))
    return SemanticLayer({"semantic_models": models, "metrics": metrics})


def _manifest_metric(
    metric: Mapping[str, Any], variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A metric of the YAML in the manifest's shape (names as {"name": ...}, filters as
    where_filters)."""

    def reference(value: Any) -> dict[str, Any]:
        item = dict(value) if isinstance(value, Mapping) else {"name": value}
        if isinstance(item.get("filter"), str):
            item["filter"] = {"where_filters": [{"where_sql_template": item["filter"]}]}
        return item

    params = dict(metric.get("type_params") or {})
    for key in ("measure", "numerator", "denominator"):
        if key in params:
            params[key] = reference(params[key])
    params["metrics"] = [reference(item) for item in params.get("metrics", [])]
    if variables is not None and isinstance(params.get("expr"), str):
        import jinja2

        def var(name: str, default: Any = None) -> Any:
            return variables.get(name, default)

        params["expr"] = (
            jinja2.Environment(autoescape=False).from_string(params["expr"]).render(var=var)
        )
    shaped = {**metric, "type_params": params}
    if isinstance(metric.get("filter"), str):
        shaped["filter"] = {"where_filters": [{"where_sql_template": metric["filter"]}]}
    return shaped
