{#- One row per agent and reporting day with the time that occupancy and utilization divide,
    from the agent states (on the day the state started): handling (the handling and acw
    states, i.e. talk + hold + acw as the agent lived it), available idle and logged-in
    (paid) time. The handle time summed over the agent's contact records (on the day handling
    ended) is kept beside it: on digital channels an agent works several chats at once, so
    that sum exceeds the time logged in and cannot be the numerator of a share of it. When
    agent states were never delivered the state times are null (not available), not 0. -#}
with

agent_states as (

    select
        agent_id,
        state,
        {{ ccm_reporting_date('started_at') }} as reporting_date,
        {{ ccm_seconds_between('started_at', 'ended_at') }} as state_seconds
    from {{ ref('stg_acd__agent_states') }}

),

handled_segments as (

    select
        agent_id,
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0)
            as handle_seconds
    from {{ ref('stg_acd__contacts') }}
    where agent_id is not null and connected_at is not null

),

state_days as (

    select
        agent_id,
        reporting_date,
        sum(state_seconds) as paid_seconds,
        sum(case when state in ('handling', 'acw') then state_seconds else 0 end)
            as handling_seconds,
        sum(case when state = 'available' then state_seconds else 0 end) as available_seconds
    from agent_states
    group by agent_id, reporting_date

),

handling_days as (

    select
        agent_id,
        reporting_date,
        count(*) as handled_contacts,
        sum(handle_seconds) as contact_handle_seconds
    from handled_segments
    group by agent_id, reporting_date

),

agent_days as (

    select
        agent_id,
        reporting_date
    from state_days
    union
    select
        agent_id,
        reporting_date
    from handling_days

),

agent_states_delivered as (

    select {{ ccm_is_delivered(ref('stg_acd__agent_states')) }} as is_delivered

),

agent_days_timed as (

    select
        agent_days.agent_id,
        agent_days.reporting_date,
        coalesce(handling_days.handled_contacts, 0) as handled_contacts,
        coalesce(handling_days.contact_handle_seconds, 0) as contact_handle_seconds,
        case
            when agent_states_delivered.is_delivered then coalesce(state_days.handling_seconds, 0)
        end as handling_seconds,
        case
            when agent_states_delivered.is_delivered then coalesce(state_days.available_seconds, 0)
        end as available_seconds,
        case
            when agent_states_delivered.is_delivered then coalesce(state_days.paid_seconds, 0)
        end as paid_seconds
    from agent_days
    cross join agent_states_delivered
    left join state_days
        on
            agent_days.agent_id = state_days.agent_id
            and agent_days.reporting_date = state_days.reporting_date
    left join handling_days
        on
            agent_days.agent_id = handling_days.agent_id
            and agent_days.reporting_date = handling_days.reporting_date

)

select * from agent_days_timed
