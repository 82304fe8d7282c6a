"""Assemble a report into one self-contained HTML page (styles, data and Vega inline)."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from importlib import resources
from typing import Any

from ccmetrics.report.model import Chart, Report, Section, Table, Tile

_STYLE = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6f9f; --bad: #b03a2e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #f5f7fa; }
header { padding: 24px 40px 12px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: var(--muted); }
nav { padding: 8px 40px; background: #fff; border-bottom: 1px solid var(--line); }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; font-size: 13px; }
main { padding: 16px 40px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
          padding: 16px 20px; margin: 0 0 20px; }
section h2 { margin: 0 0 4px; font-size: 18px; }
section .intro { margin: 0 0 12px; color: var(--muted); max-width: 960px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 12px; }
.tile { border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; min-width: 150px; }
.tile .value { font-size: 22px; font-weight: 600; }
.tile .label { font-size: 12px; color: var(--muted); }
.tile .detail { font-size: 11px; color: var(--muted); }
.tile .change { font-size: 11px; color: var(--ink); }
section .days { margin: 0 0 6px; font-size: 12px; color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart-box h3 { margin: 4px 0; font-size: 14px; font-weight: 600; }
.note { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--bad);
        background: #fdf3f2; color: var(--bad); }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
th { color: var(--muted); font-weight: 600; }
"""

# Every chart is rendered as SVG; when all are done the body carries data-charts-rendered, and a
# failure is reported on the console, which is what the browser test watches.
_RENDER = """
(function () {
  const specs = JSON.parse(document.getElementById("chart-specs").textContent);
  const jobs = Object.keys(specs).map(function (id) {
    return vegaEmbed("#" + id, specs[id], {actions: false, renderer: "svg"}).then(function () {
      document.getElementById(id).dataset.rendered = "ok";
    });
  });
  Promise.all(jobs).then(function () {
    document.body.dataset.chartsRendered = String(jobs.length);
  }).catch(function (error) {
    document.body.dataset.chartsRendered = "error";
    console.error("chart rendering failed:", error);
  });
})();
"""


def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (see assets/README.md)."""
    asset = resources.files("ccmetrics.report").joinpath("assets/vega-bundle.js")
    return asset.read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no closing tag can appear)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def _tile(tile: Tile) -> str:
    detail = f'<div class="detail">{escape(tile.detail)}</div>' if tile.detail else ""
    change = f'<div class="change">{escape(tile.change)}</div>' if tile.change else ""
    return (
        f'<div class="tile"><div class="value">{escape(tile.value)}</div>'
        f'<div class="label">{escape(tile.label)}</div>{change}{detail}</div>'
    )


def _days(days: tuple[dt.date, dt.date] | None) -> str:
    if days is None:
        return ""
    first, last = days
    count = (last - first).days + 1
    return (
        f'<p class="days">Reporting days {first:%d %b %Y} - {last:%d %b %Y} '
        f"({count} day{'s' if count != 1 else ''})</p>"
    )


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    return (
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _section(section: Section, chart_ids: dict[int, str], charts: list[Chart]) -> str:
    parts = [
        f'<section id="{escape(section.key)}">',
        f"<h2>{escape(section.title)}</h2>",
        _days(section.days),
        f'<p class="intro">{escape(section.intro)}</p>',
    ]
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in section.notes)
    if section.tiles:
        parts.append('<div class="tiles">' + "".join(_tile(t) for t in section.tiles) + "</div>")
    if section.charts:
        parts.append('<div class="charts">')
        for chart in section.charts:
            chart_id = chart_ids.setdefault(id(chart), f"chart-{len(chart_ids) + 1}")
            charts.append(chart)
            parts.append(
                f'<div class="chart-box"><h3>{escape(chart.title)}</h3>'
                f'<div class="chart" id="{chart_id}"></div></div>'
            )
        parts.append("</div>")
    parts.extend(_table(table) for table in section.tables)
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The whole page as a string; it references no external script, style or font."""
    chart_ids: dict[int, str] = {}
    charts: list[Chart] = []
    body = "\n".join(_section(section, chart_ids, charts) for section in report.sections)
    specs = {chart_ids[id(chart)]: chart.spec for chart in charts}
    nav = "".join(
        f'<a href="#{escape(section.key)}">{escape(section.title)}</a>'
        for section in report.sections
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)}</title>
<style>{_STYLE}</style>
<script>{vega_bundle()}</script>
</head>
<body>
<header><h1>{escape(report.title)}</h1><p>{escape(report.subtitle)}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<script type="application/json" id="chart-specs">{_script_json(specs)}</script>
<script>{_RENDER}</script>
</body>
</html>
"""
