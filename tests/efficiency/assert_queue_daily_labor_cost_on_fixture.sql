{{ config(enabled=target.name == 'ci') }}

{#- Labor of 2026-03-02 on the billing queue, by hand from seeds/fixtures/agent_states.csv and
    agents.csv: a_va1 (30/h) logged in 09:00-12:00 in any state = 3 h = 90; a_va2 (32/h, the
    newer version of the re-delivered agent row) 09:05-12:00 = 175 min = 93.33. Paid
    21300 s, labor 183.33, cost per contact 183.33 / 9 handled. -#}

select
    reporting_date,
    paid_seconds,
    labor_cost,
    cost_per_contact
from {{ ref('fct_queue_daily') }}
where
    reporting_date = cast('2026-03-02' as date)
    and channel = 'phone'
    and queue_id = 'billing'
    and (
        abs(paid_seconds - 21300) > 1e-6
        or abs(labor_cost - (90 + 175.0 / 60 * 32)) > 1e-6
        or abs(cost_per_contact - (90 + 175.0 / 60 * 32) / 9) > 1e-6
    )
