{#- The share of an agent's handle time (talk + hold + acw of connected segments) that went to
    each channel on a reporting day (the day handling ended): how labor cost, paid by the hour
    and not by the contact, is split over channels, identically for cost allocation and the
    drill-down. Days without handle time have no row: their labor cannot be attributed. -#}
with

agent_channel_handling as (

    select
        agent_id,
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        channel,
        sum(
            coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0)
        ) as handle_seconds
    from {{ ref('stg_acd__contacts') }}
    where agent_id is not null and connected_at is not null
    group by agent_id, {{ ccm_reporting_date('ended_at') }}, channel

)

select
    agent_id,
    reporting_date,
    channel,
    handle_seconds,
    handle_seconds / sum(handle_seconds) over (
        partition by agent_id, reporting_date
    ) as handling_share
from agent_channel_handling
where handle_seconds > 0
