{#- One row per scheduled activity with the seconds the agent actually spent in the matching
    state. An open (contact-taking) activity is met by any of available, handling and acw;
    every other activity is met only by the state of the same name. Without agent states
    (never delivered) adherence cannot be measured: adherent_seconds is null, not 0. -#}
with

schedules as (

    select
        schedule_id,
        agent_id,
        activity,
        starts_at,
        ends_at
    from {{ ref('stg_wfm__schedules') }}

),

agent_states as (

    select
        agent_id,
        started_at,
        ended_at,
        case
            when state in ('available', 'handling', 'acw') then 'open'
            else state
        end as scheduled_activity
    from {{ ref('stg_acd__agent_states') }}

),

adherent_overlaps as (

    select
        schedules.schedule_id,
        sum(
            {{ ccm_seconds_between(
                'greatest(schedules.starts_at, agent_states.started_at)',
                'least(schedules.ends_at, agent_states.ended_at)'
            ) }}
        ) as adherent_seconds
    from schedules
    inner join agent_states
        on
            schedules.agent_id = agent_states.agent_id
            and schedules.activity = agent_states.scheduled_activity
            and schedules.ends_at > agent_states.started_at
            and schedules.starts_at < agent_states.ended_at
    group by schedules.schedule_id

),

agent_states_delivered as (

    select {{ ccm_is_delivered(ref('stg_acd__agent_states')) }} as is_delivered

),

activities_adhered as (

    select
        schedules.schedule_id,
        schedules.agent_id,
        schedules.activity,
        schedules.starts_at,
        schedules.ends_at,
        {{ ccm_reporting_date('schedules.starts_at') }} as reporting_date,
        {{ ccm_seconds_between('schedules.starts_at', 'schedules.ends_at') }} as scheduled_seconds,
        case
            when agent_states_delivered.is_delivered
                then coalesce(adherent_overlaps.adherent_seconds, 0)
        end as adherent_seconds
    from schedules
    cross join agent_states_delivered
    left join adherent_overlaps
        on schedules.schedule_id = adherent_overlaps.schedule_id

)

select * from activities_adhered
