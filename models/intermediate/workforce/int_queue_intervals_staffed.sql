{#- Staffed agents per queue and interval: scheduled open (contact-taking) time of the
    agents whose home queue it is, averaged over the interval, so an agent open for half of
    a 30-minute interval counts 0.5. Schedules are cut into intervals in reporting
    wall-clock time, like the offered load. -#}
{%- set interval_minutes = var('interval_minutes') -%}
with

open_activities as (

    select
        agents.home_queue_id as queue_id,
        {{ ccm_to_reporting_tz('schedules.starts_at') }} as local_starts_at,
        {{ ccm_to_reporting_tz('schedules.ends_at') }} as local_ends_at,
        {{ ccm_interval_start('schedules.starts_at') }} as first_interval_start
    from {{ ref('stg_wfm__schedules') }} as schedules
    inner join {{ ref('stg_wfm__agents') }} as agents
        on schedules.agent_id = agents.agent_id
    where schedules.activity = 'open'

),

{# Each activity meets only the intervals it touches (ccm_bucket_starts), rather than a cross
    join with a fixed number of interval offsets, filtered afterwards. #}
activity_intervals as (

    select
        queue_id,
        local_starts_at,
        local_ends_at,
        {{ ccm_bucket_starts(
            'first_interval_start', 'local_ends_at', interval_minutes
        ) }} as interval_start
    from open_activities

),

activity_interval_overlaps as (

    select
        queue_id,
        interval_start,
        {{ ccm_seconds_between(
            'greatest(local_starts_at, interval_start)',
            'least(local_ends_at, '
            ~ dbt.dateadd('minute', interval_minutes, 'interval_start') ~ ')'
        ) }} as open_seconds
    from activity_intervals

),

intervals_staffed as (

    select
        queue_id,
        interval_start,
        cast(interval_start as date) as reporting_date,
        sum(open_seconds) / {{ interval_minutes * 60 }} as staffed_agents
    from activity_interval_overlaps
    group by queue_id, interval_start

)

select * from intervals_staffed
