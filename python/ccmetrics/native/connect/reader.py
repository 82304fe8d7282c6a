"""Parse a Kinesis Data Firehose delivery of Amazon Connect contact trace records.

Firehose concatenates the JSON records it buffers: objects follow each other with or without
newlines between them (`}{`), and a record may be pretty-printed over many lines. The reader
decodes one object after the other (`json.JSONDecoder.raw_decode`) and returns one row per
record, every column as text (the guard casts them), plus `_source_row`, the record's number
in the file (1-based; not its line, since a line can hold several records or part of one).

A record that is not valid JSON leaves the rest of the file without a known record boundary:
the file is rejected (naming the record number, line and byte offset), never resynchronised
by guessing where the next record starts, which could drop or invent records silently.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_ATTRIBUTE_KEYS: dict[str, str] = {
    "contact_reason": "contact_reason",
    "customer_id": "customer_id",
    "ai_assisted": "ai_assisted",
    "bot_handoff": "bot_handoff",
}
"""Which contact attribute (`Attributes` key) holds each value staging needs; dbt var
`connect_attribute_keys` in dbt_project.yml overrides any of them."""

FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contact_id", ("ContactId",)),
    ("initial_contact_id", ("InitialContactId",)),
    ("previous_contact_id", ("PreviousContactId",)),
    ("next_contact_id", ("NextContactId",)),
    ("related_contact_id", ("RelatedContactId",)),
    ("channel", ("Channel",)),
    ("initiation_method", ("InitiationMethod",)),
    ("initiation_timestamp", ("InitiationTimestamp",)),
    ("connected_to_system_timestamp", ("ConnectedToSystemTimestamp",)),
    ("disconnect_timestamp", ("DisconnectTimestamp",)),
    ("disconnect_reason", ("DisconnectReason",)),
    ("queue_name", ("Queue", "Name")),
    ("queue_enqueue_timestamp", ("Queue", "EnqueueTimestamp")),
    ("queue_dequeue_timestamp", ("Queue", "DequeueTimestamp")),
    ("queue_duration", ("Queue", "Duration")),
    ("agent_username", ("Agent", "Username")),
    ("agent_connected_to_agent_timestamp", ("Agent", "ConnectedToAgentTimestamp")),
    ("agent_interaction_duration", ("Agent", "AgentInteractionDuration")),
    ("agent_customer_hold_duration", ("Agent", "CustomerHoldDuration")),
    ("agent_after_contact_work_duration", ("Agent", "AfterContactWorkDuration")),
    ("customer_endpoint_type", ("CustomerEndpoint", "Type")),
    (
        "chat_agent_first_response_timestamp",
        ("ChatMetrics", "ChatContactMetrics", "AgentFirstResponseTimestamp"),
    ),
    ("last_update_timestamp", ("LastUpdateTimestamp",)),
)
"""Raw column and the record's path to it (a missing object, like `Agent` on an unanswered
contact, gives nulls)."""

ENDPOINT_COLUMNS = ("customer_phone", "customer_email")
ATTRIBUTE_COLUMNS = tuple(f"attribute_{name}" for name in DEFAULT_ATTRIBUTE_KEYS)
COLUMNS: tuple[str, ...] = (
    *(name for name, _ in FIELDS[:-1]),
    *ENDPOINT_COLUMNS,
    *ATTRIBUTE_COLUMNS,
    FIELDS[-1][0],
)
SOURCE_ROW = "_source_row"

_PHONE_START = re.compile(r"^\s*\+?[0-9]")


@cache
def attribute_keys(project_file: Path | None = None) -> dict[str, str]:
    """The `Attributes` key of each value staging reads: dbt var `connect_attribute_keys`
    (dbt_project.yml) over the defaults."""
    import yaml

    from ccmetrics.paths import project_dir

    path = project_file if project_file is not None else project_dir() / "dbt_project.yml"
    keys = dict(DEFAULT_ATTRIBUTE_KEYS)
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except OSError:
        return keys
    configured = (config.get("vars") or {}).get("connect_attribute_keys") or {}
    for name, key in configured.items():
        if name not in keys:
            raise ValueError(
                f"var connect_attribute_keys: unknown entry {name!r} "
                f"(entries: {', '.join(DEFAULT_ATTRIBUTE_KEYS)})"
            )
        keys[name] = str(key)
    return keys


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _get(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def _endpoint(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """(phone, e-mail) of the customer endpoint. A withheld caller id (an address that is no
    number, such as `anonymous`) is no phone: the caller is not identified."""
    endpoint = record.get("CustomerEndpoint")
    if not isinstance(endpoint, dict):
        return None, None
    address = _text(endpoint.get("Address"))
    kind = _text(endpoint.get("Type"))
    if address is None:
        return None, None
    if kind == "EMAIL_ADDRESS" or (kind is None and "@" in address):
        return None, address.strip()
    if kind in (None, "TELEPHONE_NUMBER") and _PHONE_START.match(address):
        return address.strip(), None
    return None, None


def row_of(record: dict[str, Any], keys: dict[str, str]) -> dict[str, str | None]:
    """One record as the raw table's columns, all text."""
    row = {name: _text(_get(record, path)) for name, path in FIELDS}
    row["customer_phone"], row["customer_email"] = _endpoint(record)
    attributes = record.get("Attributes")
    if not isinstance(attributes, dict):
        attributes = {}
    for name, key in keys.items():
        row[f"attribute_{name}"] = _text(attributes.get(key))
    return row


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def iter_records(text: str) -> list[dict[str, Any]]:
    """The JSON objects of a Firehose delivery, in file order (see the module docstring)."""
    decoder = json.JSONDecoder()
    records: list[dict[str, Any]] = []
    position = 0
    end = len(text)
    while True:
        while position < end and text[position] in " \t\r\n":
            position += 1
        if position >= end:
            return records
        number = len(records) + 1
        try:
            value, position_after = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"record {number} (line {_line_of(text, position)}, byte {position}) is not "
                f"valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}; the records "
                "after it cannot be delimited, so the file is rejected"
            ) from None
        if not isinstance(value, dict):
            raise ValueError(
                f"record {number} (line {_line_of(text, position)}, byte {position}) is a JSON "
                f"{type(value).__name__}, not a contact record object"
            )
        records.append(value)
        position = position_after


def read_ctr_file(path: Path) -> pd.DataFrame:
    """A day file of contact trace records as the raw table's columns (text) and
    `_source_row` (the record's number in the file)."""
    import pandas as pd

    text = path.read_bytes().decode("utf-8-sig")
    keys = attribute_keys()
    rows = [row_of(record, keys) for record in iter_records(text)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype="object")
    frame = frame.astype("object").where(frame.notna(), None)
    frame.insert(0, SOURCE_ROW, range(1, len(frame) + 1))
    return frame
