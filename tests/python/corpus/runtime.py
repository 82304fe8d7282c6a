"""One Great Expectations runtime for all guard tests of a pytest process: building a source's
suites costs seconds, validating with them does not, and they hold no state between runs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccmetrics.guard.gx_runtime import GxRuntime


@cache
def shared_runtime() -> GxRuntime:
    from ccmetrics.guard.gx_runtime import GxRuntime

    return GxRuntime()
