{#- The cases of a real call log on the fixture center (seeds/fixtures, 2026-03-09), worked out
    by hand for the default parameters:
    - unidentified callers: k102 (blank customer_id), k103 and k104 (customer '0', who calls
      twice), the IVR hang-up k106 ('Anonymous') and bot session b09 ('0') have a null
      customer_id. The three handled calls count in every queue metric but are left out of
      FCR: fcr_excluded_unidentified = 3 on phone billing; they are no customers served.
    - direct routing: k105 has no queued_at and was connected at 11:00:25: offered in the
      11:00 interval with a wait of 0, within the 20 s threshold.
    - outbound: k100 is the center's call to c21: not offered, handled on queue '(none)',
      left out of FCR there (fcr_excluded_outbound = 1).
    - IVR hang-up: k106 (ivr_abandoned, phone) is not offered and not an inbound contact of
      the response metrics (9 of the day's 11 phone chains are: not k100, not k106), but is
      one of the 11 phone interactions of the channel mix, not self-served.
    Customers served 03-09: c17 (k080), c21, c22, c23 = 4.
    None of this depends on the FCR window, reason matching or the service-level threshold
    (a wait of 0 is within any). Every case lies between 09:00 and 16:05 UTC, so 2026-03-09
    is the same day in Berlin (UTC+1) and New York (UTC-4: daylight saving time started on
    03-08); only k105's interval moves: 12:00 in Berlin, 07:00 in New York. With 15-minute
    intervals it is still the interval starting at the full hour. Disabled in other time
    zones and interval lengths: no hand-computed answer. -#}
{%- set k105_interval_start = {
    'UTC': '2026-03-09 11:00:00',
    'Europe/Berlin': '2026-03-09 12:00:00',
    'America/New_York': '2026-03-09 07:00:00',
}.get(var('reporting_timezone')) -%}
{{ config(enabled=(
    target.name == 'ci'
    and k105_interval_start is not none
    and var('interval_minutes') in (15, 30)
)) }}

with

checks as (

    select
        'unidentified handled chains left out of FCR, phone billing' as check_name,
        3 as expected_value,
        (
            select fcr_excluded_unidentified from {{ ref('fct_queue_daily') }}
            where
                reporting_date = cast('2026-03-09' as date)
                and channel = 'phone'
                and queue_id = 'billing'
        ) as actual_value

    union all

    select
        'outbound handled chains left out of FCR, phone (none)' as check_name,
        1 as expected_value,
        (
            select fcr_excluded_outbound from {{ ref('fct_queue_daily') }}
            where
                reporting_date = cast('2026-03-09' as date)
                and channel = 'phone'
                and queue_id = '(none)'
        ) as actual_value

    union all

    select
        'outbound k100 is handled but not offered' as check_name,
        1 as expected_value,
        (
            select handled_contacts - offered from {{ ref('fct_queue_daily') }}
            where
                reporting_date = cast('2026-03-09' as date)
                and channel = 'phone'
                and queue_id = '(none)'
        ) as actual_value

    union all

    select
        'directly routed k105 offered at 11:00 UTC and answered within T' as check_name,
        1 as expected_value,
        (
            select answered_within_threshold from {{ ref('fct_queue_intervals') }}
            where
                interval_start = cast('{{ k105_interval_start }}' as timestamp)
                and channel = 'phone'
                and queue_id = 'billing'
                and offered = 1
                and asa_wait_seconds = 0
        ) as actual_value

    union all

    select
        'response: IVR hang-up and outbound are not inbound contacts' as check_name,
        9 as expected_value,
        (
            select inbound_contacts from {{ ref('fct_response_daily') }}
            where reporting_date = cast('2026-03-09' as date) and channel = 'phone'
        ) as actual_value

    union all

    select
        'channel mix: the IVR hang-up is an interaction' as check_name,
        11 as expected_value,
        (
            select interactions from {{ ref('fct_channel_mix_daily') }}
            where reporting_date = cast('2026-03-09' as date) and channel = 'phone'
        ) as actual_value

    union all

    select
        'channel mix: nothing self-served on phone' as check_name,
        0 as expected_value,
        (
            select self_served_interactions from {{ ref('fct_channel_mix_daily') }}
            where reporting_date = cast('2026-03-09' as date) and channel = 'phone'
        ) as actual_value

    union all

    select
        'cost: unidentified callers are no customers served' as check_name,
        4 as expected_value,
        (
            select customers_served from {{ ref('fct_cost_daily') }}
            where reporting_date = cast('2026-03-09' as date)
        ) as actual_value

    union all

    select
        'churn: no row for an unidentified customer' as check_name,
        0 as expected_value,
        (
            select count(*) from {{ ref('fct_customer_churn_risk') }}
            where customer_id is null or customer_id = '0'
        ) as actual_value

    union all

    select
        'staging: sentinels and blanks are not identified' as check_name,
        4 as expected_value,
        (
            select count(*) from {{ ref('stg_acd__contacts') }}
            where
                contact_id in ('k102', 'k103', 'k104', 'k106')
                and customer_id is null
                and not is_customer_identified
        ) as actual_value

)

select
    check_name,
    expected_value,
    actual_value
from checks
where actual_value is null or actual_value != expected_value
