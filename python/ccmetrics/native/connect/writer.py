"""Rewrite a generated landing tree's contacts into Amazon Connect contact trace records.

`ccmetrics generate --format connect` calls `write_native` after the landing contract is
written. Every version of every phone, IVR and chat contact (VOICE and CHAT; `CHANNELS` says
why e-mail stays in the landing contract) becomes one record in
`<landing>/connect/ctr/<day>.json` (the UTC day of its LastUpdateTimestamp, as Firehose
delivers), and leaves the landing contacts file. Like Firehose, the writer sends some records
twice: an earlier version (at the contact's disconnect, before after-contact work) and some
exact duplicates; and it writes records concatenated without a separator, one per line, or
pretty-printed, so that a load of the tree meets every shape the reader handles.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from ccmetrics.native.connect.reader import DEFAULT_ATTRIBUTE_KEYS

FOLDER = "connect/ctr"
CHANNELS: dict[str, str] = {"phone": "VOICE", "ivr": "VOICE", "chat": "CHAT"}
"""Canonical channel -> Connect channel, for the channels the writer moves. Messaging and
social stay in the landing contract (Connect's SMS/WhatsApp chats are CHAT contacts that the
canonical model cannot tell apart from web chat), and so does e-mail: Connect's EMAIL contacts
load (staging maps them), but their record has no agent first-response time, so a converted
center would not reproduce the e-mail response metrics."""

DISCONNECT_REASONS: dict[str, str] = {
    "handled": "CUSTOMER_DISCONNECT",
    "transferred": "AGENT_DISCONNECT",
    "disconnected": "TELECOM_PROBLEM",
    "abandoned": "CUSTOMER_DISCONNECT",
    "flow_out": "CONTACT_FLOW_DISCONNECT",
    "self_served": "CONTACT_FLOW_DISCONNECT",
    "ivr_abandoned": "CUSTOMER_DISCONNECT",
}
EARLY_VERSION_EVERY = 5
"""Every 5th contact whose record was updated after it ended is also sent as it was at its
disconnect (no after-contact work yet)."""
DUPLICATE_EVERY = 23
"""Every 23rd record is delivered twice, byte for byte (at-least-once delivery)."""


def _timestamp(value: Any) -> str | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
    text = stamp.strftime("%Y-%m-%dT%H:%M:%S")
    if stamp.microsecond:
        text += f".{stamp.microsecond:06d}".rstrip("0")
    return text + "Z"


def _seconds(value: Any) -> int | float | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _present(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _text(value: Any) -> str | None:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _variant(contact_id: str, modulo: int) -> int:
    """A stable per-contact choice (both deliveries of one version must be identical)."""
    return zlib.crc32(contact_id.encode()) % modulo


def ctr_record(row: dict[str, Any], next_contact_id: str | None) -> dict[str, Any]:
    """One landing contact row as a contact trace record."""
    channel = CHANNELS[row["channel"]]
    method = row["initiation_method"]
    initiation = {
        "inbound": "API" if channel == "CHAT" else "INBOUND",
        "bot_handoff": "API" if channel == "CHAT" else "INBOUND",
        "outbound": "OUTBOUND",
        "transfer": "QUEUE_TRANSFER" if _variant(row["contact_id"], 4) == 0 else "TRANSFER",
        "callback": "CALLBACK",
    }[method]
    started = _timestamp(row["started_at"])
    queued = _timestamp(row["queued_at"])
    connected = _timestamp(row["connected_at"])
    ended = _timestamp(row["ended_at"])
    queue = None
    if _text(row["queue_id"]) is not None:
        dequeued = connected if connected is not None else ended
        duration = None
        if row["queued_at"] is not None and queued is not None:
            end_of_wait = row["connected_at"] if connected is not None else row["ended_at"]
            duration = int((end_of_wait - row["queued_at"]).total_seconds())
        queue = _present(
            ARN=f"arn:aws:connect:eu-central-1:000000000000:instance/demo/queue/{row['queue_id']}",
            Name=row["queue_id"],
            EnqueueTimestamp=queued,
            DequeueTimestamp=dequeued if queued is not None else None,
            Duration=duration,
        )
    agent = None
    if _text(row["agent_id"]) is not None or connected is not None:
        agent = _present(
            Username=_text(row["agent_id"]),
            ConnectedToAgentTimestamp=connected,
            AgentInteractionDuration=_seconds(row["talk_seconds"]),
            CustomerHoldDuration=_seconds(row["hold_seconds"]),
            AfterContactWorkDuration=_seconds(row["acw_seconds"]),
        )
    endpoint = None
    if _text(row["customer_phone"]) is not None:
        endpoint = {"Address": row["customer_phone"], "Type": "TELEPHONE_NUMBER"}
    elif _text(row["customer_email"]) is not None:
        endpoint = {"Address": row["customer_email"], "Type": "EMAIL_ADDRESS"}
    chat_metrics = None
    first_response = _timestamp(row["first_response_at"])
    if channel == "CHAT" and first_response is not None:
        chat_metrics = {"ChatContactMetrics": {"AgentFirstResponseTimestamp": first_response}}
    keys = DEFAULT_ATTRIBUTE_KEYS
    attributes = _present(
        **{
            keys["contact_reason"]: _text(row["contact_reason"]),
            keys["customer_id"]: _text(row["customer_id"]),
            keys["ai_assisted"]: "true" if bool(row["ai_assisted"]) else "false",
            keys["bot_handoff"]: "true" if method == "bot_handoff" else None,
        }
    )
    initial = _text(row["initial_contact_id"])
    if initial is None and _variant(row["contact_id"], 3) == 0:
        # Connect often names a chain's first contact as its own initial contact.
        initial = row["contact_id"]
    return _present(
        AWSAccountId="000000000000",
        AWSContactTraceRecordFormatVersion="2017-03-10",
        Agent=agent,
        Attributes=attributes,
        Channel=channel,
        ChatMetrics=chat_metrics,
        ConnectedToSystemTimestamp=started if method != "outbound" else connected,
        ContactId=row["contact_id"],
        CustomerEndpoint=endpoint,
        DisconnectReason=DISCONNECT_REASONS[row["disconnect"]],
        DisconnectTimestamp=ended,
        InitialContactId=initial,
        InitiationMethod=initiation,
        InitiationTimestamp=started,
        LastUpdateTimestamp=_timestamp(row["record_updated_at"]),
        NextContactId=next_contact_id,
        PreviousContactId=_text(row["previous_contact_id"]),
        Queue=queue,
        RelatedContactId=_text(row["related_contact_id"]),
    )


def _early_version(record: dict[str, Any]) -> dict[str, Any]:
    """The record as first sent, at the disconnect: no after-contact work yet."""
    early = json.loads(json.dumps(record))
    early["LastUpdateTimestamp"] = early["DisconnectTimestamp"]
    if isinstance(early.get("Agent"), dict):
        early["Agent"].pop("AfterContactWorkDuration", None)
    early["Attributes"].pop(DEFAULT_ATTRIBUTE_KEYS["ai_assisted"], None)
    return early


def _serialize(record: dict[str, Any], index: int) -> str:
    """Firehose concatenates records; some files have one per line or pretty-printed ones."""
    if index % 7 == 0:
        return json.dumps(record, indent=2) + "\n"
    if index % 2 == 0:
        return json.dumps(record) + "\n"
    return json.dumps(record, separators=(",", ":"))


def write_native(landing: Path) -> str:
    """Move the contacts Connect carries from `<landing>/contacts/` into CTR day files."""
    import pandas as pd
    import pyarrow.parquet as pq

    files = sorted((landing / "contacts").glob("*.parquet"))
    tables = {path: pq.read_table(path) for path in files}
    frames = {path: table.to_pandas() for path, table in tables.items()}
    if not frames:
        return "connect: no landing contacts to convert"
    every = pd.concat(frames.values(), ignore_index=True)
    carried = every[every["channel"].isin(list(CHANNELS))]
    successors = (
        every.dropna(subset=["previous_contact_id"])
        .drop_duplicates("previous_contact_id")
        .set_index("previous_contact_id")["contact_id"]
        .to_dict()
    )
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    records = 0
    early = 0
    duplicates = 0
    versions_per_contact = carried["contact_id"].value_counts()
    ordered = carried.sort_values(["record_updated_at", "contact_id"], kind="stable")
    for index, row in enumerate(ordered.to_dict("records")):
        row["disconnect"] = row["disposition"]
        record = ctr_record(row, successors.get(row["contact_id"]))
        versions = [record]
        updated = row["record_updated_at"] > row["ended_at"]
        single = versions_per_contact[row["contact_id"]] == 1
        if (
            updated
            and single
            and row["disposition"] == "handled"
            and index % EARLY_VERSION_EVERY == 0
        ):
            versions.insert(0, _early_version(record))
            early += 1
        if index % DUPLICATE_EVERY == 0:
            versions.append(record)
            duplicates += 1
        for version in versions:
            day = dt.date.fromisoformat(version["LastUpdateTimestamp"][:10])
            by_day[day].append(_serialize(version, index))
            records += 1
    folder = landing / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for day, parts in sorted(by_day.items()):
        (folder / f"{day.isoformat()}.json").write_text("".join(parts))
    removed = 0
    for path, table in tables.items():
        frame = frames[path]
        keep = ~frame["channel"].isin(list(CHANNELS))
        removed += int((~keep).sum())
        if keep.all():
            continue
        if not keep.any():
            path.unlink()
            continue
        pq.write_table(table.filter(pd.Series(keep).to_numpy()), path)
    return (
        f"connect: {removed:,} contacts (phone, IVR, chat) moved to {records:,} contact "
        f"records in {len(by_day)} files under {FOLDER}/ ({early:,} earlier versions, "
        f"{duplicates:,} duplicate deliveries)"
    )
