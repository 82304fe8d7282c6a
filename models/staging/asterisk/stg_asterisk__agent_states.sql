{{ config(enabled=('asterisk' in var('source_systems', ['landing']))) }}

{#- Logged-in agent time cut into state intervals (the columns of stg_acd__agent_states), from
    each agent's queue_log events in time order. An agent is logged in from AGENTLOGIN or
    ADDMEMBER to AGENTLOGOFF or REMOVEMEMBER (static members, which never log in, have no
    states); on a call from CONNECT to the call's COMPLETEAGENT, COMPLETECALLER or transfer
    (handling); paused from PAUSE (PAUSEALL) to UNPAUSE (UNPAUSEALL), in the state var
    asterisk_pause_states maps the pause reason to (compared trimmed and lower-cased; any other
    reason, or none, is var asterisk_pause_default_state); available otherwise. Each event
    starts an interval that lasts until the agent's next event; consecutive intervals in the
    same state are merged, and the interval after an agent's last event (still open) is left
    out. -#}

{%- set pause_states = var('asterisk_pause_states', {
    'acw': 'acw', 'wrapup': 'acw', 'wrap-up': 'acw', 'break': 'break', 'lunch': 'lunch',
    'training': 'training', 'meeting': 'meeting'
}) -%}
{%- set default_state = var('asterisk_pause_default_state', 'break') -%}

with

events as (

    select * from {{ ref('stg_asterisk__queue_events') }}
    where
        agent <> 'NONE'
        and event_name in (
            'AGENTLOGIN', 'AGENTLOGOFF', 'ADDMEMBER', 'REMOVEMEMBER', 'PAUSE', 'UNPAUSE',
            'PAUSEALL', 'UNPAUSEALL', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER',
            'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        )

),

{# In one second: log in, end a call, end a pause, start a pause, take a call, log out. #}
events_marked as (

    select
        agent,
        event_at,
        line_key,
        case
            when event_name in ('AGENTLOGIN', 'ADDMEMBER') then 0
            when event_name in ('AGENTLOGOFF', 'REMOVEMEMBER') then 5
            when event_name = 'CONNECT' then 4
            when event_name in ('PAUSE', 'PAUSEALL') then 3
            when event_name in ('UNPAUSE', 'UNPAUSEALL') then 2
            else 1
        end as same_second_rank,
        case
            when event_name in ('AGENTLOGIN', 'ADDMEMBER') then 1
            when event_name in ('AGENTLOGOFF', 'REMOVEMEMBER') then 0
        end as login_marker,
        case
            when event_name in ('PAUSE', 'PAUSEALL')
                then
                    case lower(trim(coalesce(data1, '')))
                        {% for reason, state in pause_states.items() -%}
                            when '{{ reason | lower | replace("'", "''") }}' then '{{ state }}'
                        {% endfor -%}
                        else '{{ default_state }}'
                    end
            when
                event_name in (
                    'UNPAUSE', 'UNPAUSEALL', 'AGENTLOGIN', 'ADDMEMBER', 'AGENTLOGOFF',
                    'REMOVEMEMBER'
                )
                then 'none'
        end as pause_marker,
        case
            when event_name = 'CONNECT' then 1
            when event_name in ('AGENTLOGIN', 'ADDMEMBER', 'AGENTLOGOFF', 'REMOVEMEMBER') then 0
            when
                event_name in (
                    'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER',
                    'ATTENDEDTRANSFER'
                )
                then 0
        end as call_marker
    from events

),

{# The last marker set at or before each event: a running count of set markers numbers the
    groups, and each group holds one set marker (portable "last value ignoring nulls"). #}
events_grouped as (

    select
        *,
        count(login_marker) over (
            partition by agent order by event_at, same_second_rank, line_key
            rows between unbounded preceding and current row
        ) as login_group,
        count(pause_marker) over (
            partition by agent order by event_at, same_second_rank, line_key
            rows between unbounded preceding and current row
        ) as pause_group,
        count(call_marker) over (
            partition by agent order by event_at, same_second_rank, line_key
            rows between unbounded preceding and current row
        ) as call_group,
        lead(event_at) over (
            partition by agent order by event_at, same_second_rank, line_key
        ) as next_event_at,
        row_number() over (
            partition by agent order by event_at, same_second_rank, line_key
        ) as event_number
    from events_marked

),

events_flagged as (

    select
        agent,
        event_at,
        next_event_at,
        event_number,
        max(login_marker) over (partition by agent, login_group) as logged_in,
        max(pause_marker) over (partition by agent, pause_group) as pause_state,
        max(call_marker) over (partition by agent, call_group) as on_call
    from events_grouped

),

events_stated as (

    select
        agent,
        event_at,
        next_event_at,
        event_number,
        case
            when coalesce(logged_in, 0) = 0 then 'logged_out'
            when on_call = 1 then 'handling'
            when pause_state is not null and pause_state <> 'none' then pause_state
            else 'available'
        end as state
    from events_flagged

),

{# Consecutive events in the same state form one interval (gaps and islands). #}
events_islanded as (

    select
        *,
        event_number - row_number() over (
            partition by agent, state order by event_number
        ) as island
    from events_stated

),

islands as (

    select
        agent,
        state,
        island,
        min(event_at) as started_at,
        max(next_event_at) as ended_at,
        count(*) as event_count,
        count(next_event_at) as closed_count
    from events_islanded
    group by agent, state, island

),

states as (

    select
        cast({{ dbt.concat(['agent', "'/'", 'cast(started_at as string)']) }} as string)
            as state_interval_id,
        cast(agent as string) as agent_id,
        cast(state as string) as state,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at
    from islands
    where
        state <> 'logged_out'
        and event_count = closed_count
        and ended_at > started_at

)

select * from states
