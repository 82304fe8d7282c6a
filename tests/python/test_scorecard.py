"""The scorecard: periods, figures recomputed from the mart rows, honest gaps."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from provenance_support import add_meta_marts
from test_api_support import embed_semantic, project_manifest, publish_sample

from ccmetrics.api import Warehouse
from ccmetrics.scorecard import build_scorecard, choose_periods, format_delta, print_scorecard


@pytest.fixture(scope="module")
def card_and_rows(tmp_path_factory):
    published = publish_sample(tmp_path_factory.mktemp("scorecard"))
    with Warehouse(published) as warehouse:
        card = build_scorecard(warehouse, days=7)
        rows = warehouse.sql("select * from fct_queue_daily")
    return card, rows


def figure(card, label):
    return next(f for f in card.figures if f.label == label)


def test_periods_are_the_last_days_against_the_days_before():
    periods = choose_periods(date(2026, 1, 1), date(2026, 1, 30), 7)
    assert periods.current == (date(2026, 1, 24), date(2026, 1, 30))
    assert periods.previous == (date(2026, 1, 17), date(2026, 1, 23))
    assert periods.label == "last 7 days vs the 7 days before"


def test_short_data_is_split_in_halves_and_says_so():
    periods = choose_periods(date(2026, 3, 1), date(2026, 3, 11), 7)
    # 11 days -> two halves of 5, the oldest day left out
    assert periods.current == (date(2026, 3, 7), date(2026, 3, 11))
    assert periods.previous == (date(2026, 3, 2), date(2026, 3, 6))
    assert "second half vs first half" in periods.label
    single = choose_periods(date(2026, 3, 1), date(2026, 3, 1), 7)
    assert single.previous is None


def test_generation_1_is_recomputed_from_summed_parts(card_and_rows):
    card, rows = card_and_rows
    assert card.periods.current == (date(2026, 1, 12), date(2026, 1, 18))
    current = rows[rows["report_date"] >= "2026-01-12"]
    previous = rows[rows["report_date"] < "2026-01-12"]
    phone_current = current[current["channel"] == "phone"]
    phone_previous = previous[previous["channel"] == "phone"]
    level = figure(card, "Service level (phone)")
    assert level.current == pytest.approx(
        phone_current["answered_within_sl"].sum() / phone_current["sl_denominator"].sum()
    )
    assert level.previous == pytest.approx(
        phone_previous["answered_within_sl"].sum() / phone_previous["sl_denominator"].sum()
    )
    # by hand, phone only: 72 * 7 / (98 * 7 + (7 + 8 + ... + 13)) = 504 / 756
    assert level.current == pytest.approx(504 / 756)
    aht = figure(card, "AHT")
    assert aht.current == pytest.approx(current["handle_seconds"].sum() / current["answered"].sum())
    assert figure(card, "Offered (phone)").current == 770
    assert figure(card, "Labor cost").current == pytest.approx(4900.0)


def test_trend_is_labelled_better_or_worse_by_direction(card_and_rows):
    card, _ = card_and_rows
    # 504 / 756 = 0.667 vs 504 / 707 = 0.713
    assert format_delta(figure(card, "Service level (phone)")).endswith("worse")
    assert format_delta(figure(card, "AHT")).endswith("better")  # shorter handling
    assert format_delta(figure(card, "Offered (phone)")) == "+49"  # volume: no good direction


def test_sections_without_marts_are_reported_not_invented(card_and_rows):
    card, _ = card_and_rows
    # the sample's semantic layer declares CSAT (generation 2) on a mart it does not have
    assert card.missing_sections() == ("Generation 2 - experience",)
    csat = figure(card, "CSAT")
    assert (csat.status, csat.current, csat.previous) == ("no mart yet", None, None)


def test_nps_and_products_are_recomputed_from_parts(tmp_path):
    working = tmp_path / "w.duckdb"
    con = duckdb.connect(str(working))
    con.execute(
        """
        create table fct_satisfaction_daily as select * from (values
            (date '2026-02-01', 'phone', 6::bigint, 2::bigint, 10::bigint, 40.0),
            (date '2026-02-02', 'phone', 1::bigint, 3::bigint, 4::bigint, -50.0),
            (date '2026-02-03', 'phone', 3::bigint, 1::bigint, 5::bigint, 40.0),
            (date '2026-02-04', 'phone', 0::bigint, 0::bigint, 0::bigint, null)
        ) as t(reporting_date, channel, nps_promoters, nps_detractors, nps_responses, nps)
        """
    )
    con.execute(
        """
        create table fct_automation_daily as select * from (values
            (date '2026-02-01', 10::bigint, 40::bigint, 3::bigint, 6::bigint, 0.125),
            (date '2026-02-03', 30::bigint, 60::bigint, 1::bigint, 4::bigint, 0.125)
        ) as t(reporting_date, ai_touched_interactions, interactions, bot_resolutions,
               bot_resolution_eligible, automation_rate)
        """
    )
    # the semantic layer reads the bot resolution rate of automation_rate from the bot mart
    con.execute(
        "create table fct_bot_daily as select reporting_date, bot_resolutions, "
        "bot_resolution_eligible from fct_automation_daily"
    )
    con.close()
    embed_semantic(working, project_manifest())
    with Warehouse(working) as warehouse:
        card = build_scorecard(warehouse, days=2)
    nps = figure(card, "NPS")
    # last 2 days 02-03..02-04: (3 - 1) / 5; the 2 before, 02-01..02-02: (7 - 5) / 14; the
    # expression is the semantic layer's, evaluated over the summed inputs
    assert nps.source == "100.0 * (nps_promoters - nps_detractors) / nullif(nps_responses, 0)"
    assert nps.current == pytest.approx(40.0)
    assert nps.previous == pytest.approx(100 * 2 / 14)
    automation = figure(card, "Automation rate")
    assert automation.current == pytest.approx((30 / 60) * (1 / 4))
    assert automation.previous == pytest.approx((10 / 40) * (3 / 6))
    assert figure(card, "Service level (phone)").status == "no mart yet"


def test_latency_is_measured_and_reported(tmp_path):
    from ccmetrics.bench import measure_scorecard

    latency = measure_scorecard(publish_sample(tmp_path), runs=3)
    assert latency.runs == 3
    # One scorecard mart read twice (phone queue lines, all-channel lines), both periods each.
    assert latency.queries == 2
    assert 0 < latency.median_seconds <= latency.max_seconds
    assert "| median |" in latency.to_markdown()


def test_a_line_reads_one_grain_of_a_mixed_grain_mart(tmp_path):
    working = tmp_path / "w.duckdb"
    con = duckdb.connect(str(working))
    con.execute(
        """
        create table fct_attrition as
        select period_grain, period_start, leavers, average_headcount,
            leavers / average_headcount as attrition_rate
        from (values
            ('week', date '2026-03-30', 1::bigint, 4.0),
            ('week', date '2026-04-06', 0::bigint, 4.0),
            ('month', date '2026-04-01', 2::bigint, 5.0)
        ) as t(period_grain, period_start, leavers, average_headcount)
        """
    )
    # declared as dbt declares it (publish embeds the project's declarations), never guessed
    con.execute("create schema ccmetrics_meta")
    con.execute(
        "create table ccmetrics_meta.metric_ratios as select 'fct_attrition' as mart, "
        "'attrition_rate' as metric, 'leavers' as numerator, 'average_headcount' as denominator"
    )
    con.close()
    embed_semantic(working, project_manifest())
    with Warehouse(working) as warehouse:
        card = build_scorecard(warehouse, days=7)
    attrition = figure(card, "Attrition (weekly)")
    # 8 days of data: halves 03-30..04-02 and 04-03..04-06. The month row starts in the first
    # half; summed with the weeks it would give 3 / 9 instead of the weekly 1 / 4.
    assert card.periods.previous == (date(2026, 3, 30), date(2026, 4, 2))
    assert attrition.previous == pytest.approx(1 / 4)
    assert attrition.current == 0.0


def test_a_derived_metric_is_its_manifest_expression_over_its_inputs():
    from ccmetrics.registry import Formula
    from ccmetrics.scorecard import evaluate_derived

    # the CXI expression as dbt renders it with cxi_weights 0.4 / 0.4 / 0.2
    expr = (
        "100.0 * (coalesce(0.4 * csat, 0) + coalesce(0.4 * fcr_rate, 0)"
        " + coalesce(0.2 * response, 0)) / nullif((case when csat is null then 0 else 0.4 end)"
        " + (case when fcr_rate is null then 0 else 0.4 end)"
        " + (case when response is null then 0 else 0.2 end), 0)"
    )
    inputs = tuple((name, Formula(name, "sum")) for name in ("csat", "fcr_rate", "response"))
    cxi = Formula("cxi", "derived", inputs=inputs, expr=expr)
    values = {
        "csat": {"a": 0.75, "b": 0.75, "c": None},
        "fcr_rate": {"a": 0.8, "b": 0.8, "c": None},
        "response": {"a": None, "b": 0.5, "c": None},
    }
    with duckdb.connect() as con:
        found = evaluate_derived(cxi, values, ["a", "b", "c"], con)
    # CSAT 3 of 4, FCR 8 of 10, no response data: the response weight drops out (the mart's
    # rule) and the present weights are renormalised; nothing present: no index
    assert found["a"] == pytest.approx(100 * (0.4 * 0.75 + 0.4 * 0.8) / 0.8)
    assert found["b"] == pytest.approx(100 * (0.4 * 0.75 + 0.4 * 0.8 + 0.2 * 0.5))
    assert found["c"] is None


def test_a_derived_expression_reads_only_its_inputs():
    from ccmetrics.catalog import CatalogError
    from ccmetrics.sqlbuild import derived_tree

    assert derived_tree("a * b", ["a", "b"]).sql(dialect="duckdb") == "a * b"
    with pytest.raises(CatalogError, match="unknown input c"):
        derived_tree("a * c", ["a", "b"])
    with pytest.raises(CatalogError, match="not allowed"):
        derived_tree("(select max(a) from fct_queue_daily)", ["a"])


def _fragment_warehouse(tmp_path, **meta) -> Path:
    """Phone queue days 2026-03-01..03-16: 100 offered, 80 of 100 within the threshold and 40
    of 50 chains resolved each day, no labor cost booked. In New York the contacts delivered
    up to 03-16 (UTC) end at 03-16 20:00 local time, so 03-16 is a fragment: 30 offered, 10
    of 30 within the threshold, 1 of 10 resolved."""
    working = tmp_path / "w.duckdb"
    con = duckdb.connect(str(working))
    con.execute(
        """
        create table fct_queue_daily as
        select
            day::date as reporting_date,
            'phone' as channel,
            case when day = date '2026-03-16' then 30 else 100 end::bigint as offered,
            case when day = date '2026-03-16' then 10 else 80 end::bigint
                as service_level_numerator,
            case when day = date '2026-03-16' then 30 else 100 end::bigint
                as service_level_denominator,
            service_level_numerator / service_level_denominator as service_level,
            case when day = date '2026-03-16' then 1 else 40 end::bigint as fcr_resolved_default,
            case when day = date '2026-03-16' then 10 else 50 end::bigint as fcr_eligible_default,
            0.0 as labor_cost
        from range(date '2026-03-01', date '2026-03-17', interval 1 day) as t(day)
        """
    )
    add_meta_marts(
        con,
        parameters={"reporting_timezone": "America/New_York", **meta.pop("parameters", {})},
        data_ends_at=datetime(2026, 3, 17),
        complete=(date(2026, 3, 1), date(2026, 3, 15)),
        **meta,
    )
    con.close()
    embed_semantic(working, project_manifest())
    return working


def test_a_trailing_fragment_is_left_out_and_the_data_end_stated(tmp_path):
    with Warehouse(_fragment_warehouse(tmp_path)) as warehouse:
        card = build_scorecard(warehouse, days=7)
    # 7 complete days against 7, not 03-10..03-16 with the fragment's 30 calls
    assert card.periods.current == (date(2026, 3, 9), date(2026, 3, 15))
    assert card.periods.previous == (date(2026, 3, 2), date(2026, 3, 8))
    assert figure(card, "Offered (phone)").current == 700
    assert figure(card, "Service level (phone)").current == pytest.approx(560 / 700)
    assert card.periods.note == (
        "data ends 2026-03-17 00:00 UTC; complete reporting days 2026-03-01 to 2026-03-15 "
        "(America/New_York); 2026-03-16 partial, left out"
    )
    assert card.to_frame()["periods_note"].iloc[0] == card.periods.note


def test_the_systems_that_fed_the_period_are_named(tmp_path, capsys):
    days = [date(2026, 3, day) for day in range(1, 17)]
    systems = (
        *((day, "contacts", "landing") for day in days),
        *((day, "contacts", "asterisk") for day in days if day >= date(2026, 3, 10)),
        *((day, "agent_states", "asterisk") for day in days if day >= date(2026, 3, 10)),
        (date(2026, 3, 5), "bot_sessions", "rasa"),
    )
    with Warehouse(_fragment_warehouse(tmp_path, systems=systems)) as warehouse:
        card = build_scorecard(warehouse, days=7)
    # the current period 03-09..03-15 had no bot session; Rasa fed only the previous one
    assert card.systems == "contacts from asterisk, landing; agent states from asterisk"
    print_scorecard(card)
    assert "fed by: contacts from asterisk, landing; agent states from asterisk" in (
        capsys.readouterr().out
    )


def test_a_warehouse_without_the_systems_mart_names_no_system(tmp_path):
    with Warehouse(_fragment_warehouse(tmp_path)) as warehouse:
        assert build_scorecard(warehouse, days=7).systems == ""


def test_fcr_is_labelled_with_the_window_the_build_used(tmp_path):
    published = _fragment_warehouse(tmp_path, parameters={"fcr_window_hours": 24})
    with Warehouse(published) as warehouse:
        card = build_scorecard(warehouse, days=7)
    fcr = figure(card, "FCR (24 h)")
    assert (fcr.current, fcr.previous) == (pytest.approx(280 / 350), pytest.approx(280 / 350))
    assert not [f for f in card.figures if "2 h" in f.label]


def test_metrics_of_sources_never_delivered_are_not_available(tmp_path):
    published = _fragment_warehouse(
        tmp_path, undelivered=("agent_states", "schedules", "cost_lines")
    )
    with Warehouse(published) as warehouse:
        card = build_scorecard(warehouse, days=7)
    labor = figure(card, "Labor cost")
    # the mart books 0.00 of labor without agent states: that is not a cost of 0
    assert (labor.status, labor.current, labor.previous) == (
        "n/a (no agent_states delivered)",
        None,
        None,
    )
    assert (
        figure(card, "Schedule adherence").status == "n/a (no agent_states or schedules delivered)"
    )
    assert figure(card, "Total cost").status == "n/a (no cost_lines or agent_states delivered)"
    assert figure(card, "Offered (phone)").status == "ok"


def test_weeks_follow_the_build_week_start(tmp_path):
    # 03-01..03-15 complete, 03-15 a Sunday: Sunday weeks end on Saturday 03-14
    published = _fragment_warehouse(tmp_path, parameters={"week_start": "sunday"})
    with Warehouse(published) as warehouse:
        card = build_scorecard(warehouse, days=7)
    assert card.periods.current == (date(2026, 3, 8), date(2026, 3, 14))
    assert card.periods.previous == (date(2026, 3, 1), date(2026, 3, 7))
    assert card.periods.label == (
        "last 1 week (starting Sunday) vs the 1 before; 2026-03-15 left out (week not over)"
    )
    with Warehouse(published) as warehouse:
        ended = build_scorecard(warehouse, days=7, end=date(2026, 3, 15))
    assert ended.periods.current == (date(2026, 3, 9), date(2026, 3, 15))
    # data to Wednesday 03-18 with Monday weeks: the week of 03-16 is not over
    monday = choose_periods(date(2026, 3, 1), date(2026, 3, 18), 7, week_start=0)
    assert (monday.current, monday.previous) == (
        (date(2026, 3, 9), date(2026, 3, 15)),
        (date(2026, 3, 2), date(2026, 3, 8)),
    )
    assert monday.label.endswith("2026-03-16..2026-03-18 left out (week not over)")
    # without a week start: the last 7 days, whatever weekday they start on
    rolling = choose_periods(date(2026, 3, 1), date(2026, 3, 18), 7)
    assert rolling.current == (date(2026, 3, 12), date(2026, 3, 18))


class CountingConnection:
    """A connection that records every statement it is asked to run."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        self.statements: list[str] = []

    def execute(self, statement: str, *args, **kwargs):
        self.statements.append(statement)
        return self.connection.execute(statement, *args, **kwargs)

    def sql(self, statement: str, *args, **kwargs):
        self.statements.append(statement)
        return self.connection.sql(statement, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)


def test_the_scorecard_runs_four_statements_and_builds_its_sql_once(tmp_path, monkeypatch):
    import ccmetrics.scorecard as scorecard

    published = _fragment_warehouse(tmp_path)
    built: list[object] = []

    def counting_build_batch(*args, **kwargs):
        built.append(args)
        return build_batch(*args, **kwargs)

    build_batch = scorecard.build_batch
    monkeypatch.setattr(scorecard, "build_batch", counting_build_batch)
    monkeypatch.setattr(scorecard, "_PLANS", {})
    cards = []
    for _ in range(2):
        with Warehouse(published) as warehouse:
            counting = CountingConnection(warehouse.connection)
            warehouse.connection = counting  # type: ignore[assignment]
            cards.append(build_scorecard(warehouse, days=7))
        # the build's parameters, the source coverage, the date range, then every figure of
        # both periods in one statement: phone lines and all-channel lines of the queue mart
        assert len(counting.statements) == 4
        assert sum("fct_queue_daily" in s for s in counting.statements) == 2
    assert (cards[0].queries, cards[0].statements) == (2, 1)
    # the second scorecard over the same catalog reuses the first one's SQL
    assert len(built) == 1
    assert [(f.label, f.current, f.previous) for f in cards[0].figures] == [
        (f.label, f.current, f.previous) for f in cards[1].figures
    ]
    assert figure(cards[1], "FCR (2 h)").current == pytest.approx(280 / 350)


def test_a_changed_warehouse_is_read_anew_not_from_the_caches(tmp_path):
    working = _fragment_warehouse(tmp_path)
    with Warehouse(working) as warehouse:
        before = build_scorecard(warehouse, days=7)
    assert figure(before, "CSAT (top-2-box)").status == "no mart yet"
    con = duckdb.connect(str(working))
    con.execute(
        """
        create table fct_satisfaction_daily as
        select day::date as survey_date, 3::bigint as csat_satisfied_responses,
            4::bigint as csat_responses, csat_satisfied_responses / csat_responses as csat
        from range(date '2026-03-01', date '2026-03-17', interval 1 day) as t(day)
        """
    )
    con.close()
    with Warehouse(working) as warehouse:
        after = build_scorecard(warehouse, days=7)
    csat = figure(after, "CSAT (top-2-box)")
    # 3 of 4 satisfied every day, in both weeks
    assert (csat.status, csat.current, csat.previous) == ("ok", 0.75, 0.75)
    assert after.queries == before.queries + 1


def test_fcr_window_labels_come_from_the_build_parameters():
    from ccmetrics.provenance import Provenance
    from ccmetrics.scorecard import window_labels

    built = Provenance(
        parameters={"fcr_window_hours": 24, "fcr_windows": {"24h": 24, "72h": 72, "7d": 168}}
    )
    assert window_labels(built) == {"default": "24 h", "24h": "24 h", "72h": "72 h", "7d": "7 d"}
    # a window of other hours is labelled with them: the label is the build's, not a constant
    other = Provenance(parameters={"fcr_window_hours": 2, "fcr_windows": {"7d": 120}})
    assert window_labels(other) == {"default": "2 h", "7d": "120 h"}
    # a warehouse built before fcr_windows was published: labels from the column suffixes
    assert window_labels(Provenance()) == {
        "default": "default window",
        "24h": "24 h",
        "72h": "72 h",
        "7d": "7 d",
    }


@pytest.mark.parametrize(
    ("unit", "current", "previous", "better", "shown"),
    [
        ("rate", 0.94321, 0.94349, True, "0.0 pp"),  # -0.03 pp: no sign, no verdict
        ("rate", 0.9430, 0.9440, True, "-0.1 pp worse"),
        ("seconds", 12.04, 12.0, False, "0.0 s"),
        ("seconds", 12.06, 12.0, False, "+0.1 s worse"),
        ("money", 3.901, 3.9, False, "0.00"),
        ("count", 100.4, 100.0, None, "0"),
        ("count", 149.0, 100.0, None, "+49"),
        ("score", 70.0, 72.5, True, "-2.5 worse"),
    ],
)
def test_a_change_that_rounds_to_nothing_is_shown_without_sign_or_verdict(
    unit, current, previous, better, shown
):
    from ccmetrics.registry import Headline
    from ccmetrics.scorecard import format_change

    headline = Headline(
        metric="m",
        label="m",
        section="s",
        order=1,
        unit=unit,
        formula=None,
        higher_is_better=better,
    )
    assert format_change(current, previous, headline) == shown
