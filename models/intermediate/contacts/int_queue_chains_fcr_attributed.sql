{#- Every handled contact chain with its FCR outcome per published window as 0/1 counts, on the
    chain's first channel and the queue of its first offered segment ('(none)' when no segment
    was offered, as for an outbound chain). is_resolved_<w> is null for a censored window and
    for a chain left out of FCR (fcr_excluded_reason), so neither is eligible. -#}
{%- set fcr_windows = ccm_fcr_windows() -%}
with

{# One row per chain by grouping (min_by), not a row_number filter: a grouped key lets DuckDB
    drop the join from a read that needs no queue (a not_null or unique test on the chains of a
    few days skipped the window over every segment: 1-2 s each at 10 M contacts). #}
first_offered_queues as (

    select
        chain_id,
        min_by(queue_id, segment_number) as queue_id
    from {{ ref('int_queue_segments_classified') }}
    where offered = 1
    group by chain_id

),

handled_chains as (

    select
        interaction_id as chain_id,
        channel,
        ended_at,
        {% for suffix, hours in fcr_windows -%}
            is_resolved_{{ suffix }},
        {% endfor -%}
        fcr_excluded_reason
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    where interaction_type = 'contact_chain' and is_handled

),

attributed as (

    select
        handled_chains.chain_id,
        handled_chains.ended_at,
        handled_chains.channel,
        coalesce(first_offered_queues.queue_id, '(none)') as queue_id,
        {% for suffix, hours in fcr_windows -%}
            case
                when handled_chains.is_resolved_{{ suffix }} then 1 else 0
            end as fcr_resolved_{{ suffix }},
            case
                when handled_chains.is_resolved_{{ suffix }} is not null then 1 else 0
            end as fcr_eligible_{{ suffix }},
        {% endfor -%}
        case
            when handled_chains.fcr_excluded_reason = 'unidentified' then 1 else 0
        end as fcr_excluded_unidentified,
        case
            when handled_chains.fcr_excluded_reason = 'outbound' then 1 else 0
        end as fcr_excluded_outbound
    from handled_chains
    left join first_offered_queues
        on handled_chains.chain_id = first_offered_queues.chain_id

)

select * from attributed
