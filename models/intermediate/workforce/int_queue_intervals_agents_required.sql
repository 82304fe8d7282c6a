{#- Agents required per queue and interval by Erlang C: the smallest N whose service level
    at var sl_threshold_seconds reaches var sl_target, with the wait probability, service
    level and ASA that N would give. Intervals without load (no offered contacts, or no AHT
    known for the day) have no row here. -#}
with

loads as (

    select
        queue_id,
        interval_start,
        traffic_erlangs,
        aht_seconds
    from {{ ref('int_queue_intervals_loaded') }}
    where traffic_erlangs > 0

),

candidates_evaluated as (

    {{ ccm_erlang_c_evaluate(
        'loads', ['queue_id', 'interval_start'], var('sl_threshold_seconds')
    ) }}

),

candidates_meeting_target as (

    select
        queue_id,
        interval_start,
        agent_count,
        wait_probability,
        service_level,
        average_speed_of_answer,
        row_number() over (
            partition by queue_id, interval_start
            order by agent_count
        ) as candidate_rank
    from candidates_evaluated
    where service_level >= {{ var('sl_target') }}

),

agents_required as (

    select
        queue_id,
        interval_start,
        agent_count as required_agents,
        wait_probability as required_wait_probability,
        service_level as required_service_level,
        average_speed_of_answer as required_average_speed_of_answer
    from candidates_meeting_target
    where candidate_rank = 1

)

select * from agents_required
