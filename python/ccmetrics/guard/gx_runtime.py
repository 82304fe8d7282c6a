"""One Great Expectations context per run: ephemeral, no usage statistics, Data Docs on disk.

GX 1.24's SQL datasource returns empty results on DuckDB through duckdb_engine, so batches are
read through DuckDB into pandas and validated with the pandas datasource.

Data Docs are safe to open: GX 1.24 writes sample values of failing rows into the HTML without
escaping them (a landing value `<img src=x onerror=...>` would run in the reader's browser), so
every validation result is scrubbed before it is rendered: results about a PII column keep their
counts only (no value, no sample), every other value is HTML-escaped and cut to 60 characters.
The pages are written with the PII file mode (`ccmetrics.private_files`).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccmetrics.contract import SOURCES_BY_NAME, Source
from ccmetrics.guard.check_results import CheckResult
from ccmetrics.private_files import private_files, restrict_tree

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )

DOCS_SITE = "ccmetrics_guard"
MAX_SHOWN = 60
"""Characters of a value shown in Data Docs; a 5 MB cell is shown as its first 60."""
MAX_ERROR = 500
COUNT_KEYS = (
    "element_count",
    "missing_count",
    "missing_percent",
    "unexpected_count",
    "unexpected_percent",
    "unexpected_percent_total",
    "unexpected_percent_nonmissing",
)
"""What a result about a PII column keeps: how many rows failed, never which values."""
HIDDEN = "(hidden: personal data)"
VALUE_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")


def _shown(value: Any, limit: int = MAX_SHOWN) -> Any:
    """A value as Data Docs may show it: strings cut and HTML-escaped, containers walked."""
    if isinstance(value, str):
        cut = value if len(value) <= limit else value[:limit] + "..."
        return html.escape(cut, quote=True)
    if isinstance(value, dict):
        return {_shown(k, limit): _shown(v, limit) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(item, limit) for item in value]
    return value


def _pii_columns(suite_name: str) -> frozenset[str]:
    source = SOURCES_BY_NAME.get(suite_name.split(".")[0])
    if source is None:
        # Not one of the guard's suites: treat every column as personal data.
        return frozenset({"*"})
    return frozenset(column.name for column in source.columns if column.pii)


def _touches(kwargs: dict[str, Any], pii: frozenset[str]) -> bool:
    if "*" in pii:
        return True
    for name in VALUE_COLUMN_KWARGS:
        value = kwargs.get(name)
        columns = value if isinstance(value, list | tuple) else [value]
        if any(column in pii for column in columns):
            return True
    return False


def scrub(result: ExpectationSuiteValidationResult) -> ExpectationSuiteValidationResult:
    """The validation result as Data Docs may show it (see the module doc)."""
    pii = _pii_columns(result.suite_name)
    for item in result.results:
        if _touches(dict(item.expectation_config.kwargs), pii):
            item.result = {k: v for k, v in (item.result or {}).items() if k in COUNT_KEYS}
            if item.exception_info:
                item.exception_info = {
                    k: v if isinstance(v, bool) else HIDDEN for k, v in item.exception_info.items()
                }
            continue
        item.result = _shown(item.result or {})
        if item.exception_info:
            item.exception_info = _shown(item.exception_info, MAX_ERROR)
    return result


def _check_result(item: ExpectationValidationResult) -> CheckResult:
    details = (item.result or {}).get("details") or {}
    error = None
    if item.exception_info and item.exception_info.get("raised_exception"):
        error = str(item.exception_info.get("exception_message"))
    return CheckResult(
        dict(item.expectation_config.meta or {}),
        bool(item.success),
        list((item.result or {}).get("unexpected_index_list") or []),
        (item.result or {}).get("observed_value"),
        dict(details.get("mismatched") or {}),
        error,
    )


class GxRuntime:
    """Suites and validation definitions, created once per source and reused for every batch."""

    def __init__(self, docs_dir: Path | None = None) -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "false"
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._datasource = self.context.data_sources.add_pandas("landing")
        self._definitions: dict[str, Any] = {}
        self._rendered: set[Any] = set()
        """Validation results already rendered (or left out): one run's docs show its own."""
        self._site_dir: Path | None = None
        # GX's file store wants an absolute path.
        self.docs_dir = docs_dir.resolve() if docs_dir is not None else None

    def _use_site(self, docs_dir: Path) -> None:
        if self._site_dir == docs_dir:
            return
        config: Any = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        if self._site_dir is None:
            self.context.add_data_docs_site(site_name=DOCS_SITE, site_config=config)
        else:
            self.context.update_data_docs_site(site_name=DOCS_SITE, site_config=config)
        self._site_dir = docs_dir

    def _definition(self, source: Source, kind: str) -> Any:
        from ccmetrics.guard.suites import suite

        name = f"{source.name}.{kind}"
        if name not in self._definitions:
            added = self.context.suites.add(suite(source, kind))
            asset = self._datasource.add_dataframe_asset(name)
            batch_definition = asset.add_batch_definition_whole_dataframe(name)
            self._definitions[name] = self.context.validation_definitions.add(
                self._gx.ValidationDefinition(name=name, data=batch_definition, suite=added)
            )
        return self._definitions[name]

    def validate(
        self, source: Source, kind: str, frame: pd.DataFrame, parameters: dict[str, Any]
    ) -> list[CheckResult]:
        result = self._definition(source, kind).run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format={"result_format": "COMPLETE"},
        )
        return [_check_result(item) for item in result.results]

    def build_docs(self, docs_dir: Path | None = None) -> Path | None:
        """Render the validations since the last call as HTML, scrubbed, into `docs_dir` (or
        the runtime's own); the index page, or None without docs."""
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        store = self.context.validation_results_store
        new = [key for key in store.list_keys() if key not in self._rendered]
        self._rendered.update(new)
        target = docs_dir.resolve() if docs_dir is not None else self.docs_dir
        if target is None:
            return None
        self._use_site(target)
        for key in new:
            store.set(key, scrub(store.get(key)))
        suites = {key.expectation_suite_identifier.name for key in new}
        resources = [*new, *(ExpectationSuiteIdentifier(name=name) for name in sorted(suites))]
        # An empty list would make GX render every result it holds (earlier runs included):
        # with nothing new, a name no suite has builds the index page only.
        with private_files():
            self.context.build_data_docs(
                site_names=[DOCS_SITE],
                resource_identifiers=resources or [ExpectationSuiteIdentifier(name=".none")],
            )
        restrict_tree(target)
        return target / "index.html"
