{{ config(enabled=(
    'asterisk' in var('source_systems', ['landing']) and target.name in ['ci', 'spark']
)) }}

{#- The agent states of the hand-written queue_log, worked out by hand: a_va1 (ADDMEMBER 08:00,
    REMOVEMEMBER 09:40) handles ...9001, pauses for acw at the second the call ends (the
    call ends first), handles ...9003, pauses 'Lunch' (lunch) and 'Coffee' (no mapping:
    break); a_va2 (AGENTLOGIN 08:00, AGENTLOGOFF 09:40) pauses without a reason (older
    layout: break) and is on the open call ...9013 until logging off; a_vb1 (08:30-09:45)
    rings without answering at 08:40:30 (no state change) and handles ...9014 although its
    ENTERQUEUE is missing. -#}

with

expected as (

    select
        'a_va1' as agent_id,
        'available' as state,
        cast('2026-03-02 08:00:00' as timestamp) as started_at,
        cast('2026-03-02 08:10:20' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'handling' as state,
        cast('2026-03-02 08:10:20' as timestamp) as started_at,
        cast('2026-03-02 08:15:20' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'acw' as state,
        cast('2026-03-02 08:15:20' as timestamp) as started_at,
        cast('2026-03-02 08:15:50' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'available' as state,
        cast('2026-03-02 08:15:50' as timestamp) as started_at,
        cast('2026-03-02 08:20:05' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'handling' as state,
        cast('2026-03-02 08:20:05' as timestamp) as started_at,
        cast('2026-03-02 08:24:05' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'available' as state,
        cast('2026-03-02 08:24:05' as timestamp) as started_at,
        cast('2026-03-02 08:30:00' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'lunch' as state,
        cast('2026-03-02 08:30:00' as timestamp) as started_at,
        cast('2026-03-02 09:00:00' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'available' as state,
        cast('2026-03-02 09:00:00' as timestamp) as started_at,
        cast('2026-03-02 09:10:00' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'break' as state,
        cast('2026-03-02 09:10:00' as timestamp) as started_at,
        cast('2026-03-02 09:20:00' as timestamp) as ended_at
    union all
    select
        'a_va1' as agent_id,
        'available' as state,
        cast('2026-03-02 09:20:00' as timestamp) as started_at,
        cast('2026-03-02 09:40:00' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'available' as state,
        cast('2026-03-02 08:00:00' as timestamp) as started_at,
        cast('2026-03-02 08:40:45' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'handling' as state,
        cast('2026-03-02 08:40:45' as timestamp) as started_at,
        cast('2026-03-02 08:42:45' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'available' as state,
        cast('2026-03-02 08:42:45' as timestamp) as started_at,
        cast('2026-03-02 09:00:00' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'break' as state,
        cast('2026-03-02 09:00:00' as timestamp) as started_at,
        cast('2026-03-02 09:05:00' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'available' as state,
        cast('2026-03-02 09:05:00' as timestamp) as started_at,
        cast('2026-03-02 09:25:10' as timestamp) as ended_at
    union all
    select
        'a_va2' as agent_id,
        'handling' as state,
        cast('2026-03-02 09:25:10' as timestamp) as started_at,
        cast('2026-03-02 09:40:00' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'available' as state,
        cast('2026-03-02 08:30:00' as timestamp) as started_at,
        cast('2026-03-02 08:43:00' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'handling' as state,
        cast('2026-03-02 08:43:00' as timestamp) as started_at,
        cast('2026-03-02 08:48:00' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'available' as state,
        cast('2026-03-02 08:48:00' as timestamp) as started_at,
        cast('2026-03-02 09:00:10' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'handling' as state,
        cast('2026-03-02 09:00:10' as timestamp) as started_at,
        cast('2026-03-02 09:01:10' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'available' as state,
        cast('2026-03-02 09:01:10' as timestamp) as started_at,
        cast('2026-03-02 09:30:00' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'handling' as state,
        cast('2026-03-02 09:30:00' as timestamp) as started_at,
        cast('2026-03-02 09:31:00' as timestamp) as ended_at
    union all
    select
        'a_vb1' as agent_id,
        'available' as state,
        cast('2026-03-02 09:31:00' as timestamp) as started_at,
        cast('2026-03-02 09:45:00' as timestamp) as ended_at

),

actual as (

    select
        agent_id,
        state,
        started_at,
        ended_at
    from {{ ref('stg_asterisk__agent_states') }}

),

missing as (

    select
        agent_id,
        state,
        started_at,
        ended_at
    from expected
    except
    select
        agent_id,
        state,
        started_at,
        ended_at
    from actual

),

unexpected as (

    select
        agent_id,
        state,
        started_at,
        ended_at
    from actual
    except
    select
        agent_id,
        state,
        started_at,
        ended_at
    from expected

),

differences as (

    select
        'missing' as problem,
        missing.agent_id,
        missing.state,
        missing.started_at,
        missing.ended_at
    from missing
    union all
    select
        'unexpected' as problem,
        unexpected.agent_id,
        unexpected.state,
        unexpected.started_at,
        unexpected.ended_at
    from unexpected

)

select
    problem,
    agent_id,
    state,
    started_at,
    ended_at
from differences
