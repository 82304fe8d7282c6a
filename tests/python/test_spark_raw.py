"""The raw tables reach Spark as Parquet folders, exactly as the loader stored them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ccmetrics.loader import connect, ensure_raw_tables
from ccmetrics.spark_raw import PART_FILE, export_raw


def test_every_raw_table_is_exported_with_its_rows_and_loader_columns(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    con = connect(db)
    ensure_raw_tables(con)
    con.execute(
        "insert into raw.cost_lines values ('cl1', date '2026-03-02', 'telephony', null, 12.5, "
        "date '2026-03-02', 'cost_lines/2026-03-02.parquet', 1, timestamp '2026-03-03 01:00:00')"
    )
    con.close()
    out = tmp_path / "raw"
    (out / "stale_table").mkdir(parents=True)

    counts = export_raw(db, out)

    assert counts["cost_lines"] == 1 and counts["contacts"] == 0
    assert "asterisk_queue_log" in counts and "connect_ctr" in counts
    assert not (out / "stale_table").exists()
    rows = duckdb.sql(
        f"select cost_line_id, channel, amount, _source_file, _source_row "
        f"from read_parquet('{out / 'cost_lines' / PART_FILE}')"
    ).fetchall()
    assert rows == [("cl1", None, 12.5, "cost_lines/2026-03-02.parquet", 1)]
    assert sorted(p.name for p in out.iterdir()) == sorted(counts)
