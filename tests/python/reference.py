"""An independent recomputation of the metric definitions in ../shared/METRICS.md, in pandas.

It reads the landing files directly (not the warehouse) and shares no code with the dbt
models, so agreement between the two is evidence that both implement the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FCR_WINDOWS_HOURS = {"default": 2, "24h": 24, "72h": 72, "7d": 168}


def read_landing(landing: Path, source: str) -> pd.DataFrame:
    """All delivered rows of a source, in delivery order (file by file, row by row)."""
    frames = []
    for path in sorted((landing / source).glob("*.parquet")):
        frame = pd.read_parquet(path)
        frame["_file"] = path.name
        frame["_row"] = range(len(frame))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def latest_versions(rows: pd.DataFrame, key: str, version: str | None) -> pd.DataFrame:
    order = [version, "_file", "_row"] if version else ["_file", "_row"]
    return rows.sort_values(order).drop_duplicates(key, keep="last").reset_index(drop=True)


def _seconds(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds()


@dataclass(frozen=True)
class QueueParams:
    sl_threshold_seconds: float = 20
    short_abandon_seconds: float = 5


def queue_metrics(contacts: pd.DataFrame, params: QueueParams) -> pd.DataFrame:
    """Offered, answered, abandoned, SL (negative treatment), ASA per queue day (UTC)."""
    offered = contacts[contacts["queued_at"].notna()].copy()
    offered["date"] = offered["queued_at"].dt.date
    answered = offered["connected_at"].notna()
    abandoned = offered["disposition"].eq("abandoned")
    wait = _seconds(
        offered["connected_at"].where(answered, offered["ended_at"]), offered["queued_at"]
    )
    offered["offered"] = 1
    offered["answered"] = answered.astype(int)
    offered["abandoned"] = abandoned.astype(int)
    offered["short_abandoned"] = (abandoned & (wait < params.short_abandon_seconds)).astype(int)
    offered["answered_within_threshold"] = (
        answered & (wait <= params.sl_threshold_seconds)
    ).astype(int)
    offered["answered_wait_seconds"] = wait.where(answered, 0.0)
    keys = ["date", "channel", "queue_id"]
    daily = offered.groupby(keys, as_index=False)[
        [
            "offered",
            "answered",
            "abandoned",
            "short_abandoned",
            "answered_within_threshold",
            "answered_wait_seconds",
        ]
    ].sum()
    daily["sl_denominator"] = daily["offered"] - daily["short_abandoned"]
    return daily


def handle_metrics(contacts: pd.DataFrame) -> pd.DataFrame:
    """Handled contacts and handle seconds per day of the end of handling (UTC)."""
    handled = contacts[contacts["connected_at"].notna()].copy()
    handled["date"] = handled["ended_at"].dt.date
    handled["handled_contacts"] = 1
    handled["handle_seconds"] = (
        handled[["talk_seconds", "hold_seconds", "acw_seconds"]].fillna(0).sum(axis=1)
    )
    return handled.groupby(["date", "channel"], as_index=False)[
        ["handled_contacts", "handle_seconds"]
    ].sum()


def interactions(contacts: pd.DataFrame, bot_sessions: pd.DataFrame) -> pd.DataFrame:
    """Contact chains (a transfer or callback belongs to its chain) and bot sessions that did
    not hand off (a handed-off session continues in the chain it handed off into)."""
    segments = contacts.copy()
    segments["chain_id"] = segments["initial_contact_id"].fillna(segments["contact_id"])
    segments = segments.sort_values(["chain_id", "started_at", "contact_id"])
    chains = segments.groupby("chain_id").agg(
        customer_id=("customer_id", "first"),
        reason=("contact_reason", "first"),
        channel=("channel", "first"),
        started_at=("started_at", "min"),
        ended_at=("ended_at", "max"),
        is_handled=("connected_at", lambda values: values.notna().any()),
    )
    chains = chains.reset_index().rename(columns={"chain_id": "interaction_id"})
    chains["interaction_type"] = "contact_chain"
    bots = bot_sessions[bot_sessions["outcome"].ne("handoff")]
    bots = pd.DataFrame(
        {
            "interaction_id": bots["bot_session_id"],
            "customer_id": bots["customer_id"],
            "reason": bots["intent"],
            "channel": bots["channel"],
            "started_at": bots["started_at"],
            "ended_at": bots["ended_at"],
            "is_handled": False,
            "interaction_type": "bot_session",
        }
    )
    return pd.concat([chains, bots], ignore_index=True)


def fcr_flags(events: pd.DataFrame, window_hours: float, match_reason: bool = True) -> pd.DataFrame:
    """For every interaction: is there a later one of the same customer (and reason) that
    started no later than its end + window, and is the window complete in the data."""
    data_end = events["started_at"].max()
    window = pd.Timedelta(hours=window_hours)
    group_keys = ["customer_id", "reason"] if match_reason else ["customer_id"]
    ordered = events.sort_values([*group_keys, "started_at", "interaction_id"]).copy()
    ordered["next_started_at"] = ordered.groupby(group_keys)["started_at"].shift(-1)
    ordered["has_repeat"] = ordered["next_started_at"].notna() & (
        ordered["next_started_at"] <= ordered["ended_at"] + window
    )
    ordered["window_complete"] = ordered["ended_at"] + window <= data_end
    return ordered


def fcr_by_day(events: pd.DataFrame, window_hours: float) -> pd.DataFrame:
    """Resolved and eligible handled chains per day the chain ended (UTC)."""
    flagged = fcr_flags(events, window_hours)
    handled = flagged[
        flagged["interaction_type"].eq("contact_chain")
        & flagged["is_handled"]
        & flagged["window_complete"]
    ].copy()
    handled["date"] = handled["ended_at"].dt.date
    handled["eligible"] = 1
    handled["resolved"] = (~handled["has_repeat"]).astype(int)
    return handled.groupby("date", as_index=False)[["resolved", "eligible"]].sum()
