"""The capacity run's disk figure is the largest footprint the warehouse files reached while the
run went on, not what is left at its end: spill files come and go within a step."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ccmetrics.bench import Runner, Timing
from ccmetrics.bench_capacity import FIRST_BUILD, INCREMENTAL_BUILD, CapacityRun, DiskPeak


def test_the_peak_outlives_the_spill_files(tmp_path: Path) -> None:
    database = tmp_path / "bench.duckdb"
    spill = tmp_path / "bench.duckdb.tmp"
    database.write_bytes(b"x" * 1000)
    peak = DiskPeak((database, tmp_path / "bench.duckdb.wal", spill))
    peak.sample()
    spill.mkdir()
    (spill / "sort_0.block").write_bytes(b"x" * 5000)
    (spill / "sort_1.block").write_bytes(b"x" * 2000)
    peak.sample()
    for block in spill.iterdir():
        block.unlink()
    database.write_bytes(b"x" * 4000)
    peak.sample()
    assert peak.peak_bytes == 8000


LOAD = Timing("load every day but the last", 900.0, 3 * 2**30, 2.0)


def _run(*steps: Timing, contacts: int | None = None, floor: Timing | None = None) -> CapacityRun:
    return CapacityRun(
        days=120,
        scale=200,
        memory_limit="12GB",
        steps=steps,
        landing_bytes=8 * 2**30,
        warehouse_bytes=50 * 2**30,
        peak_disk_bytes=61 * 2**30,
        machine_before="",
        machine_now="",
        version="abc1234",
        contacts=contacts,
        floor=floor,
    )


def test_the_ratios_are_the_builds_against_the_floor_and_each_other() -> None:
    run = _run(
        LOAD,
        Timing(FIRST_BUILD, 3000.0, 13 * 2**30, 2.0),
        Timing(INCREMENTAL_BUILD, 600.0, 5 * 2**30, 2.0),
        contacts=98_000_000,
        floor=Timing("sort floor", 250.0, 0, 2.0),
    )
    text = "\n".join(run.to_markdown())
    assert "| first build / sort floor | 12.0 |" in text
    assert "| incremental build of the last day / first build | 0.20 |" in text
    assert "| peak memory of any step | 13.00 GiB |" in text
    assert "98,000,000 contacts" in text
    assert "sampled every 5 s) | 61.00 GiB |" in text
    assert "had not finished" not in text


def test_a_run_stopped_half_way_says_so() -> None:
    text = "\n".join(_run(LOAD).to_markdown())
    assert "**The run had not finished when this was written.**" in text
    assert "first build / sort floor" not in text
    assert "| peak memory of any step | 3.00 GiB |" in text


def test_a_failed_step_is_named_with_dbt_s_failed_model_and_the_engine_s_message(
    tmp_path: Path,
) -> None:
    runner = Runner(tmp_path)
    (tmp_path / "output.log").write_text(
        "\x1b[0m21:02:15  264 of 583 START sql incremental model intermediate.stitched  [RUN]\n"
        "\x1b[0m21:04:44  264 of 583 ERROR creating sql incremental model "
        "intermediate.stitched  [\x1b[31mERROR\x1b[0m in 149.00s]\n"
        "\x1b[0m21:09:01  Completed with 1 error, 0 partial successes, and 0 warnings:\n"
        "\x1b[0m21:09:01  Runtime Error in model stitched (models/stitched.sql)\n"
        '  IO Error: Could not write file "x.tmp": No space left on device\n'
    )
    assert runner.first_error() == (
        "21:04:44  264 of 583 ERROR creating sql incremental model intermediate.stitched  "
        '[ERROR in 149.00s] / IO Error: Could not write file "x.tmp": No space left on device'
    )
    build = Timing(FIRST_BUILD, 1525.0, 13 * 2**30, 2.0, exit_code=1)
    text = "\n".join(
        replace(_run(LOAD, build), failure=f"{FIRST_BUILD} exited 1: no space").to_markdown()
    )
    assert f"**The run stopped: {FIRST_BUILD} exited 1: no space.**" in text
    assert "had not finished" not in text
