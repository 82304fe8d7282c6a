"""Metric parameters the report needs, read from the dbt project's `vars:` (the defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def project_vars(project_file: Path | None = None) -> dict[str, Any]:
    """The `vars:` block of dbt_project.yml (run-time `--vars` overrides are not visible)."""
    import yaml

    from ccmetrics.paths import project_dir

    path = project_file or project_dir() / "dbt_project.yml"
    with path.open(encoding="utf-8") as handle:
        project = yaml.safe_load(handle)
    return dict(project.get("vars") or {})
