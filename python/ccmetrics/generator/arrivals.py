"""Demand: expected arrivals by 5-minute bin, and non-homogeneous Poisson samples of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ccmetrics.generator.catalog import (
    ALWAYS_OPEN_HOURLY,
    BASE_DAILY_ENTRIES,
    ENTRY_SHARES,
    LIVE_CHANNELS,
    LIVE_HOURLY,
    REASON_WEIGHTS,
    WEEKDAY_FACTOR,
)

BIN_SECONDS = 300
BINS_PER_DAY = 86400 // BIN_SECONDS
DAY_NOISE_SIGMA = 0.07
"""Day-to-day deviation of real demand from the forecast the schedules were built on."""


def _profile(hourly: np.ndarray, live: bool) -> np.ndarray:
    centers = (np.arange(BINS_PER_DAY) + 0.5) * BIN_SECONDS / 3600.0
    hours = np.arange(24) + 0.5
    shape = np.interp(centers, hours, hourly, period=24)
    if live:
        shape = np.where(hourly[(centers // 1).astype(int)] > 0, shape, 0.0)
    return shape / shape.sum()


_PROFILES: dict[bool, np.ndarray] = {
    True: _profile(LIVE_HOURLY, live=True),
    False: _profile(ALWAYS_OPEN_HOURLY, live=False),
}


def expected_entries(entry: str, day: dt.date, scale: float) -> np.ndarray:
    """Forecast first contacts of an entry point (channel or `bot`) per 5-minute bin."""
    daily = BASE_DAILY_ENTRIES * scale * ENTRY_SHARES[entry] * WEEKDAY_FACTOR[day.weekday()]
    return daily * _PROFILES[entry in LIVE_CHANNELS]


@dataclass(frozen=True)
class Arrivals:
    """First contacts of one entry point on one day, in time order."""

    times: np.ndarray
    """Epoch seconds (whole seconds)."""
    reasons: np.ndarray
    """Index into catalog.REASONS."""


def sample_arrivals(
    entry: str, day: dt.date, day_epoch: float, scale: float, rng: np.random.Generator
) -> Arrivals:
    expected = expected_entries(entry, day, scale) * rng.lognormal(0.0, DAY_NOISE_SIGMA)
    counts = rng.poisson(expected)
    bins = np.repeat(np.arange(BINS_PER_DAY), counts)
    offsets = rng.uniform(0.0, BIN_SECONDS, size=len(bins))
    times = np.sort(np.floor(day_epoch + bins * BIN_SECONDS + offsets))
    reasons = rng.choice(
        len(REASON_WEIGHTS), size=len(times), p=REASON_WEIGHTS / REASON_WEIGHTS.sum()
    )
    return Arrivals(times=times, reasons=reasons)
