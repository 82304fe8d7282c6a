"""Hand-computed checks of the generator's building blocks."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow.parquet as pq
import pytest

from ccmetrics.generator.agent_states import _timeline
from ccmetrics.generator.config import GenerationSummary, GeneratorConfig, PlantedProblem
from ccmetrics.generator.contacts import Contact
from ccmetrics.generator.draws import Draws
from ccmetrics.generator.followups import next_open_time
from ccmetrics.generator.output import LandingWriter
from ccmetrics.generator.people import Agent
from ccmetrics.generator.simulation import Pool, Server, simulate
from ccmetrics.generator.staffing import INTERVALS_PER_DAY, WorkedShift, cover

AGENT = Agent("AG0001", "voice_a", "billing", dt.date(2024, 1, 1), None, 30.0)
EPOCH_2026_10_01 = 1_790_812_800.0


def contact(contact_id: str, queued_at: float, patience: float, talk: float = 100.0) -> Contact:
    return Contact(
        contact_id=contact_id, channel="phone", customer=1, reason="billing_question",
        initiation="inbound", started_at=queued_at, queue_id="billing", queued_at=queued_at,
        patience=patience,
        timeout=math.inf, talk=talk, hold=0.0, acw=3.0, ai_assisted=False, transfer_to=None,
        disconnects=False,
    )  # fmt: skip


def test_planted_problem_parses_and_covers_seven_days():
    problem = PlantedProblem.parse("voice_b:2026-10-08")
    assert problem == PlantedProblem("voice_b", dt.date(2026, 10, 8))
    assert problem.covers("voice_b", dt.date(2026, 10, 14))
    assert not problem.covers("voice_b", dt.date(2026, 10, 15))
    assert not problem.covers("voice_a", dt.date(2026, 10, 8))
    with pytest.raises(ValueError):
        PlantedProblem.parse("voice_b")
    with pytest.raises(ValueError, match="unknown team"):
        PlantedProblem.parse("voice_z:2026-10-08")


def test_config_rejects_nonsense():
    with pytest.raises(ValueError):
        GeneratorConfig(days=0)
    with pytest.raises(ValueError):
        GeneratorConfig(staffing_factor=0)


def test_cover_uses_a_full_shift_then_a_short_evening_one():
    need = np.zeros(INTERVALS_PER_DAY)
    need[16:40] = 1  # one agent from 08:00 to 20:00
    # 17 intervals / 17**0.7 beats 12 / 12**0.7, then the 7 left fit best in a 4-hour shift.
    assert cover(need) == [(16, 17), (32, 8)]


def test_cover_ignores_requirements_outside_opening_hours():
    need = np.zeros(INTERVALS_PER_DAY)
    need[2] = 3
    assert cover(need) == []


def test_fifo_queue_waits_for_the_agent_and_impatient_callers_abandon():
    pool = Pool([Server(AGENT, [(0.0, 1000.0)])])
    first, second, impatient = contact("a", 0, 60), contact("b", 10, 1000), contact("c", 20, 50)
    finished, waiting = simulate(
        {"billing": pool}, [first, second, impatient], 86400.0, None, Draws(
            np.random.default_rng(0)), lambda _: [])  # fmt: skip
    assert waiting == []
    # a: answered at once, busy until 100 + 3 s wrap-up; b waits for that.
    assert (first.connected_at, first.ended_at, first.disposition) == (0, 100, "handled")
    assert (second.connected_at, second.ended_at) == (103, 203)
    # c would wait until 206 but gives up after 50 s.
    assert (impatient.disposition, impatient.ended_at, impatient.agent) == ("abandoned", 70, None)
    assert [c.contact_id for c in finished] == ["a", "b", "c"]


def test_contacts_nobody_can_serve_today_wait_for_tomorrow_unless_impatient():
    pool = Pool([Server(AGENT, [(0.0, 100.0)])])
    email = contact("e", 200, math.inf)
    email.timeout = math.inf
    call = contact("p", 200, 30)
    finished, waiting = simulate(
        {"billing": pool}, [email, call], 86400.0, None, Draws(np.random.default_rng(0)),
        lambda _: [])  # fmt: skip
    assert waiting == [email]
    assert finished == [call] and call.disposition == "abandoned" and call.ended_at == 230


def test_agent_timeline_handling_beats_breaks():
    shift = WorkedShift(
        AGENT, "billing", planned=[],
        actual=[("open", 0.0, 100.0), ("break", 100.0, 115.0), ("open", 115.0, 200.0)],
    )  # fmt: skip
    pieces = _timeline(shift, [(90.0, 110.0, 120.0)])
    assert pieces == [
        ("available", 0.0, 90.0),
        ("handling", 90.0, 110.0),
        ("acw", 110.0, 120.0),
        ("available", 120.0, 200.0),
    ]


def test_follow_ups_on_live_channels_move_into_opening_hours():
    draws = Draws(np.random.default_rng(1))
    at_three = EPOCH_2026_10_01 + 3 * 3600
    moved = next_open_time(at_three, "phone", draws)
    assert EPOCH_2026_10_01 + 8 * 3600 <= moved < EPOCH_2026_10_01 + 20 * 3600
    late = EPOCH_2026_10_01 + 21 * 3600
    assert next_open_time(late, "phone", draws) >= EPOCH_2026_10_01 + 86400 + 8 * 3600
    assert next_open_time(at_three, "email", draws) == at_three


def test_writer_files_rows_by_day_and_refuses_written_days(tmp_path):
    config = GeneratorConfig(days=2)
    writer = LandingWriter(tmp_path, config.start, config.days, GenerationSummary(config))
    rows = {
        "cost_line_id": ["x1", "x2", "x3"],
        "cost_date": [dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 9)],
        "category": ["other"] * 3,
        "channel": [None] * 3,
        "amount": [1.0, 2.0, 3.0],
    }
    writer.add("cost_lines", rows)
    writer.flush(0)
    with pytest.raises(RuntimeError):
        writer.add("cost_lines", rows)
    writer.flush(1)
    # Files are written in the background while the caller builds the next day.
    writer.wait()
    assert pq.read_table(tmp_path / "cost_lines" / "2026-10-01.parquet").num_rows == 1
    assert pq.read_table(tmp_path / "cost_lines" / "2026-10-02.parquet").num_rows == 1
    assert not (tmp_path / "cost_lines" / "2026-10-09.parquet").exists()
