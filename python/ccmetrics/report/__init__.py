"""`ccmetrics report`: one self-contained HTML page of the headline metrics, as charts."""

from __future__ import annotations

from ccmetrics.report.builder import build_report, write_report

__all__ = ["build_report", "write_report"]
