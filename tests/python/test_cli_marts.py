"""`ccmetrics query | scorecard | export | publish`: output formats and exit codes."""

from __future__ import annotations

import io
import json
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest
import typer
from test_api_support import embed_semantic, make_working_db, publish_sample, write_manifest
from typer.testing import CliRunner

from ccmetrics.commands import marts


@pytest.fixture(scope="module")
def app():
    application = typer.Typer()
    marts.register(application)
    return application


@pytest.fixture(autouse=True)
def dbt_target(tmp_path, monkeypatch):
    """An empty dbt target folder, so no semantic manifest of the repository leaks in."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    return tmp_path / "target"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return publish_sample(tmp_path_factory.mktemp("cli"))


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_query_as_csv_and_json(app, published):
    result = run(
        app, "query", "service_level", "-d", "channel", "-g", "all", "--db", published, "-f", "csv"
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout)).set_index("channel")
    assert list(frame.columns) == ["service_level", "answered_within_sl", "sl_denominator"]
    # phone: 72 * 14 within over 98 * 14 + 91
    assert frame.loc["phone", "service_level"] == pytest.approx(1008 / 1463)
    result = run(app, "query", "offered", "-g", "week", "--db", published, "-f", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["offered"] for r in records] == [721 + 301, 770 + 350]
    assert records[0]["period"].startswith("2026-01-05")


def test_piped_table_shows_every_value_in_full(app, published):
    # CliRunner's stdout is not a terminal: rich used to cut each of these ten columns to
    # "…" at 80 columns.
    result = run(
        app, "query", "service_level", "aht_seconds", "answer_rate", "-d", "channel", "-d",
        "queue_id", "-w", "channel=phone", "--limit", 1, "--db", published,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    header = next(line for line in result.stdout.splitlines() if "period" in line)
    assert header.split("┃")[1:-1] == [
        f" {name:<{width}} "
        for name, width in [
            ("period", 10), ("channel", 7), ("queue_id", 9), ("service_level", 13),
            ("answered_within_sl", 18), ("sl_denominator", 14), ("aht_seconds", 11),
            ("handle_seconds", 14), ("answered", 8), ("answer_rate", 11),
        ]
    ]  # fmt: skip
    row = next(line for line in result.stdout.splitlines() if "q_billing" in line)
    # phone, 2026-01-05: 72 within over 100 - 2; 27000 s over 90 answered; 90 / 98
    assert [cell.strip() for cell in row.split("│")[1:-1]] == [
        "2026-01-05", "phone", "q_billing", "0.734694", "72", "98", "300", "27000", "90",
        "0.918367",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("handle", "did you mean handle_seconds?"),
        ("answerd", "did you mean answered, answer_rate?"),
        ("sl", "did you mean sl_denominator, answered_within_sl?"),
    ],
)
def test_unknown_metric_suggests_the_nearest_names(app, published, name, suggestion):
    result = run(app, "query", name, "--db", published)
    assert result.exit_code == 1
    assert f"unknown metric {name!r}; {suggestion}" in result.output
    assert "valid metrics" not in result.output and "labor_cost" not in result.output


def test_semantic_layer_names_are_accepted(app, published, tmp_path):
    measures = [{"name": n, "agg": "sum", "expr": e} for n, e in [
        ("calls", "offered"), ("handle_seconds", None), ("answered", None)
    ]]  # fmt: skip
    simple = [
        {"name": n, "type": "simple", "type_params": {"measure": {"name": m, "filter": None}}}
        for n, m in [("calls_offered", "calls"), ("handle", "handle_seconds"), ("ans", "answered")]
    ]
    ratio = {
        "name": "aht",
        "type": "ratio",
        "type_params": {"numerator": {"name": "handle"}, "denominator": {"name": "ans"}},
    }
    # the semantic manifest the marts are published with (as `ccmetrics publish` embeds it)
    copy = tmp_path / "published.duckdb"
    shutil.copy(published, copy)
    embed_semantic(
        copy,
        {
            "semantic_models": [
                {"node_relation": {"alias": "fct_queue_daily"}, "measures": measures}
            ],
            "metrics": [*simple, ratio],
        },
    )
    result = run(
        app, "query", "aht", "calls_offered", "-g", "all", "-w", "channel=phone", "--db",
        copy, "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    # 14 days of 27000 s over 90 + d answered; 100 + d offered
    assert record["aht_seconds"] == pytest.approx(14 * 27000 / (14 * 90 + 91))
    assert record["offered"] == 14 * 100 + 91
    result = run(app, "query", "--list", "--db", copy, "-f", "json")
    aliases = {
        r["name"]: r["aggregation"] for r in json.loads(result.stdout) if r["role"] == "alias"
    }
    assert aliases == {
        "aht": "same as aht_seconds",
        "ans": "same as answered",
        "calls_offered": "same as offered",
        "handle": "same as handle_seconds",
    }
    result = run(app, "query", "ah", "--db", copy)
    assert "did you mean aht, aht_seconds?" in result.output
    # An alias reads its own mart, whichever other mart has a column of the same name.
    result = run(app, "query", "aht", "--mart", "fct_csat_daily", "--db", copy)
    assert result.exit_code == 1
    assert "metric 'aht' is aht_seconds of fct_queue_daily, not of fct_csat_daily" in result.output


def test_query_table_filters_and_sql_rendering(app, published):
    result = run(
        app, "query", "offered", "--db", published, "-w", "queue_id in q_billing", "--limit", 2
    )
    assert result.exit_code == 0, result.output
    assert "2026-01-05" in result.stdout and "100" in result.stdout
    result = run(app, "query", "offered", "--db", published, "--to-sql", "snowflake")
    assert result.exit_code == 0
    assert 'FROM "marts"."fct_queue_daily"' in result.stdout
    result = run(
        app,
        "query",
        "--db",
        published,
        "--sql",
        "select channel, sum(offered) as n from fct_queue_daily group by 1",
        "--to-sql",
        "tsql",
    )
    assert result.exit_code == 0, result.output
    assert "SUM(offered) AS n" in result.stdout
    result = run(app, "query", "--db", published, "--sql", "delete from x", "--to-sql", "tsql")
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", "nope"], 1, "unknown metric 'nope'; no similar name"),
        (["query", "offered", "-d", "channel;drop"], 1, "unknown dimension"),
        (["query", "offered", "-w", "channel=nobody"], 1, "no rows"),
        # Filter values are data: a quote-laden value matches no channel, so no rows.
        (["query", "offered", "-w", "channel = 'a' or 1=1"], 1, "no rows"),
        (["query", "offered", "--start", "yesterday"], 1, "start must be"),
        (["query", "offered", "--to-sql", "nosql"], 1, "unknown dialect"),
        (["query", "--sql", "drop table fct_queue_daily"], 1, "only SELECT"),
        (["query"], 2, "at least one metric"),
        (["query", "offered", "-g", "hour"], 2, "hour"),
        (["query", "offered", "-f", "xml"], 2, "xml"),
        (["query", "offered", "--limit", "0"], 2, "limit"),
        (["scorecard", "--end", "2020-01-01"], 1, "no data on or before 2020-01-01"),
        (["scorecard", "--end", "soon"], 1, "end must be"),
        (["scorecard", "--days", "0"], 2, "days"),
        (["export", "--mart", "raw.contacts"], 1, "unknown mart"),
    ],
)
def test_exit_codes(app, published, args, code, message):
    result = run(app, *args, "--db", published)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_missing_database_is_exit_1(app, tmp_path):
    result = run(app, "scorecard", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert "ccmetrics publish" in result.output


def test_list_shows_how_each_metric_aggregates(app, published):
    result = run(app, "query", "--list", "--db", published, "-f", "json")
    assert result.exit_code == 0
    rows = {(r["mart"], r["name"]): r for r in json.loads(result.stdout)}
    ratio = rows[("fct_queue_daily", "service_level")]
    assert ratio["aggregation"] == "sum(answered_within_sl) / sum(sl_denominator)"
    assert rows[("fct_csat_daily", "csat_mean")]["aggregation"] == "not re-aggregatable"
    assert rows[("fct_queue_daily", "channel")]["role"] == "dimension"


def test_scorecard_says_which_sections_have_no_mart(app, published):
    result = run(app, "scorecard", "--db", published)
    assert result.exit_code == 0, result.output
    assert "Generation 1 - efficiency" in result.stdout
    assert "sections without a mart yet" in result.stdout
    # the sample's semantic layer declares CSAT, whose mart the sample does not have
    assert "Generation 2 - experience" in result.stdout.split("sections without a mart yet")[1]
    result = run(app, "scorecard", "--db", published, "-f", "json")
    figures = {f["label"]: f for f in json.loads(result.stdout)}
    assert figures["Service level (phone)"]["status"] == "ok"
    assert figures["CSAT"]["status"] == "no mart yet"
    assert figures["CSAT"]["current"] is None


def test_export_writes_parquet_per_mart(app, published, tmp_path):
    out = tmp_path / "export"
    result = run(app, "export", "--db", published, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dim_queue.parquet",
        "fct_csat_daily.parquet",
        "fct_queue_daily.parquet",
    ]
    table = pq.read_table(out / "fct_queue_daily.parquet")
    assert table.num_rows == 28
    assert table.schema.field("offered").type == "int64"
    assert table.schema.field("offered").metadata == {b"description": b"Contacts that queued."}
    assert table.schema.metadata == {b"description": b"Queue metrics per day."}
    result = run(app, "export", "--db", published, "--out", out, "--mart", "fct_nothing")
    assert result.exit_code == 1 and "unknown mart" in result.output


def test_publish_command(app, tmp_path):
    working = make_working_db(tmp_path / "working.duckdb")
    target = tmp_path / "published.duckdb"
    result = run(
        app,
        "publish",
        "--source",
        working,
        "--target",
        target,
        "--manifest",
        write_manifest(tmp_path / "m.json"),
    )
    assert result.exit_code == 0, result.output
    assert "published 3 marts" in result.output
    result = run(app, "publish", "--source", tmp_path / "none.duckdb", "--target", target)
    assert result.exit_code == 1


def test_help_explains_every_command(app):
    for command, phrase in [
        ("query", "Query metrics by name"),
        ("scorecard", "last N days against the N before"),
        ("export", "Parquet"),
        ("publish", "read-only snapshot"),
    ]:
        result = run(app, command, "--help")
        assert result.exit_code == 0
        assert phrase in result.output
        assert "Exit codes: 0 success" in result.output
