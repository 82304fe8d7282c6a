"""Independent, reproducible random streams: one per (seed, day, stream name).

Keeping streams apart makes the output stable under change: cutting staffing draws nothing
from the arrival stream, so two runs with the same seed see the same customers arrive.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, day_index: int, name: str) -> np.random.Generator:
    """The random generator of one named stream on one day (day -1: set-up before day 0)."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence([seed, day_index + 1, key]))
