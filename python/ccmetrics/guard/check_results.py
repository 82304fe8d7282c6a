"""What the guard reads from a validation, whichever engine ran it (`sql_runtime`, `gx_runtime`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from ccmetrics.contract import Source


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome on one frame."""

    meta: dict[str, Any]
    """The expectation's `meta`: the check's name, reason and the columns it involves."""
    success: bool
    unexpected_index: list[Any] = field(default_factory=list)
    """Index labels of the failing rows (row expectations)."""
    observed_value: Any = None
    """What a table expectation observed (the row count)."""
    mismatched: dict[str, list[str]] = field(default_factory=dict)
    """Columns `missing` and `unexpected` (the column-set expectations)."""
    error: str | None = None
    """Why the engine could not evaluate the expectation; None when it could."""


class Runtime(Protocol):
    """An engine that runs a source's `batch` or `rows` suite on a frame."""

    def validate(
        self, source: Source, kind: str, frame: pd.DataFrame, parameters: dict[str, Any]
    ) -> list[CheckResult]: ...

    def build_docs(self, docs_dir: Path | None = None) -> Path | None: ...
