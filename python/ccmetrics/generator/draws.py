"""Fast scalar random draws for the per-contact Python loops, pre-drawn in blocks."""

from __future__ import annotations

import math

import numpy as np

_BLOCK = 16_384


class Draws:
    """Uniform and normal variates handed out one at a time from numpy blocks."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._uniform: list[float] = []
        self._normal: list[float] = []

    def uniform(self) -> float:
        if not self._uniform:
            self._uniform = self._rng.random(_BLOCK).tolist()
        return self._uniform.pop()

    def normal(self) -> float:
        if not self._normal:
            self._normal = self._rng.standard_normal(_BLOCK).tolist()
        return self._normal.pop()

    # `chance` and `lognormal` take their variate inline: they run millions of times, and a
    # nested method call costs as much as the draw.
    def chance(self, probability: float) -> bool:
        if not self._uniform:
            self._uniform = self._rng.random(_BLOCK).tolist()
        return self._uniform.pop() < probability

    def lognormal(self, median: float, sigma: float) -> float:
        if not self._normal:
            self._normal = self._rng.standard_normal(_BLOCK).tolist()
        return median * math.exp(sigma * self._normal.pop())

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.uniform())

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.uniform()

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return options[min(len(options) - 1, int(self.uniform() * len(options)))]

    def weighted(self, options: tuple[str, ...], cumulative: tuple[float, ...]) -> str:
        draw = self.uniform() * cumulative[-1]
        for option, bound in zip(options, cumulative, strict=True):
            if draw < bound:
                return option
        return options[-1]
