"""The metric names `ccmetrics query` accepts: the marts' own column names and the semantic
layer's metric names, and the nearest names when one is neither.

The semantic layer (the semantic manifest the marts were published with, see
`ccmetrics.registry`) names a metric for what it is (`asa`) where the mart names the column
(`asa_seconds`). A semantic metric is an alias of the mart column that holds the same thing:
a simple metric of the column its measure sums, a ratio metric of the mart's ratio column
over the same numerator and denominator columns. Metrics with no such column (derived,
filtered) are not aliased; a derived one (CXI, NPS) is queried by its own name and computed
from the summed columns of its inputs (`ccmetrics.sqlbuild.derived_formulas`). A query by an
alias reads the alias's mart: two marts may name different things `interactions`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from ccmetrics.catalog import Catalog, CatalogError
from ccmetrics.registry import Formula, RegistryError, SemanticLayer
from ccmetrics.sqlbuild import derived_formulas

MAX_SUGGESTIONS = 5


Alias = tuple[str, str]
"""(mart, column) of the catalog that holds a semantic metric."""


def semantic_aliases(manifest: Mapping[str, Any], catalog: Catalog) -> dict[str, Alias]:
    """Semantic metric name -> the mart and column of the catalog that hold it."""
    layer = SemanticLayer(manifest)
    aliases: dict[str, Alias] = {}
    for name in layer.metrics:
        try:
            formula = layer.formula(name)
        except RegistryError:
            continue  # a metric the readers do not follow has no column to alias
        if formula.kind == "derived" or any(term.where for term in formula.terms):
            continue
        target = _column_metric(catalog, formula)
        if target is not None and target[1] != name:
            aliases[name] = target
    return aliases


def _column_metric(catalog: Catalog, formula: Formula) -> Alias | None:
    """The catalog column that holds a sum or ratio formula, if its mart has one."""
    marts = {term.mart for term in formula.terms}
    if len(marts) != 1 or formula.terms[0].mart not in catalog.marts:
        return None
    mart = catalog.marts[formula.terms[0].mart]
    if formula.kind == "sum":
        metric = mart.metrics.get(formula.terms[0].column)
        return (mart.name, metric.name) if metric is not None and metric.kind == "sum" else None
    parts = tuple(term.column for term in formula.terms)
    for metric in mart.metrics.values():
        if metric.kind == "ratio" and (metric.numerator, metric.denominator) == parts:
            return mart.name, metric.name
    return None


def nearest(name: str, candidates: Iterable[str]) -> list[str]:
    """At most MAX_SUGGESTIONS names close to `name`: those that contain it first (`asa` ->
    `asa_seconds`, which difflib alone ranks too low), then difflib's closest spellings."""
    pool = sorted(set(candidates))
    containing = sorted((c for c in pool if name.lower() in c.lower()), key=lambda c: (len(c), c))
    close = difflib.get_close_matches(name, pool, n=MAX_SUGGESTIONS, cutoff=0.6)
    return list(dict.fromkeys(containing + close))[:MAX_SUGGESTIONS]


def resolve_metrics(
    names: Iterable[str], catalog: Catalog, aliases: Mapping[str, Alias], mart: str | None
) -> tuple[list[str], str | None]:
    """The mart columns of the names, and the mart to read (`mart`, or the aliases' mart).

    An unknown name raises with the nearest names; aliases of two marts cannot be combined.
    """
    known = {n for found in catalog.marts.values() for n in found.metrics}
    pinned = catalog.marts[mart].metrics if mart in catalog.marts else {}
    columns = []
    for name in names:
        # The semantic layer's name wins over a same-named column of another mart
        # (`fcr_rate` is the queue marts' default-window FCR, not fct_cxi_daily's component),
        # unless the mart asked for has that column.
        derived = bool(derived_formulas([name], catalog, mart))
        if name in pinned or (name in known and name not in aliases) or derived:
            columns.append(name)
        elif name in aliases:
            home, column = aliases[name]
            if mart is not None and mart != home:
                raise CatalogError(f"metric {name!r} is {column} of {home}, not of {mart}")
            mart = home
            columns.append(column)
        else:
            derived = derived_formulas(catalog.semantic.metrics, catalog)
            suggestions = nearest(name, catalog.metric_names() + tuple(aliases) + tuple(derived))
            hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "no similar name"
            raise CatalogError(
                f"unknown metric {name!r}; {hint} (all names: ccmetrics query --list)"
            )
    return columns, mart
