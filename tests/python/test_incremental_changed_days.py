"""A normal (incremental) build after an old day changed, or under changed parameters, equals a
full refresh, every mart and every staging table.

The center is 24 days long; each change lands on a day older than the 8-day lookback, so only
the changed-days cutoff (ccm_changed_days_cutoff) makes the incremental models re-process it.
Each test loads a change into a copy of one built warehouse, copies the loaded file, and
builds one copy normally and the other with --full-refresh.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import BIN, ROOT, dbt, dbt_env, generate, load, run

DAYS = 24
SCALE = 0.1
SEED = 11
# The sources the incremental models read; the others would only slow the loads down.
SOURCES = ("contacts", "bot_sessions", "agent_states", "agents", "schedules", "surveys")
REDELIVERED_BACK = 20
LATE_SURVEYS_BACK = 20
CORRECTED_BACK = 18
LATE_BACK = 15
UPDATED_BACK = 20
# The center closes after its first days and reopens on its last: longer closed than the
# lookback plus the longest FCR window and a day (16 days).
OPEN_DAYS = 5
UPDATED_ROWS = 10
CHURNED_CUSTOMERS = 5
# The center of the customers test starts seven days before a month's end: a change to its last
# day re-processes only the second month of fct_customer_churn_risk (its interactions' cutoff,
# the FCR window and the longest chains before it, stays in that month), so the first month's
# rows are the ones a normal build keeps.
TWO_MONTHS_START = "2026-09-24"
CORRUPTED_ROWS = 5
# Both change the queue marts of every day (answered and abandoned within the thresholds).
CHANGED_QUEUE_PARAMETERS = {"sl_threshold_seconds": 45, "short_abandon_seconds": 10}
# The default unknown_customer_ids (dbt_project.yml).
KNOWN_PLACEHOLDERS = ("0", "anonymous", "unknown")


@dataclass(frozen=True)
class Center:
    days: list[str]
    generated: Path
    db_path: Path


def _link_day(generated: Path, landing: Path, day: str, sources: tuple[str, ...] = SOURCES) -> None:
    for source in sources:
        path = generated / source / f"{day}.parquet"
        if path.exists():
            (landing / source).mkdir(parents=True, exist_ok=True)
            (landing / source / path.name).symlink_to(path)


def _corruptible(frame: pd.DataFrame, elsewhere: set[str]) -> pd.Index:
    """Answered single-segment contacts that no other contact points at, delivered in no other
    day's file: a day's file also re-delivers updated records of the day before, whose earlier
    version would stand in for a quarantined one and leave the marts as they were."""
    referenced = set(
        pd.concat(
            [frame.initial_contact_id, frame.previous_contact_id, frame.related_contact_id]
        ).dropna()
    )
    candidates = frame[
        frame.connected_at.notna()
        & frame.initial_contact_id.isna()
        & ~frame.contact_id.isin(referenced)
        & ~frame.contact_id.isin(elsewhere)
    ]
    return candidates.index[:CORRUPTED_ROWS]


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Center:
    """Loaded and built once, with one day missing and one day's contacts partly quarantined."""
    work = tmp_path_factory.mktemp("changed_days")
    generated = work / "generated"
    env = dbt_env(work / "center.duckdb", work)
    generate(generated, env, days=DAYS, scale=SCALE, seed=SEED)
    days = sorted(p.stem for p in (generated / "contacts").glob("*.parquet"))
    assert len(days) == DAYS
    landing = work / "landing"
    corrected_day = days[-1 - CORRECTED_BACK]
    for day in days:
        if day != days[-1 - LATE_BACK]:
            _link_day(generated, landing, day)
    corrupted = pd.read_parquet(generated / "contacts" / f"{corrected_day}.parquet")
    elsewhere = {
        contact_id
        for other in days
        if other != corrected_day
        for contact_id in pd.read_parquet(
            generated / "contacts" / f"{other}.parquet", columns=["contact_id"]
        ).contact_id
    }
    rows = _corruptible(corrupted, elsewhere)
    corrupted.loc[rows, "ended_at"] = corrupted.loc[rows, "started_at"] - pd.Timedelta(hours=1)
    (landing / "contacts" / f"{corrected_day}.parquet").unlink()
    corrupted.to_parquet(landing / "contacts" / f"{corrected_day}.parquet", index=False)
    db_path = work / "center.duckdb"
    load(landing, db_path, env)
    dbt(env, "run")
    return Center(days=days, generated=generated, db_path=db_path)


@pytest.fixture(scope="module")
def before_closing(center: Center, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The center's first days loaded and built, before it closed until its last day."""
    work = tmp_path_factory.mktemp("before_closing")
    landing = work / "landing"
    for day in center.days[:OPEN_DAYS]:
        _link_day(center.generated, landing, day)
    db_path = work / "center.duckdb"
    env = dbt_env(db_path, work)
    load(landing, db_path, env)
    dbt(env, "run")
    return db_path


def _marts(db_path: Path) -> dict[str, pd.DataFrame]:
    """Every mart, and every staging model stored as a table (the incremental ones)."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        tables = connection.sql(
            """
            select table_schema || '.' || table_name
            from information_schema.tables
            where
                table_type = 'BASE TABLE'
                and (
                    table_schema = 'marts'
                    and (
                        table_name like 'fct\\_%' escape '\\'
                        or table_name like 'dim\\_%' escape '\\'
                    )
                    or table_schema = 'staging'
                )
            order by 1
            """
        ).fetchall()
        return {
            name: connection.sql(f"select * from {name} order by all").df() for (name,) in tables
        }


def _loaded_copy(center: Center, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db_path = tmp_path / "incremental.duckdb"
    shutil.copyfile(center.db_path, db_path)
    return db_path, dbt_env(db_path, tmp_path / "incremental")


def _assert_normal_build_equals_full_refresh(db_path: Path, tmp_path: Path, *dbt_args: str) -> None:
    """Build the loaded warehouse normally and a copy of it from scratch, at the same time,
    both with `dbt_args`."""
    full_path = tmp_path / "full.duckdb"
    shutil.copyfile(db_path, full_path)
    builds = [
        (dbt_env(db_path, tmp_path / "incremental"), []),
        (dbt_env(full_path, tmp_path / "full"), ["--full-refresh"]),
    ]
    processes = [
        subprocess.Popen(
            [str(BIN / "dbt"), "run", *extra, *dbt_args, "--target", "dev"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for env, extra in builds
    ]
    for process in processes:
        output, _ = process.communicate()
        assert process.returncode == 0, output[-4000:]
    incremental = _marts(db_path)
    full = _marts(full_path)
    assert sorted(incremental) == sorted(full)
    assert {
        "marts.fct_queue_daily",
        "marts.fct_queue_intervals",
        "marts.fct_schedule_adherence",
        "staging.stg_acd__contacts",
        "staging.stg_wfm__agents",
    } <= set(full)
    for name, frame in full.items():
        pd.testing.assert_frame_equal(
            incremental[name].reset_index(drop=True),
            frame.reset_index(drop=True),
            check_exact=False,
            rtol=1e-9,
            obj=name,
        )


def _queue_days(db_path: Path, day: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(
            "select * from marts.fct_queue_daily where reporting_date = ? order by all", [day]
        ).df()


def _value(db_path: Path, query: str, parameters: list[object]) -> Any:
    """The one value `query` returns from the warehouse at `db_path`."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(query, parameters).fetchall()[0][0]


def _handled(db_path: Path, days: list[str]) -> int:
    return _value(
        db_path,
        "select sum(handled_contacts) from marts.fct_queue_daily"
        " where cast(reporting_date as varchar) in (select unnest(?))",
        [days],
    )


def test_redelivered_day_twenty_days_back(center: Center, tmp_path: Path) -> None:
    db_path, env = _loaded_copy(center, tmp_path)
    day = center.days[-1 - REDELIVERED_BACK]
    contacts = pd.read_parquet(center.generated / "contacts" / f"{day}.parquet")
    # Every 7th contact disappears (its chain loses a segment or vanishes); every 5th left asks
    # for another reason, so repeats and FCR of the days around it change too.
    kept = contacts[contacts.index % 7 != 3].reset_index(drop=True)
    reasons = sorted(contacts.contact_reason.dropna().unique())
    shifted = kept.index % 5 == 0
    kept.loc[shifted, "contact_reason"] = kept.loc[shifted, "contact_reason"].map(
        lambda reason: (
            reasons[(reasons.index(reason) + 1) % len(reasons)]
            if isinstance(reason, str)
            else reason
        )
    )
    redelivery = tmp_path / "redelivery" / "contacts"
    redelivery.mkdir(parents=True)
    kept.to_parquet(redelivery / f"{day}.parquet", index=False)
    load(redelivery.parent, db_path, env, "--replace")
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the re-delivery changed the day's marts.
    assert not _queue_days(db_path, day).equals(_queue_days(center.db_path, day))


def test_corrected_quarantine_of_an_old_day(center: Center, tmp_path: Path) -> None:
    db_path, env = _loaded_copy(center, tmp_path)
    day = center.days[-1 - CORRECTED_BACK]
    export = tmp_path / "quarantine.csv"
    run(
        [
            str(BIN / "ccmetrics"),
            "quarantine",
            "export",
            "--source",
            "contacts",
            "--out",
            str(export),
            "--db",
            str(db_path),
        ],
        env,
    )
    exported = pd.read_csv(export, dtype=str)
    # Contacts pointing at the missing late day are quarantined too; only the broken clocks of
    # the old day are corrected.
    corrections = exported[exported._source_file == f"contacts/{day}.parquet"].copy()
    assert len(corrections) == CORRUPTED_ROWS
    original = pd.read_parquet(center.generated / "contacts" / f"{day}.parquet").set_index(
        "contact_id"
    )
    corrections["ended_at"] = [
        original.at[contact_id, "ended_at"].isoformat(sep=" ")
        for contact_id in corrections.contact_id
    ]
    fixed = tmp_path / "fixed.csv"
    corrections.to_csv(fixed, index=False)
    load(tmp_path, db_path, env, "--source", "contacts", "--corrections", str(fixed))
    with duckdb.connect(str(db_path), read_only=True) as connection:
        statuses = connection.execute(
            "select status, rows_loaded from raw._load_reconciliation "
            "where status = 'corrected' and batch_date = ?",
            [day],
        ).fetchall()
    assert statuses == [("corrected", CORRUPTED_ROWS)]
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the corrected contacts are handled contacts again on the days they started
    # (counts: the float columns can differ in the last bits between any two builds).
    started = sorted({f"{original.at[c, 'started_at']:%Y-%m-%d}" for c in corrections.contact_id})
    assert _handled(db_path, started) == _handled(center.db_path, started) + CORRUPTED_ROWS


def test_late_day_between_loaded_days(center: Center, tmp_path: Path) -> None:
    db_path, env = _loaded_copy(center, tmp_path)
    day = center.days[-1 - LATE_BACK]
    late = tmp_path / "late"
    _link_day(center.generated, late, day)
    load(late, db_path, env)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    assert not _queue_days(db_path, day).equals(_queue_days(center.db_path, day))


def test_a_load_log_without_row_dates_goes_by_batch_dates(center: Center, tmp_path: Path) -> None:
    """A load log from before the loader recorded earliest_row_date (a warehouse not loaded
    since the upgrade) still builds incrementally, by the batch dates."""
    db_path, env = _loaded_copy(center, tmp_path)
    day = center.days[-1 - LATE_BACK]
    late = tmp_path / "late"
    _link_day(center.generated, late, day)
    load(late, db_path, env)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("alter table raw._load_reconciliation drop column earliest_row_date")
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    assert not _queue_days(db_path, day).equals(_queue_days(center.db_path, day))


def _redeliver_last_day(
    center: Center,
    db_path: Path,
    env: dict[str, str],
    tmp_path: Path,
    source: str,
    added: pd.DataFrame,
    *load_args: str,
) -> None:
    """Deliver the last day's file of `source` again, with the `added` rows, and load it (with
    `load_args`)."""
    last_day = center.days[-1]
    delivered = pd.read_parquet(center.generated / source / f"{last_day}.parquet")
    redelivery = tmp_path / "redelivery" / source
    redelivery.mkdir(parents=True, exist_ok=True)
    pd.concat([delivered, added.astype(delivered.dtypes.to_dict())]).to_parquet(
        redelivery / f"{last_day}.parquet", index=False
    )
    load(redelivery.parent, db_path, env, "--replace", *load_args)


def _center_csat_ratings(db_path: Path, days: tuple[str, str]) -> float:
    return _value(
        db_path,
        "select sum(denominator) from marts.fct_metric_drilldown"
        " where metric_name = 'csat' and period_grain = 'day'"
        " and drilldown_level = 'center' and period_start between ? and ?",
        list(days),
    )


def test_late_surveys_about_an_old_day(center: Center, tmp_path: Path) -> None:
    """Surveys answered on the last day about contacts 20 days older arrive in the last day's
    file: their batch is recent, but their metrics belong to the old contacts' day, which only
    the csat comparison of int_metric_events_unioned reaches."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day, last_day = center.days[-1 - LATE_SURVEYS_BACK], center.days[-1]
    surveys = center.generated / "surveys"
    about_old_day = pd.read_parquet(surveys / f"{old_day}.parquet")
    late = about_old_day[about_old_day.contact_id.notna()].copy()
    late["survey_id"] = late.survey_id + "-late"
    late["responded_at"] = pd.Timestamp(f"{last_day} 12:00:00")
    late["csat_score"] = 6 - late.csat_score
    _redeliver_last_day(center, db_path, env, tmp_path, "surveys", late)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the drill-down counts the late ratings on the days of the contacts they rate
    # (the old day's file also carries updates of contacts that started the day before).
    rated = late.csat_score.between(1, 5).sum()
    assert rated > 0
    around_old_day = (center.days[-2 - LATE_SURVEYS_BACK], old_day)
    assert _center_csat_ratings(db_path, around_old_day) == (
        _center_csat_ratings(center.db_path, around_old_day) + rated
    )


def _agent_csat(db_path: Path, day: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(
            "select drilldown_level, member_id, numerator, denominator"
            " from marts.fct_metric_drilldown"
            " where metric_name = 'csat' and period_grain = 'day' and period_start = ?"
            " and drilldown_level in ('center', 'agent') order by all",
            [day],
        ).df()


def test_two_late_ratings_of_an_old_day_swap_their_scores(center: Center, tmp_path: Path) -> None:
    """Two late surveys about contacts of an old day, of two agents, arrive in the last day's
    file, one satisfied and one not; then that file is delivered again with their scores
    swapped. The old day keeps its number of ratings and of satisfied ones, so only the
    checksums of its csat rows in int_metric_events_unioned tell that its agents' csat
    changed."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day = center.days[-1 - LATE_SURVEYS_BACK]
    with duckdb.connect(str(center.db_path), read_only=True) as connection:
        rated = connection.execute(
            "select surveys.survey_id, contacts.agent_id"
            " from intermediate.int_survey_responses_attributed as surveys"
            " inner join staging.stg_acd__contacts as contacts"
            " on surveys.contact_id = contacts.contact_id"
            " where surveys.reporting_date = ? and contacts.agent_id is not null"
            " order by surveys.survey_id",
            [old_day],
        ).df()
    first = rated.iloc[0]
    second = rated[rated.agent_id != first.agent_id].iloc[0]
    delivered = pd.concat(
        pd.read_parquet(path) for path in sorted((center.generated / "surveys").glob("*.parquet"))
    )
    late = delivered.set_index("survey_id").loc[[first.survey_id, second.survey_id]].reset_index()
    late["survey_id"] = late.survey_id + "-late"
    late["responded_at"] = pd.Timestamp(f"{center.days[-1]} 12:00:00")
    late["csat_score"] = [5, 2]
    _redeliver_last_day(center, db_path, env, tmp_path, "surveys", late)
    dbt(env, "run")
    before = _agent_csat(db_path, old_day)
    late["csat_score"] = [2, 5]
    _redeliver_last_day(center, db_path, env, tmp_path, "surveys", late)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the center's csat of the old day is the same, its agents' is not.
    after = _agent_csat(db_path, old_day)
    center_rows = after.drilldown_level == "center"
    pd.testing.assert_frame_equal(
        after[center_rows].reset_index(drop=True), before[center_rows].reset_index(drop=True)
    )
    assert not after.equals(before)


def test_late_update_of_an_old_contact(center: Center, tmp_path: Path) -> None:
    """New versions of contacts 20 days old (talk time corrected later, in the ACD) arrive in
    the last day's file: their batch is recent, but they change the old day; and so does
    delivering that file again without them."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day, last_day = center.days[-1 - UPDATED_BACK], center.days[-1]
    contacts = center.generated / "contacts"
    about_old_day = pd.read_parquet(contacts / f"{old_day}.parquet")
    updated = about_old_day[
        about_old_day.connected_at.notna()
        & (about_old_day.started_at.dt.strftime("%Y-%m-%d") == old_day)
    ].head(UPDATED_ROWS)
    assert len(updated) == UPDATED_ROWS
    updated = updated.assign(
        talk_seconds=updated.talk_seconds + 600,
        record_updated_at=pd.Timestamp(f"{last_day} 12:00:00"),
    )
    _redeliver_last_day(center, db_path, env, tmp_path, "contacts", updated)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    assert not _queue_days(db_path, old_day).equals(_queue_days(center.db_path, old_day))
    # The last day delivered again without the updates: the old versions are the latest again.
    _redeliver_last_day(center, db_path, env, tmp_path, "contacts", updated.iloc[0:0])
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    pd.testing.assert_frame_equal(
        _queue_days(db_path, old_day),
        _queue_days(center.db_path, old_day),
        check_exact=False,
        rtol=1e-9,
    )


def _unidentified_contacts(db_path: Path, day: str) -> int:
    return _value(
        db_path,
        "select count(*) from staging.stg_acd__contacts"
        " where not is_customer_identified and batch_date = ?",
        [day],
    )


def test_changed_parameters_apply_to_every_day(center: Center, tmp_path: Path) -> None:
    """A normal build under other parameters re-processes every day, far outside the lookback:
    its marts and staging equal a full refresh under them, not old days under the old
    parameters and recent days under the new ones. One of the parameters is read by staging:
    the first day's busiest customer id becomes a placeholder for an unknown caller."""
    db_path, _ = _loaded_copy(center, tmp_path)
    first_day = center.days[0]
    busiest = _value(
        center.db_path,
        "select customer_id from raw.contacts"
        " where _batch_date = ? and lower(trim(customer_id)) not in (?, ?, ?, '')"
        " group by customer_id order by count(*) desc, customer_id limit 1",
        [first_day, *KNOWN_PLACEHOLDERS],
    )
    parameters = {
        **CHANGED_QUEUE_PARAMETERS,
        "unknown_customer_ids": [*KNOWN_PLACEHOLDERS, busiest],
    }
    _assert_normal_build_equals_full_refresh(db_path, tmp_path, "--vars", json.dumps(parameters))
    # Not vacuous: the first whole day, 22 days before the last, changed, and so did the
    # callers identified on the first day.
    day = center.days[1]
    assert not _queue_days(db_path, day).equals(_queue_days(center.db_path, day))
    assert _unidentified_contacts(db_path, first_day) > _unidentified_contacts(
        center.db_path, first_day
    )


def _dbt_status(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "dbt"), *args, "--target", "dev", "--exclude", "resource_type:unit_test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_incremental_build_tests_the_reprocessed_days_only(
    center: Center, tmp_path: Path
) -> None:
    """A duplicate planted in the staged contacts of an old, unchanged day is outside what an
    incremental build re-processed: its data tests pass, and `dbt test` (everything) finds it.
    The build's tests of staging and of the raw contacts read the changed batch days."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day = center.days[-1 - REDELIVERED_BACK]
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(
            "insert into staging.stg_acd__contacts "
            "select * from staging.stg_acd__contacts where batch_date = ? limit 1",
            [old_day],
        )
    late_day = center.days[-1 - LATE_BACK]
    late = tmp_path / "late"
    _link_day(center.generated, late, late_day)
    load(late, db_path, env)

    built = _dbt_status(env, "build", "--select", "stg_acd__contacts", "source:acd.contacts")
    assert built.returncode == 0, built.stdout[-4000:]
    compiled = tmp_path / "incremental" / "target" / "run"
    staged = next(compiled.rglob("unique_stg_acd__contacts_contact_id.sql")).read_text()
    raw = next(compiled.rglob("source_not_null_acd_contacts_contact_id.sql")).read_text()
    assert "batch_date in (" in staged
    assert "_batch_date in (" in raw

    tested_everything = _dbt_status(env, "test", "--select", "stg_acd__contacts")
    assert tested_everything.returncode == 1
    assert "unique_stg_acd__contacts_contact_id" in tested_everything.stdout


def _scope_of(compiled: Path, test_name: str) -> str:
    """The condition the compiled data test `test_name` adds to its model's rows."""
    sql = next(compiled.rglob(f"{test_name}.sql")).read_text()
    return sql.split(" where ", 1)[1].split(") dbt_subquery", 1)[0]


def test_an_incremental_build_tests_what_each_model_reprocessed(
    center: Center, tmp_path: Path
) -> None:
    """Only the last day's files changed, but its agents file moves an agent to another team:
    the drill-down's events re-process every day (every day of the agent changes team), the
    contact chains only the last days. Each model records what it re-processed, and its data
    tests read exactly that: every event, the chains from their cutoff's day."""
    db_path, env = _loaded_copy(center, tmp_path)
    _move_busiest_agent(center, db_path, env, tmp_path, center.days[-1 - UPDATED_BACK])

    # cautious: a test that also reads a model outside the selection would compare it stale
    built = _dbt_status(
        env, "build", "--select", "+int_metric_events_unioned", "--indirect-selection", "cautious"
    )
    assert built.returncode == 0, built.stdout[-4000:]
    with duckdb.connect(str(db_path), read_only=True) as connection:
        recorded = dict(
            connection.sql(
                "select model_unique_id, cast(min(reprocessed_from) as date)"
                " from ccmetrics_meta.build_reprocessed"
                " where invocation_id = (select invocation_id from ccmetrics_meta.build_runs"
                " order by started_at desc limit 1)"
                " group by model_unique_id"
            ).fetchall()
        )
    assert recorded["model.ccmetrics.int_metric_events_unioned"] == dt.date(1, 1, 1)
    chained_from = recorded["model.ccmetrics.int_contacts_chained"]
    # the last day changed: the chains from a day or two before it (a chain's margin)
    assert center.days[-3] <= chained_from.isoformat() < center.days[-1]

    compiled = tmp_path / "incremental" / "target" / "run"
    assert _scope_of(compiled, "not_null_int_metric_events_unioned_event_date") == (
        "cast(event_date as timestamp) >= cast('0001-01-01' as timestamp)"
    )
    assert _scope_of(compiled, "not_null_int_contacts_chained_contact_id") == (
        f"cast(started_at as timestamp) >= cast('{chained_from}' as timestamp)"
    )


def _callback_candidates(db_path: Path, before: str) -> tuple[str, str]:
    """An earlier single-segment chain and a later chain of the same identified customer and
    reason, both starting before `before`, on another channel, more than a day after it ended,
    and no follow-up of any chain yet: a callback on the last day that extends the earlier
    chain makes the later one its follow-up."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        pair = connection.execute(
            """
            select earlier.chain_id, later.chain_id
            from intermediate.int_contact_chains_stitched as earlier
            inner join intermediate.int_contact_chains_stitched as later
                on
                    earlier.customer_id = later.customer_id
                    and earlier.contact_reason = later.contact_reason
                    and later.first_channel <> earlier.last_channel
                    and later.started_at > earlier.ended_at + interval 1 day
            where
                earlier.segment_count = 1
                and earlier.initiation_method = 'inbound'
                and later.initiation_method = 'inbound'
                and later.started_at < cast(? as timestamp)
                and later.chain_id not in (
                    select chain_id from intermediate.int_contact_chains_follow_ups_linked
                )
            order by later.started_at, later.chain_id
            limit 1
            """,
            [before],
        ).fetchone()
    assert pair is not None
    return pair


def test_a_callback_weeks_later_makes_an_earlier_chain_a_follow_up(
    center: Center, tmp_path: Path
) -> None:
    """A callback on the last day joins a chain that started weeks before: the chain now ends
    on the last day, so a chain of the same customer that started before the incremental cutoff
    becomes its follow-up, although none of its own segments changed."""
    db_path, env = _loaded_copy(center, tmp_path)
    last_day = center.days[-1]
    earlier_id, later_id = _callback_candidates(center.db_path, center.days[-1 - LATE_BACK + 4])
    contacts = pd.concat(
        pd.read_parquet(path) for path in sorted((center.generated / "contacts").glob("*.parquet"))
    )
    earlier = contacts[contacts.contact_id == earlier_id].tail(1)
    shift = pd.Timestamp(f"{last_day} 10:00:00") - earlier.started_at.iloc[0]
    callback = earlier.assign(
        contact_id=f"{earlier_id}-callback",
        initial_contact_id=earlier_id,
        previous_contact_id=earlier_id,
        initiation_method="callback",
    )
    for column in callback.columns:
        if pd.api.types.is_datetime64_any_dtype(callback[column]):
            callback[column] = callback[column] + shift
    _redeliver_last_day(center, db_path, env, tmp_path, "contacts", callback)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    with duckdb.connect(str(db_path), read_only=True) as connection:
        follow_ups = connection.execute(
            "select chain_id from intermediate.int_contact_chains_follow_ups_linked"
            " where chain_id = ?",
            [later_id],
        ).fetchall()
    assert follow_ups == [(later_id,)]


def _fcr_7d_eligible(db_path: Path, day: str) -> int:
    return _value(
        db_path,
        "select coalesce(sum(fcr_eligible_7d), 0) from marts.fct_queue_daily"
        " where reporting_date = ?",
        [day],
    )


def test_the_day_the_center_reopens_and_its_withdrawal(
    center: Center, before_closing: Path, tmp_path: Path
) -> None:
    """The center reopens 18 days after it closed. The new day completes the 7 d windows of the
    interactions before the closing, censored until then, although no batch of their days
    changed; withdrawing the new day's contacts and bot sessions moves the end of the data back
    to before the closing, and those windows are open again."""
    db_path = tmp_path / "incremental.duckdb"
    shutil.copyfile(before_closing, db_path)
    env = dbt_env(db_path, tmp_path / "incremental")
    last_open, reopened = center.days[OPEN_DAYS - 1], center.days[-1]
    reopening = tmp_path / "reopening"
    _link_day(center.generated, reopening, reopened)
    load(reopening, db_path, env)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the last open day's 7 d windows were all open, and are now all complete.
    assert _fcr_7d_eligible(before_closing, last_open) == 0
    assert _fcr_7d_eligible(db_path, last_open) > 0

    withdrawal = tmp_path / "withdrawal"
    for source in ("contacts", "bot_sessions"):
        delivered = pd.read_parquet(center.generated / source / f"{reopened}.parquet")
        (withdrawal / source).mkdir(parents=True)
        delivered.iloc[0:0].to_parquet(withdrawal / source / f"{reopened}.parquet", index=False)
    load(withdrawal, db_path, env, "--replace", "--accept-volume", reopened)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    assert _fcr_7d_eligible(db_path, last_open) == 0


def _team_aht(db_path: Path, day: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(
            "select member_id, numerator, denominator from marts.fct_metric_drilldown"
            " where metric_name = 'aht' and period_grain = 'day' and period_start = ?"
            " and drilldown_level = 'team' order by all",
            [day],
        ).df()


def _move_busiest_agent(
    center: Center,
    db_path: Path,
    env: dict[str, str],
    tmp_path: Path,
    day: str,
    home_queue_id: str | None = None,
) -> None:
    """Deliver, in the last day's agents file, the agent who handled the most contacts on `day`
    in another team at another cost (and home queue, when given), and load it."""
    with duckdb.connect(str(center.db_path), read_only=True) as connection:
        busiest = connection.execute(
            "select agent_id from staging.stg_acd__contacts"
            " where agent_id is not null and cast(started_at as date) = ?"
            " group by agent_id order by count(*) desc, agent_id limit 1",
            [day],
        ).fetchall()[0][0]
    agents = pd.read_parquet(center.generated / "agents" / f"{center.days[0]}.parquet")
    moved = agents[agents.agent_id == busiest].copy()
    other_team = sorted(set(agents.team_id) - set(moved.team_id))[0]
    moved = moved.assign(
        team_id=other_team,
        hourly_cost=moved.hourly_cost + 10,
        home_queue_id=home_queue_id or moved.home_queue_id,
        record_updated_at=pd.Timestamp(f"{center.days[-1]} 12:00:00"),
    )
    _redeliver_last_day(center, db_path, env, tmp_path, "agents", moved)


def test_an_agent_moved_to_another_team(center: Center, tmp_path: Path) -> None:
    """The agents file has no effective dates: an agent's team and hourly cost are the latest
    delivered, for every day. The last day's file moves the agent who handled the most to
    another team at another cost; the agent's old days change team in a full refresh, so they
    must in a normal build too."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day = center.days[-1 - UPDATED_BACK]
    _move_busiest_agent(center, db_path, env, tmp_path, old_day)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the old day's handling moved between teams.
    assert not _team_aht(db_path, old_day).equals(_team_aht(center.db_path, old_day))


def _labor_channels(db_path: Path, queue_id: str, day: str) -> list[str]:
    """The channels fct_queue_daily books the labor of `queue_id` to on `day`."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rows = connection.execute(
            "select distinct channel from marts.fct_queue_daily"
            " where queue_id = ? and reporting_date = ? and labor_cost > 0 order by 1",
            [queue_id, day],
        ).fetchall()
    return [channel for (channel,) in rows]


def test_new_contacts_move_the_channel_a_queue_books_labor_to(
    center: Center, tmp_path: Path
) -> None:
    """An agent's labor is booked to the home queue on the channel most of the queue's offered
    contacts came on over the whole history (int_queue_agents_assigned). The social queue, home
    of no agent, gets the busiest agent of an old day; then the last day's contacts are
    delivered again with more chats for the social queue than it ever had social contacts. A
    full refresh books every day of the agent's labor to chat, so a normal build must too,
    though no batch of those days changed."""
    db_path, env = _loaded_copy(center, tmp_path)
    old_day = center.days[-1 - UPDATED_BACK]
    _move_busiest_agent(center, db_path, env, tmp_path, old_day, home_queue_id="social")
    dbt(env, "run")
    assert _labor_channels(db_path, "social", old_day) == ["social"]
    social_offered = _value(
        db_path,
        "select count(*) from intermediate.int_queue_segments_classified"
        " where queue_id = ? and channel = ? and offered = 1",
        ["social", "social"],
    )
    last_day = center.days[-1]
    delivered = pd.read_parquet(center.generated / "contacts" / f"{last_day}.parquet")
    chats = delivered[
        (delivered.channel == "chat")
        & (delivered.initiation_method == "inbound")
        & delivered.queued_at.notna()
    ]
    # Copies of the day's offered chats, as many as it takes to outnumber the social contacts.
    copies = -(-(social_offered + 1) // len(chats))
    added = pd.concat(
        chats.assign(
            contact_id=chats.contact_id + f"-social{copy}",
            initial_contact_id=None,
            previous_contact_id=None,
            related_contact_id=None,
            queue_id="social",
        )
        for copy in range(copies)
    ).head(social_offered + 1)
    _redeliver_last_day(
        center, db_path, env, tmp_path, "contacts", added, "--accept-volume", last_day
    )
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the old day's labor moved to the new channel.
    assert _labor_channels(db_path, "social", old_day) == ["chat"]


def _first_month_churn_risk(db_path: Path, customers: list[str]) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(
            "select customer_id, period_month, segment, churned_at, is_active_at_period_end"
            " from marts.fct_customer_churn_risk"
            " where period_month = (select min(period_month) from marts.fct_customer_churn_risk)"
            " and list_contains(?, customer_id) order by customer_id",
            [customers],
        ).df()


@pytest.fixture(scope="module")
def two_month_center(tmp_path_factory: pytest.TempPathFactory) -> Center:
    """Every day loaded and built, customers included, across a month's end."""
    work = tmp_path_factory.mktemp("two_months")
    generated = work / "generated"
    env = dbt_env(work / "center.duckdb", work)
    generate(generated, env, "--start", TWO_MONTHS_START, days=DAYS, scale=SCALE, seed=SEED)
    days = sorted(p.stem for p in (generated / "contacts").glob("*.parquet"))
    landing = work / "landing"
    for day in days:
        _link_day(generated, landing, day, (*SOURCES, "customers"))
    db_path = work / "center.duckdb"
    load(landing, db_path, env)
    dbt(env, "run")
    return Center(days=days, generated=generated, db_path=db_path)


def test_customers_who_churn_later(two_month_center: Center, tmp_path: Path) -> None:
    """The customers file has no history: a churn or a new segment delivered on the last day is
    the customer's, in every month of fct_customer_churn_risk. Customers active in the first
    month churn on the last day and move to another segment; a full refresh shows them churned
    in the first month's rows, so a normal build must too."""
    db_path, env = _loaded_copy(two_month_center, tmp_path)
    last_day = two_month_center.days[-1]
    with duckdb.connect(str(two_month_center.db_path), read_only=True) as connection:
        churning = [
            customer_id
            for (customer_id,) in connection.execute(
                "select customer_id from marts.fct_customer_churn_risk"
                " where churned_at is null and period_month = ("
                "   select min(period_month) from marts.fct_customer_churn_risk)"
                " order by customer_id limit ?",
                [CHURNED_CUSTOMERS],
            ).fetchall()
        ]
    assert len(churning) == CHURNED_CUSTOMERS
    customers = pd.concat(
        pd.read_parquet(path)
        for path in sorted((two_month_center.generated / "customers").glob("*.parquet"))
    )
    latest = customers.sort_values("record_updated_at").drop_duplicates("customer_id", keep="last")
    churned = latest[latest.customer_id.isin(churning)].copy()
    churned = churned.assign(
        segment=churned.segment.map(
            lambda segment: "enterprise" if segment != "enterprise" else "consumer"
        ),
        churned_at=pd.Timestamp(f"{last_day} 08:00:00"),
        record_updated_at=pd.Timestamp(f"{last_day} 08:00:00"),
    )
    _redeliver_last_day(two_month_center, db_path, env, tmp_path, "customers", churned)
    _assert_normal_build_equals_full_refresh(db_path, tmp_path)
    # Not vacuous: the first month's rows of those customers now show the churn and segment.
    before = _first_month_churn_risk(two_month_center.db_path, churning)
    after = _first_month_churn_risk(db_path, churning)
    churned_at = pd.Timestamp(f"{last_day} 08:00:00")
    assert before.churned_at.isna().all() and before.is_active_at_period_end.all()
    assert (after.churned_at == churned_at).all()
    assert (after.segment != before.segment).all()
    next_month = pd.Timestamp(after.period_month.iloc[0]) + pd.DateOffset(months=1)
    assert (after.is_active_at_period_end == (churned_at >= next_month)).all()
