{{ config(enabled=(
    'asterisk' in var('source_systems', ['landing']) and target.name in ['ci', 'spark']
)) }}

{#- The calls of the hand-written queue_log (seeds/fixtures/asterisk_queue_log.csv), worked out
    by hand: ...9001 a known caller (+15550101 = c01 '+1 555 0101' reduced to digits)
    handled with 30 s of acw pause; ...9003 anonymous, lines out of order, older CONNECT
    layout, no acw pause; ...9005 blind-transferred from billing to tech_support (segment -2
    continues it, same caller c02 written '+1 555 0102'), its RINGNOANSWER not an answer;
    ...9007 attended transfer abandoned in billing after 30 s; ...9009 empty caller id,
    abandoned; ...9010-9012 flow-outs by timeout (older layout), key and empty queue (caller
    'unknown'). The open ...9013 and ...9014 are no contacts; the repeated lines 48-49 add
    nothing. started_at = queued_at; hold null; reason = queue. -#}

with

expected as (

    select
        '1772439000.9001' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        'c01' as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        'a_va1' as agent_id,
        cast('2026-03-02 08:10:00' as timestamp) as started_at,
        cast('2026-03-02 08:10:20' as timestamp) as connected_at,
        cast('2026-03-02 08:15:20' as timestamp) as ended_at,
        cast(300 as double) as talk_seconds,
        cast(30 as double) as acw_seconds,
        'handled' as disposition
    union all
    select
        '1772439600.9003' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        cast(null as string) as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        'a_va1' as agent_id,
        cast('2026-03-02 08:20:00' as timestamp) as started_at,
        cast('2026-03-02 08:20:05' as timestamp) as connected_at,
        cast('2026-03-02 08:24:05' as timestamp) as ended_at,
        cast(240 as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'handled' as disposition
    union all
    select
        '1772440800.9005' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        'c02' as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        'a_va2' as agent_id,
        cast('2026-03-02 08:40:00' as timestamp) as started_at,
        cast('2026-03-02 08:40:45' as timestamp) as connected_at,
        cast('2026-03-02 08:42:45' as timestamp) as ended_at,
        cast(120 as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'transferred' as disposition
    union all
    select
        '1772440800.9005-2' as contact_id,
        'transfer' as initiation_method,
        '1772440800.9005' as initial_contact_id,
        '1772440800.9005' as previous_contact_id,
        'c02' as customer_id,
        'tech_support' as queue_id,
        'tech_support' as contact_reason,
        'a_vb1' as agent_id,
        cast('2026-03-02 08:42:45' as timestamp) as started_at,
        cast('2026-03-02 08:43:00' as timestamp) as connected_at,
        cast('2026-03-02 08:48:00' as timestamp) as ended_at,
        cast(300 as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'handled' as disposition
    union all
    select
        '1772442000.9007' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        'c03' as customer_id,
        'tech_support' as queue_id,
        'tech_support' as contact_reason,
        'a_vb1' as agent_id,
        cast('2026-03-02 09:00:00' as timestamp) as started_at,
        cast('2026-03-02 09:00:10' as timestamp) as connected_at,
        cast('2026-03-02 09:01:10' as timestamp) as ended_at,
        cast(60 as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'transferred' as disposition
    union all
    select
        '1772442000.9007-2' as contact_id,
        'transfer' as initiation_method,
        '1772442000.9007' as initial_contact_id,
        '1772442000.9007' as previous_contact_id,
        'c03' as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        cast(null as string) as agent_id,
        cast('2026-03-02 09:01:10' as timestamp) as started_at,
        cast(null as timestamp) as connected_at,
        cast('2026-03-02 09:01:40' as timestamp) as ended_at,
        cast(null as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'abandoned' as disposition
    union all
    select
        '1772442300.9009' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        cast(null as string) as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        cast(null as string) as agent_id,
        cast('2026-03-02 09:05:00' as timestamp) as started_at,
        cast(null as timestamp) as connected_at,
        cast('2026-03-02 09:05:08' as timestamp) as ended_at,
        cast(null as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'abandoned' as disposition
    union all
    select
        '1772442600.9010' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        'c04' as customer_id,
        'billing' as queue_id,
        'billing' as contact_reason,
        cast(null as string) as agent_id,
        cast('2026-03-02 09:10:00' as timestamp) as started_at,
        cast(null as timestamp) as connected_at,
        cast('2026-03-02 09:12:00' as timestamp) as ended_at,
        cast(null as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'flow_out' as disposition
    union all
    select
        '1772442900.9011' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        'c05' as customer_id,
        'sales' as queue_id,
        'sales' as contact_reason,
        cast(null as string) as agent_id,
        cast('2026-03-02 09:15:00' as timestamp) as started_at,
        cast(null as timestamp) as connected_at,
        cast('2026-03-02 09:15:30' as timestamp) as ended_at,
        cast(null as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'flow_out' as disposition
    union all
    select
        '1772443200.9012' as contact_id,
        'inbound' as initiation_method,
        cast(null as string) as initial_contact_id,
        cast(null as string) as previous_contact_id,
        cast(null as string) as customer_id,
        'tech_support' as queue_id,
        'tech_support' as contact_reason,
        cast(null as string) as agent_id,
        cast('2026-03-02 09:20:00' as timestamp) as started_at,
        cast(null as timestamp) as connected_at,
        cast('2026-03-02 09:20:00' as timestamp) as ended_at,
        cast(null as double) as talk_seconds,
        cast(null as double) as acw_seconds,
        'flow_out' as disposition

),

actual as (

    select
        contact_id,
        initiation_method,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        talk_seconds,
        acw_seconds,
        disposition
    from {{ ref('stg_asterisk__contacts') }}

),

missing as (

    select
        contact_id,
        initiation_method,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        talk_seconds,
        acw_seconds,
        disposition
    from expected
    except
    select
        contact_id,
        initiation_method,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        talk_seconds,
        acw_seconds,
        disposition
    from actual

),

unexpected as (

    select
        contact_id,
        initiation_method,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        talk_seconds,
        acw_seconds,
        disposition
    from actual
    except
    select
        contact_id,
        initiation_method,
        initial_contact_id,
        previous_contact_id,
        customer_id,
        queue_id,
        contact_reason,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        talk_seconds,
        acw_seconds,
        disposition
    from expected

),

differences as (

    select
        'missing' as problem,
        missing.contact_id,
        missing.initiation_method,
        missing.initial_contact_id,
        missing.previous_contact_id,
        missing.customer_id,
        missing.queue_id,
        missing.contact_reason,
        missing.agent_id,
        missing.started_at,
        missing.connected_at,
        missing.ended_at,
        missing.talk_seconds,
        missing.acw_seconds,
        missing.disposition
    from missing
    union all
    select
        'unexpected' as problem,
        unexpected.contact_id,
        unexpected.initiation_method,
        unexpected.initial_contact_id,
        unexpected.previous_contact_id,
        unexpected.customer_id,
        unexpected.queue_id,
        unexpected.contact_reason,
        unexpected.agent_id,
        unexpected.started_at,
        unexpected.connected_at,
        unexpected.ended_at,
        unexpected.talk_seconds,
        unexpected.acw_seconds,
        unexpected.disposition
    from unexpected

)

select
    problem,
    contact_id,
    initiation_method,
    initial_contact_id,
    previous_contact_id,
    customer_id,
    queue_id,
    contact_reason,
    agent_id,
    started_at,
    connected_at,
    ended_at,
    talk_seconds,
    acw_seconds,
    disposition
from differences
