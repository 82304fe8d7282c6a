{#- Every contact segment with the queue outcome it counts as (ccm_queue_outcomes: offered,
    answered, abandoned, ... as 0/1 columns named like the additive measures) and whether an
    agent handled it. The classification is made here once for the interval aggregates, the
    first queue of each chain and the main channel of each queue. -#}
with

segments as (

    select
        contact_id,
        chain_id,
        segment_number,
        channel,
        coalesce(queue_id, '(none)') as queue_id,
        initiation_method,
        queued_at,
        connected_at,
        ended_at,
        disposition,
        queue_wait_seconds,
        handle_seconds
    from {{ ref('int_contacts_chained') }}

),

classified as (

    select
        segments.contact_id,
        segments.chain_id,
        segments.segment_number,
        segments.channel,
        segments.queue_id,
        case
            when {{ ccm_is_offered(
                'segments.initiation_method', 'segments.queued_at', 'segments.connected_at'
            ) }}
                then {{ ccm_offered_at('segments.queued_at', 'segments.connected_at') }}
        end as offered_at,
        segments.ended_at,
        {{ ccm_queue_outcomes('segments') }},
        segments.connected_at is not null as is_handled,
        segments.handle_seconds
    from segments

)

select * from classified
