{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='schedule_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'ends_at'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'ends_at', 'schedule_id', 'select schedule_id from ' ~ ref('stg_wfm__schedules'),
            fcr_window=false
        ) }}"
    )
}}

{#- One row per scheduled activity with the seconds the agent actually spent in the matching
    state. An open (contact-taking) activity is met by any of available, handling and acw;
    every other activity is met only by the state of the same name. Without agent states
    (never delivered) adherence cannot be measured: adherent_seconds is null, not 0.
    Incremental by activity: a run re-computes every activity that ends from the cutoff on
    (ccm_incremental_cutoff), since a changed state meets only activities that end after it
    starts. Two more moments move the cutoff back:
    - the lookback before the latest agent state, as schedules are often published weeks
      ahead of the states that meet them;
    - the earliest activity whose null-or-measured adherence no longer matches whether agent
      states were delivered (the first delivery of agent states measures every activity). -#}
{%- if is_incremental() -%}
    {%- set states_lookback -%}
        select {{ dbt.dateadd(
            'day',
            -(var('incremental_lookback_days') | int),
            'cast(cast(max(started_at) as date) as ' ~ dbt.type_timestamp() ~ ')'
        ) }}
        from {{ ref('stg_acd__agent_states') }}
    {%- endset -%}
    {%- set delivery_changed -%}
        select min(ends_at)
        from {{ this }}
        where (adherent_seconds is null) = {{ ccm_is_delivered(ref('stg_acd__agent_states')) }}
    {%- endset -%}
    {%- set cutoff = ccm_incremental_cutoff('ends_at', also_from=[states_lookback, delivery_changed], fcr_window=false) -%}
{%- endif %}

with

schedules as (

    select
        schedule_id,
        agent_id,
        activity,
        starts_at,
        ends_at
    from {{ ref('stg_wfm__schedules') }}
    {% if is_incremental() %}
        where ends_at >= {{ cutoff }}
    {% endif %}

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
    {% if is_incremental() %}
        where ended_at > (select min(starts_at) from schedules)
    {% endif %}

),

{# The UTC days each schedule and state touch, a join key only: a schedule meets the states of
    its agent on its own days, not every state of the agent's history. A pair is counted once,
    on the day its overlap starts (both touch that day), so a schedule crossing midnight still
    meets the states after midnight. #}
schedule_days as (

    select
        schedule_id,
        agent_id,
        activity,
        starts_at,
        ends_at,
        {{ ccm_bucket_starts(dbt.date_trunc('day', 'starts_at'), 'ends_at', 1440) }} as join_day
    from schedules

),

agent_state_days as (

    select
        agent_id,
        scheduled_activity,
        started_at,
        ended_at,
        {{ ccm_bucket_starts(dbt.date_trunc('day', 'started_at'), 'ended_at', 1440) }} as join_day
    from agent_states

),

adherent_overlaps as (

    select
        schedule_days.schedule_id,
        sum(
            {{ ccm_seconds_between(
                'greatest(schedule_days.starts_at, agent_state_days.started_at)',
                'least(schedule_days.ends_at, agent_state_days.ended_at)'
            ) }}
        ) as adherent_seconds
    from schedule_days
    inner join agent_state_days
        on
            schedule_days.agent_id = agent_state_days.agent_id
            and schedule_days.activity = agent_state_days.scheduled_activity
            and schedule_days.join_day = agent_state_days.join_day
            and schedule_days.ends_at > agent_state_days.started_at
            and schedule_days.starts_at < agent_state_days.ended_at
            and {{ dbt.date_trunc(
                'day', 'greatest(schedule_days.starts_at, agent_state_days.started_at)'
            ) }} = schedule_days.join_day
    group by schedule_days.schedule_id

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
