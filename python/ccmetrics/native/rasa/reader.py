"""Parse Rasa tracker-store events into the columns of raw table `rasa_events`, all as text.

Two shapes of the same events are read (docs/sources/rasa.md):

- `<day>.jsonl`: one event per line as Rasa serialises it (`Event.as_dict()`, as an event
  broker publishes it): `event` (the type name), `timestamp` (epoch seconds), `sender_id`,
  `metadata` and the type's own fields (`parse_data.intent.name` and `input_channel` on `user`
  events, `name` on `action` and `slot` events, `value` on `slot` events).
- `<day>.csv`: an export of the SQL tracker store's `events` table with its header (`id`,
  `sender_id`, `type_name`, `timestamp`, `intent_name`, `action_name`, `data`), where `data` is
  the same event JSON.

Nothing but what the metrics need is kept: message texts (free text, personal data) are never
read into a column. A line or record that does not parse, or whose event JSON does not, is
kept as a row of nulls with its line number, so that the guard quarantines it (its required
columns are missing) and reconciliation still counts it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: tuple[str, ...] = (
    "event_id",
    "content_hash",
    "sender_id",
    "event_type",
    "event_at",
    "intent_name",
    "action_name",
    "slot_name",
    "slot_value",
    "input_channel",
    "metadata_pairs",
)
SOURCE_ROW = "_source_row"
CSV_HEADER: tuple[str, ...] = (
    "id",
    "sender_id",
    "type_name",
    "timestamp",
    "intent_name",
    "action_name",
    "data",
)
"""Columns of the SQL tracker store's `events` table, as an export names them."""
EPOCH = dt.datetime(1970, 1, 1)
MICROSECONDS = Decimal(1_000_000)


def event_at_text(timestamp: object) -> str | None:
    """Epoch seconds (number or numeric text) as ISO text in UTC, exact to the microsecond.

    Anything else is returned as text, so that the guard's cast names the bad value."""
    if timestamp is None or isinstance(timestamp, bool):
        return None if timestamp is None else str(timestamp)
    try:
        seconds = Decimal(str(timestamp).strip())
    except InvalidOperation:
        return str(timestamp)
    if not seconds.is_finite():
        return str(timestamp)
    micros = int((seconds * MICROSECONDS).to_integral_value())
    try:
        moment = EPOCH + dt.timedelta(microseconds=micros)
    except OverflowError:
        return str(timestamp)
    return moment.isoformat(sep=" ", timespec="microseconds")


def _scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return json.dumps(value, sort_keys=True, default=str)


PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
"""Characters kept as they are; every other character is written `#XX` per UTF-8 byte."""
PLAIN_IN_TEXT = PLAIN | frozenset(" /:")
"""In a single value, spaces, `/` (retrieval intents) and `:` are kept too."""


def _encode(text: str, keep: frozenset[str]) -> str:
    return "".join(
        char if char in keep else "".join(f"#{byte:02X}" for byte in char.encode()) for char in text
    )


LEADING_MARK = "x#-"
"""Put before a value that would not start with a letter or digit. Nothing else can produce
it: in an encoded value `#` is always followed by two hex digits."""


def plain(text: str | None) -> str | None:
    """A delivered value in the guard's plain-text alphabet (letters, digits, ` _./:#-`, led by
    a letter or digit): any other character, and `#`, becomes `#XX` per UTF-8 byte, and a value
    that would not start with a letter or digit is led by `x#-`, so that `+4930123` loads as
    `x#-#2B4930123` instead of being quarantined. Letters, digits and `_.-/: ` pass as they are."""
    if text is None:
        return None
    encoded = _encode(text, PLAIN_IN_TEXT)
    return encoded if encoded[:1].isalnum() else LEADING_MARK + encoded


def metadata_pairs(metadata: object) -> str | None:
    """Top-level scalar metadata as `m/key:value/key:value/` (sorted by key; keys and values
    encoded like `plain` but with ` `, `/` and `:` encoded too), so that staging finds a
    configured key with portable string functions (`split_part`)."""
    if not isinstance(metadata, dict):
        return None
    pairs = [
        f"{_encode(str(key), PLAIN)}:{_encode(_scalar_text(value) or '', PLAIN)}"
        for key, value in sorted(metadata.items(), key=lambda item: str(item[0]))
        if isinstance(value, str | int | float | bool | Decimal)
    ]
    return "m/" + "/".join(pairs) + "/" if pairs else None


def content_hash(sender_id: str, event: dict[str, Any]) -> str:
    """The event's identity whatever its shape: SHA-256 of its sender and its canonical JSON
    (without `sender_id`, which the SQL table keeps beside the JSON)."""
    body = {key: value for key, value in event.items() if key != "sender_id"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{sender_id}\x1f{canonical}".encode()).hexdigest()


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = _scalar_text(value)
    return plain(text) if text != "" else None


def _intent(event: dict[str, Any]) -> str | None:
    parse_data = event.get("parse_data")
    if not isinstance(parse_data, dict):
        return None
    intent = parse_data.get("intent")
    return _text(intent.get("name")) if isinstance(intent, dict) else None


def event_row(event_id: str | None, sender_id: object, event: dict[str, Any]) -> dict[str, Any]:
    """The raw columns of one parsed event."""
    sender = _text(sender_id)
    kind = _text(event.get("event"))
    return {
        "event_id": event_id if event_id is not None else content_hash(sender or "", event),
        "content_hash": content_hash(sender or "", event),
        "sender_id": sender,
        "event_type": kind,
        "event_at": event_at_text(event.get("timestamp")),
        "intent_name": _intent(event) if kind == "user" else None,
        "action_name": _text(event.get("name")) if kind == "action" else None,
        "slot_name": _text(event.get("name")) if kind == "slot" else None,
        "slot_value": _text(event.get("value")) if kind == "slot" else None,
        "input_channel": _text(event.get("input_channel")) if kind == "user" else None,
        "metadata_pairs": metadata_pairs(event.get("metadata")),
    }


def _unparsed() -> dict[str, Any]:
    return dict.fromkeys(COLUMNS)


def _load_json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _json_lines(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # utf-8-sig: a byte-order mark (an editor's or Windows export's) is not part of line 1.
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            event = _load_json(line)
            row = _unparsed() if event is None else event_row(None, event.get("sender_id"), event)
            rows.append({SOURCE_ROW: number, **row})
    return rows


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, strict=True)
        missing = [name for name in CSV_HEADER if name not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"an export of the SQL tracker store's events table needs the columns "
                f"{', '.join(CSV_HEADER)}; missing {', '.join(missing)}"
            )
        try:
            for number, record in enumerate(reader, start=1):
                event = _load_json(record.get("data") or "")
                if event is None or None in record or any(v is None for v in record.values()):
                    rows.append({SOURCE_ROW: number, **_unparsed()})
                    continue
                # The JSON is the event as Rasa serialised it (full timestamp precision); the
                # table's columns fill in what it lacks.
                if event.get("event") is None:
                    event["event"] = record["type_name"] or None
                if event.get("timestamp") is None:
                    event["timestamp"] = record["timestamp"] or None
                row = event_row(record["id"] or None, record["sender_id"], event)
                rows.append({SOURCE_ROW: number, **row})
        except csv.Error as exc:
            raise ValueError(f"malformed CSV at line {reader.line_num}: {exc}") from None
    return rows


def read_events(path: Path) -> pd.DataFrame:
    """One row per event of a day file (`.jsonl` or `.csv`), every column text (or null), and
    `_source_row`: the line number (JSON lines) or the record number after the header (CSV)."""
    import pandas as pd

    suffix = path.suffix.lower().lstrip(".")
    if suffix == "jsonl":
        rows = _json_lines(path)
    elif suffix == "csv":
        rows = _csv_rows(path)
    else:
        raise ValueError(f"a Rasa events file is .jsonl or .csv, got {path.name}")
    frame = pd.DataFrame(rows, columns=[SOURCE_ROW, *COLUMNS])
    frame[SOURCE_ROW] = frame[SOURCE_ROW].astype("int64")
    return frame.astype({name: "object" for name in COLUMNS}).where(frame.notna(), None)
