"""The day's new inbound contacts of one channel, their attributes drawn as arrays at once.

Same distributions as `ContactFactory.create`, which draws them one contact at a time for the
follow-ups decided during the simulation; the new arrivals of a day are known up front, so
their handle times, patience and assist are drawn in a few numpy calls.
"""

from __future__ import annotations

import numpy as np

from ccmetrics.generator import catalog
from ccmetrics.generator.contacts import (
    DISCONNECT_PROBABILITY,
    INFINITY,
    TRANSFER_PROBABILITY,
    Contact,
    IdSequence,
)

_REASON_QUEUE = [catalog.PHONE_QUEUE_OF_REASON[reason] for reason in catalog.REASONS]
_TALK_MEDIANS = np.array([catalog.TALK_MEDIAN[reason] for reason in catalog.REASONS])
_OTHER_QUEUES = {
    queue: [other for other in catalog.PHONE_QUEUES if other != queue]
    for queue in catalog.PHONE_QUEUES
}


def _pick(options: list[str], uniform: float) -> str:
    return options[min(len(options) - 1, int(uniform * len(options)))]


def _lognormal(
    rng: np.random.Generator, median: float | np.ndarray, sigma: float, n: int
) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def new_contacts(
    channel: str,
    customers: np.ndarray,
    reasons: np.ndarray,
    started: np.ndarray,
    queued: np.ndarray | None,
    ids: IdSequence,
    rng: np.random.Generator,
) -> list[Contact]:
    """Inbound contacts of `channel` (`ivr`: ended in the IVR, never queued), in input order.

    `reasons` are indexes into `catalog.REASONS`; `queued` defaults to `started`."""
    n = len(started)
    if n == 0:
        return []
    on_phone = channel == "phone"
    ai = rng.random(n) < catalog.AI_ASSIST_SHARE
    factor = catalog.CHANNEL_TALK_FACTOR.get(channel, 1.0) * np.where(
        ai, catalog.AI_ASSIST_HANDLE_FACTOR, 1.0
    )
    talk = np.maximum(
        15.0, np.round(_lognormal(rng, _TALK_MEDIANS[reasons], catalog.TALK_SIGMA, n) * factor)
    )
    hold = np.zeros(n)
    if on_phone:
        holds = rng.random(n) < catalog.HOLD_PROBABILITY
        hold = np.where(holds, np.round(_lognormal(rng, catalog.HOLD_MEDIAN, 0.8, n)), 0.0)
    acw_median = catalog.ACW_MEDIAN if on_phone else catalog.ACW_MEDIAN / 2
    acw = np.round(_lognormal(rng, acw_median, catalog.ACW_SIGMA, n) * np.where(ai, 0.8, 1.0))
    patience = np.full(n, INFINITY)
    timeout = np.full(n, INFINITY)
    if on_phone:
        patience = np.round(
            _lognormal(rng, catalog.PATIENCE_MEDIAN["phone"], catalog.PATIENCE_SIGMA, n)
        )
        impatient = rng.random(n) < catalog.IMPATIENT_SHARE
        patience = np.where(impatient, np.round(1 + 4 * rng.random(n)), patience)
        callback = rng.random(n) < catalog.CALLBACK_ACCEPT_SHARE
        timeout = np.where(
            callback, catalog.CALLBACK_OFFER_SECONDS, catalog.PHONE_QUEUE_TIMEOUT
        ).astype(float)
    elif channel == "chat":
        patience = np.round(
            _lognormal(rng, catalog.PATIENCE_MEDIAN["chat"], catalog.PATIENCE_SIGMA, n)
        )
    transfers = (rng.random(n) < TRANSFER_PROBABILITY) if on_phone else np.zeros(n, dtype=bool)
    transfer_pick = rng.random(n)
    disconnects = (rng.random(n) < DISCONNECT_PROBABILITY) if on_phone else np.zeros(n, bool)
    hidden = rng.random(n) < 0.03
    queued_at = started if queued is None else queued
    transfer_to = [
        _pick(_OTHER_QUEUES[_REASON_QUEUE[reason]], pick) if transfer else None
        for reason, transfer, pick in zip(
            reasons.tolist(), transfers.tolist(), transfer_pick.tolist(), strict=True
        )
    ]
    queue_of = _REASON_QUEUE if on_phone else [channel] * len(catalog.REASONS)
    return [
        Contact(
            contact_id=ids(),
            channel=channel,
            customer=customer,
            reason=catalog.REASONS[reason],
            initiation="inbound",
            started_at=start,
            queue_id=None if channel == "ivr" else queue_of[reason],
            queued_at=None if channel == "ivr" else queued_time,
            patience=patience_i,
            timeout=timeout_i,
            talk=talk_i,
            hold=hold_i,
            acw=acw_i,
            ai_assisted=ai_i,
            transfer_to=transfer_i,
            disconnects=disconnects_i,
            number_shown=not hidden_i,
        )
        for (
            customer,
            reason,
            start,
            queued_time,
            patience_i,
            timeout_i,
            talk_i,
            hold_i,
            acw_i,
            ai_i,
            transfer_i,
            disconnects_i,
            hidden_i,
        ) in zip(
            customers.tolist(),
            reasons.tolist(),
            started.tolist(),
            np.asarray(queued_at, dtype=float).tolist(),
            np.maximum(1.0, patience).tolist(),
            timeout.tolist(),
            talk.tolist(),
            hold.tolist(),
            np.maximum(3.0, acw).tolist(),
            ai.tolist(),
            transfer_to,
            disconnects.tolist(),
            hidden.tolist(),
            strict=True,
        )
    ]
