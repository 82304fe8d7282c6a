"""Issues that come back: repeats, retries after abandons, callbacks, and churn.

Only contacts due in the next seven days are kept (`Pending`), so the state carried from
one day to the next stays bounded however long the run.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ccmetrics.generator import catalog
from ccmetrics.generator.config import PlantedProblem
from ccmetrics.generator.contacts import Contact
from ccmetrics.generator.draws import Draws

DAY = 86400.0
HORIZON_DAYS = 7
REPEAT_CHANNELS = ("phone", "chat", "email", "messaging", "social")
REPEAT_CHANNEL_WEIGHTS = (0.5, 0.75, 0.87, 0.97, 1.0)
"""Cumulative weights of the channel of a follow-up that switches channel."""
SHORT_ABANDON_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Pending:
    """A contact that will arrive later."""

    started_at: float
    channel: str
    customer: int
    reason: str
    initiation: str
    queue_id: str | None = None
    related_id: str | None = None
    initial_id: str | None = None
    previous_id: str | None = None


def next_open_time(at: float, channel: str, draws: Draws) -> float:
    """Live channels only take contacts while open: move a follow-up into opening hours."""
    if channel not in catalog.LIVE_CHANNELS:
        return at
    day_start = math.floor(at / DAY) * DAY
    hour = (at - day_start) / 3600.0
    if catalog.OPEN_HOUR <= hour < catalog.CLOSE_HOUR - 0.25:
        return at
    opening = day_start + (DAY if hour >= catalog.OPEN_HOUR else 0.0) + catalog.OPEN_HOUR * 3600.0
    # Most try again soon after opening; nobody waits past the afternoon.
    latest = (catalog.CLOSE_HOUR - catalog.OPEN_HOUR - 1) * 3600.0
    return math.floor(opening + min(draws.exponential(5400.0), latest))


class FollowUps:
    """Decides what happens after each contact and keeps the contacts still to come."""

    def __init__(self, start_epoch: float, planted: PlantedProblem | None, start: dt.date) -> None:
        self._start_epoch = start_epoch
        self._start = start
        self._planted = planted
        self._pending: dict[int, list[Pending]] = {}
        self._today = -1
        self._due_today: list[Pending] = []
        self.churned: set[int] = set()
        """Customers who cancelled during the run (each cancels once)."""
        self.new_churns: list[tuple[int, float]] = []
        """(customer, churned_at) decided since the engine last collected them."""

    def day_of(self, epoch: float) -> int:
        return math.floor((epoch - self._start_epoch) / DAY)

    def start_day(self, day_index: int) -> None:
        """From now on, follow-ups due on `day_index` are handed out as they are decided."""
        self._today = day_index

    def due(self, day_index: int) -> list[Pending]:
        """Contacts planned for the day (for today: also those decided since the last call)."""
        due = self._pending.pop(day_index, [])
        if day_index == self._today:
            due += self._due_today
            self._due_today = []
        return sorted(due, key=lambda p: (p.started_at, p.customer))

    def _schedule(self, pending: Pending, origin: float) -> None:
        if pending.started_at - origin > HORIZON_DAYS * DAY:
            return
        day_index = self.day_of(pending.started_at)
        if day_index <= self._today:
            self._due_today.append(pending)
        else:
            self._pending.setdefault(day_index, []).append(pending)

    def _repeat(
        self, contact: Contact, delay: float, draws: Draws, link_related: bool = True
    ) -> None:
        same_channel = contact.channel if contact.channel != "ivr" else "phone"
        channel = same_channel
        if draws.chance(0.3):
            channel = draws.weighted(REPEAT_CHANNELS, REPEAT_CHANNEL_WEIGHTS)
        switched = channel != same_channel
        related = None
        if link_related and draws.chance(0.6 if switched else 0.2):
            related = contact.contact_id
        at = next_open_time(math.floor(contact.ended_at + delay), channel, draws)
        self._schedule(
            Pending(at, channel, contact.customer, contact.reason, "inbound", related_id=related),
            contact.ended_at,
        )

    def _planted_problem(self, contact: Contact) -> bool:
        if self._planted is None or contact.agent is None:
            return False
        day = self._start + dt.timedelta(days=self.day_of(contact.started_at))
        return self._planted.covers(contact.agent.team_id, day)

    def after_contact(self, contact: Contact, draws: Draws) -> None:
        """Resolve the contact's issue (or not) and plan what comes back, and any churn."""
        disposition = contact.disposition
        if disposition == "handled":
            chance = catalog.RESOLVE_PROBABILITY[contact.reason] + (
                0.03 if contact.ai_assisted else 0.0
            )
            contact.resolved = draws.chance(chance)
            if self._planted_problem(contact):
                contact.resolved = False
                if draws.chance(0.6):
                    self._repeat(contact, draws.lognormal(2400.0, 0.8), draws)
            elif draws.chance(0.05 if contact.resolved else 0.55):
                self._repeat(contact, draws.lognormal(4 * 3600.0, 1.6), draws)
        elif disposition == "disconnected":
            if draws.chance(0.7):
                self._repeat(contact, draws.lognormal(480.0, 0.8), draws, link_related=False)
        elif disposition == "abandoned":
            waited = contact.ended_at - (contact.queued_at or contact.started_at)
            if draws.chance(0.3 if waited < SHORT_ABANDON_SECONDS else 0.55):
                self._repeat(contact, draws.lognormal(1200.0, 1.0), draws, link_related=False)
        elif disposition == "flow_out":
            if draws.chance(0.9):
                at = next_open_time(
                    math.floor(contact.ended_at + draws.lognormal(1500.0, 0.7)), "phone", draws
                )
                self._schedule(
                    Pending(
                        at,
                        "phone",
                        contact.customer,
                        contact.reason,
                        "callback",
                        queue_id=contact.queue_id,
                        initial_id=contact.initial_id or contact.contact_id,
                        previous_id=contact.contact_id,
                    ),
                    contact.ended_at,
                )
            elif draws.chance(0.5):
                self._repeat(contact, draws.lognormal(3600.0, 1.0), draws, link_related=False)
        elif disposition == "self_served":
            contact.resolved = True
            if draws.chance(0.12):
                self._repeat(contact, draws.lognormal(2 * 3600.0, 1.5), draws)
        if disposition != "transferred":
            self._maybe_churn(contact, draws)

    def after_bot(
        self, customer: int, intent: str, ended_at: float, outcome: str, draws: Draws
    ) -> None:
        chance = {"resolved": 0.10, "dropped": 0.5}.get(outcome, 0.0)
        if draws.chance(chance):
            delay = draws.lognormal(6 * 3600.0 if outcome == "resolved" else 2400.0, 1.4)
            channel = "phone" if draws.chance(0.6) else "chat"
            at = next_open_time(math.floor(ended_at + delay), channel, draws)
            self._schedule(Pending(at, channel, customer, intent, "inbound"), ended_at)

    def _maybe_churn(self, contact: Contact, draws: Draws) -> None:
        if contact.customer in self.churned:
            return
        if contact.reason == "cancellation" and contact.resolved:
            chance = 0.25
        elif contact.disposition in {"abandoned", "flow_out"} or (
            contact.disposition == "handled" and not contact.resolved
        ):
            chance = 0.015
        else:
            chance = 0.0008
        if draws.chance(chance):
            self.churned.add(contact.customer)
            churned_at = math.floor(contact.ended_at + draws.between(3600.0, 72 * 3600.0))
            self.new_churns.append((contact.customer, churned_at))

    def collect_churns(self) -> list[tuple[int, float]]:
        churns, self.new_churns = self.new_churns, []
        return churns
