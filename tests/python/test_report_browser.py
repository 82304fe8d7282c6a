"""Open the report in headless Chromium: every chart renders, the console stays clean, and
nothing is fetched from the network (the page works offline)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_report import build_mart_shaped_db

from ccmetrics.report import write_report
from ccmetrics.report.browser import check_page, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)


def test_every_chart_renders_without_console_errors(tmp_path: Path) -> None:
    db = build_mart_shaped_db(tmp_path / "marts.duckdb")
    page = tmp_path / "report.html"
    report = write_report(db, page)
    screenshot = tmp_path / "report.png"

    check = check_page(page, screenshot=screenshot)

    assert report.chart_count >= 3
    assert check.charts_expected == report.chart_count
    assert check.charts_rendered == report.chart_count, check
    assert check.render_state == str(report.chart_count), check
    assert check.console_errors == []
    assert check.console_warnings == []
    assert check.exceptions == []
    assert check.remote_requests == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_broken_chart_is_caught(tmp_path: Path) -> None:
    """The check must be able to fail: a spec Vega-Lite rejects shows up as a console error."""
    db = build_mart_shaped_db(tmp_path / "marts.duckdb")
    page = tmp_path / "report.html"
    write_report(db, page)
    html = page.read_text(encoding="utf-8")
    broken = html.replace('"mark":{"type":"rect"}', '"mark":{"type":"no-such-mark"}', 1)
    assert broken != html
    page.write_text(broken, encoding="utf-8")

    check = check_page(page)

    assert not check.ok
    assert check.charts_rendered < check.charts_expected
    assert check.console_errors or check.exceptions


@pytest.mark.skipif(
    not os.environ.get("CCMETRICS_REPORT_SCREENSHOT"),
    reason="set CCMETRICS_REPORT_SCREENSHOT=<db> to refresh docs/report.png from a warehouse",
)
def test_refresh_docs_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    write_report(Path(os.environ["CCMETRICS_REPORT_SCREENSHOT"]), page)
    docs = Path(__file__).resolve().parents[2] / "docs" / "report.png"
    assert check_page(page, screenshot=docs).ok
