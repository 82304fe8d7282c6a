"""Rewrite a generated landing tree so that its phone calls arrive as an Asterisk queue_log.

`write_native(landing)` (`ccmetrics generate --format asterisk`) turns the queue calls of
`contacts/` and the states of the agents who take them (`agent_states/`) into queue_log day
files, `asterisk/queue_log/<YYYY-MM-DD>.log`, and removes exactly those rows from the landing
files, so that `source_systems: [landing, asterisk]` reads the same center.

What a call becomes (docs/sources/asterisk.md):
- callid (uniqueid) = the chain's first contact_id; a transfer keeps the caller's channel, so
  the transferred-to segment is a second ENTERQUEUE of the same callid, which staging names
  `<callid>-<n>`: the writer renames those segments' ids wherever the landing refers to them
  (surveys, QA evaluations, bot hand-offs, later contacts);
- agent = the WFM agent_id (queue member name); caller id = customer_phone;
- ENTERQUEUE at queued_at, CONNECT at connected_at, then COMPLETECALLER (handled, disconnected),
  BLINDTRANSFER (transferred), ABANDON (abandoned) or EXITWITHTIMEOUT (flow_out) at ended_at;
- an agent's state intervals become ADDMEMBER / REMOVEMEMBER around each logged-in stretch and
  PAUSE / UNPAUSE (reason = the state) around break, lunch, training, meeting and acw;
  handling comes from the calls' CONNECT and closing events.

Only what the queue_log can carry moves: whole transfer chains of calls that queued, with
whole-second times and a consistent outcome; callbacks, bot hand-offs and outbound calls stay
in the landing contract (and may point to a moved call: the guard knows the contact ids the
queue_log delivers). An agent's logged-in stretch (a
shift) moves when every handling interval in it is a moved call and every moved call it holds
has its handling interval; the agent's other shifts stay in the landing contract.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FOLDER = "asterisk/queue_log"
PAUSE_STATES = ("acw", "break", "lunch", "training", "meeting")
CLOSING_EVENTS = {
    "handled": "COMPLETECALLER",
    "disconnected": "COMPLETECALLER",
    "transferred": "BLINDTRANSFER",
    "abandoned": "ABANDON",
    "flow_out": "EXITWITHTIMEOUT",
}
ANSWERED = ("handled", "disconnected", "transferred")
REFERENCE_COLUMNS = (
    "contact_id",
    "initial_contact_id",
    "previous_contact_id",
    "related_contact_id",
    "handoff_contact_id",
)
"""Columns of landing sources that hold a contact_id (renamed for transfer segments)."""
TIME_COLUMNS = ("queued_at", "connected_at", "ended_at")


@dataclass
class Plan:
    """What moves to the queue_log: calls (latest versions), their ids there, and agents."""

    calls: pd.DataFrame
    """The moved contacts (latest version), with `callid`, `segment_number`, `new_contact_id`."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Landing contact_id -> the id staging gives it (transfer segments only)."""
    blocks: set[Block] = field(default_factory=set)
    """The agents' logged-in stretches whose states move."""
    home_queues: dict[str, str] = field(default_factory=dict)


def _read(folder: Path) -> pd.DataFrame:

    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)


def _whole_seconds(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:

    ok = pd.Series(True, index=frame.index)
    for column in columns:
        values = frame[column]
        ok &= values.isna() | (values.dt.floor("s") == values)
    return ok


def _latest(contacts: pd.DataFrame) -> pd.DataFrame:
    ordered = contacts.sort_values(["contact_id", "record_updated_at"], kind="stable")
    return ordered.drop_duplicates("contact_id", keep="last").set_index("contact_id", drop=False)


def _movable(latest: pd.DataFrame) -> pd.Series:
    answered = latest["disposition"].isin(ANSWERED)
    return (
        (latest["channel"] == "phone")
        & latest["initiation_method"].isin(("inbound", "transfer"))
        & latest["disposition"].isin(tuple(CLOSING_EVENTS))
        & latest["queued_at"].notna()
        & (answered == latest["connected_at"].notna())
        & (answered == latest["agent_id"].notna())
        & _whole_seconds(latest, TIME_COLUMNS)
        & (latest["queued_at"] <= latest["connected_at"].fillna(latest["ended_at"]))
        & (latest["connected_at"].fillna(latest["queued_at"]) <= latest["ended_at"])
    )


def _chain_calls(latest: pd.DataFrame) -> pd.DataFrame:
    """The contacts that form queue_log calls: whole transfer chains (an inbound call and the
    transfer segments that follow it) whose every segment is movable. What points to them
    (surveys, QA evaluations, KB events, bot hand-offs, callbacks) stays in the landing
    contract: the queue_log's closing lines carry the contact ids (`Source.provides`), and the
    transfer segments' ids are renamed wherever they are referenced."""
    movable = _movable(latest)
    following: dict[str, list[str]] = defaultdict(list)
    for row in latest[
        [
            "contact_id",
            "previous_contact_id",
            "initial_contact_id",
            "related_contact_id",
            "initiation_method",
        ]
    ].itertuples(index=False):
        if row.initiation_method == "transfer" and row.previous_contact_id is not None:
            following[str(row.previous_contact_id)].append(str(row.contact_id))
    rows: list[tuple[str, str, int]] = []
    starts = latest[(latest["initiation_method"] == "inbound") & movable]
    for callid in starts["contact_id"].astype(str):
        chain, current = [callid], callid
        while latest.at[current, "disposition"] == "transferred" and following[current]:
            if len(following[current]) != 1:
                chain = []
                break
            nxt = following[current][0]
            if latest.at[nxt, "queued_at"] < latest.at[current, "ended_at"]:
                chain = []
                break
            chain.append(nxt)
            current = nxt
        if not chain or not all(bool(movable.at[member]) for member in chain):
            continue
        rows += [(member, callid, number) for number, member in enumerate(chain, start=1)]
    chosen = latest.loc[[row[0] for row in rows]].copy()
    chosen["callid"] = [row[1] for row in rows]
    chosen["segment_number"] = [row[2] for row in rows]
    chosen["new_contact_id"] = [
        callid if number == 1 else f"{callid}-{number}" for _, callid, number in rows
    ]
    return chosen


def _logged_in_blocks(states: pd.DataFrame) -> list[pd.DataFrame]:
    blocks: list[pd.DataFrame] = []
    start = 0
    ordered = states.sort_values("started_at", kind="stable").reset_index(drop=True)
    for position in range(1, len(ordered) + 1):
        if (
            position == len(ordered)
            or ordered.at[position, "started_at"] != ordered.at[position - 1, "ended_at"]
        ):
            blocks.append(ordered.iloc[start:position])
            start = position
    return blocks


Block = tuple[str, object, object]
"""(agent_id, started_at, ended_at) of a logged-in stretch: consecutive state intervals."""


def _movable_blocks(calls: pd.DataFrame, states: pd.DataFrame) -> set[Block]:
    """The logged-in stretches whose states the queue_log carries: every handling interval in
    it is a moved call of the agent, every moved call connected in it has its handling
    interval, and its times are whole seconds."""
    if states.empty:
        return set()
    answered = calls[calls["agent_id"].notna()]
    calls_of: dict[str, set[tuple[object, object]]] = defaultdict(set)
    for agent, connected, ended in zip(
        answered["agent_id"], answered["connected_at"], answered["ended_at"], strict=True
    ):
        calls_of[str(agent)].add((connected, ended))
    whole = _whole_seconds(states, ("started_at", "ended_at"))
    movable: set[Block] = set()
    for agent, group in states.groupby("agent_id"):
        agent = str(agent)
        if not whole.loc[group.index].all():
            continue
        for block in _logged_in_blocks(group):
            start, end = block["started_at"].iloc[0], block["ended_at"].iloc[-1]
            handling = block[block["state"] == "handling"]
            intervals = set(zip(handling["started_at"], handling["ended_at"], strict=True))
            inside = {call for call in calls_of[agent] if start <= call[0] < end}
            if intervals == inside and len(handling) == len(intervals):
                movable.add((agent, start, end))
    return movable


def _in_blocks(states: pd.DataFrame, blocks: set[Block]) -> pd.Series:
    """Which state rows lie in a moved block."""

    inside = pd.Series(False, index=states.index)
    by_agent: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for agent, start, end in blocks:
        by_agent[agent].append((start, end))
    for agent, spans in by_agent.items():
        mine = states["agent_id"].astype(str) == agent
        for start, end in spans:
            inside |= mine & (states["started_at"] >= start) & (states["ended_at"] <= end)
    return inside


def plan(landing: Path) -> Plan:
    """Which contacts and agents the queue_log carries (the writer's choice, shared by tests)."""
    contacts = _read(landing / "contacts")
    latest = _latest(contacts)
    calls = _chain_calls(latest)
    renamed = {
        str(old): str(new)
        for old, new in zip(calls["contact_id"], calls["new_contact_id"], strict=True)
        if old != new
    }
    states = _read(landing / "agent_states")
    blocks = _movable_blocks(calls, states)
    agents_frame = _read(landing / "agents")
    home_queues: dict[str, str] = {}
    if not agents_frame.empty:
        latest_agents = agents_frame.sort_values("record_updated_at", kind="stable")
        for agent, queue in zip(
            latest_agents["agent_id"], latest_agents["home_queue_id"], strict=True
        ):
            if queue is not None:
                home_queues[str(agent)] = str(queue)
    return Plan(calls=calls, renamed=renamed, blocks=blocks, home_queues=home_queues)


def _epoch(moment: object) -> int:

    stamp = pd.Timestamp(moment)  # type: ignore[arg-type]
    return int(stamp.tz_localize("UTC").timestamp() if stamp.tzinfo is None else stamp.timestamp())


def _seconds(start: object, end: object) -> int:
    return _epoch(end) - _epoch(start)


def _call_lines(calls: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(epoch, order, line) for every event of the moved calls."""
    lines: list[tuple[int, int, str]] = []
    for call in calls.itertuples(index=False):
        callid, queue = str(call.callid), str(call.queue_id)
        caller = "" if call.customer_phone is None else str(call.customer_phone)
        queued = _epoch(call.queued_at)
        ended = _epoch(call.ended_at)
        # In one second a transfer closes the previous segment before the next ENTERQUEUE.
        lines.append((queued, 1, f"{queued}|{callid}|{queue}|NONE|ENTERQUEUE||{caller}|1"))
        disposition = str(call.disposition)
        if disposition in ANSWERED:
            agent = str(call.agent_id)
            connected = _epoch(call.connected_at)
            wait = connected - queued
            talk = ended - connected
            lines.append(
                (
                    connected,
                    2,
                    f"{connected}|{callid}|{queue}|{agent}|CONNECT|{wait}|{callid}.1|0",
                )
            )
            event = CLOSING_EVENTS[disposition]
            if event == "BLINDTRANSFER":
                data = f"transfer|from-queue|{wait}|{talk}|1"
                lines.append((ended, 0, f"{ended}|{callid}|{queue}|{agent}|{event}|{data}"))
            else:
                lines.append(
                    (ended, 3, f"{ended}|{callid}|{queue}|{agent}|{event}|{wait}|{talk}|1")
                )
        else:
            wait = ended - queued
            event = CLOSING_EVENTS[disposition]
            lines.append((ended, 3, f"{ended}|{callid}|{queue}|NONE|{event}|1|1|{wait}"))
    return lines


def _agent_lines(
    states: pd.DataFrame, blocks: set[Block], home_queues: dict[str, str]
) -> list[tuple[int, int, str]]:
    lines: list[tuple[int, int, str]] = []
    mine = states[_in_blocks(states, blocks)]
    for agent, group in mine.groupby("agent_id"):
        agent = str(agent)
        queue = home_queues.get(agent, "NONE")
        for block in _logged_in_blocks(group):
            start = _epoch(block["started_at"].iloc[0])
            end = _epoch(block["ended_at"].iloc[-1])
            lines.append((start, 0, f"{start}|NONE|{queue}|{agent}|ADDMEMBER|Local/{agent}"))
            for state in block.itertuples(index=False):
                if state.state in PAUSE_STATES:
                    began, ended = _epoch(state.started_at), _epoch(state.ended_at)
                    lines.append((began, 5, f"{began}|NONE|NONE|{agent}|PAUSE|{state.state}"))
                    lines.append((ended, 4, f"{ended}|NONE|NONE|{agent}|UNPAUSE|"))
            lines.append((end, 9, f"{end}|NONE|{queue}|{agent}|REMOVEMEMBER|Local/{agent}"))
    return lines


def _rewrite(path: Path, keep: pd.Series | None, renamed: dict[str, str]) -> int:
    """Rewrite one landing Parquet file: keep the rows `keep` marks, rename references."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    frame = table.to_pandas()
    removed = 0
    if keep is not None:
        removed = int((~keep).sum())
        frame = frame[keep.to_numpy()]
    changed = removed > 0
    for column in REFERENCE_COLUMNS:
        if column in frame.columns and renamed:
            mapped = frame[column].map(renamed)
            if mapped.notna().any():
                frame[column] = mapped.where(mapped.notna(), frame[column])
                changed = True
    if changed:
        rewritten = pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)
        pq.write_table(rewritten, path)
    return removed


def write_native(landing: Path) -> str:
    """Move the landing tree's queue calls and their agents' states into queue_log files."""

    chosen = plan(landing)
    states = _read(landing / "agent_states")
    lines = _call_lines(chosen.calls)
    if not states.empty:
        lines += _agent_lines(states, chosen.blocks, chosen.home_queues)
    by_day: dict[dt.date, list[tuple[int, int, str]]] = defaultdict(list)
    for epoch, order, line in lines:
        by_day[dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()].append((epoch, order, line))
    folder = landing / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for day, day_lines in sorted(by_day.items()):
        ordered = sorted(day_lines, key=lambda item: (item[0], item[1]))
        text = "".join(f"{line}\n" for _, _, line in ordered)
        (folder / f"{day.isoformat()}.log").write_text(text, encoding="utf-8")

    moved_contacts = set(chosen.calls["contact_id"].astype(str))
    removed_contacts = removed_states = 0
    for path in sorted((landing / "contacts").glob("*.parquet")):
        ids = pd.read_parquet(path, columns=["contact_id"])["contact_id"].astype(str)
        removed_contacts += _rewrite(path, ~ids.isin(moved_contacts), chosen.renamed)
    for path in sorted((landing / "agent_states").glob("*.parquet")):
        day_states = pd.read_parquet(path, columns=["agent_id", "started_at", "ended_at"])
        removed_states += _rewrite(path, ~_in_blocks(day_states, chosen.blocks), chosen.renamed)
    for folder_path in sorted(p for p in landing.iterdir() if p.is_dir()):
        if folder_path.name in ("contacts", "agent_states", "asterisk"):
            continue
        for path in sorted(folder_path.glob("*.parquet")):
            _rewrite(path, None, chosen.renamed)
    return (
        f"asterisk: {len(lines)} queue_log lines in {len(by_day)} day files carry "
        f"{len(chosen.calls)} calls ({removed_contacts} contact rows removed) and "
        f"{len(chosen.blocks)} agent shifts ({removed_states} state rows removed)"
    )
