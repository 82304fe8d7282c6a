"""Where the project keeps its files; every path can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """The dbt project root (the repository root)."""
    configured = os.environ.get("CCMETRICS_PROJECT_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2]


def warehouse_path() -> Path:
    """The DuckDB file that `dbt build` writes (the dev target)."""
    configured = os.environ.get("CCMETRICS_DUCKDB_PATH")
    if configured:
        return Path(configured)
    return project_dir() / "warehouse" / "ccmetrics.duckdb"


def profiles_dir() -> Path:
    return project_dir() / "profiles"


def published_path() -> Path:
    """The published snapshot of the marts that readers (API, CLI, BI tools) open read-only.

    `ccmetrics publish` replaces it atomically, so a reader never blocks `dbt build`, which
    writes `warehouse_path()`.
    """
    configured = os.environ.get("CCMETRICS_PUBLISHED_PATH")
    if configured:
        return Path(configured)
    return project_dir() / "warehouse" / "published" / "ccmetrics.duckdb"


def export_dir() -> Path:
    """Where `ccmetrics export` writes one Parquet file per mart."""
    configured = os.environ.get("CCMETRICS_EXPORT_DIR")
    if configured:
        return Path(configured)
    return project_dir() / "warehouse" / "export"


def manifest_path() -> Path:
    """The dbt manifest of the last parse/build (honours DBT_TARGET_PATH like dbt does)."""
    target = os.environ.get("DBT_TARGET_PATH")
    base = Path(target) if target else project_dir() / "target"
    if not base.is_absolute():
        base = project_dir() / base
    return base / "manifest.json"
