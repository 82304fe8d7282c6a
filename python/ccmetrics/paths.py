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
