"""An independent pandas recomputation of the queue marts of a contacts-only landing.

It reads the landing files (not the warehouse), shares no code with the loader or the dbt
models, and applies the documented definitions (../shared/METRICS.md, docs/definitions.md)
with the rules decided for issue 8:

- the loader's clock-skew rule: a timestamp that is before the one it must follow by at most
  `CLOCK_SKEW_SECONDS` is raised to it; a larger violation quarantines the row (dropped here);
- `customer_id` null or one of `UNKNOWN_CUSTOMER_IDS` (after trim and lower-case) is an
  unidentified caller;
- offered = every non-outbound segment that asked for an agent: it queued, or an agent
  connected without queueing (routed directly, wait 0, counted on `connected_at`);
- FCR per chain (`coalesce(initial_contact_id, contact_id)`): the chain's customer, reason,
  channel and initiation are those of its first segment, its end the latest segment end;
  candidates are handled chains of identified callers not started by an outbound call;
  a repeat is a later (started strictly after) chain of the same customer and reason,
  identified and not outbound, started no later than the end + window; a window that ends
  after the data's end (the latest `started_at`) is censored. Handled chains left out are
  counted as `fcr_excluded_unidentified` and `fcr_excluded_outbound`.

Periods are UTC days (the default `reporting_timezone`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CLOCK_SKEW_SECONDS = 5.0
UNKNOWN_CUSTOMER_IDS = ("0", "anonymous", "unknown")
SL_THRESHOLD_SECONDS = 20.0
SHORT_ABANDON_SECONDS = 5.0
FCR_WINDOWS_HOURS = {"default": 2, "24h": 24, "72h": 72, "7d": 168}
ORDERS = (
    ("started_at", "queued_at"),
    ("queued_at", "connected_at"),
    ("started_at", "connected_at"),
    ("started_at", "first_response_at"),
    ("connected_at", "ended_at"),
    ("queued_at", "ended_at"),
    ("started_at", "ended_at"),
    ("started_at", "record_updated_at"),
)
"""(earlier, later): timestamps of one contact that must not go backwards."""
KEYS = ["reporting_date", "channel", "queue_id"]
NO_QUEUE = "(none)"

QUEUE_COUNTS = [
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "flow_outs",
    "answered_within_threshold",
    "abandoned_within_threshold",
]
COUNTS = [
    *QUEUE_COUNTS,
    "handled_contacts",
    *[f"fcr_{kind}_{w}" for w in FCR_WINDOWS_HOURS for kind in ("resolved", "eligible")],
    "fcr_excluded_unidentified",
    "fcr_excluded_outbound",
]
SECONDS = ["asa_wait_seconds", "handle_seconds"]
RATES = {
    "service_level": ("service_level_numerator", "service_level_denominator"),
    "asa_seconds": ("asa_wait_seconds", "answered"),
    "aht_seconds": ("handle_seconds", "handled_contacts"),
    "answer_rate": ("answer_rate_numerator", "answer_rate_denominator"),
    "abandon_rate": ("abandon_rate_numerator", "abandon_rate_denominator"),
    **{f"fcr_rate_{w}": (f"fcr_resolved_{w}", f"fcr_eligible_{w}") for w in FCR_WINDOWS_HOURS},
}


def read_contacts(landing: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((landing / "contacts").glob("*.parquet")):
        frame = pd.read_parquet(path)
        frame["_file"] = path.name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Guarded:
    rows: pd.DataFrame
    """The rows the loader keeps, timestamps clamped."""
    clamped: int
    """Rows with at least one timestamp raised."""
    quarantined: int


def apply_clock_skew(contacts: pd.DataFrame) -> Guarded:
    """Clamp order violations within the tolerance, drop rows with a larger one."""
    rows = contacts.copy()
    tolerance = pd.Timedelta(seconds=CLOCK_SKEW_SECONDS)
    beyond = pd.Series(False, index=rows.index)
    for earlier, later in ORDERS:
        behind = rows[earlier] - rows[later]
        beyond |= behind > tolerance
    rows = rows[~beyond].copy()
    clamped = pd.Series(False, index=rows.index)
    # Repeat until stable: raising one timestamp can put it behind a later one.
    changed = True
    while changed:
        changed = False
        for earlier, later in ORDERS:
            behind = rows[later].notna() & rows[earlier].notna() & (rows[later] < rows[earlier])
            if behind.any():
                rows.loc[behind, later] = rows.loc[behind, earlier]
                clamped |= behind
                changed = True
    return Guarded(rows.reset_index(drop=True), int(clamped.sum()), int(beyond.sum()))


def is_identified(customer_id: pd.Series) -> pd.Series:
    normalised = customer_id.astype("string").str.strip().str.lower()
    return customer_id.notna() & ~normalised.isin(UNKNOWN_CUSTOMER_IDS).fillna(False)


def _seconds(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds()


def _day(timestamps: pd.Series) -> pd.Series:
    return timestamps.dt.floor("D").dt.date


def queue_events(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per offered segment, on the day it entered the queue (or was connected)."""
    asked = segments["queued_at"].notna() | segments["connected_at"].notna()
    offered = segments[asked & segments["initiation_method"].ne("outbound")].copy()
    answered = offered["connected_at"].notna()
    abandoned = ~answered & offered["disposition"].eq("abandoned")
    wait = _seconds(offered["connected_at"].fillna(offered["ended_at"]), offered["queued_at"])
    wait = wait.where(offered["queued_at"].notna(), 0.0)
    events = pd.DataFrame(
        {
            "reporting_date": _day(offered["queued_at"].fillna(offered["connected_at"])),
            "channel": offered["channel"],
            "queue_id": offered["queue_id"].fillna(NO_QUEUE),
            "offered": 1,
            "answered": answered.astype(int),
            "abandoned": abandoned.astype(int),
            "short_abandoned": (abandoned & (wait < SHORT_ABANDON_SECONDS)).astype(int),
            "flow_outs": (~answered & ~abandoned).astype(int),
            "answered_within_threshold": (answered & (wait <= SL_THRESHOLD_SECONDS)).astype(int),
            "abandoned_within_threshold": (abandoned & (wait <= SL_THRESHOLD_SECONDS)).astype(int),
            "asa_wait_seconds": wait.where(answered, 0.0),
        }
    )
    return events


def handle_events(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per segment an agent connected to, on the day handling ended."""
    handled = segments[segments["connected_at"].notna()]
    parts = handled[["talk_seconds", "hold_seconds", "acw_seconds"]].fillna(0.0)
    return pd.DataFrame(
        {
            "reporting_date": _day(handled["ended_at"]),
            "channel": handled["channel"],
            "queue_id": handled["queue_id"].fillna(NO_QUEUE),
            "handled_contacts": 1,
            "handle_seconds": parts["talk_seconds"] + parts["hold_seconds"] + parts["acw_seconds"],
        }
    )


def chains(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per chain: first segment's customer, reason, channel, initiation; queue of its
    first offered segment; start, end (latest segment end) and whether an agent handled it."""
    rows = segments.copy()
    rows["chain_id"] = rows["initial_contact_id"].fillna(rows["contact_id"])
    rows = rows.sort_values(["chain_id", "started_at", "contact_id"])
    rows["is_identified"] = is_identified(rows["customer_id"])
    rows["asked"] = (rows["queued_at"].notna() | rows["connected_at"].notna()) & rows[
        "initiation_method"
    ].ne("outbound")
    # drop_duplicates, not groupby().first(): that would skip nulls (an unidentified caller).
    first = rows.drop_duplicates("chain_id").set_index("chain_id")
    grouped = rows.groupby("chain_id")
    offered = rows[rows["asked"]].drop_duplicates("chain_id").set_index("chain_id")["queue_id"]
    return pd.DataFrame(
        {
            "customer_id": first["customer_id"].where(first["is_identified"]),
            "is_identified": first["is_identified"],
            "reason": first["contact_reason"],
            "channel": first["channel"],
            "is_outbound": first["initiation_method"].eq("outbound"),
            "started_at": grouped["started_at"].min(),
            "ended_at": grouped["ended_at"].max(),
            "is_handled": grouped["connected_at"].count() > 0,
            "queue_id": offered.reindex(first.index).fillna(NO_QUEUE),
        }
    ).reset_index()


def first_repeat_start(chain_rows: pd.DataFrame, longest: pd.Timedelta) -> pd.Series:
    """For each chain, the earliest start of a repeat candidate of the same customer and
    reason that started after it and no later than its end + `longest` (NaT when none)."""
    identified = chain_rows[chain_rows["is_identified"]]
    repeats = identified[~identified["is_outbound"]]
    earlier = identified[["chain_id", "customer_id", "reason", "started_at", "ended_at"]]
    pairs = earlier.merge(
        repeats[["customer_id", "reason", "started_at"]].rename(
            columns={"started_at": "later_started_at"}
        ),
        on=["customer_id", "reason"],
    )
    pairs = pairs[
        (pairs["later_started_at"] > pairs["started_at"])
        & (pairs["later_started_at"] <= pairs["ended_at"] + longest)
    ]
    first = pairs.groupby("chain_id")["later_started_at"].min()
    return chain_rows["chain_id"].map(first)


def fcr_events(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per handled chain, on the day and first channel it ended, in the queue of its
    first offered segment."""
    all_chains = chains(segments)
    data_end = segments["started_at"].max()
    handled = all_chains[all_chains["is_handled"]].copy()
    candidate = handled["is_identified"] & ~handled["is_outbound"]
    longest = pd.Timedelta(hours=max(FCR_WINDOWS_HOURS.values()))
    next_start = first_repeat_start(all_chains, longest).loc[handled.index]
    events = pd.DataFrame(
        {
            "reporting_date": _day(handled["ended_at"]),
            "channel": handled["channel"],
            "queue_id": handled["queue_id"],
        }
    )
    for suffix, hours in FCR_WINDOWS_HOURS.items():
        window_end = handled["ended_at"] + pd.Timedelta(hours=hours)
        complete = candidate & (window_end <= data_end)
        repeated = next_start.notna() & (next_start <= window_end)
        events[f"fcr_eligible_{suffix}"] = complete.astype(int)
        events[f"fcr_resolved_{suffix}"] = (complete & ~repeated).astype(int)
    # An outbound chain is the center's contact whoever it reached: excluded as outbound.
    events["fcr_excluded_outbound"] = handled["is_outbound"].astype(int)
    events["fcr_excluded_unidentified"] = (
        ~handled["is_identified"] & ~handled["is_outbound"]
    ).astype(int)
    return events


def queue_daily(segments: pd.DataFrame) -> pd.DataFrame:
    """The expected fct_queue_daily rows (reporting date x channel x queue) of the guarded
    segments, with every count, the seconds and the rates under the default parameters."""
    parts = [queue_events(segments), handle_events(segments), fcr_events(segments)]
    events = pd.concat(parts, ignore_index=True)
    measures = [*COUNTS, *SECONDS]
    events[measures] = events[measures].fillna(0)
    daily = events.groupby(KEYS, as_index=False)[measures].sum()
    for column in COUNTS:
        daily[column] = daily[column].astype("int64")
    short = daily["short_abandoned"]
    # sl_abandon_treatment negative: abandons after 5 s and flow-outs count as missed.
    daily["service_level_numerator"] = daily["answered_within_threshold"]
    daily["service_level_denominator"] = daily["offered"] - short
    daily["answer_rate_numerator"] = daily["answered"]
    daily["answer_rate_denominator"] = daily["offered"] - short
    daily["abandon_rate_numerator"] = daily["abandoned"] - short
    daily["abandon_rate_denominator"] = daily["offered"] - short
    for rate, (numerator, denominator) in RATES.items():
        denominators = daily[denominator].astype("float64")
        daily[rate] = daily[numerator] / denominators.where(denominators > 0)
    return daily.sort_values(KEYS).reset_index(drop=True)


def expected_queue_daily(landing: Path) -> tuple[pd.DataFrame, Guarded]:
    guarded = apply_clock_skew(read_contacts(landing))
    return queue_daily(guarded.rows), guarded
