{#- Hand-computed answers of the fixture center (seeds/fixtures/contacts.csv) for the phone
    billing rows of four days, under every value of the vars they depend on that make test
    uses (the var sets of the Makefile): reporting_timezone UTC, Europe/Berlin (UTC+1 in March)
    and America/New_York (UTC-5, UTC-4 from 2026-03-08 07:00 UTC); sl_threshold_seconds 20
    and 15; short_abandon_seconds 5 and 10; fcr_window_hours 2, 24, 72 or 168 (the default
    window is then one of the published ones); fcr_match_reason true and false. Under any
    other value the test is disabled: it has no hand-computed answer for it.
    2026-03-02 phone billing (the same in the three time zones: 04:00-11:15 in New York):
    13 segments entered the queue (k001-k010, k012, k013, k015; k009 is the callback, k011
    went to tech_support); 9 answered: waits k001 10, k002 15, k003 20, k004 45, k015 10,
    k009 5, k010 8, k012 10, k013 20 s, so 8 within 20 s (k003 and k013 at exactly 20 s
    count) and 6 within 15 s (k002 at exactly 15 s counts); abandons k005 (3 s, short under 5
    and 10 s), k006 (12 s, within 15 and 20 s), k007 (60 s); k008 flowed out. ASA wait
    143 s. Handle 390+260+300+230+345+120+120+70+105 = 1940 s. FCR over the 9 handled chains
    ended that day whose first queue is billing (k001, k002, k003, k004, k008+k009, k010+k011,
    k012, k013, k015): k001 repeated exactly at the 2 h edge (k012), k003 on chat (k014):
    7 / 9 at 2 h; k002 also repeated 1 s after its 2 h edge (k013): 6 / 9 at 24 h, 72 h and
    7 d. k004 -> k015 is another reason, so not a repeat; without reason matching it is one
    (6 / 9 at 2 h, 5 / 9 at 24 h and 72 h) and so is c09's abandoned call k061 on 03-06 for
    the chain k010+k011 at 7 d (4 / 9).
    2026-03-03 phone billing: k031 (18 s: within 20, not 15 s), k033 (abandoned after 7 s:
    within T, short only under 10 s), k032 queued 23:59:50 UTC and answered after 30 s, ended
    00:02:20 on 03-04 UTC. In UTC k032 is offered on 03-03 but handled on 03-04: 3 offered,
    ASA 18 + 30 = 48 s, 1 handled (k031, 300 s). In Berlin it is 00:59:50 on 03-04: 2 offered,
    ASA 18 s. In New York it is 18:59:50 on 03-03 and ends there too: 3 offered, ASA 48 s,
    2 handled (300 + 150 s). FCR: k031 repeats on chat 24 h 55 min after it ended (k040,
    same reason): resolved at 2 h and 24 h, not at 72 h; its 7 d window is complete. In New
    York k032 (c18) is judged too: c18's next interaction, bot session b05 on 03-05 15:00
    (plan_change), is a repeat at 72 h only without reason matching; its 7 d window passes
    the end of the data (censored).
    2026-03-09 phone billing (same day in the three time zones), a real call log's cases:
    k080, k101-k105, k107 and k110 asked for an agent (8 offered); k105 was routed straight
    to an agent (no queued_at): offered with a wait of 0, within T; the outbound k100 and the
    IVR hang-up k106 are not offered. Waits 10+12+25+10+15+0+10+10 = 92 s, all but k102
    (25 s) within 20 s and within 15 s. Handle 300+360+240+180+240+300+180+240 = 2040 s. FCR:
    k102 (blank customer), k103 and k104 (customer '0', who calls twice) are left out as
    unidentified, so 5 chains are judged (k080, k101, k105, k107+k108, k110), all resolved at
    2 h (k101 is the customer's own call after the center's outbound k100; the billing chain
    k107, transferred to tech support, is followed 30 min later by a tech_issue call, another
    reason); k110 (billing, 2 h 49 min after the chain ended) repeats k107 at 24 h: 4 / 5.
    Without reason matching the tech_issue call repeats k107 at 2 h too: 4 / 5 at 2 h.
    72 h and 7 d windows are censored.
    2026-03-10 phone billing (same day in the three time zones): k090 and k091 (10 s waits);
    the data ends 2026-03-10 23:50 (k092), so k091's 2 h window is censored and k090's 24 h
    window too; without reason matching c19's bot session b06 (22:00) repeats k090 at 2 h.
    Service level numerator / denominator follow the treatment's definition (METRICS.md, var
    sl_abandon_treatment) from the hand-counted row: ignore = answered within T / (answered
    + abandoned after T); negative = answered within T / (offered - short abandons); positive
    = (answered + abandoned within T) / offered. -#}
{%- set timezone = var('reporting_timezone') -%}
{%- set threshold = var('sl_threshold_seconds') | float -%}
{%- set short_seconds = var('short_abandon_seconds') | float -%}
{%- set treatment = var('sl_abandon_treatment') -%}
{%- set matching = 'matched' if var('fcr_match_reason') else 'unmatched' -%}
{%- set published_hours = [2, 24, 72, 168] -%}
{%- set default_hours = var('fcr_window_hours') | float -%}
{#- Per day: offered, answered, abandoned, flow-outs, ASA wait, handled, handle seconds (per
    time zone, '*' = any of the three); answered / abandoned within T per threshold; short
    abandons per short_abandon_seconds; FCR (resolved, eligible) at 2 h, 24 h, 72 h, 7 d. -#}
{%- set days = {
    '2026-03-02': {
        'volume': {'*': [13, 9, 3, 1, 143.0, 9, 1940.0]},
        'within': {20.0: [8, 2], 15.0: [6, 2]},
        'short': {5.0: 1, 10.0: 1},
        'fcr': {
            '*': {
                'matched': [[7, 9], [6, 9], [6, 9], [6, 9]],
                'unmatched': [[6, 9], [5, 9], [5, 9], [4, 9]],
            },
        },
    },
    '2026-03-03': {
        'volume': {
            'UTC': [3, 2, 1, 0, 48.0, 1, 300.0],
            'Europe/Berlin': [2, 1, 1, 0, 18.0, 1, 300.0],
            'America/New_York': [3, 2, 1, 0, 48.0, 2, 450.0],
        },
        'within': {20.0: [1, 1], 15.0: [0, 1]},
        'short': {5.0: 0, 10.0: 1},
        'fcr': {
            'UTC': {
                'matched': [[1, 1], [1, 1], [0, 1], [0, 1]],
                'unmatched': [[1, 1], [1, 1], [0, 1], [0, 1]],
            },
            'Europe/Berlin': {
                'matched': [[1, 1], [1, 1], [0, 1], [0, 1]],
                'unmatched': [[1, 1], [1, 1], [0, 1], [0, 1]],
            },
            'America/New_York': {
                'matched': [[2, 2], [2, 2], [1, 2], [0, 1]],
                'unmatched': [[2, 2], [2, 2], [0, 2], [0, 1]],
            },
        },
    },
    '2026-03-09': {
        'volume': {'*': [8, 8, 0, 0, 92.0, 8, 2040.0]},
        'within': {20.0: [7, 0], 15.0: [7, 0]},
        'short': {5.0: 0, 10.0: 0},
        'fcr': {
            '*': {
                'matched': [[5, 5], [4, 5], [0, 0], [0, 0]],
                'unmatched': [[4, 5], [4, 5], [0, 0], [0, 0]],
            },
        },
    },
    '2026-03-10': {
        'volume': {'*': [2, 2, 0, 0, 20.0, 2, 550.0]},
        'within': {20.0: [2, 0], 15.0: [2, 0]},
        'short': {5.0: 0, 10.0: 0},
        'fcr': {
            '*': {
                'matched': [[1, 1], [0, 0], [0, 0], [0, 0]],
                'unmatched': [[0, 1], [0, 0], [0, 0], [0, 0]],
            },
        },
    },
} -%}
{%- set has_answers = (
    timezone in ('UTC', 'Europe/Berlin', 'America/New_York')
    and threshold in (20.0, 15.0)
    and short_seconds in (5.0, 10.0)
    and default_hours in published_hours
) -%}
{{ config(enabled=target.name == 'ci' and has_answers) }}

with

expected as (

    select
        cast(expected_rows.reporting_day as date) as reporting_date,
        expected_rows.offered,
        expected_rows.answered,
        expected_rows.abandoned,
        expected_rows.short_abandoned,
        expected_rows.flow_outs,
        expected_rows.answered_within_threshold,
        expected_rows.abandoned_within_threshold,
        expected_rows.service_level_numerator,
        expected_rows.service_level_denominator,
        expected_rows.asa_wait_seconds,
        expected_rows.handled_contacts,
        expected_rows.handle_seconds,
        expected_rows.fcr_resolved_default,
        expected_rows.fcr_eligible_default,
        expected_rows.fcr_resolved_24h,
        expected_rows.fcr_eligible_24h,
        expected_rows.fcr_resolved_72h,
        expected_rows.fcr_eligible_72h,
        expected_rows.fcr_resolved_7d,
        expected_rows.fcr_eligible_7d
    from (
        values
        -- offered, answered, abandoned, short, flow-outs, answered / abandoned within T,
        -- SL numerator / denominator, ASA wait, handled, handle seconds, FCR resolved /
        -- eligible at the default window, 24 h, 72 h, 7 d
        {% for day, known in (days.items() if has_answers else []) -%}
            {%- set volume = known['volume'].get(timezone, known['volume'].get('*')) -%}
            {%- set offered, answered, abandoned, flow_outs = volume[:4] -%}
            {%- set answered_within, abandoned_within = known['within'][threshold] -%}
            {%- set short_abandoned = known['short'][short_seconds] -%}
            {%- set fcr = known['fcr'].get(timezone, known['fcr'].get('*'))[matching] -%}
            {%- set fcr_default = fcr[published_hours.index(default_hours)] -%}
            {%- if treatment == 'ignore' -%}
                {%- set sl = [answered_within, answered + abandoned - abandoned_within] -%}
            {%- elif treatment == 'positive' -%}
                {%- set sl = [answered_within + abandoned_within, offered] -%}
            {%- else -%}
                {%- set sl = [answered_within, offered - short_abandoned] -%}
            {%- endif %}
            (
                '{{ day }}', {{ offered }}, {{ answered }}, {{ abandoned }}, {{ short_abandoned }},
                {{ flow_outs }}, {{ answered_within }}, {{ abandoned_within }}, {{ sl[0] }},
                {{ sl[1] }}, {{ volume[4] }}, {{ volume[5] }}, {{ volume[6] }},
                {{ fcr_default[0] }}, {{ fcr_default[1] }}, {{ fcr[1][0] }}, {{ fcr[1][1] }},
                {{ fcr[2][0] }}, {{ fcr[2][1] }}, {{ fcr[3][0] }}, {{ fcr[3][1] }}
            ){{ "," if not loop.last }}
        {%- endfor %}
    ) as expected_rows (
        reporting_day,
        offered,
        answered,
        abandoned,
        short_abandoned,
        flow_outs,
        answered_within_threshold,
        abandoned_within_threshold,
        service_level_numerator,
        service_level_denominator,
        asa_wait_seconds,
        handled_contacts,
        handle_seconds,
        fcr_resolved_default,
        fcr_eligible_default,
        fcr_resolved_24h,
        fcr_eligible_24h,
        fcr_resolved_72h,
        fcr_eligible_72h,
        fcr_resolved_7d,
        fcr_eligible_7d
    )

),

actual as (

    select
        reporting_date,
        offered,
        answered,
        abandoned,
        short_abandoned,
        flow_outs,
        answered_within_threshold,
        abandoned_within_threshold,
        service_level_numerator,
        service_level_denominator,
        asa_wait_seconds,
        handled_contacts,
        handle_seconds,
        fcr_resolved_default,
        fcr_eligible_default,
        fcr_resolved_24h,
        fcr_eligible_24h,
        fcr_resolved_72h,
        fcr_eligible_72h,
        fcr_resolved_7d,
        fcr_eligible_7d
    from {{ ref('fct_queue_daily') }}
    where channel = 'phone' and queue_id = 'billing'

),

mismatches as (

    select
        expected.reporting_date,
        actual.reporting_date as actual_reporting_date
    from expected
    left join actual
        on expected.reporting_date = actual.reporting_date
    where
        actual.reporting_date is null
        or expected.offered != actual.offered
        or expected.answered != actual.answered
        or expected.abandoned != actual.abandoned
        or expected.short_abandoned != actual.short_abandoned
        or expected.flow_outs != actual.flow_outs
        or expected.answered_within_threshold != actual.answered_within_threshold
        or expected.abandoned_within_threshold != actual.abandoned_within_threshold
        or expected.service_level_numerator != actual.service_level_numerator
        or expected.service_level_denominator != actual.service_level_denominator
        or abs(expected.asa_wait_seconds - actual.asa_wait_seconds) > 1e-6
        or expected.handled_contacts != actual.handled_contacts
        or abs(expected.handle_seconds - actual.handle_seconds) > 1e-6
        or expected.fcr_resolved_default != actual.fcr_resolved_default
        or expected.fcr_eligible_default != actual.fcr_eligible_default
        or expected.fcr_resolved_24h != actual.fcr_resolved_24h
        or expected.fcr_eligible_24h != actual.fcr_eligible_24h
        or expected.fcr_resolved_72h != actual.fcr_resolved_72h
        or expected.fcr_eligible_72h != actual.fcr_eligible_72h
        or expected.fcr_resolved_7d != actual.fcr_resolved_7d
        or expected.fcr_eligible_7d != actual.fcr_eligible_7d

)

select * from mismatches
