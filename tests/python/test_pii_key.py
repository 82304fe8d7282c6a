"""The PII key never leaves the process that hashes with it (docs/security.md).

The fixture center is built once with a known key. Both variables are set to it: the key
(CCMETRICS_PII_KEY) and the salt of the former salted SHA-256 (CCMETRICS_PII_SALT), which
that code rendered into the SQL and from there into target/, logs/ and the warehouse. The
hashes are checked against Python's own HMAC-SHA-256 of the normalized fixture values:
customer c01 calls from "+1 555 0101"; c03 writes from "Customer03@Example.com", hashed
trimmed and lower-cased.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import pickle
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import BIN, ROOT, dbt_env

from ccmetrics.pii_hash import (
    DEMO_KEY,
    DEMO_KEY_REFUSAL,
    DEMO_KEY_WARNING,
    DEPRECATED_WARNING,
    KeyedHasher,
    read_key,
)

KEY = "s3cr3t-key-4711"
KEY_VARIABLES = ("CCMETRICS_PII_KEY", "CCMETRICS_PII_SALT")


@dataclass(frozen=True)
class Build:
    work: Path
    db_path: Path
    output: str


def _env(db_path: Path, work: Path, key: str | None) -> dict[str, str]:
    env = dbt_env(db_path, work)
    for name in KEY_VARIABLES:
        env.pop(name, None)
        if key is not None:
            env[name] = key
    return env


def _dbt(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "dbt"), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _hmac(key: str, normalized: str) -> str:
    return hmac.new(key.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def _contact_hashes(db_path: Path) -> dict[str, tuple[str | None, str | None]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select contact_id, customer_phone_hash, customer_email_hash "
            "from staging.stg_acd__contacts where contact_id in ('k001', 'k014')"
        ).fetchall()
    finally:
        con.close()
    return {contact_id: (phone, email) for contact_id, phone, email in rows}


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("pii_key")
    db_path = work / "ci.duckdb"
    # A permissive umask, as on most machines: the build must still keep the warehouse private.
    previous = os.umask(0o022)
    try:
        result = _dbt(_env(db_path, work, KEY), "build", "--target", "ci", "--full-refresh")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stdout[-4000:]
    return Build(work, db_path, result.stdout)


def test_the_warehouse_the_build_writes_is_owner_only(keyed: Build) -> None:
    """Its raw tables hold phone numbers and e-mails (docs/security.md)."""
    assert stat.S_IMODE(keyed.db_path.stat().st_mode) == 0o600


def test_the_key_is_in_no_artefact_log_or_warehouse_definition(keyed: Build) -> None:
    artefacts = [
        path
        for folder in (keyed.work / "target", keyed.work / "logs")
        for path in folder.rglob("*")
        if path.is_file()
    ]
    names = {path.name for path in artefacts}
    assert {"manifest.json", "run_results.json", "dbt.log"} <= names
    assert any(path.suffix == ".sql" for path in artefacts), "compiled SQL was written"
    leaking = [str(path) for path in artefacts if KEY.encode() in path.read_bytes()]
    assert leaking == []

    con = duckdb.connect(str(keyed.db_path), read_only=True)
    try:
        stored = [
            *con.execute("select sql from duckdb_views()").fetchall(),
            *con.execute("select comment from duckdb_views()").fetchall(),
            *con.execute("select comment from duckdb_tables()").fetchall(),
            *con.execute("select comment from duckdb_columns()").fetchall(),
        ]
    finally:
        con.close()
    assert [text for (text,) in stored if text and KEY in text] == []
    # Staging is a table now: the SQL that built it calls the function, and holds no key.
    staging_sql = next((keyed.work / "target").rglob("stg_acd__contacts.sql")).read_text()
    assert "ccm_pii_hash(distinct_values.pii_value)" in staging_sql
    assert KEY.encode() not in keyed.db_path.read_bytes()


def test_hashes_are_hmac_sha256_of_the_normalized_value_with_the_key(keyed: Build) -> None:
    assert DEMO_KEY_WARNING not in keyed.output
    assert _contact_hashes(keyed.db_path) == {
        "k001": (_hmac(KEY, "+1 555 0101"), None),
        "k014": (None, _hmac(KEY, "customer03@example.com")),
    }


def _latest_versions(rows: list[tuple]) -> dict[str, tuple]:
    """The latest version of each key: rows of (key, record_updated_at, _loaded_at,
    _source_row, *values), compared in that order, a missing time before any other."""
    latest: dict[str, tuple] = {}
    for row in sorted(
        rows, key=lambda row: tuple((value is not None, value) for value in row[1:4])
    ):
        latest[row[0]] = row
    return latest


@pytest.mark.parametrize(
    ("raw", "staged", "key", "identifiers"),
    [
        ("contacts", "stg_acd__contacts", "contact_id", ("customer_phone", "customer_email")),
        ("customers", "stg_crm__customers", "customer_id", ("phone", "email")),
    ],
)
def test_every_staged_identifier_is_the_hmac_of_its_latest_raw_value(
    keyed: Build, raw: str, staged: str, key: str, identifiers: tuple[str, str]
) -> None:
    """Staging hashes each distinct value once and joins the hashes back on the raw value:
    every row must still carry the hash of its own latest value, null for null."""
    con = duckdb.connect(str(keyed.db_path), read_only=True)
    try:
        raw_rows = con.execute(
            f"select {key}, record_updated_at, _loaded_at, _source_row, "
            f"{', '.join(identifiers)} from raw.{raw}"
        ).fetchall()
        staged_rows = con.execute(
            f"select {key}, {', '.join(f'{column}_hash' for column in identifiers)} "
            f"from staging.{staged}"
        ).fetchall()
    finally:
        con.close()
    expected = {
        row[0]: tuple(
            None if value is None else _hmac(KEY, value.strip(" ").lower()) for value in row[4:]
        )
        for row in _latest_versions(raw_rows).values()
    }
    assert sum(value is not None for row in expected.values() for value in row) > 10
    assert {row[0]: tuple(row[1:]) for row in staged_rows} == expected


def test_marts_hold_neither_pii_nor_its_hashes(keyed: Build) -> None:
    """What `ccmetrics publish` copies (the marts) carries no customer identifier at all."""
    fixtures = ROOT / "seeds" / "fixtures"
    raw = {
        value
        for name, columns in (
            ("contacts.csv", ("customer_phone", "customer_email")),
            ("customers.csv", ("phone", "email")),
        )
        for row in csv.DictReader((fixtures / name).open(newline=""))
        for column in columns
        if (value := row[column])
    }
    forbidden = raw | {_hmac(KEY, value.strip(" ").lower()) for value in raw}
    con = duckdb.connect(str(keyed.db_path), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where schema_name = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        found = [
            (table, column)
            for table, column in columns
            if con.execute(
                f'select count(*) from marts."{table}" where "{column}" in '
                f"(select unnest(?::varchar[]))",
                [sorted(forbidden)],
            ).fetchall()[0][0]
        ]
    finally:
        con.close()
    assert len(raw) > 40 and len(columns) > 40
    assert found == []


def test_without_a_key_dbt_warns_once_and_hashes_with_the_demo_key(
    keyed: Build, tmp_path: Path
) -> None:
    db_path = tmp_path / "demo.duckdb"
    shutil.copyfile(keyed.db_path, db_path)
    result = _dbt(
        _env(db_path, tmp_path, None),
        "run",
        "--target",
        "ci",
        "--full-refresh",
        "--select",
        "stg_acd__contacts",
        "stg_bot__sessions",
        "int_contacts_chained",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert result.stdout.count(DEMO_KEY_WARNING) == 1
    demo = _contact_hashes(db_path)
    assert demo == {
        "k001": (_hmac(DEMO_KEY, "+1 555 0101"), None),
        "k014": (None, _hmac(DEMO_KEY, "customer03@example.com")),
    }
    assert demo["k001"][0] != _contact_hashes(keyed.db_path)["k001"][0]


def test_the_prod_target_refuses_the_demo_key_before_any_model(tmp_path: Path) -> None:
    db_path = tmp_path / "prod.duckdb"
    result = _dbt(_env(db_path, tmp_path, None), "build", "--target", "prod")
    assert result.returncode != 0
    assert DEMO_KEY_REFUSAL in result.stdout
    assert not db_path.exists(), "nothing ran, not even the on-run-start hook"


def test_the_former_salt_variable_still_works_as_the_key_with_a_warning() -> None:
    assert read_key({"CCMETRICS_PII_SALT": "old-salt"}) == (b"old-salt", DEPRECATED_WARNING)
    assert read_key({"CCMETRICS_PII_KEY": KEY, "CCMETRICS_PII_SALT": "old"}) == (KEY.encode(), None)
    assert read_key({"CCMETRICS_PII_KEY": ""}) == (DEMO_KEY.encode(), DEMO_KEY_WARNING)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(b"k", id="short"),
        pytest.param(bytes(range(64)), id="one-block"),
        pytest.param(bytes(range(65)), id="longer-than-a-block"),
        pytest.param("clé-ünïcode".encode(), id="utf8"),
    ],
)
def test_the_keyed_hasher_is_hmac_sha256_of_the_normalized_value(key: bytes) -> None:
    """KeyedHasher builds HMAC from two SHA-256 states; the standard library's HMAC of the
    hand-normalized value is the reference, for keys on both sides of the 64-byte block (a
    longer key is hashed first), and after the pickling that carries it to Spark's workers."""
    cases = {
        "+1 555 0101": "+1 555 0101",
        "  Customer03@Example.COM  ": "customer03@example.com",
        "\tTab@Example.com": "\ttab@example.com",
        "ÉLODIE@exemple.fr": "élodie@exemple.fr",
        "": "",
    }
    hasher = pickle.loads(pickle.dumps(KeyedHasher(key)))
    for value, normalized in cases.items():
        assert hasher(value) == hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()
    assert hasher(None) is None
