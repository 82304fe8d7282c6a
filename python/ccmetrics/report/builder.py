"""Build the report from a warehouse and write it as one HTML file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from ccmetrics.provenance import META_MARTS
from ccmetrics.report import sections
from ccmetrics.report.headlines import headline_marts, headline_sections, headline_span
from ccmetrics.report.html import render_html
from ccmetrics.report.model import Report
from ccmetrics.report.warehouse import ReportSource, open_warehouse


def marts_read() -> tuple[str, ...]:
    """Every mart the report reads: what its dbt exposure must depend on."""
    return tuple(sorted(set(headline_marts()) | set(sections.SECTION_MARTS) | set(META_MARTS)))


def build_report(
    warehouse: ReportSource,
    generated_at: dt.datetime | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> Report:
    """Every section, in page order, from the marts the warehouse holds, all over the same
    complete reporting days: the headline cards' (within `period` when given, else every
    complete reporting day)."""
    stamp = (generated_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = [f"From {warehouse.path.name}, generated {stamp}."]
    data_end = warehouse.provenance.data_end_text()
    if data_end:
        subtitle.append(f"{data_end[0].upper()}{data_end[1:]}; later days are partial, left out.")
    span = headline_span(warehouse, period)
    systems = warehouse.provenance.systems_text(*span) if span else ""
    if systems:
        subtitle.append(f"Fed by {systems}.")
    changed = warehouse.provenance.changed_parameters()
    if changed:
        settings = ", ".join(f"{name} = {json.dumps(value)}" for name, value in changed.items())
        subtitle.append(f"Built with {settings} (not the defaults).")
    parts = headline_sections(warehouse, period)
    parts += [
        sections.service_level_section(warehouse, span),
        sections.response_section(warehouse, span),
        sections.fcr_section(warehouse, span),
        sections.bot_section(warehouse, span),
        sections.cost_section(warehouse, span),
        sections.schedule_fit_section(warehouse, span),
        sections.drilldown_section(warehouse, span),
    ]
    return Report(
        title="Contact-center metrics",
        subtitle=" ".join(subtitle),
        sections=tuple(replace(part, days=span) for part in parts),
    )


def write_report(
    db_path: Path, out_path: Path, period: tuple[dt.date, dt.date] | None = None
) -> Report:
    """Read the marts from `db_path` (read-only) and write the page to `out_path`; the
    headline cards cover `period` (default: every complete reporting day)."""
    warehouse = open_warehouse(db_path)
    try:
        report = build_report(warehouse, period=period)
    finally:
        warehouse.close()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_html(report), encoding="utf-8")
    return report
