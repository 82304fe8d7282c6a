"""The Python API over a published sample warehouse: correct numbers, read-only, no injection."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from test_api_support import publish_sample

from ccmetrics import api
from ccmetrics.catalog import CatalogError
from ccmetrics.sqlbuild import QueryError


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return publish_sample(tmp_path_factory.mktemp("api"))


@pytest.fixture
def warehouse(published):
    with api.Warehouse(published) as opened:
        yield opened


def test_weekly_service_level_by_channel_matches_hand_computation(warehouse):
    frame = warehouse.query(["service_level", "offered"], dimensions=["channel"], grain="week")
    assert list(frame.columns) == [
        "period",
        "channel",
        "service_level",
        "answered_within_sl",
        "sl_denominator",
        "offered",
    ]
    first_week = frame[frame["period"] == pd.Timestamp("2026-01-05")].set_index("channel")
    # phone: 72 within SL a day; denominator 98 + d over d = 0..6 -> 686 + 21 = 707
    assert first_week.loc["phone", "answered_within_sl"] == 504
    assert first_week.loc["phone", "sl_denominator"] == 707
    assert first_week.loc["phone", "service_level"] == pytest.approx(504 / 707)
    assert first_week.loc["phone", "offered"] == 721
    # chat: 30 a day over 39 + d -> 210 / 294
    assert first_week.loc["chat", "service_level"] == pytest.approx(210 / 294)
    assert len(frame) == 4


def test_ratios_are_never_averaged(warehouse):
    total = warehouse.query(["service_level"], grain="all")
    # (72 + 30) * 14 within over (98 * 14 + 91) + (39 * 14 + 91) = 1428 / 2100
    assert total["service_level"].iloc[0] == pytest.approx(0.68)
    daily = warehouse.query(["service_level"], dimensions=["channel"], grain="day")
    assert daily["service_level"].mean() != pytest.approx(0.68, abs=1e-4)
    aht = warehouse.query(["aht_seconds"], grain="all")["aht_seconds"].iloc[0]
    # handle (27000 + 15200) * 14 over answered (90 * 14 + 91) + (38 * 14 + 91)
    assert Fraction(aht).limit_denominator(10_000) == Fraction(590_800, 1974)


def test_date_range_and_filters(warehouse):
    frame = warehouse.query(
        ["offered"],
        start="2026-01-06",
        end=date(2026, 1, 7),
        filters=[("channel", "=", "phone")],
    )
    assert frame["offered"].tolist() == [101, 102]
    frame = warehouse.query(["offered"], grain="all", filters={"queue_id": ["q_support"]})
    assert frame["offered"].iloc[0] == 40 * 14 + 91


def test_arrow_and_sql_for_other_engines(warehouse, published):
    table = api.query_arrow(["offered"], grain="month", db=published)
    assert isinstance(table, pa.Table)
    assert table.column("offered").to_pylist() == [(100 + 40) * 14 + 2 * 91]
    sql = api.to_sql(["service_level"], ["channel"], grain="week", dialect="bigquery", db=published)
    assert "DATE_TRUNC(`report_date`, WEEK)" in sql


def test_empty_denominator_gives_null(tmp_path):
    path = tmp_path / "zero.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create table fct_rate_daily as select date '2026-01-01' as report_date, "
        "0::bigint as met, 0::bigint as eligible, null::double as met_rate"
    )
    con.close()
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    "model.ccmetrics.fct_rate_daily": {
                        "resource_type": "model",
                        "name": "fct_rate_daily",
                        "columns": {
                            "met_rate": {
                                "name": "met_rate",
                                "meta": {"numerator": "met", "denominator": "eligible"},
                            }
                        },
                    }
                }
            }
        )
    )
    with api.Warehouse(path, manifest=manifest) as warehouse:
        frame = warehouse.query(["met_rate"], grain="all")
    assert frame["met_rate"].isna().all()
    assert frame["eligible"].iloc[0] == 0


def test_unknown_and_non_additive_names_are_explained(warehouse):
    with pytest.raises(CatalogError, match="valid metrics: abandoned, aht_seconds"):
        warehouse.query(["nps"])
    with pytest.raises(
        CatalogError, match="'csat_mean' of fct_csat_daily is not declared additive or a ratio"
    ):
        warehouse.query(["csat_mean"])
    with pytest.raises(CatalogError, match="no single mart"):
        warehouse.query(["offered"], dimensions=["queue_name"])


def test_injected_values_are_data_not_sql(warehouse):
    attempts = [
        "phone' or '1'='1",
        "phone'; drop table fct_queue_daily; --",
        'x") union select * from raw.contacts --',
    ]
    for value in attempts:
        frame = warehouse.query(["offered"], grain="all", filters=[("channel", "=", value)])
        assert frame["offered"].isna().all() or frame.empty
    assert warehouse.sql("select count(*) as n from fct_queue_daily")["n"].iloc[0] == 28


@pytest.mark.parametrize(
    "arguments",
    [
        {"metrics": ["offered; drop table fct_queue_daily"]},
        {"metrics": ["offered"], "dimensions": ["channel; drop table fct_queue_daily"]},
        {"metrics": ["offered"], "grain": "week'); drop table fct_queue_daily; --"},
        {"metrics": ["offered"], "start": "2026-01-01' or 1=1 --"},
        {"metrics": ["offered"], "end": "now()"},
        {"metrics": ["offered"], "filters": [("1=1 or channel", "=", "x")]},
        {"metrics": ["offered"], "filters": [("channel", "like", "%")]},
        {"metrics": ["offered"], "mart": "raw.contacts"},
        {"metrics": ["offered"], "limit": "1 union select 1"},
    ],
)
def test_injection_attempts_through_the_api(warehouse, arguments):
    with pytest.raises((QueryError, CatalogError)):
        warehouse.query(**arguments)
    with pytest.raises(QueryError, match="unknown dialect"):
        warehouse.to_sql(["offered"], dialect="duckdb'; drop table x")


def test_connections_are_read_only_and_sealed(warehouse):
    with pytest.raises(duckdb.Error, match="read-only"):
        warehouse.connection.execute("create table stolen as select 1")
    with pytest.raises(duckdb.Error, match="disabled by configuration"):
        warehouse.connection.execute("select * from read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        warehouse.connection.execute("set enable_external_access = true")
    with pytest.raises(QueryError):
        warehouse.sql("delete from fct_queue_daily")
    assert warehouse.sql("select count(*) as n from fct_queue_daily")["n"].iloc[0] == 28


def test_missing_database_points_to_publish(tmp_path):
    with pytest.raises(api.WarehouseNotFoundError, match="ccmetrics publish"):
        api.query(["offered"], db=tmp_path / "nope.duckdb")


def test_two_periods_in_one_query(warehouse):
    frame = warehouse.query(
        ["service_level"],
        grain="all",
        periods={"previous": ("2026-01-05", "2026-01-11"), "current": ("2026-01-12", "2026-01-18")},
    ).set_index("period")
    assert frame.loc["previous", "service_level"] == pytest.approx(714 / 1001)
    assert frame.loc["current", "service_level"] == pytest.approx(714 / 1099)
