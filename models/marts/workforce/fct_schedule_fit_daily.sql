{#- Schedule fit per queue and reporting day: the share of intervals staffed within one agent
    of the Erlang C requirement, and required vs staffed agent hours. Intervals whose
    requirement is unknown (no AHT that day) or whose staffing is unknown (no schedules) are
    left out of the share. -#}
{%- set interval_hours = var('interval_minutes') / 60 -%}
with

intervals as (

    select
        queue_id,
        reporting_date,
        required_agents,
        staffed_agents,
        is_within_one_agent
    from {{ ref('fct_schedule_fit') }}

),

days_fitted as (

    select
        queue_id,
        reporting_date,
        count(is_within_one_agent) as intervals_evaluated,
        sum(case when is_within_one_agent then 1 else 0 end) as intervals_within_one_agent,
        sum(required_agents) * {{ interval_hours }} as required_agent_hours,
        sum(staffed_agents) * {{ interval_hours }} as staffed_agent_hours
    from intervals
    group by queue_id, reporting_date

),

final as (

    select
        cast(queue_id as string) as queue_id,
        cast(reporting_date as date) as reporting_date,
        cast(intervals_evaluated as bigint) as intervals_evaluated,
        cast(intervals_within_one_agent as bigint) as intervals_within_one_agent,
        cast(
            {{ ccm_safe_divide('intervals_within_one_agent', 'intervals_evaluated') }}
            as double
        ) as schedule_fit_rate,
        cast(required_agent_hours as double) as required_agent_hours,
        cast(staffed_agent_hours as double) as staffed_agent_hours
    from days_fitted

)

select * from final
