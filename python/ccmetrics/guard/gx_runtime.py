"""One Great Expectations context per run: ephemeral, no usage statistics, Data Docs on disk.

GX 1.24's SQL datasource returns empty results on DuckDB through duckdb_engine, so batches are
read through DuckDB into pandas and validated with the pandas datasource.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccmetrics.contract import Source

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core import ExpectationSuiteValidationResult

DOCS_SITE = "ccmetrics_guard"
KINDS = ("batch", "rows")


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
        # GX's file store wants an absolute path.
        self.docs_dir = docs_dir.resolve() if docs_dir is not None else None
        if docs_dir is not None:
            self.context.add_data_docs_site(
                site_name=DOCS_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )

    def _definition(self, source: Source, kind: str) -> Any:
        from ccmetrics.guard.suites import batch_suite, rows_suite

        name = f"{source.name}.{kind}"
        if name not in self._definitions:
            suite = self.context.suites.add(
                batch_suite(source) if kind == "batch" else rows_suite(source)
            )
            asset = self._datasource.add_dataframe_asset(name)
            batch_definition = asset.add_batch_definition_whole_dataframe(name)
            self._definitions[name] = self.context.validation_definitions.add(
                self._gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
            )
        return self._definitions[name]

    def validate(
        self, source: Source, kind: str, frame: pd.DataFrame, parameters: dict[str, Any]
    ) -> ExpectationSuiteValidationResult:
        return self._definition(source, kind).run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format={"result_format": "COMPLETE"},
        )

    def build_docs(self) -> Path | None:
        """Render every validation of this run as HTML; the index page, or None without docs."""
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=[DOCS_SITE])
        return self.docs_dir / "index.html"
