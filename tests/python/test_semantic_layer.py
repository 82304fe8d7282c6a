"""The MetricFlow semantic layer: it validates, declares every metric of METRICS.md, and
`mf query` returns true ratios (sums of numerators over sums of denominators) at any grain."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SPEC = ROOT.parent / "shared" / "METRICS.md"
PROJECT_ENTRIES = (
    "dbt_project.yml",
    ".dbtignore",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
)

# METRICS.md names that the semantic layer publishes under more specific names: the generation-1
# cost_per_contact (labor only) is labor_cost_per_contact, qa has two metrics, and so on.
SPEC_ALIASES = {
    "labor_cost": ["labor_cost"],
    "cross_channel_consistency": ["cross_channel_csat_spread", "cross_channel_fcr_spread"],
    "churn_risk": ["churn_risk", "high_churn_risk_share", "customer_retention_rate"],
    "anomaly flags": ["anomaly_flags"],
}


def mirror_project(work: Path) -> Path:
    """A project directory whose files are the repository's, with its own target/.

    mf reads target/semantic_manifest.json under the project root, so a test that parses into
    the repository's target/ would race with other builds.
    """
    project = work / "project"
    project.mkdir()
    for entry in PROJECT_ENTRIES:
        if (ROOT / entry).exists():
            (project / entry).symlink_to(ROOT / entry)
    return project


def parse(project: Path, db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DBT_TARGET_PATH", None)
    env.update(
        DBT_PROFILES_DIR=str(ROOT / "profiles"),
        DBT_PROJECT_DIR=str(project),
        CCMETRICS_DUCKDB_PATH=str(db_path),
        DBT_LOG_PATH=str(project / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    result = subprocess.run(
        [str(BIN / "dbt"), "parse"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return env


def mf(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mf"), *args], cwd=project, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def parsed_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("semantic")
    project = mirror_project(work)
    return project, parse(project, work / "unused.duckdb")


def spec_metric_names() -> list[str]:
    """First-column names of every metric table in METRICS.md ("a, b" rows give two names)."""
    names: list[str] = []
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ([a-z_ ,]+?) \|", line)
        if match and match.group(1) != "metric":
            names.extend(name.strip() for name in match.group(1).split(","))
    return names


def test_semantic_configs_validate(parsed_project: tuple[Path, dict[str, str]]) -> None:
    project, env = parsed_project
    result = mf(project, env, "validate-configs", "--skip-dw")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "ERRORS: 0" in output
    assert "WARNINGS: 0" in output


def test_every_spec_metric_is_declared(parsed_project: tuple[Path, dict[str, str]]) -> None:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} (the metrics catalog) is not checked out next to the repository")
    project, _ = parsed_project
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text())
    declared = {metric["name"] for metric in manifest["metrics"]}
    spec_names = spec_metric_names()
    assert len(spec_names) > 40, "METRICS.md tables were not read"
    missing = [name for name in spec_names if not set(SPEC_ALIASES.get(name, [name])) <= declared]
    assert missing == []


def test_ratio_metrics_are_ratios_of_sums(parsed_project: tuple[Path, dict[str, str]]) -> None:
    """Every rate is a ratio (or derived) metric, never a sum or average of a rate column."""
    project, _ = parsed_project
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text())
    measures = {
        measure["name"]: measure
        for model in manifest["semantic_models"]
        for measure in model["measures"]
    }
    for metric in manifest["metrics"]:
        if metric["name"].endswith(("_rate", "_share")) or metric["name"] in (
            "service_level",
            "csat",
            "occupancy",
            "utilization",
        ):
            assert metric["type"] in ("ratio", "derived"), metric["name"]
    for measure in measures.values():
        assert measure["agg"] in ("sum", "max"), measure["name"]
        expr = measure.get("expr") or measure["name"]
        assert not re.search(r"(_rate|service_level|^csat)$", expr), measure["name"]


@pytest.fixture(scope="module")
def built_project(built_center, tmp_path_factory: pytest.TempPathFactory):
    """A project parsed against the built center's warehouse (mf queries that file)."""
    project = mirror_project(tmp_path_factory.mktemp("semantic_built"))
    return project, parse(project, built_center.db_path), built_center.db_path


def test_mf_query_rolls_ratios_up_by_week_and_channel(built_project, tmp_path: Path) -> None:
    """The issue's query on a built warehouse equals sum(numerator) / sum(denominator)."""
    project, env, db_path = built_project
    out = tmp_path / "query.csv"
    result = mf(
        project,
        env,
        "query",
        "--metrics",
        "fcr_rate,service_level",
        "--group-by",
        "metric_time__week,contact__channel",
        "--csv",
        str(out),
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    with duckdb.connect(str(db_path), read_only=True) as con:
        expected = {
            (week.date().isoformat(), channel): (fcr, sl)
            for week, channel, fcr, sl in con.execute(
                """
                select
                    date_trunc('week', reporting_date) as week,
                    channel,
                    sum(fcr_resolved_default) / nullif(sum(fcr_eligible_default), 0),
                    sum(service_level_numerator) / nullif(sum(service_level_denominator), 0)
                from marts.fct_queue_daily
                group by 1, 2
                """
            ).fetchall()
        }

    def number(text: str) -> float | None:
        return float(text) if text not in ("", "None") else None

    got = {
        (
            dt.datetime.fromisoformat(row["metric_time__week"]).date().isoformat(),
            row["contact__channel"],
        ): (number(row["fcr_rate"]), number(row["service_level"]))
        for row in rows
    }
    assert set(got) == set(expected)
    for key, (fcr, sl) in expected.items():
        assert got[key][0] == pytest.approx(fcr), key
        assert got[key][1] == pytest.approx(sl), key


def test_cxi_equals_the_mart_at_its_grain(built_project, tmp_path: Path) -> None:
    """The derived cxi (weighted csat, fcr_rate, response) matches fct_cxi_daily per day and
    channel, including days where a component is missing and the weights are renormalised."""
    project, env, db_path = built_project
    out = tmp_path / "cxi.csv"
    result = mf(
        project,
        env,
        "query",
        "--metrics",
        "cxi",
        "--group-by",
        "metric_time__day,contact__channel",
        "--csv",
        str(out),
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    with out.open() as handle:
        got = {
            (row["metric_time__day"][:10], row["contact__channel"]): float(row["cxi"])
            for row in csv.DictReader(handle)
            if row["cxi"] not in ("", "None")
        }
    with duckdb.connect(str(db_path), read_only=True) as con:
        expected = {
            (day.isoformat(), channel): cxi
            for day, channel, cxi in con.execute(
                "select reporting_date, channel, cxi from marts.fct_cxi_daily where cxi is not null"
            ).fetchall()
        }
    assert expected
    assert got == pytest.approx(expected)
