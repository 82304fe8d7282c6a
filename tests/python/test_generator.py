"""The generator writes contract-conformant, internally consistent, reproducible files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from ccmetrics.contract import SOURCES
from ccmetrics.generator.config import GeneratorConfig
from ccmetrics.generator.engine import generate_landing
from ccmetrics.generator.schema import arrow_schema

CONFIG = GeneratorConfig(days=3, scale=0.3, seed=5)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    generate_landing(CONFIG, out)
    return out


@pytest.fixture(scope="module")
def db(landing: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for spec in SOURCES:
        connection.execute(
            f"create view {spec.name} as select *, "
            f"cast(regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})\\.parquet$', 1) as date)"
            f" as file_day from read_parquet('{landing}/{spec.name}/*.parquet', filename = true)"
        )
    connection.execute(
        "create view latest_contacts as select * from contacts "
        "qualify row_number() over (partition by contact_id order by record_updated_at desc) = 1"
    )
    return connection


def scalar(db: duckdb.DuckDBPyConnection, sql: str) -> object:
    return db.execute(sql).fetchone()[0]


def test_one_file_per_source_and_day_with_the_contract_schema(landing):
    days = [(CONFIG.start + dt.timedelta(days=i)).isoformat() for i in range(CONFIG.days)]
    for spec in SOURCES:
        files = sorted(p.name for p in (landing / spec.name).iterdir())
        assert files == [f"{day}.parquet" for day in days], spec.name
        for name in files:
            schema = pq.read_schema(landing / spec.name / name)
            assert schema.equals(arrow_schema(spec.name)), f"{spec.name}/{name}"


def test_arrow_types_follow_contract_types():
    schema = arrow_schema("contacts")
    assert str(schema.field("started_at").type) == "timestamp[us]"
    assert str(schema.field("ai_assisted").type) == "bool"
    assert str(schema.field("talk_seconds").type) == "double"
    assert str(arrow_schema("bot_sessions").field("turns").type) == "int64"
    assert str(arrow_schema("agents").field("hire_date").type) == "date32[day]"


def test_manifest_counts_match_the_files(landing):
    manifest = json.loads((landing / "_manifest.json").read_text())
    assert manifest["seed"] == CONFIG.seed
    assert manifest["config"]["days"] == CONFIG.days
    for spec in SOURCES:
        for day, count in manifest["rows"][spec.name].items():
            assert pq.read_metadata(landing / spec.name / f"{day}.parquet").num_rows == count


def test_every_source_has_rows(db):
    for spec in SOURCES:
        assert scalar(db, f"select count(*) from {spec.name}") > 0, spec.name


def test_required_columns_and_enums(db):
    for spec in SOURCES:
        for col in spec.columns:
            if not col.nullable:
                nulls = scalar(db, f"select count(*) from {spec.name} where {col.name} is null")
                assert nulls == 0, f"{spec.name}.{col.name}"
            if col.enum:
                values = {
                    row[0]
                    for row in db.execute(
                        f"select distinct {col.name} from {spec.name} where {col.name} is not null"
                    ).fetchall()
                }
                assert values <= set(col.enum), f"{spec.name}.{col.name}: {values}"


def test_rows_are_filed_by_their_day_column(db):
    for spec in SOURCES:
        if spec.name == "contacts":
            continue
        misfiled = scalar(
            db,
            f"select count(*) from {spec.name} where cast({spec.day_column} as date) <> file_day",
        )
        assert misfiled == 0, spec.name
    # Contacts: the start day, or the next day for a re-delivered (newer) version.
    assert (
        scalar(
            db,
            "select count(*) from contacts where cast(started_at as date) "
            "not in (file_day, file_day - 1)",
        )
        == 0
    )


def test_redeliveries_are_newer_versions_and_duplicates_exist(db):
    late = db.execute(
        "select count(*), min(late.record_updated_at > early.record_updated_at) "
        "from contacts late join contacts early using (contact_id) "
        "where late.file_day = cast(late.started_at as date) + 1 "
        "and early.file_day = cast(early.started_at as date)"
    ).fetchone()
    assert late[0] > 0 and late[1]
    assert (
        scalar(
            db,
            "select count(*) from (select contact_id from contacts "
            "group by contact_id, file_day having count(*) > 1)",
        )
        > 0
    )
    verbatim = scalar(db, "select count(*) - count(distinct contacts) from contacts")
    assert verbatim > 0


def test_keys_are_unique(db):
    for spec in SOURCES:
        if spec.version_column:
            sql = (
                f"select count(*) - count(distinct ({spec.key}, {spec.version_column})) "
                f"from (select distinct * exclude (filename, file_day) from {spec.name})"
            )
        else:
            sql = f"select count(*) - count(distinct {spec.key}) from {spec.name}"
        assert scalar(db, sql) == 0, spec.name


def test_every_reference_resolves(db):
    for spec in SOURCES:
        for col in spec.columns:
            if not col.references:
                continue
            target, target_column = col.references.split(".")
            dangling = scalar(
                db,
                f"select count(*) from {spec.name} s where s.{col.name} is not null and not exists"
                f" (select 1 from {target} t where t.{target_column} = s.{col.name})",
            )
            assert dangling == 0, f"{spec.name}.{col.name} -> {col.references}"


def test_timestamps_are_in_order(db):
    checks = {
        "contacts": "queued_at < started_at or connected_at < queued_at or ended_at < started_at"
        " or ended_at < connected_at or first_response_at < connected_at"
        " or record_updated_at < ended_at",
        "bot_sessions": "ended_at <= started_at",
        "agent_states": "ended_at <= started_at",
        "schedules": "ends_at <= starts_at",
    }
    for name, broken in checks.items():
        assert scalar(db, f"select count(*) from {name} where {broken}") == 0, name


def test_answered_contacts_have_agents_and_handle_times(db):
    assert (
        scalar(
            db,
            "select count(*) from latest_contacts where (connected_at is null) <> "
            "(agent_id is null) or (connected_at is null) <> (talk_seconds is null) "
            "or (connected_at is null) <> (acw_seconds is null)",
        )
        == 0
    )
    assert (
        scalar(
            db,
            "select count(*) from latest_contacts where connected_at is not null and "
            "abs(epoch(ended_at - connected_at) - talk_seconds - hold_seconds) > 0.001",
        )
        == 0
    )


def test_handoffs_and_chains_are_linked(db):
    assert (
        scalar(
            db,
            "select count(*) from bot_sessions where (outcome = 'handoff') <> "
            "(handoff_contact_id is not null)",
        )
        == 0
    )
    assert (
        scalar(
            db,
            "select count(*) from bot_sessions b join latest_contacts c "
            "on c.contact_id = b.handoff_contact_id "
            "where c.initiation_method <> 'bot_handoff' or c.started_at < b.ended_at "
            "or c.customer_id <> b.customer_id",
        )
        == 0
    )
    broken_chains = scalar(
        db,
        "select count(*) from latest_contacts c left join latest_contacts p "
        "on p.contact_id = c.previous_contact_id "
        "where c.initiation_method in ('transfer', 'callback') and (p.contact_id is null "
        "or c.initial_contact_id is null or p.customer_id <> c.customer_id "
        "or p.disposition <> case c.initiation_method when 'transfer' then 'transferred' "
        "else 'flow_out' end)",
    )
    assert broken_chains == 0
    assert (
        scalar(
            db,
            "select count(*) from latest_contacts where initiation_method "
            "not in ('transfer', 'callback') and previous_contact_id is not null",
        )
        == 0
    )
    assert (
        scalar(db, "select count(*) from latest_contacts where initiation_method = 'transfer'") > 0
    )


def test_agent_states_do_not_overlap_and_cover_handling(db):
    overlaps = scalar(
        db,
        "select count(*) from (select agent_id, started_at, lag(ended_at) over "
        "(partition by agent_id order by started_at) as previous_end from agent_states) "
        "where started_at < previous_end",
    )
    assert overlaps == 0
    uncovered = scalar(
        db,
        "select count(*) from latest_contacts c where c.connected_at is not null and "
        "cast(c.connected_at as date) < date '2026-10-04' and not exists (select 1 from "
        "agent_states s where s.agent_id = c.agent_id and s.state = 'handling' "
        "and s.started_at <= c.connected_at and s.ended_at >= c.ended_at)",
    )
    assert uncovered == 0


def test_surveys_rate_one_thing_with_valid_scores(db):
    assert (
        scalar(
            db, "select count(*) from surveys where (contact_id is null) = (bot_session_id is null)"
        )
        == 0
    )
    assert (
        scalar(
            db,
            "select count(*) from surveys where csat_score not between 1 and 5 "
            "or nps_score not between 0 and 10 "
            "or (csat_score is null and nps_score is null)",
        )
        == 0
    )
    assert (
        scalar(
            db,
            "select count(*) from surveys s join latest_contacts c using "
            "(contact_id) where s.responded_at < c.ended_at "
            "or s.customer_id <> c.customer_id",
        )
        == 0
    )


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path):
    config = GeneratorConfig(days=2, scale=0.1, seed=3)
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_landing(config, first)
    generate_landing(config, second)
    generate_landing(GeneratorConfig(days=2, scale=0.1, seed=4), other)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    contacts = Path("contacts") / "2026-10-01.parquet"
    assert (first / contacts).read_bytes() != (other / contacts).read_bytes()


def test_customers_contact_only_after_they_exist(db):
    for name in ("contacts", "bot_sessions"):
        early = scalar(
            db,
            f"select count(*) from {name} c join (select customer_id, min(created_at) as created "
            "from customers group by 1) u using (customer_id) where c.started_at < u.created",
        )
        assert early == 0, name


def test_leaves_are_delivered_on_the_day_they_happen(db):
    assert scalar(db, "select count(*) from agents where leave_date is not null") > 0
    assert scalar(db, "select count(*) from agents where leave_date > file_day") == 0
    assert scalar(db, "select count(*) from agents where hire_date > file_day") == 0
    worked_after_leaving = scalar(
        db,
        "select count(*) from agent_states s join agents a using (agent_id) "
        "where a.leave_date is not null and cast(s.started_at as date) > a.leave_date",
    )
    assert worked_after_leaving == 0
