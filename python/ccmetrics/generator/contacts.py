"""A contact segment as the simulation sees it, and the factory that draws its attributes."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, fields

from ccmetrics.generator import catalog
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.people import Agent

INFINITY = math.inf
TRANSFER_PROBABILITY = 0.06
DISCONNECT_PROBABILITY = 0.01


@dataclass(slots=True)
class Contact:
    contact_id: str
    channel: str
    customer: int
    reason: str
    initiation: str
    started_at: float
    queue_id: str | None
    queued_at: float | None
    patience: float
    """Seconds the customer waits in queue before giving up (infinite on async channels)."""
    timeout: float
    """Seconds after which the queue gives up on the contact (phone: callback offer)."""
    talk: float
    hold: float
    acw: float
    ai_assisted: bool
    transfer_to: str | None
    disconnects: bool
    initial_id: str | None = None
    previous_id: str | None = None
    related_id: str | None = None
    agent: Agent | None = None
    connected_at: float | None = None
    first_response_at: float | None = None
    ended_at: float = 0.0
    disposition: str = ""
    number_shown: bool = True
    """The caller withheld no number (3% do); only phone, IVR and messaging show one."""
    resolved: bool = False
    """The issue was solved (hidden truth; drives repeats, surveys, churn)."""

    def __reduce__(self) -> tuple[object, tuple[tuple[object, ...]]]:
        # A slotted dataclass pickles through a Python loop over its fields; one C-level
        # getter is several times faster, and every finished contact is sent to the writer.
        return _contact_from_fields, (_CONTACT_FIELDS(self),)

    @property
    def waited(self) -> float | None:
        if self.queued_at is None or self.connected_at is None:
            return None
        return self.connected_at - self.queued_at


_CONTACT_FIELDS = operator.attrgetter(*(field.name for field in fields(Contact)))


def _contact_from_fields(values: tuple[object, ...]) -> Contact:
    return Contact(*values)  # type: ignore[arg-type]


class IdSequence:
    """Ids like `CT20261001-0000042`: a prefix, the generating day and a counter."""

    def __init__(self, prefix: str, day_key: str) -> None:
        self._stem = f"{prefix}{day_key}-"
        self._next = 0

    def __call__(self) -> str:
        self._next += 1
        return f"{self._stem}{self._next:07d}"

    def many(self, count: int) -> list[str]:
        """The next `count` ids (as `count` calls would give them)."""
        first, self._next = self._next + 1, self._next + count
        stem = self._stem
        return [f"{stem}{number:07d}" for number in range(first, self._next + 1)]


class ContactFactory:
    """Creates contacts with handle times, patience and assist drawn for their channel."""

    def __init__(self, draws: Draws, ids: IdSequence) -> None:
        self._draws = draws
        self.ids = ids

    def create(
        self,
        channel: str,
        customer: int,
        reason: str,
        initiation: str,
        started_at: float,
        queue_id: str | None = None,
        queued_at: float | None = None,
    ) -> Contact:
        draws = self._draws
        if queue_id is None and channel != "ivr":
            queue_id = catalog.PHONE_QUEUE_OF_REASON[reason] if channel == "phone" else channel
        if queued_at is None and queue_id is not None:
            queued_at = started_at
        ai_assisted = draws.chance(catalog.AI_ASSIST_SHARE)
        factor = catalog.CHANNEL_TALK_FACTOR.get(channel, 1.0)
        if ai_assisted:
            factor *= catalog.AI_ASSIST_HANDLE_FACTOR
        talk = max(
            15.0, round(draws.lognormal(catalog.TALK_MEDIAN[reason], catalog.TALK_SIGMA) * factor)
        )
        on_phone = channel == "phone"
        hold = 0.0
        if on_phone and draws.chance(catalog.HOLD_PROBABILITY):
            hold = round(draws.lognormal(catalog.HOLD_MEDIAN, 0.8))
        acw_median = catalog.ACW_MEDIAN if on_phone else catalog.ACW_MEDIAN / 2
        acw = round(draws.lognormal(acw_median, catalog.ACW_SIGMA) * (0.8 if ai_assisted else 1.0))
        if on_phone:
            patience = round(
                draws.lognormal(catalog.PATIENCE_MEDIAN["phone"], catalog.PATIENCE_SIGMA)
            )
            if draws.chance(catalog.IMPATIENT_SHARE):
                patience = round(draws.between(1, 5))
            timeout = catalog.PHONE_QUEUE_TIMEOUT
            if draws.chance(catalog.CALLBACK_ACCEPT_SHARE):
                timeout = catalog.CALLBACK_OFFER_SECONDS
            if initiation == "callback":
                # The center calls back: the customer does not hang up in a queue.
                patience = timeout = INFINITY
        elif channel == "chat":
            patience = round(
                draws.lognormal(catalog.PATIENCE_MEDIAN["chat"], catalog.PATIENCE_SIGMA)
            )
            timeout = INFINITY
        else:
            patience = timeout = INFINITY
        transfer_to = None
        if on_phone and queue_id is not None and draws.chance(TRANSFER_PROBABILITY):
            others = [q for q in catalog.PHONE_QUEUES if q != queue_id]
            transfer_to = draws.pick(others)
        return Contact(
            contact_id=self.ids(),
            channel=channel,
            customer=customer,
            reason=reason,
            initiation=initiation,
            started_at=started_at,
            queue_id=queue_id,
            queued_at=queued_at,
            patience=max(1.0, patience),
            timeout=timeout,
            talk=talk,
            hold=hold,
            acw=max(3.0, acw),
            ai_assisted=ai_assisted,
            transfer_to=transfer_to,
            disconnects=on_phone and draws.chance(DISCONNECT_PROBABILITY),
            number_shown=not draws.chance(0.03),
        )
