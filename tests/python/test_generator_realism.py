"""Generated metrics behave like a real center's: volumes, profiles, staffing, repeats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ccmetrics.cli import app
from ccmetrics.generator.config import GeneratorConfig, PlantedProblem
from ccmetrics.generator.engine import generate_landing
from ccmetrics.generator.erlang import required_agents, service_level
from ccmetrics.generator.staffing import team_sizes

SCALE = 0.3


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    out = tmp_path_factory.mktemp("realism")
    # Thursday to Sunday: three weekdays... and a weekend day.
    generate_landing(GeneratorConfig(days=4, scale=SCALE, seed=21), out)
    return _connect(out)


def _connect(out: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(
        f"create view contacts as select * from read_parquet('{out}/contacts/*.parquet') "
        "qualify row_number() over (partition by contact_id order by record_updated_at desc) = 1"
    )
    connection.execute(
        f"create view bot_sessions as select * from read_parquet('{out}/bot_sessions/*.parquet')"
    )
    return connection


def rows(db: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return db.execute(sql).fetchall()


def queue_figures(db: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """(20-s service level, abandon rate) of the phone queues, both over offered - short."""
    offered, within, abandoned, short = rows(
        db,
        "select count(*), count(*) filter (where epoch(connected_at - queued_at) <= 20), "
        "count(*) filter (where disposition = 'abandoned'), count(*) filter (where "
        "disposition = 'abandoned' and epoch(ended_at - queued_at) < 5) "
        "from contacts where channel = 'phone' and queue_id is not null",
    )[0]
    return within / (offered - short), (abandoned - short) / (offered - short)


def test_demo_center_has_60_to_90_agents():
    assert 60 <= sum(team_sizes(dt.date(2026, 10, 1), 1.0).values()) <= 90


def test_erlang_c_check_value():
    assert service_level(48.0, 55, 15.0, 240.0) == pytest.approx(0.846, abs=0.001)
    assert required_agents(360, 240.0, 1800.0, 15.0, 0.84) == 55


def test_daily_volume_and_channel_mix(db):
    per_day = dict(
        rows(
            db,
            "select cast(started_at as date), count(*) from (select started_at "
            "from contacts union all select started_at from bot_sessions) "
            "group by 1",
        )
    )
    thursday, saturday = per_day[dt.date(2026, 10, 1)], per_day[dt.date(2026, 10, 3)]
    assert 3500 * SCALE < thursday < 5600 * SCALE
    assert saturday < 0.75 * thursday
    share = dict(
        rows(db, "select channel, count(*) / sum(count(*)) over () from contacts group by 1")
    )
    assert 0.45 < share["phone"] + share["ivr"] < 0.7
    assert 0.1 < share["chat"] < 0.25
    assert 0.005 < share["social"] < 0.05  # a low-usage channel
    assert 0.06 < share["ivr"] / (share["phone"] + share["ivr"]) < 0.14


def test_hour_of_day_profile(db):
    phone = dict(
        rows(
            db,
            "select hour(started_at), count(*) from contacts "
            "where channel in ('phone', 'ivr') and initiation_method = 'inbound' group by 1",
        )
    )
    assert min(phone) >= 8 and max(phone) <= 19  # live channels only while open
    assert max(phone, key=phone.get) in range(9, 16)
    assert phone[10] > 1.2 * phone[8] and phone[10] > 2 * phone[19]
    messaging = dict(
        rows(
            db,
            "select hour(started_at) < 6, count(*) from contacts "
            "where channel = 'messaging' group by 1",
        )
    )
    assert 0 < messaging[True] < 0.15 * messaging[False]


def test_queue_behaviour_is_plausible(db):
    level, abandon_rate = queue_figures(db)
    assert 0.7 < level < 0.95
    assert 0.02 < abandon_rate < 0.12
    dispositions = dict(rows(db, "select disposition, count(*) from contacts group by 1"))
    assert dispositions["transferred"] > 0 and dispositions["self_served"] > 0


def test_ai_assisted_contacts_are_shorter(db):
    assisted, unassisted = (
        r[1]
        for r in sorted(
            rows(
                db,
                "select ai_assisted, avg(talk_seconds + hold_seconds + acw_seconds) from contacts "
                "where disposition = 'handled' group by 1",
            ),
            reverse=True,
        )
    )
    assert assisted < 0.95 * unassisted


def test_repeats_come_back_within_hours_and_days(db):
    gaps = rows(
        db,
        "select count(*) filter (where gap < 2), count(*) filter (where gap between 2 and 24), "
        "count(*) filter (where gap > 24) from (select epoch(lead(started_at) over "
        "(partition by customer_id, contact_reason order by started_at) - ended_at) / 3600 "
        "as gap from contacts where initiation_method not in ('transfer', 'callback')) "
        "where gap is not null",
    )[0]
    assert all(count > 0 for count in gaps)
    linked = rows(db, "select count(*) from contacts where related_contact_id is not null")[0][0]
    assert linked > 0


def test_cutting_staff_lowers_service_level_and_raises_abandons(tmp_path):
    figures = {}
    for factor in (1.0, 0.75):
        out = tmp_path / str(factor)
        generate_landing(GeneratorConfig(days=2, scale=0.5, seed=9, staffing_factor=factor), out)
        figures[factor] = queue_figures(_connect(out))
    (level, abandons), (cut_level, cut_abandons) = figures[1.0], figures[0.75]
    assert level > 0.78
    assert cut_level < level - 0.07
    assert cut_abandons > 1.5 * abandons


def test_planted_fcr_problem_makes_that_team_repeat(tmp_path):
    def repeat_rate(out: Path) -> float:
        return (
            _connect(out)
            .execute(
                "select avg(case when exists (select 1 from contacts n where n.customer_id = "
                "c.customer_id and n.contact_reason = c.contact_reason "
                "and n.started_at > c.ended_at "
                "and n.started_at <= c.ended_at + interval 2 hour) then 1 else 0 end) "
                "from contacts c join read_parquet('" + str(out) + "/agents/*.parquet') a "
                "using (agent_id) where a.team_id = 'voice_a' and c.disposition = 'handled' "
                "and cast(c.started_at as date) >= date '2026-10-02'"
            )
            .fetchone()[0]
        )

    base = GeneratorConfig(days=3, scale=0.2, seed=4)
    planted = GeneratorConfig(
        days=3, scale=0.2, seed=4, planted_fcr_problem=PlantedProblem.parse("voice_a:2026-10-02")
    )
    generate_landing(base, tmp_path / "base")
    generate_landing(planted, tmp_path / "planted")
    assert repeat_rate(tmp_path / "planted") > repeat_rate(tmp_path / "base") + 0.2


def test_cli_generates_quietly_and_rejects_bad_plants(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "generate",
            "--out",
            str(tmp_path),
            "--days",
            "1",
            "--scale",
            "0.05",
            "--seed",
            "2",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "contacts" / "2026-10-01.parquet").exists()
    assert (tmp_path / "_manifest.json").exists()
    bad = runner.invoke(
        app, ["generate", "--out", str(tmp_path), "--days", "1", "--plant-fcr-problem", "voice_a"]
    )
    assert bad.exit_code != 0
