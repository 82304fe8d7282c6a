"""Event-driven queue simulation: FIFO per pool, servers are agents open at that moment.

Each arrival takes the server that can start earliest (first come, first served); the wait
this implies is compared with the customer's patience and the queue timeout, so waits,
abandons and flow-outs follow from staffing rather than being drawn.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable

from ccmetrics.generator.contacts import INFINITY, Contact, ContactFactory
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.people import Agent
from ccmetrics.generator.staffing import POOL_OF_QUEUE, WorkedShift


class Server:
    """One slot of an agent: a phone line, or one of a digital agent's concurrent sessions."""

    __slots__ = ("agent", "cursor", "free_at", "periods")

    def __init__(self, agent: Agent, periods: list[tuple[float, float]]) -> None:
        self.agent = agent
        self.periods = periods
        self.cursor = 0
        self.free_at = -INFINITY

    def next_open(self, at: float) -> float:
        """Earliest moment >= `at` at which the agent is open (logged in, not on a break)."""
        periods = self.periods
        index = self.cursor
        while index < len(periods) and periods[index][1] <= at:
            index += 1
        self.cursor = index
        if index == len(periods):
            return INFINITY
        return max(at, periods[index][0])


class Pool:
    """Servers taking one FIFO line of contacts; ties go to the agent idle the longest."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self._heap = [
            (server.next_open(-INFINITY), -INFINITY, i) for i, server in enumerate(servers)
        ]
        heapq.heapify(self._heap)

    def earliest(self, at: float) -> tuple[float, int]:
        """(start time, server index) of the first server able to take a contact from `at`."""
        heap = self._heap
        while heap and heap[0][0] < at:
            index = heap[0][2]
            server = self.servers[index]
            start = server.next_open(max(at, server.free_at))
            if start == at:
                # Idle and open now: nobody can start sooner. Its stale entry stays on top
                # until `occupy` replaces it.
                return at, index
            heapq.heapreplace(heap, (start, server.free_at, index))
        if not heap:
            return INFINITY, -1
        return heap[0][0], heap[0][2]

    def occupy(self, index: int, until: float) -> None:
        server = self.servers[index]
        server.free_at = until
        heapq.heapreplace(self._heap, (server.next_open(until), until, index))


SLOTS_BY_MODE: dict[str, tuple[tuple[str, int], ...]] = {
    "billing": (("billing", 1),),
    "tech_support": (("tech_support", 1),),
    "sales": (("sales", 1),),
    "chat": (("chat", 2), ("messaging", 1)),
    "email": (("email", 1),),
}
"""The pools and concurrent slots an agent serves in each shift mode."""


def build_pools(worked: Iterable[WorkedShift]) -> dict[str, Pool]:
    servers: dict[str, list[Server]] = {pool: [] for pool in set(POOL_OF_QUEUE.values())}
    for shift in worked:
        periods = shift.open_periods
        for pool, slots in SLOTS_BY_MODE[shift.mode]:
            servers[pool].extend(Server(shift.agent, periods) for _ in range(slots))
    return {pool: Pool(members) for pool, members in servers.items()}


def _first_response(contact: Contact, connected: float, draws: Draws) -> float:
    if contact.channel == "phone":
        return connected
    if contact.channel == "email":
        return connected + contact.talk
    return connected + round(draws.between(5, 40))


def simulate(
    pools: dict[str, Pool],
    arrivals: Iterable[Contact],
    day_end: float,
    factory: ContactFactory,
    draws: Draws,
    on_finish: Callable[[Contact], Iterable[Contact]],
) -> tuple[list[Contact], list[Contact]]:
    """Run one day. Returns (finished contacts, contacts still waiting at the end of the day).

    `on_finish` sees each contact as its outcome is known and returns the contacts it causes
    later the same day (a retry after an abandon, a repeat), which join the simulation.
    Contacts that nobody could serve today and that never give up (e-mail, messaging,
    callbacks) are carried to the next day's simulation, keeping their place in line.
    """
    counter = itertools.count()
    events = [(contact.queued_at, next(counter), contact) for contact in arrivals]
    heapq.heapify(events)
    finished: list[Contact] = []
    waiting: list[Contact] = []

    def finish(contact: Contact) -> None:
        finished.append(contact)
        for caused in on_finish(contact):
            heapq.heappush(events, (caused.queued_at, next(counter), caused))

    while events:
        queued_at, _, contact = heapq.heappop(events)
        pool = pools[POOL_OF_QUEUE[contact.queue_id]]
        start, index = pool.earliest(queued_at)
        if start == INFINITY and contact.patience == INFINITY and contact.timeout == INFINITY:
            waiting.append(contact)
            continue
        wait = start - queued_at
        if wait > contact.patience or wait > contact.timeout:
            if contact.patience <= contact.timeout:
                contact.disposition = "abandoned"
                contact.ended_at = queued_at + contact.patience
            else:
                contact.disposition = "flow_out"
                contact.ended_at = queued_at + contact.timeout
            finish(contact)
            continue
        agent = pool.servers[index].agent
        contact.agent = agent
        contact.connected_at = start
        contact.first_response_at = _first_response(contact, start, draws)
        if contact.transfer_to is not None and start + contact.talk * 0.4 + 20 >= day_end:
            # Nobody left to transfer to this late: the agent finishes the call.
            contact.transfer_to = None
        if contact.transfer_to is not None:
            contact.talk = max(20.0, round(contact.talk * 0.4))
            contact.hold = 0.0
            contact.acw = min(contact.acw, 15.0)
            contact.disposition = "transferred"
        elif contact.disconnects:
            contact.talk = max(5.0, round(contact.talk * 0.3))
            contact.hold = 0.0
            contact.disposition = "disconnected"
        else:
            contact.disposition = "handled"
        contact.ended_at = start + contact.talk + contact.hold
        pool.occupy(index, contact.ended_at + contact.acw)
        finish(contact)
        if contact.transfer_to is not None:
            segment = factory.create(
                "phone",
                contact.customer,
                contact.reason,
                "transfer",
                contact.ended_at,
                queue_id=contact.transfer_to,
            )
            segment.transfer_to = None
            segment.initial_id = contact.initial_id or contact.contact_id
            segment.previous_id = contact.contact_id
            segment.number_shown = contact.number_shown
            heapq.heappush(events, (segment.queued_at, next(counter), segment))
    return finished, waiting
