{#- Occupancy and utilization per agent and reporting day. Occupancy = handling /
    (handling + available idle); utilization = handling / paid time, paid time being all
    logged-in time (every agent state, breaks included). Handling is the time in the handling
    and acw states (see int_agent_days_timed for why not the sum over contacts). -#}
with

agent_days as (

    select
        agent_id,
        reporting_date,
        handled_contacts,
        contact_handle_seconds,
        handling_seconds,
        available_seconds,
        paid_seconds
    from {{ ref('int_agent_days_timed') }}

),

agents as (

    select
        agent_id,
        team_id
    from {{ ref('dim_agents') }}

),

final as (

    select
        cast(agent_days.agent_id as string) as agent_id,
        cast(agent_days.reporting_date as date) as reporting_date,
        cast(agents.team_id as string) as team_id,
        cast(agent_days.handled_contacts as bigint) as handled_contacts,
        cast(agent_days.contact_handle_seconds as double) as contact_handle_seconds,
        cast(agent_days.handling_seconds as double) as handling_seconds,
        cast(agent_days.available_seconds as double) as available_seconds,
        cast(agent_days.handling_seconds + agent_days.available_seconds as double)
            as occupied_or_available_seconds,
        cast(agent_days.paid_seconds as double) as paid_seconds,
        cast(
            {{ ccm_safe_divide(
                'agent_days.handling_seconds',
                'agent_days.handling_seconds + agent_days.available_seconds'
            ) }} as double
        ) as occupancy,
        cast(
            {{ ccm_safe_divide('agent_days.handling_seconds', 'agent_days.paid_seconds') }}
            as double
        ) as utilization
    from agent_days
    left join agents
        on agent_days.agent_id = agents.agent_id

)

select * from final
