{#- Channel switch paths: which channel do customers go to next when they come back?

    How to use: dbt compile --select channel_switch_paths and run the compiled SQL. Each
    row is a path (from_channel -> to_channel) between consecutive interactions of one
    customer within the FCR window (var fcr_window_hours; override with --vars), with how
    often it happens and the share of those follow-ups that carried the earlier contact's
    context (the linked-case id the generation-2 channel_integration_rate counts). Frequent
    switches without context are where customers repeat themselves. -#}
{%- set window_seconds = var('fcr_window_hours') * 3600 -%}
with

interactions as (

    select
        interaction_id,
        customer_id,
        channel,
        started_at,
        ended_at
    from {{ ref('int_customer_interactions_unioned') }}
    -- only the customer's own identified contacts, as for FCR: unidentified callers share a
    -- null customer_id and the center's outbound calls are no one's next step
    where fcr_excluded_reason is null

),

related_links as (

    select
        chains.chain_id,
        previous_chains.chain_id as related_chain_id
    from {{ ref('int_contact_chains_stitched') }} as chains
    inner join {{ ref('int_contacts_chained') }} as previous_chains
        on chains.related_contact_id = previous_chains.contact_id

),

interactions_sequenced as (

    select
        interaction_id,
        customer_id,
        channel,
        ended_at,
        lead(interaction_id) over (
            partition by customer_id order by started_at, interaction_id
        ) as next_interaction_id,
        lead(channel) over (
            partition by customer_id order by started_at, interaction_id
        ) as next_channel,
        lead(started_at) over (
            partition by customer_id order by started_at, interaction_id
        ) as next_started_at
    from interactions

),

follow_ups as (

    select
        interactions_sequenced.channel as from_channel,
        interactions_sequenced.next_channel as to_channel,
        case
            when related_links.related_chain_id = interactions_sequenced.interaction_id then 1
            else 0
        end as carries_context
    from interactions_sequenced
    left join related_links
        on interactions_sequenced.next_interaction_id = related_links.chain_id
    where
        interactions_sequenced.next_interaction_id is not null
        and {{ ccm_seconds_between(
            'interactions_sequenced.ended_at', 'interactions_sequenced.next_started_at'
        ) }} <= {{ window_seconds }}

),

paths as (

    select
        from_channel,
        to_channel,
        count(*) as follow_ups,
        sum(carries_context) as follow_ups_with_context
    from follow_ups
    group by from_channel, to_channel

)

select
    from_channel,
    to_channel,
    from_channel != to_channel as is_channel_switch,
    follow_ups,
    follow_ups_with_context,
    {{ ccm_safe_divide('follow_ups_with_context', 'follow_ups') }} as context_carried_rate
from paths
order by follow_ups desc, from_channel asc, to_channel asc
