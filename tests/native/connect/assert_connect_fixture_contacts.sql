{{ config(enabled=('connect' in var('source_systems', ['landing']))) }}

{#- The hand-written Firehose delivery (seed connect_ctr, from
    tests/python/native_fixtures/connect/2026-03-10.json) staged into canonical contacts,
    worked out by hand (docs/sources/connect.md). 17 records: cnx-01 twice (newest first),
    cnx-02 twice (byte-identical), TASK cnx-11 and MONITOR cnx-15 left out: 13 contacts.
    Returns the rows where expected and staged differ (either way). -#}

with

expected as (

    {%- set rows = [
        ["cnx-01", none, none, "inbound", "phone", "c01", true, false, "billing", "billing_question", "a_va1", "09:00:00", "09:00:30", "09:00:40", "09:06:10", 300, 30, 60, "handled", true, "09:07:10"],
        ["cnx-02", none, none, "inbound", "phone", "c02", true, false, "billing", "billing_question", none, "09:10:00", "09:10:20", none, "09:10:50", none, none, none, "abandoned", false, "09:10:50"],
        ["cnx-03", none, none, "inbound", "phone", "c03", true, false, "billing", "technical_problem", "a_va2", "09:20:00", "09:20:10", "09:20:15", "09:23:00", 150, 0, 10, "transferred", false, "09:23:10"],
        ["cnx-04", "cnx-03", "cnx-03", "transfer", "phone", "c03", true, false, "tech_support", "technical_problem", "a_vb1", "09:23:00", "09:23:00", "09:23:20", "09:30:00", 380, 20, 30, "handled", false, "09:30:30"],
        ["cnx-05", none, none, "inbound", "phone", "c04", true, false, "billing", "billing_question", none, "09:40:00", "09:40:10", none, "09:42:10", none, none, none, "flow_out", false, "09:42:10"],
        ["cnx-06", "cnx-05", "cnx-05", "callback", "phone", "c04", true, false, "billing", "billing_question", "a_va1", "09:42:10", "09:42:10", "09:55:00", "10:00:00", 290, 0, 20, "handled", false, "10:00:20"],
        ["cnx-07", none, none, "inbound", "ivr", none, false, false, none, "unknown", none, "10:05:00", none, none, "10:05:40", none, none, none, "ivr_abandoned", false, "10:05:40"],
        ["cnx-08", none, none, "inbound", "ivr", "c05", true, false, none, "balance_inquiry", none, "10:10:00", none, none, "10:12:00", none, none, none, "self_served", false, "10:12:00"],
        ["cnx-09", none, none, "bot_handoff", "chat", "c06", false, false, "chat", "order_status", "a_dg1", "10:20:00", "10:20:30", "10:21:00", "10:31:00", 600, 0, 45, "handled", false, "10:31:45"],
        ["cnx-10", none, none, "inbound", "chat", "c07", false, false, "chat", "order_status", none, "10:40:00", "10:40:05", none, "10:45:00", none, none, none, "abandoned", false, "10:45:00"],
        ["cnx-12", none, none, "outbound", "phone", "c07", true, false, none, "billing_question", "a_va2", "11:10:00", none, "11:10:20", "11:13:40", 200, 0, 15, "handled", false, "11:13:55"],
        ["cnx-13", none, none, "inbound", "email", "c08", false, true, "email", "unknown", "a_dg2", "11:30:00", "11:30:00", "13:00:00", "13:04:00", 240, 0, 60, "handled", false, "13:05:00"],
        ["cnx-14", none, none, "inbound", "phone", "c09", true, false, none, "technical_problem", "a_vb1", "14:00:00", none, "14:00:05", "14:00:45", 40, 0, 5, "disconnected", false, "14:00:50"],
    ] -%}
    {%- for r in rows %}
        select
            '{{ r[0] }}' as contact_id,
            {{ "'" ~ r[1] ~ "'" if r[1] else "cast(null as string)" }} as initial_contact_id,
            {{ "'" ~ r[2] ~ "'" if r[2] else "cast(null as string)" }} as previous_contact_id,
            '{{ r[3] }}' as initiation_method,
            '{{ r[4] }}' as channel,
            {{ "'" ~ r[5] ~ "'" if r[5] else "cast(null as string)" }} as customer_id,
            {{ 'true' if r[6] else 'false' }} as has_phone_hash,
            {{ 'true' if r[7] else 'false' }} as has_email_hash,
            {{ "'" ~ r[8] ~ "'" if r[8] else "cast(null as string)" }} as queue_id,
            '{{ r[9] }}' as contact_reason,
            {{ "'" ~ r[10] ~ "'" if r[10] else "cast(null as string)" }} as agent_id,
            {%- for name, position in [
                ('started_at', 11), ('queued_at', 12), ('connected_at', 13), ('ended_at', 14)
            ] %}
                {%- set moment = "cast('2026-03-10 " ~ r[position] ~ "' as timestamp)" %}
                {{ moment if r[position] else "cast(null as timestamp)" }} as {{ name }},
            {%- endfor %}
            {%- for name, position in [
                ('talk_seconds', 15), ('hold_seconds', 16), ('acw_seconds', 17)
            ] %}
                cast({{ r[position] if r[position] is not none else "null" }} as double)
                    as {{ name }},
            {%- endfor %}
            '{{ r[18] }}' as disposition,
            {{ 'true' if r[19] else 'false' }} as ai_assisted,
            cast('2026-03-10 {{ r[20] }}' as timestamp) as record_updated_at
        {{ "union all" if not loop.last }}
    {%- endfor %}

),

staged as (

    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        initiation_method,
        channel,
        customer_id,
        customer_phone_hash is not null as has_phone_hash,
        customer_email_hash is not null as has_email_hash,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        queued_at,
        connected_at,
        ended_at,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        disposition,
        ai_assisted,
        record_updated_at
    from {{ ref('stg_connect__contacts') }}
    where contact_id like 'cnx-%'

),

missing as (

    select
        'expected, not staged' as problem,
        *
    from expected
    except
    select
        'expected, not staged' as problem,
        *
    from staged

),

unexpected as (

    select
        'staged, not expected' as problem,
        *
    from staged
    except
    select
        'staged, not expected' as problem,
        *
    from expected

),

differences as (

    select * from missing
    union all
    select * from unexpected

)

select
    problem,
    contact_id,
    initial_contact_id,
    previous_contact_id,
    initiation_method,
    channel,
    customer_id,
    has_phone_hash,
    has_email_hash,
    queue_id,
    contact_reason,
    agent_id,
    started_at,
    queued_at,
    connected_at,
    ended_at,
    talk_seconds,
    hold_seconds,
    acw_seconds,
    disposition,
    ai_assisted,
    record_updated_at
from differences
