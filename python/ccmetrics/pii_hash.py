"""The keyed hash of personal data: one definition for every engine.

The hash is the hex HMAC-SHA-256 of the value trimmed of spaces and lower-cased (so that
"Customer03@Example.com " and "customer03@example.com" stay one person); null stays null. The
key is read from the environment by the process that runs the build, never written into SQL:
`ccmetrics.pii_key` registers it as DuckDB's `ccm_pii_hash` (a dbt-duckdb plugin),
`ccmetrics.spark_session` as Spark's.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

KEY_ENV = "CCMETRICS_PII_KEY"
# The variable of the salted hash this module replaced; still read when the key is not set.
DEPRECATED_KEY_ENV = "CCMETRICS_PII_SALT"
# Public (it is in this repository): hashes made with it protect nothing.
DEMO_KEY = "ccmetrics-demo-key"
FUNCTION_NAME = "ccm_pii_hash"

DEMO_KEY_WARNING = (
    f"{KEY_ENV} is not set: PII is hashed with the public demo key; set it in production"
)
DEMO_KEY_REFUSAL = (
    f"{KEY_ENV} is not set: this target refuses to hash PII with the public demo key. "
    f"Set {KEY_ENV} to the production key (keep it out of the repository) and rerun."
)
DEPRECATED_WARNING = (
    f"{DEPRECATED_KEY_ENV} is deprecated: it is used as the PII key because {KEY_ENV} is not "
    f"set; rename it to {KEY_ENV}"
)


def normalize(value: str) -> str:
    """The form that is hashed; DuckDB's trim strips spaces only, and so does this."""
    return value.strip(" ").lower()


class KeyedHasher:
    """The hash of one value under a key (None stays None), as a callable.

    HMAC (RFC 2104) is SHA-256(key ^ opad || SHA-256(key ^ ipad || value)), the key padded
    to SHA-256's 64-byte block (hashed first when longer). The two padded keys are hashed
    once here, and each value continues copies of those two states: the hashing stays in C,
    at about half the time per value of copying an `hmac` object, on the tens of millions of
    phone numbers and addresses a large center stages. Spark pickles a UDF to send it to its
    workers, and a hash state does not pickle: the key travels (as it does in any UDF that
    holds it) and each worker keys its own."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        block = hashlib.sha256().block_size
        padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in padded))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in padded))

    def __getstate__(self) -> bytes:
        return self._key

    def __setstate__(self, key: bytes) -> None:
        self.__init__(key)

    def __call__(self, value: str | None) -> str | None:
        if value is None:
            return None
        inner = self._inner.copy()
        inner.update(normalize(value).encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def read_key(environ: Mapping[str, str] = os.environ) -> tuple[bytes, str | None]:
    """The key and the warning its source calls for (None for a key set in CCMETRICS_PII_KEY)."""
    key = environ.get(KEY_ENV, "")
    if key:
        return key.encode("utf-8"), None
    legacy = environ.get(DEPRECATED_KEY_ENV, "")
    if legacy:
        return legacy.encode("utf-8"), DEPRECATED_WARNING
    return DEMO_KEY.encode("utf-8"), DEMO_KEY_WARNING
