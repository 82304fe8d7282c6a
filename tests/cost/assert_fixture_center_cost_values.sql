{#- fct_cost_daily on the fixture center, worked out by hand. 2026-03-02: labor = paid hours x
    hourly cost = 3 x 30 (a_va1) + 3.5 x 32 (a_va2) + 3 x 36 (a_vb1) + 8 x 28 (a_dg1) = 515.33,
    plus cost lines 50 + 30 + 20 + 10; 21 contacts ended (19 chains, bots b01 and b02),
    15 customers; resolved: 12 handled chains without repeat (k001 and k003 came back) and
    bot b01 (b02's customer came back within the window) = 13.
    2026-03-03: labor 7 + 5 + 39 + 9 = 60, plus 40 + 15; resolved: chains k022, k031, k030 and
    bot b04 (dropped, but no handoff and no repeat: a bot resolution as METRICS.md counts it).
    The vars this depends on, for the values make test uses:
    - fcr_window_hours 24: on 03-02 k002 (repeated 2 h + 1 s after) and b01 (c10's IVR call
      k016 3 h 55 min after) are no longer resolved: 11. 03-03 is unchanged.
    - fcr_match_reason false: on 03-02 k004 is repeated by c04's billing call k015 (12 at 2 h,
      10 at 24 h); on 03-03 the email k022 is repeated by c16's bot session b04 (cancel) 1 h
      55 min after: 3.
    - reporting_timezone: in Berlin (UTC+1) every agent state, contact and bot session of both
      days stays on its UTC day. In New York (UTC-5) k032 (c18, queued 23:59:50 UTC) and
      a_va2's 5 minutes logged in at 00:00 UTC on 03-04 (x 32/h = 2.67) belong to 03-03:
      labor 62.67, 6 contacts, 5 customers, and k032 is resolved (c18's next interaction,
      b05, is 39 h later).
    The cost lines carry a date, not a time: they stay on their day in every time zone. Other
    time zones and default windows other than 2 h or 24 h have no hand-computed answer: the
    test is disabled for them. -#}
{%- set timezone = var('reporting_timezone') -%}
{%- set default_hours = var('fcr_window_hours') | float -%}
{%- set window = {2.0: '2h', 24.0: '24h'}.get(default_hours, '2h') -%}
{%- set matching = 'matched' if var('fcr_match_reason') else 'unmatched' -%}
{%- set resolved_0302 = {
    'matched': {'2h': 13, '24h': 11},
    'unmatched': {'2h': 12, '24h': 10},
}[matching][window] -%}
{%- set new_york_0303 = timezone == 'America/New_York' -%}
{%- set resolved_0303 = {'matched': 4, 'unmatched': 3}[matching] + (1 if new_york_0303 else 0) -%}
{{ config(enabled=(
    target.name == 'ci'
    and timezone in ('UTC', 'Europe/Berlin', 'America/New_York')
    and default_hours in (2.0, 24.0)
)) }}

with

expected as (

    select
        cast('2026-03-02' as date) as reporting_date,
        515.0 + 1.0 / 3 as labor_cost,
        625.0 + 1.0 / 3 as total_cost,
        21 as contacts,
        {{ resolved_0302 }} as resolved_issues,
        15 as customers_served
    union all
    select
        cast('2026-03-03' as date) as reporting_date,
        {{ '60.0 + 5.0 / 60 * 32' if new_york_0303 else '60.0' }} as labor_cost,
        {{ '115.0 + 5.0 / 60 * 32' if new_york_0303 else '115.0' }} as total_cost,
        {{ 6 if new_york_0303 else 5 }} as contacts,
        {{ resolved_0303 }} as resolved_issues,
        {{ 5 if new_york_0303 else 4 }} as customers_served

),

misses as (

    select
        expected.reporting_date,
        actual.total_cost,
        actual.cost_per_resolution
    from expected
    left join {{ ref('fct_cost_daily') }} as actual
        on expected.reporting_date = actual.reporting_date
    where
        actual.reporting_date is null
        or abs(actual.labor_cost - expected.labor_cost) > 1e-9
        or abs(actual.total_cost - expected.total_cost) > 1e-9
        or actual.contacts is distinct from expected.contacts
        or actual.resolved_issues is distinct from expected.resolved_issues
        or actual.customers_served is distinct from expected.customers_served
        or abs(
            actual.cost_per_resolution - expected.total_cost / expected.resolved_issues
        ) > 1e-9
        or abs(actual.cost_per_contact - expected.total_cost / expected.contacts) > 1e-9
        or abs(actual.cost_per_user - expected.total_cost / expected.customers_served) > 1e-9

)

select * from misses
