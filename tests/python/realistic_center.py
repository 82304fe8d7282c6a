"""A realistic test center for issue 8: three weeks of a bank's phone center, contacts only.

The generated center of `ccmetrics generate` is tidy: every caller is a known customer, every
answered call waited in a queue, the center is open every day. A real ACD log is not. This
module writes, deterministically (one seeded numpy Generator), what a bank's phone center
delivers, as daily landing files of the `contacts` source only (no customers, agents or any
other source: master data is optional):

- about half the inbound calls come from callers the IVR could not identify: `customer_id`
  null, the sentinel `'0'` (as in the real log) and a few `'Unknown'`;
- about 40 % of answered calls were routed straight to an agent (`queued_at` null,
  `connected_at` set);
- IVR hang-ups (`ivr_abandoned`: no queue, no agent) and IVR self-service (balance look-ups);
- callers who abandon in the queue (some within 5 s: short abandons), redials after an
  abandon, and flow-outs (a key-press exit, or voicemail after two minutes in the queue; half
  of them ask for a callback, which comes as a `callback` segment of the same chain);
- transfers to another queue (chains of two or three segments);
- clock skew: on some answered calls the agent-connect time is 1-2 s before the queue-entry
  time (two systems' clocks), which the loader clamps; and exactly `BEYOND_SKEW_ROWS` rows
  where it is 6.5-10 s before, beyond the tolerance, which the loader quarantines;
- outbound calls by the center (fraud alerts, loan offers), some followed by the customer's
  own call, and outbound follow-ups after a customer's call (neither repeats nor FCR
  candidates);
- identified customers calling again within 2 h, within 24 h or later, about the same or
  another reason, and a few calling again while their first call is still open;
- open 08:00-18:00 UTC Monday to Friday, a short Saturday (09:00-12:00, about a tenth of a
  weekday's volume: a trailing-7-day volume check rejects it, the same-weekday check accepts
  it), closed on Sunday (no file, except one Sunday with an almost empty file of three IVR
  hang-ups);
- one file per UTC day holding the contacts that started that day; the last day is a
  complete Monday (the center closed at 18:00, nothing crosses midnight).

`write_center(landing)` writes `<landing>/contacts/<YYYY-MM-DD>.parquet` and returns a
`CenterSummary` with the count of every planted case. The metrics of this center are
recomputed independently in `reference_realistic.py` and compared with the marts in
`test_realistic_center.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ccmetrics.contract import CONTACTS

SEED = 20260302
START = dt.date(2026, 3, 2)
"""A Monday."""
DAYS = 22
"""To Monday 2026-03-23: three full weeks and a complete last weekday."""
ALMOST_EMPTY_SUNDAY = dt.date(2026, 3, 15)
"""The one Sunday with a file: three callers who hung up on the closed center's IVR."""

WEEKDAY_VOLUME = {0: 210.0, 1: 185.0, 2: 175.0, 3: 175.0, 4: 165.0, 5: 18.0}
"""Mean first inbound calls per day (Monday 0 ... Saturday 5); Sunday is closed."""
WEEKDAY_HOURS = (8, 18)
SATURDAY_HOURS = (9, 12)
HOURLY_PROFILE = (0.7, 1.2, 1.3, 1.1, 0.9, 1.0, 1.1, 1.0, 0.8, 0.6)
"""Relative arrivals per weekday hour from 08:00: a morning peak and a softer afternoon."""
OUTBOUND_PER_WEEKDAY = 9.0

N_CUSTOMERS = 1500
N_AGENTS = 40
SHORT_ABANDON_SECONDS = 5.0
CLOCK_SKEW_TOLERANCE = 5.0
BEYOND_SKEW_ROWS = 2

QUEUE_OF_REASON = {
    "card_lost": "cards",
    "fraud_alert": "cards",
    "balance_inquiry": "accounts",
    "account_change": "accounts",
    "transfer_problem": "payments",
    "loan_request": "loans",
}
REASONS = tuple(QUEUE_OF_REASON)
REASON_WEIGHTS = (0.14, 0.08, 0.26, 0.14, 0.24, 0.14)
QUEUES = tuple(sorted(set(QUEUE_OF_REASON.values())))

P_UNIDENTIFIED = 0.5
P_IVR_ABANDON = 0.10
P_SELF_SERVE_BALANCE = 0.45
P_DIRECT = 0.36
P_SKEW_WHEN_QUICK = 0.15
P_IMPATIENT = 0.07
P_FLOW_OUT = 0.02
QUEUE_TIMEOUT_SECONDS = 120.0
"""A caller still waiting after two minutes flows out to voicemail."""
P_CALLBACK_REQUEST = 0.5
P_REDIAL = 0.35
P_TRANSFER = (0.08, 0.15)
"""Transfer probability of an answered first segment, then of a transferred-to segment."""
P_FOLLOW_UP = 0.16
P_FOLLOW_UP_SAME_REASON = 0.65
P_CALL_WHILE_OPEN = 0.03
P_OUTBOUND_FOLLOW_UP = 0.04
P_OUTBOUND_ANSWERED = 0.6
MAX_DEPTH = 3


@dataclass(frozen=True)
class CenterSummary:
    files: tuple[str, ...]
    """Landing files written, relative to the landing root."""
    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    """How many rows (segments) or requests of each planted case."""

    @property
    def skewed_rows(self) -> int:
        """Rows with connected_at 1-2 s before queued_at: the loader clamps these."""
        return self.counts["clock_skew_clamped"]

    @property
    def quarantined_rows(self) -> int:
        return self.counts["clock_skew_beyond_tolerance"]


@dataclass(frozen=True)
class _Request:
    """A call about to arrive: who, about what, and why it exists."""

    at: dt.datetime
    customer: str | None
    reason: str
    depth: int
    kind: str


def _open_hours(day: dt.date) -> tuple[int, int] | None:
    if day.weekday() == 6:
        return None
    return SATURDAY_HOURS if day.weekday() == 5 else WEEKDAY_HOURS


def _ms(seconds: float) -> dt.timedelta:
    """Whole milliseconds, as an ACD records them (and no float noise in the sums)."""
    return dt.timedelta(milliseconds=round(seconds * 1000))


class _Center:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rows: list[dict[str, object]] = []
        self.counts: Counter[str] = Counter()
        self.pending: deque[_Request] = deque()
        self.last_day = START + dt.timedelta(days=DAYS - 1)
        self.next_id = 0

    # -- draws -------------------------------------------------------------------------------

    def _uniform(self, low: float, high: float) -> float:
        return float(self.rng.uniform(low, high))

    def _chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def _reason(self) -> str:
        return str(self.rng.choice(REASONS, p=REASON_WEIGHTS))

    def _customer(self) -> str:
        return f"K{int(self.rng.integers(1, N_CUSTOMERS + 1)):05d}"

    def _caller(self) -> str | None:
        """The customer_id an inbound call arrives with: about half are not identified."""
        if not self._chance(P_UNIDENTIFIED):
            return self._customer()
        kind = self.rng.random()
        if kind < 0.62:
            self.counts["unidentified_sentinel_0"] += 1
            return "0"
        if kind < 0.95:
            self.counts["unidentified_null"] += 1
            return None
        self.counts["unidentified_sentinel_unknown"] += 1
        return "Unknown"

    def _agent(self) -> str:
        return f"AG{int(self.rng.integers(1, N_AGENTS + 1)):03d}"

    def _phone(self, customer: str | None) -> str | None:
        if customer is not None and customer.startswith("K"):
            return f"+49 30 555{customer[1:]}"
        if self._chance(0.3):
            return None
        return (
            f"+49 {int(self.rng.integers(151, 179))} {int(self.rng.integers(1_000_000, 9_999_999))}"
        )

    def _handle(self) -> tuple[float, float, float | None]:
        """Talk, hold and after-contact work, in whole seconds (ACW sometimes not recorded)."""
        talk = float(max(20, round(float(np.exp(self.rng.normal(5.2, 0.55))))))
        hold = 0.0 if self._chance(0.7) else float(round(self._uniform(10, 150)))
        acw = None if self._chance(0.03) else float(round(self._uniform(5, 80)))
        return talk, hold, acw

    def _time_in_hours(self, day: dt.date) -> dt.datetime:
        hours = _open_hours(day)
        assert hours is not None
        first, last = hours
        if (first, last) == WEEKDAY_HOURS:
            weights = np.array(HOURLY_PROFILE) / sum(HOURLY_PROFILE)
            hour = first + int(self.rng.choice(len(HOURLY_PROFILE), p=weights))
            offset = hour * 3600 + self._uniform(0, 3600)
        else:
            offset = self._uniform(first * 3600, last * 3600)
        return dt.datetime.combine(day, dt.time()) + _ms(offset)

    # -- rows --------------------------------------------------------------------------------

    def _new_id(self) -> str:
        self.next_id += 1
        return f"CT{self.next_id:06d}"

    def _row(self, **values: object) -> dict[str, object]:
        row: dict[str, object] = dict.fromkeys(CONTACTS.column_names)
        row.update(values)
        row["ai_assisted"] = bool(row["connected_at"] is not None and self._chance(0.12))
        row["record_updated_at"] = row["ended_at"] + _ms(self._uniform(1, 120))  # type: ignore[operator]
        self.rows.append(row)
        return row

    def _accepts(self, at: dt.datetime) -> bool:
        """The call reaches the center: an open hour of a day inside the data."""
        day = at.date()
        hours = _open_hours(day)
        if day < START or day > self.last_day or hours is None:
            return False
        return (
            hours[0] * 3600
            <= (at - dt.datetime.combine(day, dt.time())).total_seconds()
            < (hours[1] * 3600)
        )

    # -- call flows --------------------------------------------------------------------------

    def inbound(self, request: _Request) -> None:
        """A call the customer makes: IVR, then self-service, a hang-up, or an agent."""
        customer, reason = request.customer, request.reason
        self.counts[f"request_{request.kind}"] += 1
        contact_id = self._new_id()
        base = {
            "contact_id": contact_id,
            "initiation_method": "inbound",
            "customer_id": customer,
            "customer_phone": self._phone(customer),
            "contact_reason": reason,
            "started_at": request.at,
        }
        ivr_seconds = self._uniform(12, 55)
        if self._chance(P_IVR_ABANDON):
            self.counts["ivr_abandoned"] += 1
            self._row(
                **base,
                channel="phone",
                ended_at=request.at + _ms(self._uniform(3, ivr_seconds)),
                disposition="ivr_abandoned",
            )
            return
        if reason == "balance_inquiry" and self._chance(P_SELF_SERVE_BALANCE):
            self.counts["ivr_self_served"] += 1
            self._row(
                **base,
                channel="ivr",
                ended_at=request.at + _ms(ivr_seconds + self._uniform(20, 90)),
                disposition="self_served",
            )
            return
        segments = self._agent_leg(
            base,
            chain_start=contact_id,
            ready_at=request.at + _ms(ivr_seconds),
            transfer_depth=0,
        )
        self._after_chain(request, segments)

    def _agent_leg(
        self,
        base: dict[str, object],
        chain_start: str,
        ready_at: dt.datetime,
        transfer_depth: int,
        allow_direct: bool = True,
        patient: bool = False,
    ) -> list[dict[str, object]]:
        """One segment that asks for an agent in the reason's queue, and what follows it in
        the same chain (transfers, a callback). Returns the chain's segments from this one."""
        reason = str(base["contact_reason"])
        queue = QUEUE_OF_REASON[reason]
        values = {**base, "channel": "phone", "queue_id": queue}
        if allow_direct and self._chance(P_DIRECT):
            self.counts["routed_directly"] += 1
            return self._answered(values, None, ready_at, chain_start, transfer_depth)
        wait = float(self.rng.exponential(7.0 if self._chance(0.5) else 50.0))
        if patient:
            patience = float("inf")
        elif self._chance(P_IMPATIENT):
            patience = self._uniform(0.5, 4.9)
        else:
            patience = 5.0 + float(self.rng.exponential(240.0))
        exit_after = QUEUE_TIMEOUT_SECONDS if not patient else None
        if not patient and self._chance(P_FLOW_OUT):
            exit_after = self._uniform(30, QUEUE_TIMEOUT_SECONDS)
        if exit_after is not None and exit_after < min(wait, patience):
            self.counts["flow_out"] += 1
            row = self._row(
                **values,
                queued_at=ready_at,
                ended_at=ready_at + _ms(exit_after),
                disposition="flow_out",
            )
            return [row, *self._callback(row, chain_start)]
        if wait <= patience:
            connected = ready_at + _ms(wait)
            if wait < 4.0 and self._chance(P_SKEW_WHEN_QUICK):
                self.counts["clock_skew_clamped"] += 1
                connected = ready_at - _ms(self._uniform(1.0, 2.0))
            return self._answered(values, ready_at, connected, chain_start, transfer_depth)
        self.counts["abandoned"] += 1
        if patience < SHORT_ABANDON_SECONDS:
            self.counts["short_abandoned"] += 1
        row = self._row(
            **values, queued_at=ready_at, ended_at=ready_at + _ms(patience), disposition="abandoned"
        )
        if base["initiation_method"] == "inbound" and self._chance(P_REDIAL):
            self._request(
                row["ended_at"] + _ms(self._uniform(60, 600)),  # type: ignore[operator]
                base["customer_id"],  # type: ignore[arg-type]
                reason,
                depth=MAX_DEPTH,
                kind="redial_after_abandon",
            )
        return [row]

    def _answered(
        self,
        values: dict[str, object],
        queued: dt.datetime | None,
        connected: dt.datetime,
        chain_start: str,
        transfer_depth: int,
    ) -> list[dict[str, object]]:
        talk, hold, acw = self._handle()
        ended = connected + _ms(talk + hold)
        transfers = transfer_depth < len(P_TRANSFER) and self._chance(P_TRANSFER[transfer_depth])
        row = self._row(
            **values,
            agent_id=self._agent(),
            queued_at=queued,
            connected_at=connected,
            first_response_at=connected,
            ended_at=ended,
            talk_seconds=talk,
            hold_seconds=hold,
            acw_seconds=acw,
            disposition="transferred" if transfers else "handled",
        )
        self.counts["answered"] += 1
        if not transfers:
            return [row]
        self.counts["transfer"] += 1
        target = str(
            self.rng.choice([r for r in REASONS if QUEUE_OF_REASON[r] != values["queue_id"]])
        )
        started = ended + _ms(self._uniform(0.2, 2.0))
        base = {
            "contact_id": self._new_id(),
            "initial_contact_id": chain_start,
            "previous_contact_id": row["contact_id"],
            "initiation_method": "transfer",
            "customer_id": values["customer_id"],
            "customer_phone": values["customer_phone"],
            "contact_reason": target,
            "started_at": started,
        }
        return [row, *self._agent_leg(base, chain_start, started, transfer_depth + 1)]

    def _callback(self, flow_out: dict[str, object], chain_start: str) -> list[dict[str, object]]:
        """Half the callers who leave the queue ask for a callback: the center calls back
        10-60 minutes later, in the same chain, through the same queue."""
        if not self._chance(P_CALLBACK_REQUEST):
            return []
        started = flow_out["ended_at"] + _ms(self._uniform(600, 3600))  # type: ignore[operator]
        if not self._accepts(started):
            return []
        self.counts["callback"] += 1
        base = {
            "contact_id": self._new_id(),
            "initial_contact_id": chain_start,
            "previous_contact_id": flow_out["contact_id"],
            "initiation_method": "callback",
            "customer_id": flow_out["customer_id"],
            "customer_phone": flow_out["customer_phone"],
            "contact_reason": flow_out["contact_reason"],
            "started_at": started,
        }
        return self._agent_leg(base, chain_start, started, 1, allow_direct=False, patient=True)

    def _after_chain(self, request: _Request, segments: list[dict[str, object]]) -> None:
        """What an identified customer does after a handled call: call again (soon, the next
        day, or later; same or another reason; sometimes while still on the first call), or
        receive the center's outbound follow-up."""
        customer = request.customer
        handled = any(s["connected_at"] is not None for s in segments)
        if customer in (None, "0", "Unknown") or not handled or request.depth >= MAX_DEPTH:
            return
        start = segments[0]["started_at"]
        end = max(s["ended_at"] for s in segments)  # type: ignore[type-var]
        if self._chance(P_CALL_WHILE_OPEN):
            at = start + (end - start) * self._uniform(0.3, 0.9)  # type: ignore[operator]
            self._request(at, customer, request.reason, request.depth + 1, "call_while_open")
        if self._chance(P_FOLLOW_UP):
            kind = self.rng.random()
            if kind < 0.45:
                delay, window = self._uniform(300, 6900), "within_2h"
            elif kind < 0.8:
                delay, window = self._uniform(7560, 84600), "within_24h"
            else:
                delay, window = self._uniform(90000, 259200), "after_24h"
            same = self._chance(P_FOLLOW_UP_SAME_REASON)
            reason = request.reason if same else self._other_reason(request.reason)
            label = f"follow_up_{window}_{'same' if same else 'other'}_reason"
            self._request(end + _ms(delay), customer, reason, request.depth + 1, label)  # type: ignore[operator]
        if self._chance(P_OUTBOUND_FOLLOW_UP):
            at = end + _ms(self._uniform(1200, 6600))  # type: ignore[operator]
            if self._accepts(at):
                self.counts["outbound_after_customer_call"] += 1
                self.outbound(at, customer, request.reason, request.depth + 1)

    def _other_reason(self, reason: str) -> str:
        return str(self.rng.choice([r for r in REASONS if r != reason]))

    def _request(
        self, at: dt.datetime, customer: str | None, reason: str, depth: int, kind: str
    ) -> None:
        if depth <= MAX_DEPTH and self._accepts(at):
            self.pending.append(_Request(at, customer, reason, depth, kind))

    def outbound(self, at: dt.datetime, customer: str, reason: str, depth: int) -> None:
        """The center calls a customer; an unanswered call is often returned by the customer,
        and some answered ones too."""
        contact_id = self._new_id()
        ring = self._uniform(5, 25)
        values = {
            "contact_id": contact_id,
            "initiation_method": "outbound",
            "channel": "phone",
            "customer_id": customer,
            "customer_phone": self._phone(customer),
            "contact_reason": reason,
            "started_at": at,
        }
        if self._chance(P_OUTBOUND_ANSWERED):
            self.counts["outbound_answered"] += 1
            talk, hold, acw = self._handle()
            connected = at + _ms(ring)
            row = self._row(
                **values,
                agent_id=self._agent(),
                connected_at=connected,
                first_response_at=connected,
                ended_at=connected + _ms(talk + hold),
                talk_seconds=talk,
                hold_seconds=hold,
                acw_seconds=acw,
                disposition="handled",
            )
            returns = self._chance(0.25)
        else:
            self.counts["outbound_unanswered"] += 1
            row = self._row(
                **values,
                ended_at=at + _ms(ring + self._uniform(15, 30)),
                disposition="disconnected",
            )
            returns = self._chance(0.5)
        if returns:
            at_return = row["ended_at"] + _ms(self._uniform(180, 5400))  # type: ignore[operator]
            self._request(at_return, customer, reason, depth + 1, "customer_call_after_outbound")

    # -- days --------------------------------------------------------------------------------

    def day(self, day: dt.date) -> None:
        weekday = day.weekday()
        if day == ALMOST_EMPTY_SUNDAY:
            for customer in ("0", None, self._customer()):
                at = dt.datetime.combine(day, dt.time(9)) + _ms(self._uniform(0, 3 * 3600))
                self.pending.append(_Request(at, customer, self._reason(), MAX_DEPTH, "closed"))
            return
        if weekday == 6:
            return
        factor = float(np.exp(self.rng.normal(0, 0.07)))
        for _ in range(int(self.rng.poisson(WEEKDAY_VOLUME[weekday] * factor))):
            at = self._time_in_hours(day)
            self.pending.append(_Request(at, self._caller(), self._reason(), 0, "first_call"))
        if weekday < 5:
            for _ in range(int(self.rng.poisson(OUTBOUND_PER_WEEKDAY))):
                reason = "fraud_alert" if self._chance(0.6) else "loan_request"
                self.outbound(self._time_in_hours(day), self._customer(), reason, 0)

    def run(self) -> None:
        for offset in range(DAYS):
            self.day(START + dt.timedelta(days=offset))
            while self.pending:
                request = self.pending.popleft()
                if request.kind == "closed":
                    self._closed_center(request)
                else:
                    self.inbound(request)
        self._plant_beyond_tolerance()

    def _closed_center(self, request: _Request) -> None:
        self.counts["ivr_abandoned"] += 1
        self.counts["closed_day_calls"] += 1
        self._row(
            contact_id=self._new_id(),
            initiation_method="inbound",
            channel="phone",
            customer_id=request.customer,
            customer_phone=self._phone(request.customer),
            contact_reason=request.reason,
            started_at=request.at,
            ended_at=request.at + _ms(self._uniform(8, 20)),
            disposition="ivr_abandoned",
        )

    def _plant_beyond_tolerance(self) -> None:
        """Two unidentified single-segment calls answered within a few seconds whose connect
        time is 6.5-10 s before the queue entry: beyond the tolerance, so quarantined."""
        in_chain = {r["initial_contact_id"] for r in self.rows if r["initial_contact_id"]}
        candidates = [
            row
            for row in self.rows
            if row["queued_at"] is not None
            and row["connected_at"] is not None
            and row["customer_id"] in (None, "0")
            and row["contact_id"] not in in_chain
            and row["initiation_method"] == "inbound"
            and 0 <= (row["connected_at"] - row["queued_at"]).total_seconds() < 4  # type: ignore[operator]
        ]
        for index in self.rng.choice(len(candidates), size=BEYOND_SKEW_ROWS, replace=False):
            row = candidates[int(index)]
            skew = _ms(self._uniform(6.5, 10.0))
            row["connected_at"] = row["first_response_at"] = row["queued_at"] - skew  # type: ignore[operator]
            self.counts["clock_skew_beyond_tolerance"] += 1


def _schema() -> pa.Schema:
    types = {
        "string": pa.string(),
        "timestamp": pa.timestamp("us"),
        "double": pa.float64(),
        "boolean": pa.bool_(),
        "integer": pa.int64(),
    }
    return pa.schema([pa.field(c.name, types[c.type]) for c in CONTACTS.columns])


def write_center(landing: Path, seed: int = SEED) -> CenterSummary:
    """Write the center's contacts files under `landing`; the same seed writes the same
    files."""
    center = _Center(np.random.default_rng(seed))
    center.run()
    by_day: dict[dt.date, list[dict[str, object]]] = {}
    for row in sorted(center.rows, key=lambda r: (r["started_at"], r["contact_id"])):
        by_day.setdefault(row["started_at"].date(), []).append(row)  # type: ignore[attr-defined]
    folder = landing / CONTACTS.name
    folder.mkdir(parents=True, exist_ok=True)
    schema = _schema()
    files = []
    for day, rows in sorted(by_day.items()):
        path = folder / f"{day.isoformat()}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
        files.append(f"{CONTACTS.name}/{path.name}")
    counts = dict(center.counts)
    counts["saturday_rows"] = sum(len(r) for d, r in by_day.items() if d.weekday() == 5)
    counts["sunday_files"] = sum(1 for d in by_day if d.weekday() == 6)
    return CenterSummary(files=tuple(files), rows=len(center.rows), counts=counts)
