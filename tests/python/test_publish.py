"""Publishing: readers hold a snapshot open while the working database is rebuilt and published.

The reader runs in another process, as a BI tool would: DuckDB's file lock is per process.
"""

from __future__ import annotations

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
    with pytest.raises(PublishError, match="holds no marts"):
        publish(empty, tmp_path / "p.duckdb")
    assert not (tmp_path / "p.duckdb").exists()
