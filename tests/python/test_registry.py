"""The semantic manifest is the one metric registry: the scorecard's lines, the report's
headline cards and the catalog's kinds follow what it declares, and nothing else."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from provenance_support import add_meta_marts
from test_api_support import SEMANTIC_MANIFEST, embed_semantic, publish_sample

from ccmetrics.api import Warehouse
from ccmetrics.catalog import CatalogError
from ccmetrics.registry import RegistryError, SemanticLayer
from ccmetrics.report.headlines import headline_sections as report_sections
from ccmetrics.report.warehouse import open_warehouse
from ccmetrics.scorecard import build_scorecard, format_delta


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return publish_sample(tmp_path_factory.mktemp("registry"))


def _with(sample: Path, directory: Path, manifest: dict) -> Path:
    """A copy of the published sample with `manifest` embedded instead of its own."""
    target = directory / "published.duckdb"
    shutil.copy(sample, target)
    embed_semantic(target, manifest)
    return target


def _metric(manifest: dict, name: str) -> dict:
    return next(m for m in manifest["metrics"] if m["name"] == name)


def _lines(db: Path) -> tuple[list, list]:
    with Warehouse(db) as warehouse:
        card = build_scorecard(warehouse, days=7)
    source = open_warehouse(db)
    try:
        sections = report_sections(source, card.periods.current)
    finally:
        source.close()
    return list(card.figures), [tile for section in sections for tile in section.tiles]


def test_the_headlines_are_the_manifests(sample, tmp_path):
    figures, tiles = _lines(sample)
    assert [f.label for f in figures] == [
        "Offered (phone)",
        "Service level (phone)",
        "AHT",
        "Labor cost",
        "CSAT",
    ]
    # the report shows the scorecard's lines that have a mart (CSAT's is not in the sample)
    assert [t.label for t in tiles] == [f.label for f in figures][:4]

    manifest = copy.deepcopy(SEMANTIC_MANIFEST)
    del _metric(manifest, "aht")["config"]["meta"]["ccmetrics"]
    answered = _metric(manifest, "answered")
    answered["label"] = "Answered calls"
    answered["config"]["meta"] = {
        "ccmetrics": {
            "headline": {
                "section": "gen1",
                "order": 115,
                "unit": "count",
                "higher_is_better": None,
                "where": {"channel": "chat"},
            }
        }
    }
    _metric(manifest, "labor_cost")["label"] = "Cost of agents"
    figures, tiles = _lines(_with(sample, tmp_path, manifest))
    labels = ["Offered (phone)", "Answered calls (chat)", "Service level (phone)", "Cost of agents"]
    assert [f.label for f in figures] == [*labels, "CSAT"]
    assert [t.label for t in tiles] == labels
    # chat answered 38 + d a day, d = 7..13 in the current week: 7 * 38 + 70
    answered_chat = next(f for f in figures if f.label == "Answered calls (chat)")
    assert answered_chat.current == 7 * 38 + 70
    assert next(t for t in tiles if t.label == "Answered calls (chat)").value == "336"


def test_cards_change_as_the_scorecard_trend(sample):
    figures, tiles = _lines(sample)
    by_label = {t.label: t for t in tiles}
    for figure in figures[:4]:
        # the sample's two weeks: the card's period is the scorecard's current week
        assert by_label[figure.label].change == f"{format_delta(figure)} vs 05 Jan - 11 Jan"
    # 504 / 756 now against 504 / 707 the week before, phone only
    assert by_label["Service level (phone)"].change == "-4.6 pp worse vs 05 Jan - 11 Jan"
    assert by_label["Offered (phone)"].change == "+49 vs 05 Jan - 11 Jan"


def test_a_card_without_a_whole_previous_period_shows_no_change(sample):
    source = open_warehouse(sample)
    try:
        sections = report_sections(source)  # all 14 days: nothing before them
    finally:
        source.close()
    assert {tile.change for section in sections for tile in section.tiles} == {""}


def test_sections_must_be_opened_once(sample, tmp_path):
    manifest = copy.deepcopy(SEMANTIC_MANIFEST)
    headline = _metric(manifest, "offered")["config"]["meta"]["ccmetrics"]["headline"]
    del headline["opens_section"]
    with pytest.raises(RegistryError, match="section 'gen1' has no opens_section"):
        SemanticLayer(manifest).headline_sections()
    manifest = copy.deepcopy(SEMANTIC_MANIFEST)
    opens = {"title": "Again", "intro": "Twice."}
    _metric(manifest, "aht")["config"]["meta"]["ccmetrics"]["headline"]["opens_section"] = opens
    with pytest.raises(RegistryError, match="section 'gen1' is opened twice"):
        SemanticLayer(manifest).headline_sections()


def test_undeclared_columns_are_listed_and_refused_with_how_to_declare_them(sample, tmp_path):
    manifest = copy.deepcopy(SEMANTIC_MANIFEST)
    queue = next(m for m in manifest["semantic_models"] if m["name"] == "queue_days")
    queue["measures"] = [m for m in queue["measures"] if m["name"] != "abandoned"]
    db = _with(sample, tmp_path, manifest)
    with Warehouse(db) as warehouse:
        rows = {(r["mart"], r["name"]): r for r in warehouse.catalog.describe()}
        assert rows[("fct_queue_daily", "abandoned")]["aggregation"] == "not re-aggregatable"
        with pytest.raises(
            CatalogError, match=r"abandoned. of fct_queue_daily is not declared additive or a ratio"
        ):
            warehouse.query(["abandoned"])
        with pytest.raises(CatalogError, match="a measure with agg: sum in models/semantic"):
            warehouse.query(["abandoned"])
        # declared additive by the sample's own manifest: 8 abandoned a day on the phone
    with Warehouse(sample) as warehouse:
        frame = warehouse.query(["abandoned"], grain="all", filters=["channel=phone"])
    assert frame["abandoned"].tolist() == [14 * 8]


def test_a_published_snapshot_reads_its_own_manifest_not_the_dev_one(sample, tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.mkdir()
    (target / "semantic_manifest.json").write_text(json.dumps({"metrics": []}))
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    with Warehouse(sample) as warehouse:
        card = build_scorecard(warehouse, days=7)
    assert len(card.figures) == 5


def _cxi_warehouse(path: Path, weights: dict[str, float]) -> Path:
    """fct_cxi_daily over 4 days, CSAT 3 of 4, FCR 8 of 10 and response 1 of 2 each day, and
    a build published with `weights` (no manifest: the project's semantic YAML, rendered with
    the parameters dim_build_parameters publishes)."""
    con = duckdb.connect(str(path))
    con.execute(
        """
        create table fct_cxi_daily as
        select day::date as reporting_date, 'phone' as channel,
            3::bigint as csat_numerator, 4::bigint as csat_denominator,
            8::bigint as fcr_numerator, 10::bigint as fcr_denominator,
            1::bigint as response_numerator, 2::bigint as response_denominator
        from range(date '2026-03-01', date '2026-03-05', interval 1 day) as t(day)
        """
    )
    add_meta_marts(
        con,
        parameters={"cxi_weights": weights},
        data_ends_at=datetime(2026, 3, 5),
        complete=(date(2026, 3, 1), date(2026, 3, 4)),
    )
    con.close()
    return path


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"csat": 0.4, "fcr": 0.4, "response": 0.2}, 100 * (0.4 * 0.75 + 0.4 * 0.8 + 0.2 * 0.5)),
        ({"csat": 1.0, "fcr": 0.0, "response": 0.0}, 75.0),
    ],
)
def test_the_builds_cxi_weights_reach_the_scorecard(tmp_path, monkeypatch, weights, expected):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "no_build"))
    db = _cxi_warehouse(tmp_path / "cxi.duckdb", weights)
    with Warehouse(db) as warehouse:
        card = build_scorecard(warehouse, days=2)
    cxi = next(f for f in card.figures if f.headline.metric == "cxi")
    assert (cxi.current, cxi.previous) == (pytest.approx(expected), pytest.approx(expected))


def _trend_with_sl_target(sample: Path, directory: Path, manifest: dict) -> str:
    """The generation-1 trend chart of the sample built with sl_target 0.85, as JSON."""
    directory.mkdir()
    db = _with(sample, directory, manifest)
    con = duckdb.connect(str(db))
    con.execute(
        "create table marts.dim_build_parameters as select 'sl_target' as parameter_name, "
        "'0.85' as parameter_value, '0.8' as default_value, false as is_default"
    )
    con.close()
    source = open_warehouse(db)
    try:
        sections = report_sections(source)
    finally:
        source.close()
    return json.dumps(next(s for s in sections if s.key == "gen1").charts[0].spec)


def test_a_headline_target_is_the_build_parameter_it_names(sample, tmp_path):
    manifest = copy.deepcopy(SEMANTIC_MANIFEST)
    without = _trend_with_sl_target(sample, tmp_path / "without", manifest)
    headline = _metric(manifest, "service_level")["config"]["meta"]["ccmetrics"]["headline"]
    headline["target"] = "sl_target"
    with_target = _trend_with_sl_target(sample, tmp_path / "with", manifest)
    assert '"datum": 0.85' in with_target
    assert '"datum": 0.85' not in without
