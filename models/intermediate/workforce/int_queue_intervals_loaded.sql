{#- Offered load per queue and interval (var interval_minutes, reporting wall-clock), the
    input of Erlang C. Offered contacts (ccm_is_offered: directly routed ones too) count in
    the interval they entered the queue, or were connected when routed directly. AHT is the
    interval's own; an interval whose contacts were all abandoned borrows the queue's AHT of
    the day, because its arrivals still needed agents. -#}
{%- set interval_seconds = var('interval_minutes') * 60 -%}
with

offered_segments as (

    select
        queue_id,
        {{ ccm_interval_start(ccm_offered_at('queued_at', 'connected_at')) }} as interval_start,
        {{ ccm_reporting_date(ccm_offered_at('queued_at', 'connected_at')) }} as reporting_date,
        case when connected_at is not null then 1 else 0 end as is_handled,
        case
            when connected_at is not null
                then
                    coalesce(talk_seconds, 0)
                    + coalesce(hold_seconds, 0)
                    + coalesce(acw_seconds, 0)
            else 0
        end as handle_seconds
    from {{ ref('stg_acd__contacts') }}
    where
        {{ ccm_is_offered('initiation_method', 'queued_at', 'connected_at') }}
        and queue_id is not null

),

intervals_counted as (

    select
        queue_id,
        interval_start,
        reporting_date,
        count(*) as offered_contacts,
        sum(is_handled) as handled_contacts,
        sum(handle_seconds) as handle_seconds
    from offered_segments
    group by queue_id, interval_start, reporting_date

),

queue_days_timed as (

    select
        queue_id,
        reporting_date,
        {{ ccm_safe_divide('sum(handle_seconds)', 'sum(handled_contacts)') }} as day_aht_seconds
    from intervals_counted
    group by queue_id, reporting_date

),

intervals_loaded as (

    select
        intervals_counted.queue_id,
        intervals_counted.interval_start,
        intervals_counted.reporting_date,
        intervals_counted.offered_contacts,
        intervals_counted.handled_contacts,
        intervals_counted.handle_seconds,
        coalesce(
            {{ ccm_safe_divide(
                'intervals_counted.handle_seconds', 'intervals_counted.handled_contacts'
            ) }},
            queue_days_timed.day_aht_seconds
        ) as aht_seconds
    from intervals_counted
    inner join queue_days_timed
        on
            intervals_counted.queue_id = queue_days_timed.queue_id
            and intervals_counted.reporting_date = queue_days_timed.reporting_date

),

intervals_with_traffic as (

    select
        queue_id,
        interval_start,
        reporting_date,
        offered_contacts,
        handled_contacts,
        handle_seconds,
        aht_seconds,
        offered_contacts * aht_seconds / {{ interval_seconds }} as traffic_erlangs
    from intervals_loaded

)

select * from intervals_with_traffic
