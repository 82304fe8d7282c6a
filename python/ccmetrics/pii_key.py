"""The keyed hash that replaces customer phone numbers and e-mail addresses in staging.

Staging calls the DuckDB function `ccm_pii_hash(value)` (macro `ccm_hash_pii`). This module is
the one definition of it: dbt-duckdb loads it as a plugin (`plugins:` in
profiles/profiles.yml) and registers the function on every connection a dbt command opens.
The key is read from the environment inside this process, so the compiled SQL, dbt's
artefacts (target/), its logs and the view definitions stored in the warehouse name the
function and never the key. A plain or salted hash whose salt sits next to it would not
protect phone numbers: their key space is small enough to hash every number and compare.

The hash is the hex HMAC-SHA-256 of the value trimmed of spaces and lower-cased (so that
"Customer03@Example.com " and "customer03@example.com" stay one person); null stays null.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.events.logging import AdapterLogger
from dbt_common.exceptions import DbtRuntimeError
from duckdb import DuckDBPyConnection

from ccmetrics.pii_hash import (
    DEMO_KEY_REFUSAL,
    DEMO_KEY_WARNING,
    FUNCTION_NAME,
    KeyedHasher,
    read_key,
)
from ccmetrics.private_files import private_umask

logger = AdapterLogger("ccmetrics")


def register(con: DuckDBPyConnection, key: bytes) -> None:
    """Registers ccm_pii_hash(varchar) -> varchar on `con`, computed one Arrow batch at a time."""

    hash_value = KeyedHasher(key)

    def hash_batch(values: pa.Array) -> pa.Array:
        return pa.array([hash_value(value) for value in values.to_pylist()], type=pa.string())

    con.create_function(
        FUNCTION_NAME, hash_batch, ["VARCHAR"], "VARCHAR", type="arrow", side_effects=False
    )


class Plugin(BasePlugin):
    """dbt-duckdb plugin; `require_key: true` (the prod target) refuses the demo key."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        # The environment is created once per dbt command, so each command warns once.
        self.key, warning = read_key()
        if warning == DEMO_KEY_WARNING and plugin_config.get("require_key", False):
            raise DbtRuntimeError(DEMO_KEY_REFUSAL)
        if warning:
            logger.warning(warning)
        # The build writes the warehouse and its write-ahead log, which hold raw PII: they
        # must be private from their first byte, whatever the user's umask.
        os.umask(private_umask())

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn, self.key)
