"""The metric names `ccmetrics query` accepts: the marts' own column names and the semantic
layer's metric names, and the nearest names when one is neither.

The semantic layer (`semantic_manifest.json`, written by dbt next to `manifest.json`) names a
metric for what it is (`asa`) where the mart names the column (`asa_seconds`). A semantic
metric is an alias of the mart column that holds the same thing: a simple metric of the column
its measure sums, a ratio metric of the mart's ratio column over the same numerator and
denominator columns. Metrics with no such column (derived, filtered) are not aliased. A query
by an alias reads the alias's mart: two marts may name different things `interactions`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ccmetrics.catalog import Catalog, CatalogError

MAX_SUGGESTIONS = 5


Alias = tuple[str, str]
"""(mart, column) of the catalog that holds a semantic metric."""


def semantic_aliases(manifest: Mapping[str, Any], catalog: Catalog) -> dict[str, Alias]:
    """Semantic metric name -> the mart and column of the catalog that hold it."""
    columns: dict[str, tuple[str, str]] = {}
    for model in manifest.get("semantic_models", []):
        mart = (model.get("node_relation") or {}).get("alias")
        for measure in model.get("measures", []):
            if measure.get("agg") == "sum":
                columns[measure["name"]] = (mart, measure.get("expr") or measure["name"])
    definitions = {metric["name"]: metric for metric in manifest.get("metrics", [])}

    def simple_column(name: str) -> tuple[str, str] | None:
        metric = definitions.get(name) or {}
        params = metric.get("type_params") or {}
        measure = params.get("measure") or {}
        if metric.get("type") != "simple" or measure.get("filter"):
            return None
        return columns.get(measure.get("name", ""))

    aliases: dict[str, Alias] = {}
    for name, metric in definitions.items():
        params = metric.get("type_params") or {}
        if metric.get("type") == "simple":
            found = simple_column(name)
            target = _column_metric(catalog, found, None)
        elif metric.get("type") == "ratio":
            numerator = simple_column((params.get("numerator") or {}).get("name", ""))
            denominator = simple_column((params.get("denominator") or {}).get("name", ""))
            target = _column_metric(catalog, numerator, denominator)
        else:
            target = None
        if target is not None and target[1] != name:
            aliases[name] = target
    return aliases


def _column_metric(
    catalog: Catalog, numerator: tuple[str, str] | None, denominator: tuple[str, str] | None
) -> Alias | None:
    if numerator is None or numerator[0] not in catalog.marts:
        return None
    mart = catalog.marts[numerator[0]]
    if denominator is None:
        metric = mart.metrics.get(numerator[1])
        return (mart.name, metric.name) if metric is not None and metric.kind == "sum" else None
    if denominator[0] != numerator[0]:
        return None
    for metric in mart.metrics.values():
        if metric.kind == "ratio" and (metric.numerator, metric.denominator) == (
            numerator[1],
            denominator[1],
        ):
            return mart.name, metric.name
    return None


def load_semantic_aliases(path: Path, catalog: Catalog) -> dict[str, Alias]:
    """The aliases of the semantic manifest at `path`, or none when dbt has not written it."""
    if not path.is_file():
        return {}
    return semantic_aliases(json.loads(path.read_text()), catalog)


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
        if name in pinned or (name in known and name not in aliases):
            columns.append(name)
        elif name in aliases:
            home, column = aliases[name]
            if mart is not None and mart != home:
                raise CatalogError(f"metric {name!r} is {column} of {home}, not of {mart}")
            mart = home
            columns.append(column)
        else:
            suggestions = nearest(name, catalog.metric_names() + tuple(aliases))
            hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "no similar name"
            raise CatalogError(
                f"unknown metric {name!r}; {hint} (all names: ccmetrics query --list)"
            )
    return columns, mart
