{#- Schedule fit per queue and interval: staffed agents against the agents Erlang C requires
    for the interval's offered load. Intervals with staff but no contacts require 0 agents;
    intervals with contacts but no staff are staffed by 0. Without any open schedule of an
    agent with a home queue (schedules or agents never delivered) staffing is unknown: staffed
    agents, gap and fit are null, not 0. -#}
{%- set interval_minutes = var('interval_minutes') -%}
with

loads as (

    select
        queue_id,
        interval_start,
        reporting_date,
        offered_contacts,
        aht_seconds,
        traffic_erlangs
    from {{ ref('int_queue_intervals_loaded') }}

),

staffing as (

    select
        queue_id,
        interval_start,
        reporting_date,
        staffed_agents
    from {{ ref('int_queue_intervals_staffed') }}

),

agents_required as (

    select
        queue_id,
        interval_start,
        required_agents,
        required_service_level
    from {{ ref('int_queue_intervals_agents_required') }}

),

schedules_delivered as (

    select {{ ccm_is_delivered(ref('int_queue_intervals_staffed')) }} as is_delivered

),

queue_intervals as (

    select
        queue_id,
        interval_start,
        reporting_date
    from loads
    union
    select
        queue_id,
        interval_start,
        reporting_date
    from staffing

),

intervals_compared as (

    select
        queue_intervals.queue_id,
        queue_intervals.interval_start,
        queue_intervals.reporting_date,
        coalesce(loads.offered_contacts, 0) as offered_contacts,
        loads.aht_seconds,
        coalesce(loads.traffic_erlangs, 0) as traffic_erlangs,
        case
            when coalesce(loads.offered_contacts, 0) = 0 then 0
            else agents_required.required_agents
        end as required_agents,
        agents_required.required_service_level,
        case
            when schedules_delivered.is_delivered then coalesce(staffing.staffed_agents, 0)
        end as staffed_agents
    from queue_intervals
    cross join schedules_delivered
    left join loads
        on
            queue_intervals.queue_id = loads.queue_id
            and queue_intervals.interval_start = loads.interval_start
    left join staffing
        on
            queue_intervals.queue_id = staffing.queue_id
            and queue_intervals.interval_start = staffing.interval_start
    left join agents_required
        on
            queue_intervals.queue_id = agents_required.queue_id
            and queue_intervals.interval_start = agents_required.interval_start

),

final as (

    select
        cast(queue_id as string) as queue_id,
        cast(interval_start as timestamp) as interval_start,
        cast(reporting_date as date) as reporting_date,
        cast({{ interval_minutes }} as bigint) as interval_minutes,
        cast(offered_contacts as bigint) as offered_contacts,
        cast(aht_seconds as double) as aht_seconds,
        cast(traffic_erlangs as double) as traffic_erlangs,
        cast(required_agents as bigint) as required_agents,
        cast(required_service_level as double) as required_service_level,
        cast(staffed_agents as double) as staffed_agents,
        cast(staffed_agents - required_agents as double) as staffing_gap,
        cast(
            case
                when required_agents is not null and staffed_agents is not null
                    then abs(staffed_agents - required_agents) <= 1
            end as boolean
        ) as is_within_one_agent
    from intervals_compared

)

select * from final
