"""The DAG rules that dbt-project-evaluator checks, enforced over dbt's manifest.json.

The manifest comes from `dbt parse` (no database needed). Each rule is a function of the
manifest dict that returns its violations; the tests at the bottom prove that every rule
fires on a small synthetic manifest holding one violation, so a rule cannot pass vacuously.

By-design exceptions are listed here with their reason, and the lists are exact: a new
offender fails the test, and so does an exception that no longer occurs (remove it).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from typing import Any

import pytest
from conftest import BIN, ROOT, dbt_env

Manifest = dict[str, Any]

STAGING = "models/staging/"
MARTS = "models/marts/"

# Most direct child models one model may have. The exceptions are below.
MAX_CHILDREN = 10

# model -> (its own ceiling, reason). The ceiling is today's count: more fails the test.
FANOUT_EXCEPTIONS: dict[str, tuple[int, str]] = {
    "int_contacts_chained": (
        14,
        "the contact-segment grain that every queue, handle-time and chain metric starts "
        "from; its readers aggregate it differently (interval, day, agent-day, chain); and "
        "the day-keyed incremental models read its invocation stamps to find the chains a "
        "run re-computed (ccm_chains_recomputed_from)",
    ),
    "int_customer_interactions_fcr_flagged": (
        11,
        "the one repeat-contact judgement that FCR, bot resolution, churn risk and the "
        "drill-down share; and the day-keyed incremental models read its invocation stamps to "
        "find the interactions a run judged again (ccm_interactions_rejudged_from)",
    ),
}

# Reasons shared by several (mart, staging model) exceptions below.
DIMENSION = "by design: a dimension is the one conformed copy of a staging entity marts read"
COVERAGE = "by design: it counts the rows each delivered source has in staging"
SYSTEMS = "by design: it counts the canonical staging rows each source system delivered"

# (mart, staging model it reads) -> reason.
MART_READS_STAGING_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("dim_agents", "stg_wfm__agents"): DIMENSION,
    ("dim_customers", "stg_crm__customers"): DIMENSION,
    **{
        ("fct_source_coverage", staging): COVERAGE
        for staging in (
            "stg_acd__agent_states",
            "stg_acd__contacts",
            "stg_ai__recommendations",
            "stg_bot__sessions",
            "stg_crm__customers",
            "stg_finance__cost_lines",
            "stg_kb__events",
            "stg_qa__evaluations",
            "stg_survey__responses",
            "stg_wfm__agents",
            "stg_wfm__schedules",
        )
    },
    **{
        ("fct_source_systems_daily", staging): SYSTEMS
        for staging in ("stg_acd__agent_states", "stg_acd__contacts", "stg_bot__sessions")
    },
}


def project_models(manifest: Manifest) -> dict[str, dict[str, Any]]:
    """The project's own models (not those of installed packages), by unique_id."""
    project = manifest["metadata"]["project_name"]
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == project
    }


def sources_read_outside_staging(manifest: Manifest) -> set[tuple[str, str]]:
    """(model, source) for every source a model outside models/staging reads."""
    return {
        (node["name"], parent.removeprefix("source."))
        for node in project_models(manifest).values()
        if not node["original_file_path"].startswith(STAGING)
        for parent in node["depends_on"]["nodes"]
        if parent.startswith("source.")
    }


def marts_reading_staging(manifest: Manifest) -> set[tuple[str, str]]:
    """(mart, staging model) for every staging model a mart reads directly."""
    models = project_models(manifest)
    return {
        (node["name"], models[parent]["name"])
        for node in models.values()
        if node["original_file_path"].startswith(MARTS)
        for parent in node["depends_on"]["nodes"]
        if parent in models and models[parent]["original_file_path"].startswith(STAGING)
    }


def undocumented(manifest: Manifest) -> set[str]:
    """Models without a description or without documented columns, and columns without one.

    dbt parse sees the columns the yml declares, not the ones the SQL returns; contracts
    (enforced on every mart) make the two agree where it matters most.
    """
    missing: set[str] = set()
    for node in project_models(manifest).values():
        if not node["description"].strip():
            missing.add(node["name"])
        if not node["columns"]:
            missing.add(f"{node['name']} (no columns documented)")
        missing.update(
            f"{node['name']}.{column}"
            for column, spec in node["columns"].items()
            if not spec["description"].strip()
        )
    return missing


def models_without_primary_key(manifest: Manifest) -> set[str]:
    """Models with neither unique + not_null on one column, unique_combination_of_columns,
    nor a primary_key constraint."""
    tests: dict[str, list[tuple[str, str | None]]] = {}
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata")
        if node["resource_type"] == "test" and metadata and node.get("attached_node"):
            tests.setdefault(node["attached_node"], []).append(
                (metadata["name"], node.get("column_name"))
            )
    missing = set()
    for unique_id, node in project_models(manifest).items():
        attached = tests.get(unique_id, [])
        unique = {column for name, column in attached if name == "unique"}
        not_null = {column for name, column in attached if name == "not_null"}
        combination = any(name == "unique_combination_of_columns" for name, _ in attached)
        constraint = any(c["type"] == "primary_key" for c in node.get("constraints", [])) or any(
            c["type"] == "primary_key"
            for spec in node["columns"].values()
            for c in spec.get("constraints", [])
        )
        if not (unique & not_null or combination or constraint):
            missing.add(node["name"])
    return missing


def model_children(manifest: Manifest) -> dict[str, int]:
    """Number of direct child models of each model that has any."""
    models = project_models(manifest)
    counts = Counter(
        models[parent]["name"]
        for node in models.values()
        for parent in set(node["depends_on"]["nodes"])
        if parent in models
    )
    return dict(counts)


def fanout_violations(manifest: Manifest) -> dict[str, int]:
    """Models with more direct child models than MAX_CHILDREN (or their exception's ceiling)."""
    return {
        name: count
        for name, count in model_children(manifest).items()
        if count > FANOUT_EXCEPTIONS.get(name, (MAX_CHILDREN, ""))[0]
    }


def exposed_models_not_public(manifest: Manifest) -> set[tuple[str, str]]:
    """(exposure, model) for every model an exposure reads whose access is not public."""
    models = project_models(manifest)
    return {
        (exposure["name"], models[parent]["name"])
        for exposure in manifest.get("exposures", {}).values()
        for parent in exposure["depends_on"]["nodes"]
        if parent in models and models[parent].get("access") != "public"
    }


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    work = tmp_path_factory.mktemp("dag_rules")
    env = dbt_env(work / "parse.duckdb", work)
    result = subprocess.run(
        [str(BIN / "dbt"), "parse", "--target", "ci", "--no-partial-parse"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return json.loads((work / "target" / "manifest.json").read_text())


def test_no_source_is_read_outside_staging(manifest: Manifest) -> None:
    assert sources_read_outside_staging(manifest) == set()


def test_marts_read_staging_only_where_listed(manifest: Manifest) -> None:
    found = marts_reading_staging(manifest)
    assert found - MART_READS_STAGING_EXCEPTIONS.keys() == set(), "new mart reading staging"
    assert MART_READS_STAGING_EXCEPTIONS.keys() - found == set(), "fixed: remove the exception"


def test_every_model_and_column_is_described(manifest: Manifest) -> None:
    assert undocumented(manifest) == set()


def test_every_model_has_a_primary_key_test(manifest: Manifest) -> None:
    assert models_without_primary_key(manifest) == set()


def test_fanout_is_bounded(manifest: Manifest) -> None:
    assert fanout_violations(manifest) == {}
    children = model_children(manifest)
    for name, (ceiling, _reason) in FANOUT_EXCEPTIONS.items():
        assert MAX_CHILDREN < children.get(name, 0) <= ceiling, f"{name}: exception unneeded"


def test_every_model_an_exposure_reads_is_public(manifest: Manifest) -> None:
    assert manifest["exposures"], "no exposure parsed: the rule would pass vacuously"
    assert exposed_models_not_public(manifest) == set()


# The rules against a synthetic manifest: each fires on the one violation it holds.


def model(
    name: str,
    folder: str,
    parents: list[str] | None = None,
    description: str = "Described.",
    columns: dict[str, str] | None = None,
    constraints: list[dict[str, Any]] | None = None,
    access: str = "protected",
) -> tuple[str, dict[str, Any]]:
    unique_id = f"model.demo.{name}"
    return unique_id, {
        "resource_type": "model",
        "package_name": "demo",
        "name": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "depends_on": {"nodes": parents or []},
        "description": description,
        "columns": {
            column: {"name": column, "description": text, "constraints": []}
            for column, text in (columns if columns is not None else {"id": "Key."}).items()
        },
        "constraints": constraints or [],
        "access": access,
    }


def data_test(name: str, model_name: str, column: str | None = None) -> tuple[str, dict[str, Any]]:
    return f"test.demo.{name}_{model_name}_{column}", {
        "resource_type": "test",
        "package_name": "demo",
        "test_metadata": {"name": name, "kwargs": {}},
        "attached_node": f"model.demo.{model_name}",
        "column_name": column,
        "depends_on": {"nodes": [f"model.demo.{model_name}"]},
    }


def exposure(name: str, parents: list[str]) -> tuple[str, dict[str, Any]]:
    return f"exposure.demo.{name}", {
        "resource_type": "exposure",
        "package_name": "demo",
        "name": name,
        "depends_on": {"nodes": parents},
    }


def synthetic(
    *nodes: tuple[str, dict[str, Any]], exposures: list[tuple[str, dict[str, Any]]] | None = None
) -> Manifest:
    return {
        "metadata": {"project_name": "demo"},
        "nodes": dict(nodes),
        "exposures": dict(exposures or []),
    }


def test_rule_sources_flags_a_source_read_outside_staging() -> None:
    manifest = synthetic(
        model("stg_a", "staging/acd", ["source.demo.raw.a"]),
        model("int_b", "intermediate", ["source.demo.raw.b", "model.demo.stg_a"]),
    )
    assert sources_read_outside_staging(manifest) == {("int_b", "demo.raw.b")}


def test_rule_marts_flags_a_mart_reading_staging() -> None:
    manifest = synthetic(
        model("stg_a", "staging/acd"),
        model("int_a", "intermediate", ["model.demo.stg_a"]),
        model("fct_ok", "marts/x", ["model.demo.int_a"]),
        model("fct_bad", "marts/x", ["model.demo.int_a", "model.demo.stg_a"]),
    )
    assert marts_reading_staging(manifest) == {("fct_bad", "stg_a")}


def test_rule_documentation_flags_missing_descriptions() -> None:
    manifest = synthetic(
        model("int_ok", "intermediate"),
        model("int_bare", "intermediate", description=" "),
        model("int_column", "intermediate", columns={"id": "Key.", "amount": ""}),
        model("int_none", "intermediate", columns={}),
    )
    assert undocumented(manifest) == {
        "int_bare",
        "int_column.amount",
        "int_none (no columns documented)",
    }


def test_rule_primary_key_accepts_the_three_forms_and_flags_the_rest() -> None:
    manifest = synthetic(
        model("int_single", "intermediate"),
        data_test("unique", "int_single", "id"),
        data_test("not_null", "int_single", "id"),
        model("int_combined", "intermediate"),
        data_test("unique_combination_of_columns", "int_combined"),
        model("int_constrained", "intermediate", constraints=[{"type": "primary_key"}]),
        model("int_split", "intermediate", columns={"id": "Key.", "other": "Other."}),
        data_test("unique", "int_split", "id"),
        data_test("not_null", "int_split", "other"),
        model("int_untested", "intermediate"),
    )
    assert models_without_primary_key(manifest) == {"int_split", "int_untested"}


def test_rule_fanout_flags_more_children_than_the_bound() -> None:
    children = [
        model(f"int_child_{index}", "intermediate", ["model.demo.stg_wide"])
        for index in range(MAX_CHILDREN + 1)
    ]
    manifest = synthetic(model("stg_wide", "staging/acd"), *children)
    assert fanout_violations(manifest) == {"stg_wide": MAX_CHILDREN + 1}
    assert fanout_violations(synthetic(model("stg_wide", "staging/acd"), *children[1:])) == {}


def test_rule_exposures_flags_a_model_read_by_an_exposure_that_is_not_public() -> None:
    manifest = synthetic(
        model("fct_public", "marts/x", access="public"),
        model("fct_protected", "marts/x", access="protected"),
        model("fct_unexposed", "marts/x", access="private"),
        exposures=[
            exposure("report", ["model.demo.fct_public", "model.demo.fct_protected"]),
            exposure("scorecard", ["model.demo.fct_public"]),
        ],
    )
    assert exposed_models_not_public(manifest) == {("report", "fct_protected")}
