"""Shared fixtures: one generated, loaded and built center for the end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# Small enough for make test, large enough that every metric has data on every day.
E2E_DAYS = 10
E2E_SCALE = 0.25
E2E_SEED = 11


@dataclass(frozen=True)
class BuiltCenter:
    landing: Path
    db_path: Path
    env: dict[str, str]


def dbt_env(db_path: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(ROOT / "profiles"),
        CCMETRICS_DUCKDB_PATH=str(db_path),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def generate(
    landing: Path,
    env: dict[str, str],
    *extra: str,
    days: int = E2E_DAYS,
    scale: float = E2E_SCALE,
    seed: int = E2E_SEED,
) -> None:
    run(
        [
            str(BIN / "ccmetrics"),
            "generate",
            "--out",
            str(landing),
            "--days",
            str(days),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--quiet",
            *extra,
        ],
        env,
    )


def load(landing: Path, db_path: Path, env: dict[str, str], *extra: str) -> None:
    run(
        [str(BIN / "ccmetrics"), "load", "--landing", str(landing), "--db", str(db_path), *extra],
        env,
    )


def dbt(env: dict[str, str], *args: str) -> None:
    run([str(BIN / "dbt"), *args, "--target", "dev"], env)


@pytest.fixture(scope="session")
def built_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCenter]:
    work = tmp_path_factory.mktemp("center")
    landing = work / "landing"
    db_path = work / "center.duckdb"
    env = dbt_env(db_path, work)
    generate(landing, env)
    load(landing, db_path, env)
    dbt(env, "run")
    yield BuiltCenter(landing=landing, db_path=db_path, env=env)
