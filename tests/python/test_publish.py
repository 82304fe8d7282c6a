"""Publishing: readers hold a snapshot open while the working database is rebuilt and published.

The reader runs in another process, as a BI tool would: DuckDB's file lock is per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from test_api_support import make_working_db, write_manifest

from ccmetrics import api
from ccmetrics.publish import PublishError, publish

# Opens the database read-only, reports its count, waits for a line on stdin, counts again.
READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    count = "select count(*) from " + sys.argv[2]
    print(con.execute(count).fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute(count).fetchone()[0], flush=True)
    """
)


class Reader:
    """A process that holds a DuckDB file open read-only until told to finish."""

    def __init__(self, path: Path, table: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER, str(path), table],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.first = int(self.process.stdout.readline())

    def finish(self) -> int:
        out, err = self.process.communicate("go\n", timeout=30)
        assert self.process.returncode == 0, err
        return int(out.strip())


# What `dbt build` does to a mart, in its own process: take the write lock on the working file
# and rewrite a table (here, append the day after the last one).
BUILD = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute(
        "insert into marts.fct_queue_daily select report_date + 1, "
        "* exclude (report_date) from marts.fct_queue_daily "
        "where report_date = (select max(report_date) from marts.fct_queue_daily)"
    )
    con.close()
    """
)


def rebuild(working: Path) -> None:
    subprocess.run([sys.executable, "-c", BUILD, str(working)], check=True, timeout=60)


@pytest.fixture
def working(tmp_path):
    return make_working_db(tmp_path / "working.duckdb")


def test_a_reader_on_the_working_file_would_block_the_build(working):
    """The failure mode the design avoids: one reader and the writer is refused."""
    reader = Reader(working, "marts.fct_queue_daily")
    try:
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(working))
    finally:
        assert reader.finish() == 28


def test_readers_keep_their_snapshot_while_build_and_publish_run(working, tmp_path):
    published = tmp_path / "published" / "ccmetrics.duckdb"
    manifest = write_manifest(tmp_path / "manifest.json")
    publish(working, published, manifest)
    reader = Reader(published, "marts.fct_queue_daily")
    try:
        assert reader.first == 28
        rebuild(working)  # the build writes while a BI tool holds the snapshot
        result = publish(working, published, manifest)
        assert result.rows["fct_queue_daily"] == 30  # two queues on one more day
        with api.Warehouse(published) as fresh:
            assert fresh.query(["offered"], grain="all")["offered"].iloc[0] > 0
            rows = fresh.sql("select count(*) as n from fct_queue_daily")["n"].iloc[0]
            assert rows == 30
    finally:
        # The old reader still sees its complete, consistent snapshot.
        assert reader.finish() == 28


def test_publish_refuses_while_a_writer_holds_the_working_file(working, tmp_path):
    published = tmp_path / "published.duckdb"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "sys.stdin.readline()",
            str(working),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(PublishError, match="a writer"):
            publish(working, published)
    finally:
        writer.communicate("done\n", timeout=30)
    assert not published.exists()
    assert not list(tmp_path.glob(".*.tmp*")), "no partial file is left behind"


def test_published_snapshot_holds_only_marts_with_docs_and_ratios(working, tmp_path):
    published = publish(
        working, tmp_path / "p.duckdb", write_manifest(tmp_path / "manifest.json")
    ).path
    with api.Warehouse(published) as warehouse:
        tables = set(
            warehouse.connection.execute(
                "select schema_name || '.' || table_name from duckdb_tables()"
            ).fetchall()
        )
        assert {t for (t,) in tables} == {
            "marts.fct_queue_daily",
            "marts.dim_queue",
            "marts.fct_csat_daily",
            "ccmetrics_meta.metric_ratios",
            "ccmetrics_meta.semantic_manifest",
        }, "raw tables (PII) are never published"
        mart = warehouse.catalog.mart("fct_queue_daily")
        assert mart.description == "Queue metrics per day."
        assert mart.column_descriptions["offered"] == "Contacts that queued."
        assert mart.metrics["aht_seconds"].kind == "ratio"
    # The ratios travel inside the file: no manifest is needed to read it.
    with api.Warehouse(published) as warehouse:
        assert warehouse.catalog.mart("fct_queue_daily").metrics["service_level"].numerator == (
            "answered_within_sl"
        )


def test_publish_needs_a_working_database_with_marts(tmp_path):
    with pytest.raises(PublishError, match="no working database"):
        publish(tmp_path / "missing.duckdb", tmp_path / "p.duckdb")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishError, match="records no dbt build"):
        publish(empty, tmp_path / "p.duckdb")
    record_build(empty, "b1", "success")
    with pytest.raises(PublishError, match="holds no marts"):
        publish(empty, tmp_path / "p.duckdb")
    assert not (tmp_path / "p.duckdb").exists()


def record_build(
    working: Path, invocation: str, status: str | None, started: str = "2026-02-01 06:00:00"
) -> None:
    """What the dbt hooks write (macros/ccm_build_runs.sql); status None: never finished."""
    con = duckdb.connect(str(working))
    try:
        con.execute(
            "create schema if not exists ccmetrics_meta; "
            "create table if not exists ccmetrics_meta.build_runs (invocation_id varchar, "
            "command varchar, target_name varchar, started_at timestamp, "
            "finished_at timestamp, status varchar, nodes bigint, errors bigint, skipped bigint)"
        )
        finished = None if status is None else f"{started[:-2]}59"
        errors, skipped = (0, 0) if status in (None, "success") else (2, 131)
        con.execute(
            "insert into ccmetrics_meta.build_runs values (?, 'build', 'dev', ?, ?, ?, 140, ?, ?)",
            [invocation, started, finished, status, errors, skipped],
        )
    finally:
        con.close()


def test_publish_refuses_unless_the_latest_build_succeeded(working, tmp_path):
    published = tmp_path / "published.duckdb"
    manifest = write_manifest(tmp_path / "manifest.json")
    publish(working, published, manifest)
    before = published.stat().st_mtime_ns

    record_build(working, "b-failed", "failed", "2026-02-02 06:00:00")
    with pytest.raises(PublishError) as failed:
        publish(working, published, manifest)
    assert str(failed.value) == (
        "the latest dbt build (invocation b-failed, started 2026-02-02 06:00:00) failed with "
        "2 error(s) and 131 skipped node(s): nothing was published; fix the errors and run "
        "`dbt build` again and publish once it finishes without errors (a failed or "
        "interrupted build leaves a mix of new and stale marts)"
    )

    record_build(working, "b-killed", None, "2026-02-03 06:00:00")
    with pytest.raises(PublishError, match=r"b-killed.*never finished: it was killed"):
        publish(working, published, manifest)
    assert published.stat().st_mtime_ns == before, "the published snapshot is left as it was"
    assert not list(tmp_path.glob(".*.tmp*"))

    record_build(working, "b-fixed", "success", "2026-02-04 06:00:00")
    assert publish(working, published, manifest).rows["fct_queue_daily"] == 28


def test_publish_command_says_why_it_refuses(working, tmp_path):
    from typer.testing import CliRunner

    from ccmetrics.cli import app

    record_build(working, "b-failed", "failed", "2026-02-02 06:00:00")
    result = CliRunner().invoke(
        app, ["publish", "--source", str(working), "--target", str(tmp_path / "p.duckdb")]
    )
    assert result.exit_code == 1
    assert "error: the latest dbt build (invocation b-failed" in result.output
    assert "run `dbt build` again" in result.output


def test_publish_removes_temporary_files_of_killed_publishes(working, tmp_path):
    published = tmp_path / "published.duckdb"
    dead = 2**22 + 7  # above Linux's largest pid: no such process
    stale = [
        tmp_path / f".published.duckdb.{dead}.tmp",
        tmp_path / f".published.duckdb.{dead}.tmp.wal",
    ]
    for path in stale:
        path.write_bytes(b"half a snapshot")
    running = tmp_path / f".published.duckdb.{os.getppid()}.tmp"  # a publish still running
    running.write_bytes(b"in progress")

    publish(working, published, write_manifest(tmp_path / "manifest.json"))

    assert not any(path.exists() for path in stale)
    assert running.exists()
    assert sorted(p.name for p in tmp_path.glob(".*.tmp*")) == [running.name]


def test_dbt_hooks_record_a_failed_build_that_publish_then_refuses(tmp_path):
    """The on-run-start/on-run-end hooks, run by dbt itself: a run whose model errors."""
    from conftest import ROOT, dbt_env

    working = tmp_path / "working.duckdb"
    env = dbt_env(working, tmp_path)
    # No raw tables yet: the model errors.
    command = ["run", "--target", "ci", "--select", "stg_acd__contacts"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    con = duckdb.connect(str(working), read_only=True)
    try:
        runs = con.execute(
            "select command, target_name, status, nodes, errors, skipped, "
            "finished_at >= started_at from ccmetrics_meta.build_runs"
        ).fetchall()
    finally:
        con.close()
    assert runs == [("run", "ci", "failed", 1, 1, 0, True)]
    with pytest.raises(PublishError, match=r"failed with 1 error\(s\) and 0 skipped"):
        publish(working, tmp_path / "p.duckdb")
