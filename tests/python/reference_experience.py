"""An independent pandas recomputation of the generation 2-4, workforce and cost metrics of
../shared/METRICS.md, from the landing files (never from the warehouse).

It shares no code with the dbt models. Where METRICS.md leaves an attribution open (which
day, which grain), it follows what the marts document in their yml descriptions:
- survey metrics: the day and channel of the contact segment or bot session rated;
- bot metrics: the day and channel the session started;
- knowledge-base look-ups: the day the look-up was made;
- schedule adherence: per agent and day the scheduled activity starts;
- occupancy: per agent and day the agent state started, handling = handling + acw states;
- cost: cost lines on their cost_date, labor = logged-in hours x hourly cost on the day the
  state started, contacts and resolutions on the day the interaction ended.
All days are UTC (the default reporting_timezone).
"""

from __future__ import annotations

import pandas as pd
from reference import fcr_flags, interactions

FCR_DEFAULT_WINDOW_HOURS = 2
OPEN_STATES = ("available", "handling", "acw")


def _date(values: pd.Series) -> pd.Series:
    return values.dt.date


def _seconds(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds()


def end_of_data(contacts: pd.DataFrame, bot_sessions: pd.DataFrame) -> pd.Timestamp:
    """The latest start of anything delivered: any contact segment or bot session."""
    return max(contacts["started_at"].max(), bot_sessions["started_at"].max())


def satisfaction_daily(
    surveys: pd.DataFrame, contacts: pd.DataFrame, bot_sessions: pd.DataFrame
) -> pd.DataFrame:
    """CSAT (top-2-box) and NPS counts per day and channel of the rated contact or session.

    A response whose rated contact or session is unknown cannot be attributed and is left out.
    """
    rated_contacts = contacts.set_index("contact_id")[["channel", "started_at"]]
    rated_sessions = bot_sessions.set_index("bot_session_id")[["channel", "started_at"]]
    by_contact = rated_contacts.reindex(surveys["contact_id"]).reset_index(drop=True)
    by_session = rated_sessions.reindex(surveys["bot_session_id"]).reset_index(drop=True)
    is_contact = surveys["contact_id"].notna().to_numpy()
    rated = by_contact.where(pd.Series(is_contact), by_session)
    responses = surveys.reset_index(drop=True).assign(
        channel=rated["channel"], rated_started_at=rated["started_at"]
    )
    responses = responses[responses["rated_started_at"].notna()].copy()
    responses["date"] = _date(responses["rated_started_at"])
    csat = responses["csat_score"]
    nps = responses["nps_score"]
    responses["csat_responses"] = csat.notna().astype(int)
    responses["csat_satisfied_responses"] = csat.ge(4).astype(int)
    responses["nps_responses"] = nps.notna().astype(int)
    responses["nps_promoters"] = nps.ge(9).astype(int)
    responses["nps_passives"] = nps.between(7, 8).astype(int)
    responses["nps_detractors"] = nps.le(6).astype(int)
    return responses.groupby(["date", "channel"], as_index=False)[
        [
            "csat_responses",
            "csat_satisfied_responses",
            "nps_responses",
            "nps_promoters",
            "nps_passives",
            "nps_detractors",
        ]
    ].sum()


def bot_sessions_judged(
    contacts: pd.DataFrame,
    bot_sessions: pd.DataFrame,
    window_hours: float = FCR_DEFAULT_WINDOW_HOURS,
) -> pd.DataFrame:
    """Every bot session with: handoff, window complete, resolved (bot resolution).

    A bot resolution is a session that ended without handoff and with no repeat interaction
    of the customer (same reason) within the window after it ended; sessions whose window
    reaches past the end of the data are censored (resolved is null). A handed-off session
    is never a resolution; it is censored by the same rule.
    """
    data_end = end_of_data(contacts, bot_sessions)
    window = pd.Timedelta(hours=window_hours)
    flagged = fcr_flags(interactions(contacts, bot_sessions), window_hours)
    repeats = flagged[flagged["interaction_type"].eq("bot_session")].set_index("interaction_id")[
        "has_repeat"
    ]
    sessions = bot_sessions.copy()
    sessions["date"] = _date(sessions["started_at"])
    sessions["is_handoff"] = sessions["outcome"].eq("handoff")
    sessions["window_complete"] = sessions["ended_at"] + window <= data_end
    has_repeat = repeats.reindex(sessions["bot_session_id"]).to_numpy()
    resolved = (~sessions["is_handoff"]) & ~pd.Series(has_repeat, index=sessions.index).fillna(
        False
    ).astype(bool)
    sessions["is_bot_resolution"] = resolved.where(sessions["window_complete"])
    return sessions


def bot_daily(contacts: pd.DataFrame, bot_sessions: pd.DataFrame) -> pd.DataFrame:
    """Bot sessions, handoffs, resolution-eligible sessions and resolutions per day and channel."""
    sessions = bot_sessions_judged(contacts, bot_sessions)
    sessions["bot_sessions"] = 1
    sessions["bot_handoffs"] = sessions["is_handoff"].astype(int)
    sessions["bot_resolution_eligible"] = sessions["window_complete"].astype(int)
    sessions["bot_resolutions"] = sessions["is_bot_resolution"].eq(True).astype(int)
    return sessions.groupby(["date", "channel"], as_index=False)[
        ["bot_sessions", "bot_handoffs", "bot_resolution_eligible", "bot_resolutions"]
    ].sum()


def kb_daily(kb_events: pd.DataFrame) -> pd.DataFrame:
    """Look-ups and hits (an article was returned and used) per day and actor."""
    events = kb_events.copy()
    events["date"] = _date(events["occurred_at"])
    events["lookups"] = 1
    events["kb_hits"] = (events["article_id"].notna() & events["article_used"].eq(True)).astype(int)
    return events.groupby(["date", "actor_type"], as_index=False)[["lookups", "kb_hits"]].sum()


def schedule_adherence(schedules: pd.DataFrame, agent_states: pd.DataFrame) -> pd.DataFrame:
    """Scheduled and adherent seconds per agent and day the activity starts.

    An open activity is met by the available, handling and acw states, any other activity
    by the state of the same name; only the overlap of state and activity counts.
    """
    states = agent_states[["agent_id", "state", "started_at", "ended_at"]].copy()
    states["activity"] = states["state"].where(~states["state"].isin(OPEN_STATES), "open")
    pairs = schedules[["schedule_id", "agent_id", "activity", "starts_at", "ends_at"]].merge(
        states[["agent_id", "activity", "started_at", "ended_at"]], on=["agent_id", "activity"]
    )
    overlap_start = pairs[["starts_at", "started_at"]].max(axis=1)
    overlap_end = pairs[["ends_at", "ended_at"]].min(axis=1)
    pairs["adherent_seconds"] = _seconds(overlap_end, overlap_start).clip(lower=0)
    adherent = pairs.groupby("schedule_id")["adherent_seconds"].sum()
    activities = schedules.copy()
    activities["date"] = _date(activities["starts_at"])
    activities["scheduled_seconds"] = _seconds(activities["ends_at"], activities["starts_at"])
    activities["adherent_seconds"] = (
        adherent.reindex(activities["schedule_id"]).fillna(0.0).to_numpy()
    )
    return activities.groupby(["agent_id", "date"], as_index=False)[
        ["scheduled_seconds", "adherent_seconds"]
    ].sum()


def agent_state_days(agent_states: pd.DataFrame) -> pd.DataFrame:
    """Handling (handling + acw states), available and logged-in seconds per agent and day."""
    states = agent_states.copy()
    states["date"] = _date(states["started_at"])
    seconds = _seconds(states["ended_at"], states["started_at"])
    states["paid_seconds"] = seconds
    states["handling_seconds"] = seconds.where(states["state"].isin(("handling", "acw")), 0.0)
    states["available_seconds"] = seconds.where(states["state"].eq("available"), 0.0)
    return states.groupby(["agent_id", "date"], as_index=False)[
        ["handling_seconds", "available_seconds", "paid_seconds"]
    ].sum()


def cost_daily(
    contacts: pd.DataFrame,
    bot_sessions: pd.DataFrame,
    agents: pd.DataFrame,
    agent_states: pd.DataFrame,
    cost_lines: pd.DataFrame,
) -> pd.DataFrame:
    """Total cost, contacts and resolved issues per day, per METRICS.md "Cost".

    total_cost = labor (logged-in hours x hourly cost) + every cost line of the day;
    contacts = contact chains and bot sessions that did not hand off, on the day they ended;
    resolved issues = handled chains with no repeat within the default FCR window plus bot
    resolutions (as in bot_resolution_rate), censored interactions excluded.
    """
    days = agent_state_days(agent_states).merge(
        agents[["agent_id", "hourly_cost"]], on="agent_id", how="inner"
    )
    days["labor_cost"] = days["paid_seconds"] / 3600.0 * days["hourly_cost"]
    labor = days.groupby("date")["labor_cost"].sum()
    lines = cost_lines.assign(date=pd.to_datetime(cost_lines["cost_date"]).dt.date)
    other = lines.groupby("date")["amount"].sum()

    data_end = end_of_data(contacts, bot_sessions)
    window = pd.Timedelta(hours=FCR_DEFAULT_WINDOW_HOURS)
    flagged = fcr_flags(interactions(contacts, bot_sessions), FCR_DEFAULT_WINDOW_HOURS)
    flagged["date"] = _date(flagged["ended_at"])
    complete = flagged["ended_at"] + window <= data_end
    resolved = complete & ~flagged["has_repeat"]
    is_chain = flagged["interaction_type"].eq("contact_chain")
    flagged["contacts"] = 1
    flagged["human_resolved_issues"] = (resolved & is_chain & flagged["is_handled"]).astype(int)
    flagged["bot_resolved_issues"] = (resolved & ~is_chain).astype(int)
    counted = flagged.groupby("date")[
        ["contacts", "human_resolved_issues", "bot_resolved_issues"]
    ].sum()
    customers = flagged.groupby("date")["customer_id"].nunique().rename("customers_served")

    result = pd.concat(
        [labor, other.rename("cost_line_amount"), counted, customers], axis=1
    ).fillna(0)
    result["total_cost"] = result["labor_cost"] + result["cost_line_amount"]
    result["resolved_issues"] = result["human_resolved_issues"] + result["bot_resolved_issues"]
    return result.rename_axis("date").reset_index().sort_values("date", ignore_index=True)
