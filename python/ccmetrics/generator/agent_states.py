"""Agent state intervals, consistent with the shift as worked and the contacts handled."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from ccmetrics.generator.contacts import Contact, IdSequence
from ccmetrics.generator.staffing import WorkedShift

Columns = dict[str, list[object]]

_HANDLING, _ACW = 0, 1


def _timeline(
    shift: WorkedShift, work: list[tuple[float, float, float]]
) -> list[tuple[str, float, float]]:
    """(state, start, end) pieces: handling beats acw beats the scheduled activity."""
    events: list[tuple[float, int, int]] = []
    for connected, ended, wrapped in work:
        if ended > connected:
            events += [(connected, _HANDLING, 1), (ended, _HANDLING, -1)]
        if wrapped > ended:
            events += [(ended, _ACW, 1), (wrapped, _ACW, -1)]
    boundaries = sorted({t for t, _, _ in events} | {t for _, s, e in shift.actual for t in (s, e)})
    events.sort()
    activities = shift.actual
    counts = [0, 0]
    pieces: list[tuple[str, float, float]] = []
    event_index = activity_index = 0
    for start, end in itertools.pairwise(boundaries):
        while event_index < len(events) and events[event_index][0] <= start:
            _, kind, step = events[event_index]
            counts[kind] += step
            event_index += 1
        while activity_index < len(activities) and activities[activity_index][2] <= start:
            activity_index += 1
        activity = None
        if activity_index < len(activities) and activities[activity_index][1] <= start:
            activity = activities[activity_index][0]
        if counts[_HANDLING] > 0:
            state = "handling"
        elif counts[_ACW] > 0:
            state = "acw"
        elif activity is None:
            continue
        else:
            state = "available" if activity == "open" else activity
        if pieces and pieces[-1][0] == state and pieces[-1][2] == start:
            pieces[-1] = (state, pieces[-1][1], end)
        else:
            pieces.append((state, start, end))
    return pieces


def agent_states(
    worked: Iterable[WorkedShift], contacts: Iterable[Contact], ids: IdSequence
) -> Columns:
    work: dict[str, list[tuple[float, float, float]]] = {}
    for contact in contacts:
        if contact.agent is not None and contact.connected_at is not None:
            work.setdefault(contact.agent.agent_id, []).append(
                (contact.connected_at, contact.ended_at, contact.ended_at + contact.acw)
            )
    agent_ids: list[str] = []
    pieces: list[tuple[str, float, float]] = []
    for shift in worked:
        timeline = _timeline(shift, work.get(shift.agent.agent_id, []))
        agent_ids += [shift.agent.agent_id] * len(timeline)
        pieces += timeline
    return {
        "state_interval_id": ids.many(len(pieces)),
        "agent_id": agent_ids,
        "state": [state for state, _, _ in pieces],
        "started_at": [start for _, start, _ in pieces],
        "ended_at": [end for _, _, end in pieces],
    }


def schedules(worked: Iterable[WorkedShift], ids: IdSequence) -> Columns:
    rows: Columns = {
        name: [] for name in ("schedule_id", "agent_id", "activity", "starts_at", "ends_at")
    }
    for shift in worked:
        for activity, start, end in shift.planned:
            rows["agent_id"].append(shift.agent.agent_id)
            rows["activity"].append(activity)
            rows["starts_at"].append(start)
            rows["ends_at"].append(end)
    rows["schedule_id"] = list(ids.many(len(rows["agent_id"])))
    return rows
