{#- fct_cost_daily on the fixture center, worked out by hand. 2026-03-02: labor = paid hours x
    hourly cost = 3 x 30 (a_va1) + 3.5 x 32 (a_va2) + 3 x 36 (a_vb1) + 8 x 28 (a_dg1) = 515.33,
    plus cost lines 50 + 30 + 20 + 10; 21 contacts ended (19 chains, bots b01 and b02),
    15 customers; resolved: 12 handled chains without repeat (k001 and k003 came back) and
    bot b01 (b02's customer came back within the window) = 13.
    2026-03-03: labor 7 + 5 + 39 + 9 = 60, plus 40 + 15; resolved: chains k022, k031, k030 and
    bot b04 (dropped, but no handoff and no repeat: a bot resolution as METRICS.md counts it). -#}
{#- Known answers: only the ci target holds the fixture center, and the answers were worked
    out for the default parameters (UTC days, 30-minute intervals, 2 h FCR window, 80/20). -#}
{{ config(enabled=(
    target.name == 'ci'
    and var('reporting_timezone') == 'UTC'
    and var('interval_minutes') == 30
    and var('fcr_window_hours') == 2
    and var('fcr_match_reason')
    and var('sl_threshold_seconds') == 20
    and var('sl_target') == 0.80
    and var('sl_abandon_treatment') == 'negative'
)) }}

with

expected as (

    select
        cast('2026-03-02' as date) as reporting_date,
        515.0 + 1.0 / 3 as labor_cost,
        625.0 + 1.0 / 3 as total_cost,
        21 as contacts,
        13 as resolved_issues,
        15 as customers_served
    union all
    select
        cast('2026-03-03' as date) as reporting_date,
        60.0 as labor_cost,
        115.0 as total_cost,
        5 as contacts,
        4 as resolved_issues,
        4 as customers_served

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
