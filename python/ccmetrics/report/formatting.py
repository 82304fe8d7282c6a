"""How numbers are shown in tiles and tables."""

from __future__ import annotations

import math

from ccmetrics.report.metrics import Format


def format_value(value: float | None, fmt: Format) -> str:
    """A metric value for people; an empty denominator shows as "n/a", never as 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if fmt == "percent":
        return f"{value:.1%}"
    if fmt == "seconds":
        return f"{value:,.1f} s"
    if fmt == "currency":
        return f"{value:,.2f}"
    return f"{value:,.1f}"
