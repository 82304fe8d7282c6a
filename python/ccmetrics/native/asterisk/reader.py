"""Parse an Asterisk queue_log file: one row per line, every column as text.

A queue_log line is `epoch|callid|queuename|agent|event|data1|...|data5` (docs/sources/
asterisk.md). The same split serves the file Asterisk writes and a dump of the `queue_log`
table that Asterisk fills through ODBC/MySQL: the older table layout keeps the parameters in one
`data` column with `|` inside, which, written out as a line, splits into the same data1..data5.

Nothing is repaired here: a line that cannot be split (fewer than the five fixed fields) or
whose epoch is not a number is kept with `line_status` saying why, so that the guard
quarantines it with its line number. What the reader adds is derived from the line alone:

- `line_key`: a hash of the line's content, so that a line repeated after a restart or a log
  rotation has the key of its first copy (staging keeps one line per key);
- `event_at`: the epoch as ISO text in UTC;
- `data_fields`: how many parameters the line has (the older and newer layouts of an event
  differ in it: CONNECT gained the ring time, EXITWITHTIMEOUT and EXITWITHKEY the original
  position and the wait);
- `caller_phone` / `caller_label`: ENTERQUEUE's caller id (its data2), as a number or, when it
  is not one (`anonymous`, `unknown`, a name), as a label;
- `wait_seconds` / `talk_seconds`: the queue wait and the talk time at their documented place
  in the event's parameters, so that the guard can bound them and staging reads one column
  whatever the layout;
- `contact_id` on a call's closing lines: the id staging gives the queue visit the line closes
  (`callid`, or `<callid>-<n>` for the n-th ENTERQUEUE of the call in the file), so that the
  guard knows the contact ids this file delivers (a survey rating a queue_log call).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FIXED_FIELDS = 5
"""epoch, callid, queuename, agent, event."""
DATA_FIELDS = 5
"""data1..data5; parameters past the fifth stay in data5 with their `|`."""

COLUMNS: tuple[str, ...] = (
    "line_key",
    "line_status",
    "event_epoch",
    "event_at",
    "callid",
    "queue_name",
    "agent",
    "event",
    "data1",
    "data2",
    "data3",
    "data4",
    "data5",
    "data_fields",
    "caller_phone",
    "caller_label",
    "wait_seconds",
    "talk_seconds",
    "contact_id",
)

STATUS_OK = "ok"
STATUS_TOO_FEW_FIELDS = "too_few_fields"
STATUS_BAD_EPOCH = "bad_epoch"

_EPOCH = re.compile(r"^\d{1,12}(\.\d{1,6})?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./\-]*$")
"""A caller id that is a number (the guard's phone format); anything else is a label."""

# Where each event keeps the queue wait (`holdtime`/`waittime`) and the talk time (`calltime`),
# as 1-based parameter numbers; negative numbers count from the last parameter.
_WAIT_TALK: dict[str, tuple[int | None, int | None]] = {
    "CONNECT": (1, None),  # holdtime|bridgedchanneluniqueid[|ringtime]
    "COMPLETEAGENT": (1, 2),  # holdtime|calltime|origposition
    "COMPLETECALLER": (1, 2),
    "ABANDON": (3, None),  # position|origposition|waittime
    "EXITEMPTY": (3, None),  # position|origposition|waittime
    "EXITWITHTIMEOUT": (3, None),  # position[|origposition|waittime]
    "EXITWITHKEY": (4, None),  # key|position[|origposition|waittime]
    "TRANSFER": (3, 4),  # extension|context|holdtime|calltime[|origposition]
    "BLINDTRANSFER": (3, 4),  # extension|context|holdtime|calltime|origposition
    # <BRIDGE|id> or <APP|name> or <LINK|...>, then holdtime|calltime|origposition: the
    # transfer description has a varying number of parameters, so count from the end.
    "ATTENDEDTRANSFER": (-3, -2),
}


def line_key(line: str) -> str:
    """Hash of the line's content (trailing blanks and line ends ignored)."""
    return hashlib.sha256(line.rstrip().encode("utf-8")).hexdigest()[:32]


def epoch_to_iso(epoch: float) -> str:
    """An epoch as ISO text in UTC, microseconds only when there are any."""
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds" if moment.microsecond else "seconds")


def _parameter(params: list[str], number: int | None) -> str | None:
    if number is None:
        return None
    index = number - 1 if number > 0 else len(params) + number
    if index < 0 or index >= len(params):
        return None
    value = params[index].strip()
    return value or None


def parse_line(line: str) -> dict[str, str | None]:
    """One queue_log line as the source's columns (all text)."""
    text = line.rstrip("\r\n")
    fields = text.split("|")
    row: dict[str, str | None] = dict.fromkeys(COLUMNS)
    row["line_key"] = line_key(text)
    if len(fields) < FIXED_FIELDS:
        row["line_status"] = STATUS_TOO_FEW_FIELDS
        return row
    epoch, callid, queue_name, agent, event = (field.strip() for field in fields[:FIXED_FIELDS])
    params = fields[FIXED_FIELDS:]
    while params and params[-1].strip() == "":
        params.pop()
    row.update(
        callid=callid or None,
        queue_name=queue_name or None,
        agent=agent or None,
        event=event.upper() or None,
        event_epoch=epoch or None,
        data_fields=str(len(params)),
    )
    data = [*params[: DATA_FIELDS - 1], "|".join(params[DATA_FIELDS - 1 :])]
    for number, value in enumerate(data, start=1):
        row[f"data{number}"] = value.strip() or None
    if event.upper() == "ENTERQUEUE":
        # ENTERQUEUE(url|callerid[|position]): the caller id is personal data with a format of
        # its own, so it moves to caller_phone (a number) or caller_label (anonymous, ...).
        caller = row["data2"]
        row["data2"] = None
        if caller is not None and _PHONE.match(caller):
            row["caller_phone"] = caller
        else:
            row["caller_label"] = caller
    if not _EPOCH.match(epoch) or not math.isfinite(float(epoch)):
        row["line_status"] = STATUS_BAD_EPOCH
        return row
    row["line_status"] = STATUS_OK
    row["event_at"] = epoch_to_iso(float(epoch))
    wait, talk = _WAIT_TALK.get(event.upper(), (None, None))
    row["wait_seconds"] = _parameter(params, wait)
    row["talk_seconds"] = _parameter(params, talk)
    return row


CLOSING_EVENTS = frozenset(
    {
        "COMPLETEAGENT",
        "COMPLETECALLER",
        "ABANDON",
        "EXITWITHTIMEOUT",
        "EXITWITHKEY",
        "EXITEMPTY",
        "TRANSFER",
        "BLINDTRANSFER",
        "ATTENDEDTRANSFER",
    }
)
TRANSFER_EVENTS = frozenset({"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"})
NO_CALL = frozenset({"NONE", "REALTIME"})


def _same_second_rank(event: str) -> int:
    """Order in one second, as staging orders a call's events."""
    if event in TRANSFER_EVENTS:
        return 0
    if event == "ENTERQUEUE":
        return 1
    if event == "CONNECT":
        return 2
    return 3


def contact_ids(rows: list[dict[str, str | None]]) -> list[str | None]:
    """The contact id each closing line closes: its callid's n-th queue visit in the file, n
    counting the distinct ENTERQUEUE lines up to it in time order (None before the first)."""
    entries: dict[str, set[tuple[float, int, str]]] = {}
    for row in rows:
        if row["line_status"] == STATUS_OK and row["event"] == "ENTERQUEUE":
            key = (float(row["event_epoch"] or 0), 1, str(row["line_key"]))
            entries.setdefault(str(row["callid"]), set()).add(key)
    found: list[str | None] = []
    for row in rows:
        callid, event = row["callid"], row["event"]
        if (
            row["line_status"] != STATUS_OK
            or event not in CLOSING_EVENTS
            or callid is None
            or callid in NO_CALL
        ):
            found.append(None)
            continue
        closing = (float(row["event_epoch"] or 0), _same_second_rank(event), str(row["line_key"]))
        number = sum(1 for entry in entries.get(callid, ()) if entry <= closing)
        found.append(None if number == 0 else callid if number == 1 else f"{callid}-{number}")
    return found


def read_queue_log(path: Path) -> pd.DataFrame:
    """A queue_log day file as rows of text, `_source_row` = line number (blank lines skipped)."""
    import pandas as pd

    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row: dict[str, object] = {"_source_row": number}
            row.update(parse_line(line))
            rows.append(row)
    parsed = [{column: row[column] for column in COLUMNS} for row in rows]
    for row, contact_id in zip(rows, contact_ids(parsed), strict=True):  # type: ignore[arg-type]
        row["contact_id"] = contact_id
    frame = pd.DataFrame(rows, columns=["_source_row", *COLUMNS])
    frame["_source_row"] = frame["_source_row"].astype("int64")
    for column in COLUMNS:
        frame[column] = frame[column].astype("object")
    return frame
