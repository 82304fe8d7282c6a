"""The generic test expected_values (tests/generic/expected_values.sql) can fail, and says why.

One small fixture build (the contacts fixture and stg_acd__contacts) in a mirror of the project
whose seeds/expected/ holds only a probe seed: rows that are right, within 1e-9 relative, off,
missing, duplicated, of the wrong kind, or conditional on vars. The comparison must report
exactly the wrong ones, naming model, key, column, expected and actual value.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import BIN, ROOT, dbt_env

PROBE_YML = """version: 2
seeds:
  - name: expected_probe
    config:
      enabled: "{{ target.name == 'ci' }}"
      schema: expected
      column_types:
        model_name: varchar
        row_key: varchar
        column_name: varchar
        expected_value: varchar
        when_vars: varchar
        derivation: varchar
    data_tests:
      - expected_values:
          name: expected_values_probe
          arguments:
            models: [stg_acd__contacts]
            answered_when:
              fcr_window_hours: [2, 24]
"""

HEADER = "model_name,row_key,column_name,expected_value,when_vars,derivation"

# (row_key, column_name, expected_value, when_vars) of stg_acd__contacts, from
# seeds/fixtures/contacts.csv: k001 talked 300 s, held 30 s, wrapped up 60 s, on a_va1, not
# AI-assisted, customer c01; k003 is delivered twice (one row after deduplication); c22 has
# four segments (k107-k110), all on the phone; k102 has a blank customer_id (null).
PROBE_ROWS = [
    ("contact_id=k001", "talk_seconds", "300", ""),
    ("contact_id=k001", "hold_seconds", "30.0000000001", ""),  # within 1e-9 relative
    ("contact_id=k001", "acw_seconds", "60.0001", ""),
    ("contact_id=k999", "talk_seconds", "1", ""),
    ("contact_id=k001", "ai_assisted", "true", ""),
    ("contact_id=k102", "customer_id", "null", ""),
    ("contact_id=k001", "customer_id", "null", ""),
    ("contact_id=k888", "count(*)", "0", ""),
    ("contact_id=k003", "count(*)", "2", ""),
    ("customer_id=c22", "channel", "phone", ""),
    ("contact_id=k001", "queue_id", "tech_support", "fcr_window_hours=24"),
    ("contact_id=k001", "disposition", "abandoned", ""),
    ("contact_id=k001", "disposition", "handled", "fcr_match_reason=true"),
    ("contact_id=k001", "agent_id", "a_zz", "fcr_window_hours=2|24;fcr_match_reason=true"),
    ("contact_id=k001", "talk_seconds", "1/3", "fcr_match_reason=false"),
    ("customer_id=c22", "count(distinct channel)", "1", ""),
    ("customer_id=c22", "min(started_at)", "not null", ""),
    ("contact_id=k102", "max(customer_id)", "not null", ""),
]

EXPECTED_FAILURES = {
    "stg_acd__contacts [contact_id=k001] acw_seconds: expected '60.0001', got '60.0'",
    "stg_acd__contacts [contact_id=k999] talk_seconds: expected '1', got 'no row'",
    "stg_acd__contacts [contact_id=k001] ai_assisted: expected 'true', got 'false'",
    "stg_acd__contacts [contact_id=k001] customer_id: expected 'null', got 'c01'",
    "stg_acd__contacts [contact_id=k003] count(*): expected '2', got '1'",
    "stg_acd__contacts [customer_id=c22] channel: expected 'phone', got '4 rows'",
    "stg_acd__contacts [contact_id=k001] agent_id: expected 'a_zz', got 'a_va1'",
    "stg_acd__contacts [contact_id=k102] max(customer_id): expected 'not null', got 'null'",
}


class Probe:
    """The mirror project, its environment and its database."""

    def __init__(self, work: Path) -> None:
        self.project = work / "project"
        self.db_path = work / "probe.duckdb"
        self.env = dbt_env(self.db_path, work)
        self.project.mkdir()
        for entry in ("dbt_project.yml", ".dbtignore", "models", "macros", "tests", "analyses"):
            (self.project / entry).symlink_to(ROOT / entry)
        (self.project / "seeds").mkdir()
        # dbt does not walk a symlinked folder below seeds/: the fixtures are copied
        shutil.copytree(ROOT / "seeds" / "fixtures", self.project / "seeds" / "fixtures")
        (self.project / "seeds" / "expected").mkdir()
        (self.project / "seeds" / "expected" / "_probe.yml").write_text(PROBE_YML)

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        # A full parse every time: the probe seed is written after the first parse, and dbt's
        # partial parsing does not apply the unchanged _probe.yml's test to a seed added later.
        return subprocess.run(
            [str(BIN / "dbt"), *args, "--target", "ci", "--no-partial-parse"],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def write_probe(self, rows: list[tuple[str, str, str, str]]) -> None:
        lines = [HEADER] + [
            f"stg_acd__contacts,{key},{column},{value},{when},probe"
            for key, column, value, when in rows
        ]
        (self.project / "seeds" / "expected" / "expected_probe.csv").write_text(
            "\n".join(lines) + "\n"
        )

    def test_probe(self) -> subprocess.CompletedProcess[str]:
        """Loads the probe seed and runs its comparison, storing the failing rows."""
        return self.dbt("build", "--select", "expected_probe", "--full-refresh", "--store-failures")

    def failures(self) -> set[str]:
        with duckdb.connect(str(self.db_path), read_only=True) as connection:
            schema, table = connection.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_name = 'expected_values_probe'"
            ).fetchone()
            rows = connection.execute(f'select failure from "{schema}"."{table}"').fetchall()
        return {failure for (failure,) in rows}


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    built = Probe(tmp_path_factory.mktemp("expected_values"))
    for args in (("seed", "--select", "contacts"), ("run", "--select", "stg_acd__contacts")):
        result = built.dbt(*args)
        if result.returncode != 0:
            pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}")
    return built


def test_reports_exactly_the_wrong_values(probe: Probe) -> None:
    probe.write_probe(PROBE_ROWS)
    result = probe.test_probe()
    assert result.returncode == 1, result.stdout[-4000:]
    assert f"Got {len(EXPECTED_FAILURES)} results" in result.stdout
    assert probe.failures() == EXPECTED_FAILURES


def test_passes_when_every_value_is_right(probe: Probe) -> None:
    probe.write_probe([*PROBE_ROWS[:2], ("contact_id=k003", "count(*)", "1", "")])
    result = probe.test_probe()
    assert result.returncode == 0, result.stdout[-4000:]


def test_two_rows_with_as_many_conditions_are_an_error(probe: Probe) -> None:
    probe.write_probe(
        [
            ("contact_id=k001", "talk_seconds", "300", "fcr_window_hours=2"),
            ("contact_id=k001", "talk_seconds", "301", "fcr_match_reason=true"),
        ]
    )
    result = probe.test_probe()
    assert result.returncode != 0
    assert "two rows of stg_acd__contacts / contact_id=k001 / talk_seconds" in result.stdout


def listed_tests(probe: Probe, *extra: str) -> list[str]:
    result = probe.dbt("--quiet", "ls", "--resource-type", "test", "--output", "name", *extra)
    return [line.strip() for line in result.stdout.splitlines()]


def test_disabled_for_vars_without_answers(probe: Probe) -> None:
    assert "expected_values_probe" in listed_tests(probe)
    assert "expected_values_probe" not in listed_tests(probe, "--vars", "{fcr_window_hours: 72}")
