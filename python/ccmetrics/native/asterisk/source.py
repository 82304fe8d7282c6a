"""Placeholder until the asterisk source lands (issue 11)."""

from __future__ import annotations

from ccmetrics.contract_schema import Source

SOURCES: tuple[Source, ...] = ()
