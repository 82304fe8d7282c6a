"""One definition of each metric everywhere: on a generated center built under non-default
parameters, the report's headline cards, the scorecard and `ccmetrics query` show the same
metric under the same label with the same number for the same days and filter."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import BIN, dbt_env, generate, load, run
from typer.testing import CliRunner

from ccmetrics.api import Warehouse
from ccmetrics.cli import app
from ccmetrics.commands.metric_names import semantic_aliases
from ccmetrics.report import build_report
from ccmetrics.report.formatting import format_value
from ccmetrics.report.warehouse import open_warehouse
from ccmetrics.scorecard import build_scorecard, format_delta, headline_sections

WEIGHTS = {"csat": 0.7, "fcr": 0.1, "response": 0.2}
DEFAULT_WEIGHTS = {"csat": 0.4, "fcr": 0.4, "response": 0.2}
FCR_WINDOW_HOURS = 24
DAYS = 5
"""The scorecard compares the last 5 complete days with the 5 before (10 days of data)."""


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated center built with CXI weights and an FCR window other than the defaults,
    then published as the demo publishes it."""
    work = tmp_path_factory.mktemp("read_side")
    landing, db_path, published = work / "landing", work / "center.duckdb", work / "pub.duckdb"
    env = dbt_env(db_path, work)
    generate(landing, env)
    load(landing, db_path, env)
    variables = json.dumps({"cxi_weights": WEIGHTS, "fcr_window_hours": FCR_WINDOW_HOURS})
    # Unit tests of the models are `make test`'s business (they run on the fixture center);
    # here they would only make this module depend on every model's exact fixture values.
    run(
        [
            str(BIN / "dbt"),
            "build",
            "--target",
            "dev",
            "--vars",
            variables,
            "--exclude",
            "test_type:unit",
        ],
        env,
    )
    manifest = work / "target" / "manifest.json"
    run(
        [
            str(BIN / "ccmetrics"),
            "publish",
            "--source",
            str(db_path),
            "--target",
            str(published),
            "--manifest",
            str(manifest),
        ],
        env,
    )
    return {"db": published, "target": work / "target", "working": db_path}


@pytest.fixture(scope="module")
def readers(center):
    with Warehouse(center["db"]) as warehouse:
        card = build_scorecard(warehouse, days=DAYS)
    source = open_warehouse(center["db"], center["target"] / "manifest.json")
    try:
        report = build_report(source, period=card.periods.current)
    finally:
        source.close()
    return card, report


PHONE = (("channel", "=", "phone"),)


def _sections(center):
    with Warehouse(center["db"]) as warehouse:
        return headline_sections(warehouse.catalog)


def _tiles(report) -> dict[tuple[str, str], object]:
    keys = {"gen1", "gen2", "gen3", "gen4", "workforce", "cost-summary"}
    return {
        (section.title, tile.label): tile
        for section in report.sections
        if section.key in keys
        for tile in section.tiles
    }


def test_every_headline_has_the_same_label_and_number_in_report_and_scorecard(readers):
    card, report = readers
    tiles = _tiles(report)
    shown = [f for f in card.figures if f.status == "ok"]
    # every headline of the generated center has a number (the 7-day FCR of the last days is
    # right-censored and weekly attrition needs a whole week: those are n/a in both)
    assert {f.label for f in card.figures if f.status != "ok"} == set()
    assert {(f.section, f.label) for f in card.figures} == set(tiles)
    for figure in shown:
        tile = tiles[(figure.section, figure.label)]
        assert tile.value == format_value(figure.current, figure.unit), figure.label
        if figure.current is None:
            assert tile.number is None, figure.label
        else:
            assert tile.number == pytest.approx(figure.current, rel=1e-12), figure.label
        start, end = card.periods.current
        assert tile.detail == f"{start:%d %b} - {end:%d %b}"
        # the previous period of the same length is the scorecard's: the same change
        before, after = card.periods.previous
        assert tile.change == f"{format_delta(figure)} vs {before:%d %b} - {after:%d %b}"


def test_telephone_era_queue_metrics_are_phone_only_and_labelled_so(center, readers):
    card, report = readers
    tiles = _tiles(report)
    phone = [h for s in _sections(center) for h in s.headlines if h.where == PHONE]
    assert {h.metric for h in phone} == {
        "offered",
        "service_level",
        "asa",
        "answer_rate",
        "abandon_rate",
    }
    for headline in phone:
        assert headline.label.endswith("(phone)")
        assert ("Generation 1 - efficiency", headline.label) in tiles
    asa = next(f for f in card.figures if f.label == "ASA (phone)")
    # phone waits are seconds; pooled with e-mail (hours) the mean would be minutes or more
    assert 0 < asa.current < 60


def _query(center, *args: str) -> list[dict]:
    env = {"DBT_TARGET_PATH": str(center["target"])}
    result = CliRunner().invoke(
        app, ["query", *args, "--db", str(center["db"]), "-f", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_headlines_equal_ccmetrics_query_by_column_and_by_semantic_name(center, readers):
    card, _ = readers
    start, end = (f"{day:%Y-%m-%d}" for day in card.periods.current)
    with Warehouse(center["db"]) as warehouse:
        aliases = semantic_aliases(warehouse.catalog.semantic.manifest, warehouse.catalog)
        columns = {n for mart in warehouse.catalog.marts.values() for n in mart.metrics}
    checked, by_alias = [], []
    for figure in card.figures:
        headline = figure.headline
        if figure.source not in columns or figure.current is None:
            continue  # combined from its parts (NPS, CXI, products): checked below
        terms = headline.formula.terms
        where = [f"{c}{op}{v}" for c, op, v in (*terms[0].where, *headline.where)]
        options = ["-g", "all", "--start", start, "--end", end, "--mart", figure.mart]
        for item in where:
            options += ["-w", item]
        rows = _query(center, figure.source, *options)
        assert len(rows) == 1, (figure.label, rows)
        assert rows[0][figure.source] == pytest.approx(figure.current, rel=1e-9), figure.label
        checked.append(figure.label)
        for name, (mart, column) in aliases.items():
            if (mart, column) == (figure.mart, figure.source):
                rows = _query(center, name, *options)
                assert rows[0][column] == pytest.approx(figure.current, rel=1e-9), name
                by_alias.append(name)
    assert len(checked) >= 25, checked
    # the semantic layer's names of the headline columns (where they differ from the
    # column's) reach the same numbers: `fcr_rate` the queue mart's, not fct_cxi_daily's
    assert {"asa", "aht", "fcr_rate", "labor_cost_per_contact"} <= set(by_alias), by_alias


def _cxi_by_hand(con, start, end, weights) -> float:
    sums = con.execute(
        """
        select sum(csat_numerator), sum(csat_denominator), sum(fcr_numerator),
            sum(fcr_denominator), sum(response_numerator), sum(response_denominator)
        from marts.fct_cxi_daily where reporting_date between ? and ?
        """,
        [start, end],
    ).fetchall()[0]
    parts = {"csat": sums[0:2], "fcr": sums[2:4], "response": sums[4:6]}
    present = {k: n / d for k, (n, d) in parts.items() if d}
    return 100 * sum(weights[k] * v for k, v in present.items()) / sum(weights[k] for k in present)


def test_cxi_uses_the_weights_the_build_was_run_with(center, readers):
    card, report = readers
    start, end = card.periods.current
    with duckdb.connect(str(center["working"]), read_only=True) as con:
        built = _cxi_by_hand(con, start, end, WEIGHTS)
        default = _cxi_by_hand(con, start, end, DEFAULT_WEIGHTS)
    assert abs(built - default) > 0.5  # the weights make a visible difference
    cxi = next(f for f in card.figures if f.label == "CXI")
    assert cxi.current == pytest.approx(built, rel=1e-9)
    assert _tiles(report)[("Generation 4 - value creation", "CXI")].number == pytest.approx(built)


def test_derived_headlines_equal_ccmetrics_query_by_their_own_name(center, readers):
    """CXI and NPS are expressions over their inputs: `ccmetrics query cxi` evaluates the
    manifest's expression over the summed parts, as the scorecard does, with the build's
    weights; a derived metric whose parts are in two marts is refused with the reason."""
    card, _ = readers
    start, end = card.periods.current
    options = ["-g", "all", "--start", f"{start:%Y-%m-%d}", "--end", f"{end:%Y-%m-%d}"]
    one_mart = [
        f
        for f in card.figures
        if f.headline.formula.kind == "derived" and len(f.headline.formula.marts()) == 1
    ]
    assert {f.headline.metric for f in one_mart} >= {"cxi", "nps"}
    for figure in one_mart:
        rows = _query(center, figure.headline.metric, *options)
        assert len(rows) == 1, rows
        assert rows[0][figure.headline.metric] == pytest.approx(figure.current, rel=1e-9)
    with duckdb.connect(str(center["working"]), read_only=True) as con:
        by_hand = _cxi_by_hand(con, start, end, WEIGHTS)
    assert _query(center, "cxi", *options)[0]["cxi"] == pytest.approx(by_hand, rel=1e-9)
    weekly = _query(center, "nps", "-g", "week", "-d", "channel")
    assert len(weekly) > 1
    assert all(row["nps"] is None or -100 <= row["nps"] <= 100 for row in weekly)
    refused = CliRunner().invoke(
        app, ["query", "automation_rate", "--db", str(center["db"])], env={}
    )
    assert refused.exit_code != 0
    assert "fct_automation_daily, fct_bot_daily, and a query reads one mart" in refused.output


def test_fcr_windows_are_labelled_from_the_build_parameters(center, readers):
    card, report = readers
    with duckdb.connect(str(center["working"]), read_only=True) as con:
        published = dict(
            con.execute(
                "select parameter_name, parameter_value from marts.dim_build_parameters "
                "where parameter_name in ('fcr_window_hours', 'fcr_windows')"
            ).fetchall()
        )
    assert json.loads(published["fcr_window_hours"]) == FCR_WINDOW_HOURS
    assert json.loads(published["fcr_windows"]) == {"24h": 24, "72h": 72, "7d": 168}
    labels = {f.label for f in card.figures}
    assert {"FCR (24 h)", "FCR (7 d)"} <= labels
    fcr = next(section for section in report.sections if section.key == "fcr")
    windows = {row["fcr_window"] for row in fcr.charts[0].spec["data"]["values"]}
    # the chart covers the cards' days: the 7-day window of the last 5 days of the data is
    # still open for every chain (right-censored), so neither the chart nor the card has it
    assert windows == {"default (24 h)", "24 h", "72 h"}
    assert next(f for f in card.figures if f.label == "FCR (7 d)").current is None


def test_every_headline_is_read_as_the_semantic_layer_defines_it(center, readers):
    """Each scorecard line is a metric of the semantic manifest the build wrote, under its
    label, read from the mart columns its measures name (no second definition in Python)."""
    card, _ = readers
    manifest = json.loads((center["target"] / "semantic_manifest.json").read_text())
    declared = {
        metric["name"]: metric
        for metric in manifest["metrics"]
        if "headline" in metric["config"]["meta"].get("ccmetrics", {})
    }
    assert [f.headline.metric for f in card.figures] == sorted(
        declared, key=lambda n: declared[n]["config"]["meta"]["ccmetrics"]["headline"]["order"]
    )
    for figure in card.figures:
        label = declared[figure.headline.metric]["label"]
        if figure.headline.fcr_window is None:
            assert figure.label.startswith(label), (figure.label, label)
    nps = next(f for f in card.figures if f.headline.metric == "nps")
    assert nps.source == "100.0 * (nps_promoters - nps_detractors) / nullif(nps_responses, 0)"
