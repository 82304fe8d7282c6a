"""Build the report from a warehouse and write it as one HTML file."""

from __future__ import annotations

import datetime as dt
import json
from datetime import timedelta
from pathlib import Path

from ccmetrics.catalog import CatalogError
from ccmetrics.provenance import META_MARTS
from ccmetrics.report import sections
from ccmetrics.report.html import render_html
from ccmetrics.report.model import Report, Section
from ccmetrics.report.warehouse import ReportSource, open_warehouse
from ccmetrics.scorecard import SECTIONS, complete_range, evaluate
from ccmetrics.sqlbuild import Period


def marts_read() -> tuple[str, ...]:
    """Every mart the report reads: what its dbt exposure must depend on."""
    headline = {line.mart for section in SECTIONS for line in section.lines}
    return tuple(sorted(headline | set(sections.SECTION_MARTS) | set(META_MARTS)))


def headline_span(
    warehouse: ReportSource, period: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date] | None:
    """The complete reporting days the headline cards cover (within `period` when given)."""
    try:
        first, last, _ = complete_range(warehouse.warehouse, warehouse.provenance)
    except CatalogError:
        return None
    if period is not None:
        first, last = max(first, period[0]), min(last, period[1])
    return (first, last) if first <= last else None


def headline_sections(
    warehouse: ReportSource, period: tuple[dt.date, dt.date] | None = None
) -> list[Section]:
    """The scorecard's sections over the complete reporting days of the data (within
    `period` when given): the same lines, labels and numbers as `ccmetrics scorecard` shows
    for the same days."""
    provenance = warehouse.provenance
    first, last = headline_span(warehouse, period) or (None, None)
    days: list[tuple[str, dt.date]] = []
    whole_periods: list[Period] = []
    span = ""
    if first is not None and last is not None:
        count = (last - first).days + 1
        days = [
            (f"d{first + timedelta(days=n):%Y%m%d}", first + timedelta(days=n))
            for n in range(count)
        ]
        whole_periods = [Period("period", first, last)]
        span = f"{first:%d %b} - {last:%d %b}"
    whole = evaluate(warehouse.warehouse, provenance, whole_periods)
    daily = evaluate(
        warehouse.warehouse, provenance, [Period(label, day, day) for label, day in days]
    )
    return [sections.headline_section(section, whole, daily, days, span) for section in SECTIONS]


def build_report(
    warehouse: ReportSource,
    generated_at: dt.datetime | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> Report:
    """Every section, in page order, from the marts the warehouse holds; the headline cards
    over `period` (default: every complete reporting day)."""
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
        sections.service_level_section(warehouse),
        sections.fcr_section(warehouse),
        sections.bot_section(warehouse),
        sections.cost_section(warehouse),
        sections.schedule_fit_section(warehouse),
        sections.drilldown_section(warehouse),
    ]
    return Report(
        title="Contact-center metrics",
        subtitle=" ".join(subtitle),
        sections=tuple(parts),
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
