"""The landing contract, its rendered doc and the dbt source definitions agree."""

from pathlib import Path

import pytest
import yaml

from ccmetrics.contract import ALL_SOURCES, LOADER_COLUMNS, SOURCES, source
from ccmetrics.contract_doc import render_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_rendered_doc_is_up_to_date():
    committed = (ROOT / "docs" / "landing_contract.md").read_text()
    assert committed == render_markdown(), "run: ccmetrics contract > docs/landing_contract.md"


def _dbt_source_tables() -> dict[str, tuple[str, list[str]]]:
    """Raw table (the identifier, else the name) -> (dbt source, its columns)."""
    tables: dict[str, tuple[str, list[str]]] = {}
    for path in (ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        for dbt_source in yaml.safe_load(path.read_text())["sources"]:
            for table in dbt_source["tables"]:
                raw_table = table.get("identifier", table["name"])
                columns = [column["name"] for column in table["columns"]]
                tables[raw_table] = (dbt_source["name"], columns)
    return tables


def test_every_contract_source_is_a_dbt_source_with_the_same_columns():
    """The landing contract's sources and the native formats' raw tables alike."""
    tables = _dbt_source_tables()
    assert sorted(tables) == sorted(s.name for s in ALL_SOURCES)
    for contract_source in ALL_SOURCES:
        expected = [*contract_source.column_names, *LOADER_COLUMNS]
        assert tables[contract_source.name] == (contract_source.system, expected), (
            contract_source.name
        )


def test_fixture_seeds_have_the_contract_columns():
    for contract_source in SOURCES:
        header = (ROOT / "seeds" / "fixtures" / f"{contract_source.name}.csv").open().readline()
        assert header.strip().split(",") == [*contract_source.column_names, *LOADER_COLUMNS]


def test_references_point_to_existing_columns():
    for contract_source in SOURCES:
        for column in contract_source.columns:
            if column.references:
                target_source, target_column = column.references.split(".")
                assert target_column in source(target_source).column_names


def test_unknown_source_names_the_valid_ones():
    with pytest.raises(KeyError, match="valid sources: contacts"):
        source("calls")
