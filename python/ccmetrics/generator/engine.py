"""Day-by-day generation of every landing source: the one entry point, `generate_landing`.

Only bounded state crosses midnight: the roster, the customer pool, contacts due in the next
seven days (repeats, callbacks), contacts still waiting in a queue, and rows whose file day
has not been written yet. Rows and files are built by a second process (`writer_process`)
while this one simulates the next day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccmetrics.generator import catalog
from ccmetrics.generator.arrivals import sample_arrivals
from ccmetrics.generator.bots import BotSession, run_bot_sessions
from ccmetrics.generator.config import GenerationSummary, GeneratorConfig
from ccmetrics.generator.contacts import Contact, ContactFactory, IdSequence
from ccmetrics.generator.day_files import DayOutput
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.followups import FollowUps
from ccmetrics.generator.people import (
    CUSTOMERS_PER_SCALE,
    NEW_CUSTOMERS_PER_DAY,
    Agent,
    CustomerPool,
    plan_roster,
)
from ccmetrics.generator.rng import stream
from ccmetrics.generator.simulation import build_pools, simulate
from ccmetrics.generator.staffing import WorkedShift, plan_shifts, staff_day, team_sizes
from ccmetrics.generator.writer_process import BackgroundWriter

DAY = 86400.0
CUSTOMER_CHUNK = 500_000
"""Customers sent to the writing process at a time in the first day's full extract."""
CONTACT_ENTRIES = ("phone", "chat", "messaging", "social", "email")


@dataclass(frozen=True)
class DayReport:
    """Progress after one generated day."""

    day: dt.date
    contacts: int
    bot_sessions: int
    rows: int
    seconds: float


Progress = Callable[[DayReport], None]


def _epoch(day: dt.date) -> float:
    return float(calendar.timegm(day.timetuple()))


def _agent_rows(agents: list[Agent], updated_at: float) -> dict[str, list[object]]:
    """Agent versions as known at `updated_at`: a leave is only known once it happens."""
    as_of = dt.datetime.fromtimestamp(updated_at, dt.UTC).date()
    return {
        "agent_id": [a.agent_id for a in agents],
        "team_id": [a.team_id for a in agents],
        "home_queue_id": [a.home_queue_id for a in agents],
        "hire_date": [a.hire_date for a in agents],
        "leave_date": [
            a.leave_date if a.leave_date is not None and a.leave_date <= as_of else None
            for a in agents
        ],
        "hourly_cost": [a.hourly_cost for a in agents],
        "record_updated_at": [updated_at] * len(agents),
    }


class _Generation:
    """The state of one run, advanced one day at a time."""

    def __init__(self, config: GeneratorConfig, writer: BackgroundWriter) -> None:
        self.config = config
        self.start_epoch = _epoch(config.start)
        self.writer = writer
        setup = stream(config.seed, -1, "setup")
        self.roster = plan_roster(
            team_sizes(config.start, config.scale), config.start, config.days, setup
        )
        self.customers = CustomerPool(
            round(CUSTOMERS_PER_SCALE * config.scale), self.start_epoch, setup
        )
        self.followups = FollowUps(self.start_epoch, config.planted_fcr_problem, config.start)
        self.waiting: list[Contact] = []
        for first in range(0, self.customers.size, CUSTOMER_CHUNK):
            chunk = np.arange(first, min(first + CUSTOMER_CHUNK, self.customers.size))
            self.writer.add_customers(
                self.customers.records(
                    chunk, np.full(len(chunk), self.start_epoch), np.full(len(chunk), np.nan)
                )
            )
        self.writer.add(
            "agents",
            _agent_rows([a for a in self.roster if a.hire_date < config.start], self.start_epoch),
        )

    def _roster_changes(self, day: dt.date, day_epoch: float) -> None:
        joiners = [a for a in self.roster if a.hire_date == day]
        if joiners:
            self.writer.add("agents", _agent_rows(joiners, day_epoch + 8 * 3600.0))
        leavers = [a for a in self.roster if a.leave_date == day]
        if leavers:
            self.writer.add("agents", _agent_rows(leavers, day_epoch + 17 * 3600.0))

    def _first_contacts(
        self, index: int, day: dt.date, day_epoch: float, factory: ContactFactory, draws: Draws
    ) -> tuple[list[Contact], list[Contact]]:
        """(queued contacts, contacts that ended in the IVR) of the day's new arrivals."""
        config = self.config
        queued: list[Contact] = []
        ivr_only: list[Contact] = []
        for entry in CONTACT_ENTRIES:
            arrivals = sample_arrivals(
                entry, day, day_epoch, config.scale, stream(config.seed, index, f"arrivals-{entry}")
            )
            customers = self.customers.pick(
                len(arrivals.times), stream(config.seed, index, f"customers-{entry}")
            )
            for started, reason, customer in zip(
                arrivals.times.tolist(), arrivals.reasons.tolist(), customers.tolist(), strict=True
            ):
                reason_name = catalog.REASONS[reason]
                if entry != "phone":
                    queued.append(factory.create(entry, customer, reason_name, "inbound", started))
                elif draws.chance(catalog.IVR_SELF_SERVICE_SHARE):
                    contact = factory.create("ivr", customer, reason_name, "inbound", started)
                    contact.disposition = "self_served"
                    contact.ended_at = started + round(draws.between(60, 240))
                    ivr_only.append(contact)
                else:
                    in_ivr = round(draws.between(*catalog.IVR_SECONDS_RANGE))
                    queued.append(
                        factory.create(
                            "phone",
                            customer,
                            reason_name,
                            "inbound",
                            started,
                            queued_at=started + in_ivr,
                        )
                    )
        for contact in ivr_only:
            self.followups.after_contact(contact, draws)
        return queued, ivr_only

    def _due_contacts(self, index: int, factory: ContactFactory) -> list[Contact]:
        """Follow-ups (repeats, retries, callbacks) due on the day, as contacts."""
        contacts: list[Contact] = []
        for pending in self.followups.due(index):
            contact = factory.create(
                pending.channel,
                pending.customer,
                pending.reason,
                pending.initiation,
                pending.started_at,
                queue_id=pending.queue_id,
            )
            contact.related_id = pending.related_id
            contact.initial_id = pending.initial_id
            contact.previous_id = pending.previous_id
            if pending.initiation == "callback":
                contact.transfer_to = None
            contacts.append(contact)
        return contacts

    def run_day(self, index: int) -> tuple[int, int]:
        """Generate day `index` (the day after the period only drains the queues)."""
        config = self.config
        tail = index == config.days
        day = config.start + dt.timedelta(days=index)
        day_epoch = self.start_epoch + index * DAY
        day_end = day_epoch + DAY
        key = day.strftime("%Y%m%d")
        creation = Draws(stream(config.seed, index, "contacts"))
        outcomes = Draws(stream(config.seed, index, "outcomes"))
        factory = ContactFactory(creation, IdSequence("CT", key))
        worked = staff_day(
            day,
            day_epoch,
            self.roster,
            plan_shifts(
                day, config.scale, config.staffing_factor, stream(config.seed, index, "plan")
            ),
            stream(config.seed, index, "staff"),
        )
        arrivals = list(self.waiting)
        ivr_only: list[Contact] = []
        sessions: list[BotSession] = []
        self.followups.start_day(index)
        if not tail:
            self._roster_changes(day, day_epoch)
            queued, ivr_only = self._first_contacts(index, day, day_epoch, factory, creation)
            arrivals += queued
            bots = sample_arrivals(
                "bot", day, day_epoch, config.scale, stream(config.seed, index, "arrivals-bot")
            )
            sessions = run_bot_sessions(
                bots.times,
                bots.reasons,
                self.customers.pick(len(bots.times), stream(config.seed, index, "customers-bot")),
                day_end,
                IdSequence("BS", key),
                factory,
                creation,
            )
            arrivals += [s.handoff for s in sessions if s.handoff is not None]
            # Customers who sign up today only contact the center from tomorrow on.
            new = self.customers.grow(
                max(1, round(NEW_CUSTOMERS_PER_DAY * config.scale)),
                day_epoch,
                stream(config.seed, index, "new-customers"),
            )
            self.writer.add_customers(
                self.customers.records(
                    new, self.customers.created_at[new], np.full(len(new), np.nan)
                )
            )
            for session in sessions:
                self.followups.after_bot(
                    session.customer, session.intent, session.ended_at, session.outcome, creation
                )
            arrivals += self._due_contacts(index, factory)

        def on_finish(contact: Contact) -> list[Contact]:
            self.followups.after_contact(contact, outcomes)
            return self._due_contacts(index, factory)

        finished, self.waiting = simulate(
            build_pools(worked), arrivals, day_end, factory, outcomes, on_finish
        )
        if tail:
            # Still unanswered after the period: the customer gave up waiting.
            for contact in self.waiting:
                contact.disposition = "abandoned"
                contact.ended_at = max(day_end, contact.queued_at or contact.started_at)
                self.followups.after_contact(contact, outcomes)
            finished += self.waiting
            self.waiting = []
        finished += ivr_only
        finished.sort(key=lambda c: (c.started_at, c.contact_id))
        self._write_day(index, day, finished, sessions, worked)
        return len(finished), len(sessions)

    def _write_day(
        self,
        index: int,
        day: dt.date,
        finished: list[Contact],
        sessions: list[BotSession],
        worked: list[WorkedShift],
    ) -> None:
        churns = self.followups.collect_churns()
        records = None
        if churns:
            who = np.array([c for c, _ in churns], dtype=np.int64)
            when = np.array([t for _, t in churns], dtype=float)
            records = self.customers.records(who, when, when)
        # A day's file is complete once no contact that started on it is still waiting.
        oldest_waiting = min(
            (math.floor((c.started_at - self.start_epoch) / DAY) for c in self.waiting),
            default=index,
        )
        self.writer.write_day(
            DayOutput(
                seed=self.config.seed,
                index=index,
                day=day,
                day_epoch=self.start_epoch + index * DAY,
                last_day=index >= self.config.days - 1,
                scale=self.config.scale,
                finished=finished,
                sessions=sessions,
                worked=worked,
                churns=records,
                flush_through=min(index, oldest_waiting) - 1,
            )
        )


def generate_landing(
    config: GeneratorConfig, out_dir: Path, progress: Progress | None = None
) -> GenerationSummary:
    """Generate `config.days` days of landing files for every contract source into `out_dir`."""
    began = time.perf_counter()
    collecting = gc.isenabled()
    # Millions of live contacts make every cyclic collection walk them all, and they form
    # no cycles: reference counting frees them. The writing process inherits the setting.
    gc.disable()
    writer = BackgroundWriter(out_dir, config)
    try:
        generation = _Generation(config, writer)
        for index in range(config.days + 1):
            contacts, bot_sessions = generation.run_day(index)
            if progress is not None and index < config.days:
                progress(
                    DayReport(
                        day=config.start + dt.timedelta(days=index),
                        contacts=contacts,
                        bot_sessions=bot_sessions,
                        rows=writer.rows_written,
                        seconds=time.perf_counter() - began,
                    )
                )
        summary = writer.finish(config.days - 1)
    finally:
        writer.close()
        if collecting:
            gc.enable()
    summary.seconds = time.perf_counter() - began
    return summary
