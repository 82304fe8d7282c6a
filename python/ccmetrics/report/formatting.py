"""How numbers are shown in tiles and tables: as the scorecard shows them, n/a when missing."""

from __future__ import annotations

import math

from ccmetrics.scorecard import Unit
from ccmetrics.scorecard import format_value as scorecard_value


def format_value(value: float | None, unit: Unit) -> str:
    """A metric value for people; an empty denominator shows as "n/a", never as 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return scorecard_value(value, unit)
