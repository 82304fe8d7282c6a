"""Native log formats that land as they are, each in its own raw table.

Each system is a package: `source.py` defines `SOURCES` (its raw tables, as contract sources
with a landing folder, a reader and the guard's rules), `reader.py` parses its files, and
`writer.py` rewrites a generated landing tree into its format (`ccmetrics generate --format`).
dbt stages each into the canonical staging models (`models/staging/<system>/`), enabled by
dbt var `source_systems`.
"""

from __future__ import annotations

from ccmetrics.contract_schema import Source
from ccmetrics.native.asterisk.source import SOURCES as ASTERISK_SOURCES
from ccmetrics.native.connect.source import SOURCES as CONNECT_SOURCES
from ccmetrics.native.rasa.source import SOURCES as RASA_SOURCES

NATIVE_SOURCES: tuple[Source, ...] = (*ASTERISK_SOURCES, *CONNECT_SOURCES, *RASA_SOURCES)

FORMATS: tuple[str, ...] = ("landing", "asterisk", "connect", "rasa")
"""What `ccmetrics generate --format` writes: the landing contract, or a native system's
files in place of the landing files that system carries."""
