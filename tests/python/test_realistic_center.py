"""A realistic bank center, contacts only (realistic_center.py), loads without a rejected day
and builds, and its queue marts equal an independent pandas recomputation (reference_realistic.py)
under the documented definitions: every count exactly, seconds and rates within 1e-9."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BIN, ROOT, dbt_env
from realistic_center import (
    ALMOST_EMPTY_SUNDAY,
    BEYOND_SKEW_ROWS,
    DAYS,
    START,
    CenterSummary,
    write_center,
)
from reference_realistic import (
    COUNTS,
    FCR_WINDOWS_HOURS,
    KEYS,
    RATES,
    SECONDS,
    Guarded,
    chains,
    expected_queue_daily,
    is_identified,
    read_contacts,
)

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Realistic:
    landing: Path
    db_path: Path
    summary: CenterSummary
    load: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Center:
    work: Path
    landing: Path
    summary: CenterSummary


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Center:
    work = tmp_path_factory.mktemp("realistic")
    landing = work / "landing"
    return Center(work, landing, write_center(landing))


@pytest.fixture(scope="module")
def realistic(center: Center) -> Realistic:
    db_path = center.work / "realistic.duckdb"
    env = dbt_env(db_path, center.work)
    load = _run(
        [str(BIN / "ccmetrics"), "load", "--landing", str(center.landing), "--db", str(db_path)],
        env,
    )
    build = _run([str(BIN / "dbt"), "build", "--target", "dev", "--quiet"], env)
    return Realistic(center.landing, db_path, center.summary, load, build)


@pytest.fixture(scope="module")
def contacts(center: Center) -> pd.DataFrame:
    return read_contacts(center.landing)


@pytest.fixture(scope="module")
def expected(center: Center) -> tuple[pd.DataFrame, Guarded]:
    return expected_queue_daily(center.landing)


def _query(realistic: Realistic, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(realistic.db_path), read_only=True) as connection:
        return connection.sql(sql).df()


# -- the center itself ------------------------------------------------------------------------


def test_the_center_is_reproducible(tmp_path, contacts):
    write_center(tmp_path)
    pd.testing.assert_frame_equal(read_contacts(tmp_path), contacts)


def test_the_center_holds_every_case_of_a_real_log(center, contacts):
    inbound = contacts[contacts["initiation_method"].eq("inbound")]
    unidentified = ~is_identified(inbound["customer_id"])
    assert 0.4 < unidentified.mean() < 0.6
    assert inbound["customer_id"].isna().any()
    assert inbound["customer_id"].eq("0").sum() > inbound["customer_id"].isna().sum()

    answered = contacts[
        contacts["connected_at"].notna() & contacts["initiation_method"].ne("outbound")
    ]
    direct = answered["queued_at"].isna()
    assert 0.3 < direct.mean() < 0.5

    assert (contacts["disposition"].eq("ivr_abandoned") & contacts["queued_at"].isna()).sum() > 100
    assert contacts.loc[contacts["disposition"].eq("ivr_abandoned"), "connected_at"].isna().all()
    queued = contacts[contacts["queued_at"].notna()]
    abandoned = queued[queued["disposition"].eq("abandoned")]
    short = (abandoned["ended_at"] - abandoned["queued_at"]).dt.total_seconds() < 5
    assert short.sum() > 30 and (~short).sum() > 30
    assert queued["disposition"].eq("flow_out").sum() > 10
    assert contacts["initiation_method"].eq("callback").sum() > 5
    assert contacts["initiation_method"].eq("transfer").sum() > 100
    three_segment = contacts["initial_contact_id"].value_counts()
    assert (three_segment >= 2).any()

    skew = (queued["queued_at"] - queued["connected_at"]).dt.total_seconds()
    assert skew.between(1, 2).sum() == center.summary.skewed_rows > 30
    assert (skew > 5).sum() == BEYOND_SKEW_ROWS

    outbound = contacts[contacts["initiation_method"].eq("outbound")]
    assert outbound["connected_at"].notna().sum() > 50
    assert outbound["connected_at"].isna().sum() > 30
    counts = center.summary.counts
    assert counts["request_customer_call_after_outbound"] > 20
    assert counts["outbound_after_customer_call"] > 20
    for window in ("within_2h", "within_24h", "after_24h"):
        for reason in ("same", "other"):
            assert counts[f"request_follow_up_{window}_{reason}_reason"] > 0
    assert counts["request_call_while_open"] > 10


def test_closed_sundays_short_saturdays_and_a_complete_last_day(contacts):
    rows_per_day = contacts.groupby(contacts["started_at"].dt.date).size()
    days = [START + dt.timedelta(days=offset) for offset in range(DAYS)]
    sundays = [day for day in days if day.weekday() == 6]
    assert [day for day in sundays if day in rows_per_day.index] == [ALMOST_EMPTY_SUNDAY]
    assert rows_per_day[ALMOST_EMPTY_SUNDAY] <= 5
    # A Saturday is so small that a trailing-7-day check (within x5 of the average of the
    # last 7 days' files) would reject it; the same-weekday history accepts it.
    for saturday in (day for day in days if day.weekday() == 5):
        trailing = rows_per_day[
            (rows_per_day.index >= saturday - dt.timedelta(days=7))
            & (rows_per_day.index < saturday)
        ]
        assert rows_per_day[saturday] < trailing.mean() / 5
    saturdays = rows_per_day[[day for day in days if day.weekday() == 5]]
    assert saturdays.max() < 5 * saturdays.min()
    last = days[-1]
    assert last.weekday() == 0 and rows_per_day.index.max() == last
    weekdays = rows_per_day[[day for day in days if day.weekday() < 5]]
    assert rows_per_day[last] > 0.8 * weekdays.median()
    # Every file holds the contacts that started on its day, and nothing runs past midnight.
    assert (
        contacts["started_at"].dt.date == pd.to_datetime(contacts["_file"].str[:10]).dt.date
    ).all()
    assert (contacts["ended_at"].dt.date == contacts["started_at"].dt.date).all()


def test_transfer_chains_are_one_contact_of_one_customer(contacts):
    segments = contacts.assign(
        chain_id=contacts["initial_contact_id"].fillna(contacts["contact_id"])
    )
    per_chain = segments.groupby("chain_id").agg(
        customers=("customer_id", lambda ids: ids.fillna("<null>").nunique()),
        segments=("contact_id", "size"),
    )
    assert (per_chain["customers"] == 1).all()
    assert per_chain["segments"].max() >= 3
    chained = segments[segments["initial_contact_id"].notna()]
    assert chained["initial_contact_id"].isin(contacts["contact_id"]).all()
    assert chained["previous_contact_id"].isin(contacts["contact_id"]).all()


# -- loading ----------------------------------------------------------------------------------


def test_load_accepts_every_day_and_reconciles(realistic, contacts, expected):
    batches = _query(
        realistic,
        "select * from raw._load_reconciliation order by batch_date",
    )
    assert not batches.empty, realistic.load.stdout[-3000:] + realistic.load.stderr[-3000:]
    rejected = batches[batches["status"].eq("rejected")]
    assert rejected.empty, (
        "rejected batches:\n" + rejected[["source_file", "check_name", "message"]].to_string()
    )
    assert batches["source_file"].tolist() == list(realistic.summary.files)
    assert (batches["rows_read"] == batches["rows_loaded"] + batches["rows_quarantined"]).all()
    rows_per_file = contacts.groupby("_file").size()
    assert batches["rows_read"].tolist() == rows_per_file.tolist()
    assert batches["rows_quarantined"].sum() == BEYOND_SKEW_ROWS
    assert "rows_clamped" in batches.columns, "the reconciliation does not count clamped rows"
    assert batches["rows_clamped"].sum() == realistic.summary.skewed_rows
    guarded: Guarded = expected[1]
    assert (guarded.clamped, guarded.quarantined) == (
        realistic.summary.skewed_rows,
        BEYOND_SKEW_ROWS,
    )
    loaded = _query(realistic, "select count(*) as n from raw.contacts")["n"].iloc[0]
    assert loaded == len(guarded.rows)


def test_load_warns_about_calls_routed_directly_to_an_agent(realistic, expected):
    """The guard's warning counts what it says it counts: answered contacts without queued_at
    that are offered with a zero wait. The center's outbound calls are connected without
    queueing too, but they are not offered (decision 2), so they are not in the count."""
    assert realistic.load.returncode == 0, realistic.load.stderr[-3000:]
    warned = [
        int(match)
        for match in re.findall(
            r"(\d+) answered contacts have no queued_at: counted as offered with a zero wait",
            realistic.load.stderr,
        )
    ]
    rows: pd.DataFrame = expected[1].rows
    direct = rows["connected_at"].notna() & rows["queued_at"].isna()
    offered_direct = direct & rows["initiation_method"].ne("outbound")
    outbound = int((direct & ~offered_direct).sum())
    assert outbound > 50
    assert sum(warned) == offered_direct.sum(), (
        f"the guard warns about {sum(warned)} answered contacts without queued_at 'counted as "
        f"offered'; {offered_direct.sum()} are offered (routed directly), the other {outbound} "
        "are the center's outbound calls, which are not offered"
    )


def test_loaded_rows_carry_the_clamped_timestamps(realistic, expected):
    guarded: Guarded = expected[1]
    loaded = _query(
        realistic,
        "select contact_id, queued_at, connected_at from raw.contacts "
        "where connected_at is not null and queued_at is not null order by contact_id",
    )
    mine = guarded.rows.loc[
        guarded.rows["connected_at"].notna() & guarded.rows["queued_at"].notna(),
        ["contact_id", "queued_at", "connected_at"],
    ].sort_values("contact_id")
    assert (loaded["connected_at"] >= loaded["queued_at"]).all()
    assert loaded["contact_id"].tolist() == mine["contact_id"].tolist()
    assert (loaded["connected_at"].to_numpy() == mine["connected_at"].to_numpy()).all()


# -- the marts --------------------------------------------------------------------------------


def test_dbt_build_succeeds_on_contacts_only(realistic):
    assert realistic.build.returncode == 0, realistic.build.stdout[-6000:]


@pytest.fixture(scope="module")
def actual(realistic: Realistic) -> pd.DataFrame:
    if realistic.build.returncode != 0:
        pytest.fail("dbt build failed:\n" + realistic.build.stdout[-6000:])
    frame = _query(realistic, "select * from marts.fct_queue_daily")
    frame["reporting_date"] = pd.to_datetime(frame["reporting_date"]).dt.date
    return frame


def _compare(
    actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str], columns: list[str]
) -> None:
    missing = [c for c in columns if c not in actual.columns]
    assert not missing, f"fct_queue_daily has no column {missing}"
    merged = expected[[*keys, *columns]].merge(
        actual[[*keys, *columns]], on=keys, how="outer", suffixes=("_expected", "_mart")
    )
    problems = []
    for column in columns:
        mine, theirs = merged[f"{column}_expected"], merged[f"{column}_mart"]
        if column in COUNTS or column.endswith(("_numerator", "_denominator")):
            # A row on one side only is a row of zeros on the other.
            equal = mine.fillna(0).astype("int64") == theirs.fillna(0).astype("int64")
        else:
            if column in SECONDS:
                mine, theirs = mine.fillna(0.0), theirs.fillna(0.0)
            both_null = mine.isna() & theirs.isna()
            close = (mine.astype("float64") - theirs.astype("float64")).abs() <= TOLERANCE * (
                1 + mine.astype("float64").abs()
            )
            equal = both_null | close.fillna(False)
        if not equal.all():
            bad = merged.loc[~equal, [*keys, f"{column}_expected", f"{column}_mart"]]
            problems.append(f"{column}: {(~equal).sum()} rows differ\n{bad.head(8).to_string()}")
    assert not problems, "\n\n".join(problems)


QUEUE_COLUMNS = [
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "flow_outs",
    "answered_within_threshold",
    "abandoned_within_threshold",
    "service_level_numerator",
    "service_level_denominator",
    "asa_wait_seconds",
    "answer_rate_numerator",
    "answer_rate_denominator",
    "abandon_rate_numerator",
    "abandon_rate_denominator",
]
FCR_EXCLUDED = ["fcr_excluded_unidentified", "fcr_excluded_outbound"]
GROUPS = {
    "queue": QUEUE_COLUMNS,
    "handle": ["handled_contacts", "handle_seconds"],
    **{f"fcr_{w}": [f"fcr_resolved_{w}", f"fcr_eligible_{w}"] for w in FCR_WINDOWS_HOURS},
    "fcr_excluded": FCR_EXCLUDED,
    "rates": list(RATES),
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_queue_daily_matches_per_day_channel_and_queue(actual, expected, group):
    _compare(actual, expected[0], KEYS, GROUPS[group])


@pytest.mark.parametrize("group", [g for g in GROUPS if g.startswith("fcr_")])
def test_fcr_day_totals_match(actual, expected, group):
    """The same counts summed over queues and channels: separates a counting difference
    from a difference in which queue a chain is attributed to."""
    columns = GROUPS[group]
    mine = expected[0].groupby("reporting_date", as_index=False)[columns].sum()
    theirs = actual.groupby("reporting_date", as_index=False)[columns].sum()
    _compare(theirs, mine, ["reporting_date"], columns)


def test_the_center_is_a_plausible_bank(expected):
    daily = expected[0]
    totals = daily[[*COUNTS, *SECONDS]].sum()
    service_level = totals["answered_within_threshold"] / (
        totals["offered"] - totals["short_abandoned"]
    )
    assert 0.6 < service_level < 0.9
    fcr = totals["fcr_resolved_default"] / totals["fcr_eligible_default"]
    assert 0.8 < fcr < 0.98
    assert totals["fcr_resolved_24h"] / totals["fcr_eligible_24h"] < fcr
    assert totals["fcr_excluded_unidentified"] > totals["fcr_eligible_default"] * 0.5
    assert totals["fcr_excluded_outbound"] > 50


def test_fcr_population_follows_the_documented_rules(contacts, expected):
    """Spot checks of the recomputation itself on the center's chains."""
    guarded: Guarded = expected[1]
    all_chains = chains(guarded.rows)
    handled = all_chains[all_chains["is_handled"]]
    daily = expected[0]
    # The center calls identified customers only, so the two exclusions never overlap.
    assert not (handled["is_outbound"] & ~handled["is_identified"]).any()
    assert daily["fcr_excluded_unidentified"].sum() == (~handled["is_identified"]).sum()
    assert daily["fcr_excluded_outbound"].sum() == handled["is_outbound"].sum()
    data_end = guarded.rows["started_at"].max()
    candidates = handled[handled["is_identified"] & ~handled["is_outbound"]]
    complete = candidates["ended_at"] + pd.Timedelta(hours=2) <= data_end
    assert daily["fcr_eligible_default"].sum() == complete.sum()
