"""`ccmetrics report` on a small warehouse of mart-shaped tables with hand-computed answers."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from provenance_support import add_meta_marts

from ccmetrics.report import build_report, charts, write_report
from ccmetrics.report.formatting import format_value
from ccmetrics.report.headlines import headline_span
from ccmetrics.report.html import render_html
from ccmetrics.report.model import Report, Section, Tile
from ccmetrics.report.sections import FEW_CALLS
from ccmetrics.report.warehouse import open_warehouse


@pytest.fixture(autouse=True)
def _no_project_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The warehouses here are hand-made marts, not a dbt build: the report must not read the
    manifest that a developer's `make demo` or `dbt parse` left in target/ (its CXI weights are
    the defaults, not those of the warehouse under test)."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "no_build"))


def build_mart_shaped_db(path: Path, *, meta: bool = True) -> Path:
    """Two days, two channels. Day 1 phone: SL 8/10, day 1 chat: 1/2, day 2 phone: 0 of 0.
    With `meta`, the meta marts of a build with the default parameters covering both days,
    its service-level target and response targets among them."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create table fct_queue_daily as
            select * from (values
                (date '2026-03-02', 'phone', 'billing', 12, 10, 2, 1, 0, 8, 10, 8, 10, 1, 11,
                 90.0, 10, 3000.0, 4, 5, 3, 4, 2, 4, 1, 4, 100.0),
                (date '2026-03-02', 'chat', 'chat', 2, 2, 0, 0, 0, 1, 2, 2, 2, 0, 2,
                 300.0, 2, 900.0, 1, 2, 1, 2, 1, 2, 0, 2, 20.0),
                (date '2026-03-03', 'phone', 'billing', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 0.0, 0, 0.0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0)
            ) as t(
                reporting_date, channel, queue_id, offered, answered, abandoned,
                short_abandoned, flow_outs, service_level_numerator, service_level_denominator,
                answer_rate_numerator, answer_rate_denominator, abandon_rate_numerator,
                abandon_rate_denominator, asa_wait_seconds, handled_contacts, handle_seconds,
                fcr_resolved_default, fcr_eligible_default, fcr_resolved_24h, fcr_eligible_24h,
                fcr_resolved_72h, fcr_eligible_72h, fcr_resolved_7d, fcr_eligible_7d, labor_cost
            )
            """
        )
        con.execute(
            """
            create table fct_queue_intervals as
            select * from (values
                (timestamp '2026-03-02 09:00', 'phone', 'billing', 6, 4, 5),
                (timestamp '2026-03-02 09:30', 'phone', 'billing', 6, 4, 5),
                (timestamp '2026-03-02 09:30', 'chat', 'chat', 2, 1, 2),
                (timestamp '2026-03-03 10:00', 'phone', 'billing', 0, 0, 0)
            ) as t(
                interval_start, channel, queue_id, offered, service_level_numerator,
                service_level_denominator
            )
            """
        )
        # CXI components per day and channel. Day 1: csat (3 + 1) / (4 + 1) = 0.8, fcr 1 / 2,
        # response 1 / 2 (the phone row has no response denominator, which is fine pooled).
        # With the build's weights 0.4 / 0.4 / 0.2: 100 x (0.32 + 0.2 + 0.1) = 62.0.
        # Day 2 has no component at all: null, not 0.
        con.execute(
            """
            create table fct_cxi_daily as
            select * from (values
                (date '2026-03-02', 'phone', 3, 4, 1, 2, 0, 0),
                (date '2026-03-02', 'chat', 1, 1, 0, 0, 1, 2),
                (date '2026-03-03', 'phone', 0, 0, 0, 0, 0, 0)
            ) as t(
                reporting_date, channel, csat_numerator, csat_denominator, fcr_numerator,
                fcr_denominator, response_numerator, response_denominator
            )
            """
        )
        # First responses per channel and day: phone 60 s over 3 responded (20 s mean, its
        # target), email 172,800 s over 2 (24 h mean, its target 86,400 s = 24 h) on day 1.
        con.execute(
            """
            create table fct_response_daily as
            select * from (values
                (date '2026-03-02', 'phone', 4, 3, 2, 60.0, 20),
                (date '2026-03-02', 'email', 2, 2, 1, 172800.0, 86400),
                (date '2026-03-03', 'phone', 1, 1, 1, 10.0, 20)
            ) as t(
                reporting_date, channel, inbound_contacts, responded_contacts,
                responded_within_target, first_response_seconds_sum, response_target_seconds
            )
            """
        )
        if meta:
            add_meta_marts(
                con,
                parameters={},
                data_ends_at=datetime(2026, 3, 4),
                complete=(date(2026, 3, 2), date(2026, 3, 3)),
            )
            set_parameter(con, "sl_target", 0.8)
    return path


def set_parameter(con: duckdb.DuckDBPyConnection, name: str, value: object) -> None:
    """Publish `value` as the build's `name` in dim_build_parameters (default as the project's
    dbt_project.yml states it)."""
    defaults = {"sl_target": 0.8}
    con.execute("delete from dim_build_parameters where parameter_name = ?", [name])
    con.execute(
        "insert into dim_build_parameters values (?, ?, ?, ?)",
        [name, json.dumps(value), json.dumps(defaults[name]), value == defaults[name]],
    )


@pytest.fixture
def mart_db(tmp_path: Path) -> Path:
    return build_mart_shaped_db(tmp_path / "marts.duckdb")


def _chart_rows(spec):
    """Every inlined data row of a Vega-Lite spec, wherever Altair put it."""
    rows = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "values" and isinstance(value, list):
                # a target rule's one empty row holds no data
                rows.extend(row for row in value if row)
            elif key == "datasets":
                for dataset in value.values():
                    rows.extend(dataset)
            else:
                rows.extend(_chart_rows(value))
    elif isinstance(spec, list):
        for item in spec:
            rows.extend(_chart_rows(item))
    return rows


def _section(report, key):
    return next(section for section in report.sections if section.key == key)


def _chart(section, title):
    """The spec of the chart of `section` whose title starts with `title`."""
    return next(chart.spec for chart in section.charts if chart.title.startswith(title))


def _report(db: Path, period: tuple[date, date] | None = None) -> Report:
    warehouse = open_warehouse(db)
    try:
        return build_report(warehouse, period=period)
    finally:
        warehouse.close()


def _nodes(spec, key):
    """Every dict value under `key` anywhere in a spec (encodings, layers, facets)."""
    found = []
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name == key and isinstance(value, dict):
                found.append(value)
            found.extend(_nodes(value, key))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_nodes(item, key))
    return found


def _day(datetime_def: dict) -> date:
    """A Vega-Lite DateTime of a UTC midnight as a date."""
    assert datetime_def["utc"] is True
    return date(datetime_def["year"], datetime_def["month"], datetime_def["date"])


def _day_axes(spec) -> list[dict]:
    """The x encodings of reporting days in a spec."""
    return [x for x in _nodes(spec, "x") if x.get("timeUnit") == "utcyearmonthdate"]


def test_headline_tiles_are_ratios_of_sums(mart_db: Path) -> None:
    warehouse = open_warehouse(mart_db)
    try:
        report = build_report(warehouse)
    finally:
        warehouse.close()
    tiles = {tile.label: tile.value for tile in _section(report, "gen1").tiles}
    # Queue metrics of the telephone era are the phone's: SL 8 / 10 (the chat's 1 of 2 pooled
    # in would make it 9 / 12), ASA 90 s of wait over 10 answered calls.
    assert tiles["Service level (phone)"] == "80.0%"
    assert tiles["ASA (phone)"] == "9.0 s"
    assert tiles["Offered (phone)"] == "12"
    # AHT and FCR are every channel's: 3900 s over 12 handled, 5 of 7 resolved.
    assert tiles["AHT"] == "325.0 s"
    assert tiles["FCR (2 h)"] == "71.4%"
    assert tiles["Labor cost per handled contact"] == "10.00"  # 120 / 12


def test_empty_denominator_day_is_null_not_zero(mart_db: Path) -> None:
    warehouse = open_warehouse(mart_db)
    try:
        report = build_report(warehouse)
    finally:
        warehouse.close()
    trend = _section(report, "gen1").charts[0].spec
    values = _chart_rows(trend)
    day2 = [row for row in values if row["date"].startswith("2026-03-03")]
    assert day2, "the day with no contacts is still on the time axis"
    # every rate is null on a day without a denominator; the sums (calls offered, labor cost)
    # are 0
    sums = {"Offered (phone)", "Labor cost"}
    assert all(row["value"] is None for row in day2 if row["metric"] not in sums)
    assert {row["metric"]: row["value"] for row in day2 if row["metric"] in sums} == {
        "Offered (phone)": 0,
        "Labor cost": 0,
    }


def test_heatmap_pools_phone_queues_per_interval(mart_db: Path) -> None:
    warehouse = open_warehouse(mart_db)
    try:
        section = _section(build_report(warehouse), "service-level")
    finally:
        warehouse.close()
    cells = {
        (row["date"], row["time_of_day"]): row["service_level"]
        for row in _chart(section, "Service level heat map")["data"]["values"]
    }
    # Phone only: the chat 1/2 at 09:30 stays out; the empty 10:00 interval has no cell.
    assert cells == {("2026-03-02", "09:00"): 0.8, ("2026-03-02", "09:30"): 0.8}


def test_fcr_by_window_and_channel(mart_db: Path) -> None:
    warehouse = open_warehouse(mart_db)
    try:
        section = _section(build_report(warehouse), "fcr")
    finally:
        warehouse.close()
    rates = {
        (row["channel"], row["fcr_window"]): row["fcr_rate"]
        for row in section.charts[0].spec["data"]["values"]
    }
    assert rates[("phone", "default (2 h)")] == pytest.approx(4 / 5)
    assert rates[("phone", "7 d")] == pytest.approx(1 / 4)
    assert rates[("chat", "7 d")] == 0


def test_missing_mart_is_said_not_invented(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    warehouse = open_warehouse(db)
    try:
        report = build_report(warehouse)
    finally:
        warehouse.close()
    assert report.chart_count == 0
    for section in report.sections:
        assert not section.tiles
        assert any("not built" in note for note in section.notes), section.key


def test_page_is_self_contained(mart_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report = write_report(mart_db, out)
    page = out.read_text(encoding="utf-8")
    assert report.chart_count >= 3
    assert page.count('class="chart"') == report.chart_count
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert "window.vegaEmbed" in page


def test_script_data_cannot_close_the_script_element() -> None:
    from ccmetrics.report.model import Chart, Report, Section

    chart = Chart("x", {"data": {"values": [{"label": "</script><b>"}]}, "mark": "bar"})
    page = render_html(Report("t", "s", (Section("k", "K", "i", charts=(chart,)),)))
    specs = page.split('id="chart-specs">', 1)[1].split("</script>", 1)[0]
    assert "<\\/script>" in specs


def test_format_value_shows_missing_as_na() -> None:
    assert format_value(None, "rate") == "n/a"
    assert format_value(float("nan"), "seconds") == "n/a"
    assert format_value(0.0, "rate") == "0.0%"


def test_exposure_depends_on_every_mart_the_report_reads() -> None:
    import yaml

    from ccmetrics.report.builder import marts_read

    root = Path(__file__).resolve().parents[2]
    exposures = yaml.safe_load((root / "models" / "exposures" / "_exposures.yml").read_text())
    report = next(e for e in exposures["exposures"] if e["name"] == "ccmetrics_report")
    declared = {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in report["depends_on"]}
    assert declared == set(marts_read())


def test_report_on_built_marts_has_every_section(built_center, tmp_path: Path) -> None:
    """On a warehouse built by dbt, every section finds its mart and draws its charts."""
    out = tmp_path / "report.html"
    report = write_report(built_center.db_path, out)
    notes = [note for section in report.sections for note in section.notes]
    assert not [note for note in notes if "not built" in note or "lacks column" in note]
    assert all(section.charts for section in report.sections), [
        section.key for section in report.sections if not section.charts
    ]
    # every date axis spans the cards' days, with at most DAY_TICKS labels, on every chart
    (span,) = {section.days for section in report.sections}
    days = (span[1] - span[0]).days + 1
    axes = [x for section in report.sections for c in section.charts for x in _day_axes(c.spec)]
    assert len(axes) >= 8
    for x in axes:
        assert [_day(end) for end in x["scale"]["domain"]] == list(span)
        assert math.ceil(days / x["axis"]["tickCount"]["step"]) <= charts.DAY_TICKS
    first, last = (f"{day:%Y-%m-%d}" for day in span)
    for section in report.sections:
        for chart in section.charts:
            dates = {row["date"][:10] for row in _chart_rows(chart.spec) if row.get("date")}
            assert all(first <= day <= last for day in dates), (section.key, chart.title)


def test_cli_writes_the_page_and_fails_cleanly_without_a_warehouse(
    mart_db: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from ccmetrics.cli import app

    runner = CliRunner()
    out = tmp_path / "page.html"
    ok = runner.invoke(app, ["report", "--db", str(mart_db), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    missing = runner.invoke(
        app, ["report", "--db", str(tmp_path / "absent.duckdb"), "--out", str(out)]
    )
    assert missing.exit_code == 1


def test_cxi_is_the_weighted_mean_of_pooled_components(mart_db: Path) -> None:
    warehouse = open_warehouse(mart_db)
    try:
        section = _section(build_report(warehouse), "gen4")
    finally:
        warehouse.close()
    tiles = {tile.label: tile.value for tile in section.tiles}
    assert tiles["CXI"] == "62.0"
    values = _chart_rows(section.charts[0].spec)
    by_day = {row["date"][:10]: row["value"] for row in values if row["metric"] == "CXI"}
    assert by_day == {"2026-03-02": pytest.approx(62.0), "2026-03-03": None}


@pytest.fixture
def fragment_db(tmp_path: Path) -> Path:
    """The mart-shaped warehouse whose last day, 03-03, is a fragment that the contacts
    delivered so far cover only in part (phone SL 0 of 10 so far), built with a 24 h FCR
    window and CXI weights all on CSAT; agent states and schedules were never delivered."""
    path = build_mart_shaped_db(tmp_path / "fragment.duckdb", meta=False)
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            update fct_queue_daily
            set offered = 10, service_level_numerator = 0, service_level_denominator = 10
            where reporting_date = date '2026-03-03'
            """
        )
        add_meta_marts(
            con,
            parameters={
                "fcr_window_hours": 24,
                "reporting_timezone": "America/New_York",
                "cxi_weights": {"csat": 1.0, "fcr": 0.0, "response": 0.0},
            },
            data_ends_at=datetime(2026, 3, 4),
            complete=(date(2026, 3, 2), date(2026, 3, 2)),
            undelivered=("agent_states", "schedules"),
            # the fragment day 03-03 brought Connect records, outside the complete days
            systems=(
                (date(2026, 3, 2), "contacts", "landing"),
                (date(2026, 3, 2), "bot_sessions", "rasa"),
                (date(2026, 3, 3), "contacts", "connect"),
            ),
        )
    return path


def test_the_report_reads_complete_days_with_the_build_parameters(fragment_db: Path) -> None:
    warehouse = open_warehouse(fragment_db)
    try:
        report = build_report(warehouse)
    finally:
        warehouse.close()
    gen1 = _section(report, "gen1")
    tiles = {tile.label: tile for tile in gen1.tiles}
    # phone SL 8 / 10: the fragment's 0 of 10 would make it 8 / 20 = 40.0%
    assert tiles["Service level (phone)"].value == "80.0%"
    assert tiles["Service level (phone)"].detail == "02 Mar - 02 Mar"
    assert tiles["FCR (24 h)"].value == "71.4%"
    assert not [row for row in _chart_rows(gen1.charts[0].spec) if row["date"] >= "2026-03-03"]
    # labor needs agent states: the mart's labor cost is not shown as a cost per contact
    labor = tiles["Labor cost per handled contact"]
    assert (labor.value, labor.detail) == ("n/a", "no agent_states delivered")
    # CXI with the build's weights: CSAT alone, 4 / 5
    cxi = {tile.label: tile.value for tile in _section(report, "gen4").tiles}
    assert cxi["CXI"] == "80.0"
    assert report.subtitle.endswith(
        "Data ends 2026-03-04 00:00 UTC; complete reporting days 2026-03-02 to 2026-03-02 "
        "(America/New_York); later days are partial, left out. Fed by contacts from landing; "
        "bot sessions from rasa. Built with fcr_window_hours = "
        '24, reporting_timezone = "America/New_York", cxi_weights = {"csat": 1.0, "fcr": 0.0, '
        '"response": 0.0} (not the defaults).'
    )
    workforce = {tile.label: tile for tile in _section(report, "workforce").tiles}
    assert workforce["Schedule adherence"].detail == "no agent_states or schedules delivered"
    assert _section(report, "schedule-fit").notes == ("Not available: no schedules delivered.",)


def test_fcr_windows_are_labelled_with_the_build_window(fragment_db: Path) -> None:
    warehouse = open_warehouse(fragment_db)
    try:
        section = _section(build_report(warehouse), "fcr")
    finally:
        warehouse.close()
    windows = {row["fcr_window"] for row in section.charts[0].spec["data"]["values"]}
    assert windows == {"default (24 h)", "24 h", "72 h", "7 d"}


def test_cli_cards_cover_the_days_asked_for(mart_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ccmetrics.cli import app

    out = tmp_path / "page.html"
    runner = CliRunner()
    days = ["--start", "2026-03-02", "--end", "2026-03-02"]
    ok = runner.invoke(app, ["report", "--db", str(mart_db), "--out", str(out), *days])
    assert ok.exit_code == 0, ok.output
    page = out.read_text(encoding="utf-8")
    assert "02 Mar - 02 Mar" in page
    assert "02 Mar - 03 Mar" not in page
    bad = runner.invoke(app, ["report", "--db", str(mart_db), "--out", str(out), "--end", "x"])
    assert bad.exit_code == 2


def _marks(spec, mark_type):
    """Every unit spec (layer or chart) in `spec` whose mark is `mark_type`."""
    found = []
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if (mark.get("type") if isinstance(mark, dict) else mark) == mark_type:
            found.append(spec)
        for value in spec.values():
            found.extend(_marks(value, mark_type))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_marks(item, mark_type))
    return found


@pytest.mark.parametrize("target", [0.8, 0.9])
def test_service_level_target_drawn_is_the_builds(mart_db: Path, target: float) -> None:
    with duckdb.connect(str(mart_db)) as con:
        set_parameter(con, "sl_target", target)
    section = _section(_report(mart_db), "service-level")
    daily = _chart(section, "Service level by day")
    (rule,) = _marks(daily, "rule")
    assert rule["encoding"]["y"] == {"datum": target}
    (label,) = _marks(daily, "text")
    assert label["encoding"]["text"] == {"value": f"target {target:.1%}"}
    # the heat map turns from red to green at the same target
    heat = _chart(section, "Service level heat map")
    (color,) = _nodes(heat, "color")
    assert color["scale"]["domainMid"] == target
    assert color["title"] == f"service level (target {target:.1%})"
    rows = {row["date"]: row["service_level"] for row in daily["layer"][0]["data"]["values"]}
    assert rows == {"2026-03-02": 0.8, "2026-03-03": None}  # 8 of 10; no call on 03 Mar


def test_service_level_target_follows_the_build_vars(tmp_path: Path) -> None:
    """The target on the charts is what dbt published for --vars, not dbt_project.yml's."""
    from conftest import BIN, dbt_env, run

    # not marts.duckdb: a database named like the schema dbt writes the marts to is ambiguous
    db = build_mart_shaped_db(tmp_path / "center.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("drop table dim_build_parameters")
    env = dbt_env(db, tmp_path)
    dbt = [str(BIN / "dbt"), "build", "--target", "ci", "--select", "dim_build_parameters"]
    run([*dbt, "--quiet", "--vars", "{sl_target: 0.85}"], env)
    section = _section(_report(db), "service-level")
    (rule,) = _marks(_chart(section, "Service level by day"), "rule")
    assert rule["encoding"]["y"] == {"datum": 0.85}
    assert not section.notes


def test_without_a_published_target_none_is_drawn(mart_db: Path) -> None:
    with duckdb.connect(str(mart_db)) as con:
        con.execute("delete from dim_build_parameters where parameter_name = 'sl_target'")
    section = _section(_report(mart_db), "service-level")
    assert not _marks(_chart(section, "Service level by day"), "rule")
    assert section.notes == (
        "No target drawn: the build published no sl_target (dim_build_parameters).",
    )


def test_intervals_with_few_calls_are_greyed_and_the_threshold_stated(mart_db: Path) -> None:
    with duckdb.connect(str(mart_db)) as con:
        # 12 calls in the denominator at 10:00, 9 of them met: enough for a colour
        con.execute(
            "insert into fct_queue_intervals "
            "values (timestamp '2026-03-02 10:00', 'phone', 'billing', 12, 9, 12)"
        )
    section = _section(_report(mart_db), "service-level")
    spec = _chart(section, "Service level heat map (grey: fewer than 10 calls)")
    assert FEW_CALLS == 10
    cells = {
        row["time_of_day"]: (row["denominator"], row["few_calls"]) for row in spec["data"]["values"]
    }
    assert cells == {"09:00": (5, True), "09:30": (5, True), "10:00": (12, False)}
    coloured, greyed = spec["layer"]
    assert coloured["transform"] == [{"filter": "!datum.few_calls"}]
    assert greyed["transform"] == [{"filter": "datum.few_calls"}]
    fill = greyed["encoding"]["fill"]
    assert fill["scale"] == {"domain": [True], "range": [charts.FEW_COLOR]}
    assert fill["legend"]["labelExpr"] == "'fewer than 10 calls'"
    assert "grey cells fewer than 10" in section.intro


def test_response_targets_are_drawn_per_channel_in_its_unit(mart_db: Path) -> None:
    section = _section(_report(mart_db), "response")
    spec = _chart(section, "Mean first response by day")
    # phone: 60 s / 3 = 20 s on 02 Mar, 10 s / 1 on 03 Mar against 20 s; email: 172,800 s / 2
    # = 24 h against 86,400 s = 24 h
    panels = {
        panel["layer"][0]["title"]["text"]: (
            {row["date"]: row["response"] for row in panel["layer"][0]["data"]["values"]},
            [rule["encoding"]["y"] for rule in _marks(panel, "rule")],
        )
        for panel in spec["concat"]
    }
    assert panels == {
        "email (hours; target 24 hours)": ({"2026-03-02": 24.0}, [{"datum": 24.0}]),
        "phone (seconds; target 20 seconds)": (
            {"2026-03-02": 20.0, "2026-03-03": 10.0},
            [{"datum": 20.0}],
        ),
    }


def test_every_section_covers_the_headline_days(mart_db: Path) -> None:
    """Narrowed to 02 Mar (--start/--end), no chart reads 03 Mar, and every section says so."""
    with duckdb.connect(str(mart_db)) as con:
        # 03 Mar: 3 of 4 phone calls met at 10:00, and 2 of 2 resolved within 7 days
        con.execute(
            "update fct_queue_daily set fcr_resolved_7d = 2, fcr_eligible_7d = 2, "
            "service_level_numerator = 3, service_level_denominator = 4 "
            "where reporting_date = date '2026-03-03'"
        )
        con.execute(
            "update fct_queue_intervals set service_level_numerator = 3, "
            "service_level_denominator = 4 where interval_start = timestamp '2026-03-03 10:00'"
        )
    both, first = (date(2026, 3, 2), date(2026, 3, 3)), (date(2026, 3, 2), date(2026, 3, 2))
    warehouse = open_warehouse(mart_db)
    try:
        assert headline_span(warehouse) == both
        assert headline_span(warehouse, first) == first
    finally:
        warehouse.close()
    for period, span in ((None, both), (first, first)):
        report = _report(mart_db, period)
        assert {section.days for section in report.sections} == {span}
        fcr = {
            (row["channel"], row["fcr_window"]): row["fcr_rate"]
            for row in _chart(_section(report, "fcr"), "FCR")["data"]["values"]
        }
        # phone 7 d: 1 of 4 on 02 Mar, 3 of 6 with 03 Mar
        assert fcr[("phone", "7 d")] == pytest.approx(1 / 4 if span == first else 3 / 6)
        service = _section(report, "service-level")
        heat = _chart(service, "Service level heat map")
        days = ["2026-03-02", "2026-03-03"] if span == both else ["2026-03-02"]
        assert heat["layer"][0]["encoding"]["y"]["scale"]["domain"] == days
        assert {row["date"] for row in heat["data"]["values"]} == set(days)
        for key, title in (("service-level", "Service level by day"), ("response", "Mean")):
            spec = _chart(_section(report, key), title)
            for x in _day_axes(spec):
                assert [_day(end) for end in x["scale"]["domain"]] == list(span)
            assert {row["date"] for row in _chart_rows(spec) if "date" in row} == set(days)
    page = render_html(_report(mart_db, first))
    assert page.count("Reporting days 02 Mar 2026 - 02 Mar 2026 (1 day)") == len(report.sections)


def test_date_axes_label_at_most_eight_days_of_a_month() -> None:
    import pandas as pd

    span = (date(2026, 3, 1), date(2026, 3, 30))
    frame = pd.DataFrame(
        {"date": [span[0] + timedelta(days=n) for n in range(30)], "line": "telephony"}
    ).assign(cost=1.0)
    (x,) = _day_axes(charts.daily_stacked_bars(frame, span, "cost", "cost", "line"))
    assert x["scale"]["type"] == "utc"
    assert [_day(end) for end in x["scale"]["domain"]] == list(span)
    axis = x["axis"]
    assert (axis["format"], axis["labelAngle"]) == ("%d %b", 0)
    assert axis["labelOverlap"] is True
    # every 4th day: 01, 05, ... 29 Mar, 8 labels of 30 days on 480 pixels
    assert axis["tickCount"] == {"interval": "day", "step": 4}
    assert math.ceil(30 / 4) <= charts.DAY_TICKS
    # a 200-pixel small multiple has room for 3 labels: every 10th day
    trend = charts.metric_trends(
        frame.rename(columns={"line": "metric", "cost": "value"}), {"telephony": ",.0f"}
    )
    (small,) = _day_axes(trend)
    assert small["axis"]["tickCount"] == {"interval": "day", "step": 10}


def test_trend_panels_draw_the_targets_they_are_given() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "date": [date(2026, 3, 2), date(2026, 3, 2)],
            "metric": ["service level (phone)", "AHT"],
            "value": [0.75, 300.0],
        }
    )
    spec = charts.metric_trends(
        frame,
        {"service level (phone)": ".1~%", "AHT": ",.0f"},
        targets={"service level (phone)": 0.85},
    )
    service, aht = spec["concat"]
    (rule,) = _marks(service, "rule")
    assert rule["encoding"]["y"] == {"datum": 0.85}
    assert not _marks(aht, "rule")


def test_cards_show_the_change_against_the_previous_period() -> None:
    tiles = (
        Tile(
            "service level (phone)", "80.0%", "02 Mar - 08 Mar", 0.8, "+1.2 pp vs 23 Feb - 01 Mar"
        ),
        Tile("AHT", "325.0 s", "02 Mar - 08 Mar", 325.0),
    )
    page = render_html(Report("t", "s", (Section("gen1", "G", "i", tiles=tiles),)))
    assert '<div class="change">+1.2 pp vs 23 Feb - 01 Mar</div>' in page
    assert page.count('class="change"') == 1  # none for the card without a previous period
