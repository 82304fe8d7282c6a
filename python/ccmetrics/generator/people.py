"""Customers and agents: the customer pool with fake PII, and the agent roster plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccmetrics.generator.catalog import SEGMENT_WEIGHTS, TEAMS

_FIRST = pa.array(
    [
        "anna",
        "ben",
        "carla",
        "david",
        "elena",
        "felix",
        "grace",
        "hugo",
        "irene",
        "jonas",
        "karen",
        "leo",
        "maria",
        "nina",
        "oscar",
        "paula",
        "quentin",
        "rosa",
        "samir",
        "tara",
        "umar",
        "vera",
        "will",
        "xenia",
        "yusuf",
        "zoe",
    ]
)
_LAST = pa.array(
    [
        "smith",
        "garcia",
        "muller",
        "rossi",
        "dubois",
        "novak",
        "kowalski",
        "jensen",
        "silva",
        "haddad",
        "tanaka",
        "okafor",
        "larsen",
        "moreau",
        "schmidt",
        "fischer",
        "brown",
        "costa",
    ]
)
_DOMAINS = pa.array(["example.com", "mail.example.net", "inbox.example.org", "example.co.uk"])
_SEGMENTS = pa.array(["consumer", "small_business", "enterprise"])

CUSTOMERS_PER_SCALE = 150_000
NEW_CUSTOMERS_PER_DAY = 40


def _digits(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values, type=pa.int64()), pa.string()), width, "0")


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def customer_ids(index: np.ndarray) -> pa.Array:
    return _join("CU", _digits(index, 8))


def customer_id(index: int) -> str:
    """The id of one customer (same format as `customer_ids`)."""
    return f"CU{index:08d}"


def customer_phones(index: np.ndarray) -> pa.Array:
    """A fake North-American number per customer; about 5% have none on file."""
    mixed = (index.astype(np.int64) * 2_654_435_761 + 97) % 10_000_000_000
    numbers = _join("+1", _digits(201 + mixed % 780, 3), _digits((mixed // 1000) % 10_000_000, 7))
    return pc.if_else(pa.array(mixed % 20 == 0), pa.scalar(None, pa.string()), numbers)


def customer_emails(index: np.ndarray, always: bool = False) -> pa.Array:
    """A fake address per customer; about 10% have none on file.

    With `always`, every customer has one: the address an e-mail actually came from.
    """
    index = index.astype(np.int64)
    mixed = (index * 40_503 + 11) % 1_000_003
    address = _join(
        _FIRST.take(pa.array(mixed % len(_FIRST))),
        ".",
        _LAST.take(pa.array(index % len(_LAST))),
        pc.cast(pa.array(index % 1000), pa.string()),
        "@",
        _DOMAINS.take(pa.array(mixed % len(_DOMAINS))),
    )
    if always:
        return address
    return pc.if_else(pa.array(mixed % 10 == 3), pa.scalar(None, pa.string()), address)


class CustomerPool:
    """Customers that can contact the center; grows daily."""

    def __init__(self, size: int, start_epoch: float, rng: np.random.Generator) -> None:
        self.segment = rng.choice(3, size=size, p=SEGMENT_WEIGHTS).astype(np.int8)
        years = rng.exponential(3.0, size=size) + 0.05
        self.created_at = np.floor(start_epoch - years * 365.25 * 86400.0)

    @property
    def size(self) -> int:
        return len(self.segment)

    def grow(self, count: int, day_epoch: float, rng: np.random.Generator) -> np.ndarray:
        """Add `count` customers created during the day; returns their indexes."""
        first = self.size
        self.segment = np.concatenate(
            [self.segment, rng.choice(3, size=count, p=SEGMENT_WEIGHTS).astype(np.int8)]
        )
        created = np.floor(day_epoch + np.sort(rng.uniform(0, 86400.0, size=count)))
        self.created_at = np.concatenate([self.created_at, created])
        return np.arange(first, self.size)

    def pick(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """Customers making new contacts; heavy users come back more often than others."""
        uniform = rng.integers(0, self.size, size=count)
        heavy = rng.integers(0, max(1, self.size // 20), size=count)
        return np.where(rng.random(count) < 0.15, heavy, uniform)

    def records(
        self, index: np.ndarray, updated_at: np.ndarray, churned_at: np.ndarray
    ) -> CustomerRecords:
        return CustomerRecords(
            index, self.segment[index], self.created_at[index], updated_at, churned_at
        )


@dataclass(frozen=True)
class CustomerRecords:
    """Customer versions as plain arrays: cheap to hand to the writing process."""

    index: np.ndarray
    segment: np.ndarray
    created_at: np.ndarray
    updated_at: np.ndarray
    churned_at: np.ndarray

    def rows(self) -> dict[str, object]:
        """The landing columns, ids and contact details derived from the index."""
        return {
            "customer_id": customer_ids(self.index),
            "segment": _SEGMENTS.take(pa.array(self.segment.astype(np.int64))),
            "email": customer_emails(self.index),
            "phone": customer_phones(self.index),
            "created_at": self.created_at,
            "churned_at": self.churned_at,
            "record_updated_at": self.updated_at,
        }


@dataclass
class Agent:
    agent_id: str
    team_id: str
    home_queue_id: str
    hire_date: dt.date
    leave_date: dt.date | None
    hourly_cost: float
    worked_week: tuple[int, int] = (0, 0)
    """(ISO week number, days worked in it)."""

    def employed_on(self, day: dt.date) -> bool:
        return self.hire_date <= day and (self.leave_date is None or day <= self.leave_date)

    def days_worked_in_week(self, day: dt.date) -> int:
        week = day.isocalendar()[1]
        return self.worked_week[1] if self.worked_week[0] == week else 0

    def record_day_worked(self, day: dt.date) -> None:
        self.worked_week = (day.isocalendar()[1], self.days_worked_in_week(day) + 1)


def plan_roster(
    team_sizes: dict[str, int], start: dt.date, days: int, rng: np.random.Generator
) -> list[Agent]:
    """Agents per team, plus a few who join and a few who leave during the period."""
    agents: list[Agent] = []
    team_by_id = {team.team_id: team for team in TEAMS}
    for team_id, size in team_sizes.items():
        team = team_by_id[team_id]
        joiners = 1 if days >= 14 and size >= 8 else 0
        for member in range(size + joiners):
            joining = member >= size
            if joining:
                hire = start + dt.timedelta(
                    days=int(rng.integers(days // 3, max(days // 3 + 1, days - 3)))
                )
            else:
                hire = start - dt.timedelta(days=int(rng.integers(30, 2500)))
            agents.append(
                Agent(
                    agent_id="",
                    team_id=team_id,
                    home_queue_id=team.home_queue_id,
                    hire_date=hire,
                    leave_date=None,
                    hourly_cost=round(team.hourly_cost * float(rng.lognormal(0.0, 0.08)), 2),
                )
            )
    leavers = max(1, round(len(agents) * 0.03)) if days >= 3 else 0
    veterans = [a for a in agents if a.hire_date < start]
    for index in rng.choice(len(veterans), size=min(leavers, len(veterans)), replace=False):
        veterans[int(index)].leave_date = start + dt.timedelta(
            days=int(rng.integers(1, max(2, days - 1)))
        )
    for number, agent in enumerate(agents, start=1):
        agent.agent_id = f"AG{number:04d}"
    return agents
