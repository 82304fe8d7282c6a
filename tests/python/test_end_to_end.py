"""The marts built from generated landing files match an independent pandas recomputation."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import BuiltCenter
from reference import (
    FCR_WINDOWS_HOURS,
    QueueParams,
    fcr_by_day,
    handle_metrics,
    interactions,
    latest_versions,
    queue_metrics,
    read_landing,
)


def mart(built: BuiltCenter, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(built.db_path), read_only=True) as connection:
        return connection.sql(sql).df()


@pytest.fixture(scope="module")
def contacts(built_center: BuiltCenter) -> pd.DataFrame:
    rows = read_landing(built_center.landing, "contacts")
    return latest_versions(rows, "contact_id", "record_updated_at")


@pytest.fixture(scope="module")
def bot_sessions(built_center: BuiltCenter) -> pd.DataFrame:
    rows = read_landing(built_center.landing, "bot_sessions")
    return latest_versions(rows, "bot_session_id", "record_updated_at")


def test_queue_metrics_match_per_day_channel_and_queue(built_center, contacts):
    expected = queue_metrics(contacts, QueueParams()).sort_values(["date", "channel", "queue_id"])
    actual = mart(
        built_center,
        """
        select
            reporting_date as date, channel, queue_id, offered, answered, abandoned,
            short_abandoned, answered_within_threshold, service_level_denominator,
            asa_wait_seconds
        from marts.fct_queue_daily
        where offered > 0
        order by date, channel, queue_id
        """,
    )
    assert len(expected) > 20
    actual["date"] = pd.to_datetime(actual["date"]).dt.date
    for column in (
        "offered",
        "answered",
        "abandoned",
        "short_abandoned",
        "answered_within_threshold",
    ):
        assert actual[column].tolist() == expected[column].tolist(), column
    assert actual["service_level_denominator"].tolist() == expected["sl_denominator"].tolist()
    assert actual["asa_wait_seconds"].to_numpy() == pytest.approx(
        expected["answered_wait_seconds"].to_numpy(), rel=1e-9
    )


def test_service_level_asa_and_abandon_rate_match_for_the_whole_period(built_center, contacts):
    expected = queue_metrics(contacts, QueueParams())
    totals = expected[
        [
            "offered",
            "answered",
            "abandoned",
            "short_abandoned",
            "answered_within_threshold",
            "answered_wait_seconds",
            "sl_denominator",
        ]
    ].sum()
    actual = mart(
        built_center,
        """
        select
            sum(service_level_numerator) / sum(service_level_denominator) as service_level,
            sum(asa_wait_seconds) / sum(answered) as asa_seconds,
            sum(abandon_rate_numerator) / sum(abandon_rate_denominator) as abandon_rate
        from marts.fct_queue_daily
        """,
    ).iloc[0]
    assert actual["service_level"] == pytest.approx(
        totals["answered_within_threshold"] / totals["sl_denominator"], rel=1e-12
    )
    assert actual["asa_seconds"] == pytest.approx(
        totals["answered_wait_seconds"] / totals["answered"], rel=1e-12
    )
    # Short abandons leave the numerator too (docs/definitions.md): read literally,
    # abandoned / (offered - short) can exceed 1.
    assert actual["abandon_rate"] == pytest.approx(
        (totals["abandoned"] - totals["short_abandoned"]) / totals["sl_denominator"], rel=1e-12
    )
    # A plausible center, not a degenerate one.
    assert 0.3 < actual["service_level"] < 1
    assert 0 < actual["abandon_rate"] < 0.3


def test_aht_matches_per_day_and_channel(built_center, contacts):
    expected = handle_metrics(contacts).sort_values(["date", "channel"])
    actual = mart(
        built_center,
        """
        select reporting_date as date, channel,
            sum(handled_contacts) as handled_contacts, sum(handle_seconds) as handle_seconds
        from marts.fct_queue_daily
        group by all
        having sum(handled_contacts) > 0
        order by date, channel
        """,
    )
    actual["date"] = pd.to_datetime(actual["date"]).dt.date
    assert actual["handled_contacts"].tolist() == expected["handled_contacts"].tolist()
    assert actual["handle_seconds"].to_numpy() == pytest.approx(
        expected["handle_seconds"].to_numpy(), rel=1e-9
    )


@pytest.mark.parametrize("window", ["default", "7d"])
def test_fcr_matches_per_day(built_center, contacts, bot_sessions, window):
    events = interactions(contacts, bot_sessions)
    expected = fcr_by_day(events, FCR_WINDOWS_HOURS[window]).sort_values("date")
    actual = mart(
        built_center,
        f"""
        select reporting_date as date,
            sum(fcr_resolved_{window}) as resolved, sum(fcr_eligible_{window}) as eligible
        from marts.fct_queue_daily
        group by all
        having sum(fcr_eligible_{window}) > 0
        order by date
        """,
    )
    actual["date"] = pd.to_datetime(actual["date"]).dt.date
    assert actual["date"].tolist() == expected["date"].tolist()
    assert actual["eligible"].tolist() == expected["eligible"].tolist()
    assert actual["resolved"].tolist() == expected["resolved"].tolist()
    # Repeats exist, so FCR is informative: below 1, and lower at 7 days than at 2 hours.
    assert 0.5 < expected["resolved"].sum() / expected["eligible"].sum() < 1


# Names the dbt invocation that computed a row: it differs between any two builds by design.
INVOCATION_COLUMNS = ("processed_invocation_id",)


def _snapshot(db_path, schemas: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        tables = connection.sql(
            f"""
            select table_schema || '.' || table_name
            from information_schema.tables
            where table_schema in {schemas} and table_type = 'BASE TABLE'
            order by 1
            """
        ).fetchall()
        snapshot = {}
        for (name,) in tables:
            columns = connection.sql(f"select * from {name} limit 0").columns
            kept = ", ".join(f'"{c}"' for c in columns if c not in INVOCATION_COLUMNS)
            snapshot[name] = connection.sql(f"select {kept} from {name} order by all").df()
        return snapshot


def test_incremental_run_after_a_new_day_equals_a_full_refresh(tmp_path, built_center):
    from conftest import dbt, dbt_env, load

    last_day = sorted(p.stem for p in (built_center.landing / "contacts").glob("*.parquet"))[-1]
    partial = tmp_path / "partial"
    for source_dir in built_center.landing.iterdir():
        if source_dir.is_dir():
            (partial / source_dir.name).mkdir(parents=True)
            for path in source_dir.iterdir():
                if path.stem < last_day:
                    (partial / source_dir.name / path.name).symlink_to(path)
    db_path = tmp_path / "incremental.duckdb"
    env = dbt_env(db_path, tmp_path)
    load(partial, db_path, env)
    dbt(env, "run")
    load(built_center.landing, db_path, env)
    dbt(env, "run")
    incremental = _snapshot(db_path, ("intermediate", "marts"))
    dbt(env, "run", "--full-refresh")
    full = _snapshot(db_path, ("intermediate", "marts"))
    assert sorted(incremental) == sorted(full)
    assert "marts.fct_queue_daily" in full
    for name, frame in full.items():
        pd.testing.assert_frame_equal(
            incremental[name], frame, check_exact=False, rtol=1e-12, obj=name
        )
