{#- Every agent of the agents file with the queue and channel its labor is booked to: its home
    queue, on the channel that queue serves, taken as the channel most of the queue's offered
    contacts came on ('(none)' for a queue without offered contacts). One row per agent, so
    the table is empty exactly when the agents file was never delivered. -#}
with

queue_channel_volumes as (

    select
        queue_id,
        channel,
        count(*) as offered_contacts
    from {{ ref('int_queue_segments_classified') }}
    where offered = 1
    group by queue_id, channel

),

queue_channels_ranked as (

    select
        queue_id,
        channel,
        row_number() over (
            partition by queue_id
            order by offered_contacts desc, channel asc
        ) as volume_rank
    from queue_channel_volumes

),

agents_assigned as (

    select
        agents.agent_id,
        agents.hourly_cost,
        agents.home_queue_id as queue_id,
        coalesce(queue_channels_ranked.channel, '(none)') as channel
    from {{ ref('stg_wfm__agents') }} as agents
    left join queue_channels_ranked
        on
            agents.home_queue_id = queue_channels_ranked.queue_id
            and queue_channels_ranked.volume_rank = 1

)

select * from agents_assigned
