{#- Schedule adherence per agent and reporting day: minutes spent in the scheduled state /
    scheduled minutes, over every scheduled activity (open, break, lunch, training,
    meeting). -#}
with

activities as (

    select
        agent_id,
        reporting_date,
        scheduled_seconds,
        adherent_seconds
    from {{ ref('int_schedule_activities_adhered') }}

),

agents as (

    select
        agent_id,
        team_id
    from {{ ref('dim_agents') }}

),

agent_days as (

    select
        agent_id,
        reporting_date,
        sum(scheduled_seconds) / 60 as scheduled_minutes,
        sum(adherent_seconds) / 60 as adherent_minutes
    from activities
    group by agent_id, reporting_date

),

final as (

    select
        cast(agent_days.agent_id as string) as agent_id,
        cast(agent_days.reporting_date as date) as reporting_date,
        cast(agents.team_id as string) as team_id,
        cast(agent_days.scheduled_minutes as double) as scheduled_minutes,
        cast(agent_days.adherent_minutes as double) as adherent_minutes,
        cast(
            {{ ccm_safe_divide('agent_days.adherent_minutes', 'agent_days.scheduled_minutes') }}
            as double
        ) as schedule_adherence
    from agent_days
    left join agents
        on agent_days.agent_id = agents.agent_id

)

select * from final
