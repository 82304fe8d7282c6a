{#- One row per follow-up contact chain that switched channel: the same customer came back
    (on the same contact reason when var fcr_match_reason, exactly as for FCR repeats) after an
    earlier chain started and no later than var fcr_window_hours after it ended, on a channel
    other than the one the earlier chain ended on. The follow-up carries context when its
    related_contact_id points to any segment of such an earlier chain. Bot sessions are not
    earlier interactions here: a contact has no field that could reference a session that did
    not hand off, so counting them would only measure the data model. As for FCR, only the
    customer's own identified chains take part (ccm_fcr_excluded_reason): an outbound chain
    is neither an earlier contact nor a follow-up, and an unidentified caller cannot be
    matched. -#}
with

chains as (

    select
        chain_id,
        customer_id,
        contact_reason,
        first_channel,
        last_channel,
        started_at,
        ended_at,
        related_contact_id
    from {{ ref('int_contact_chains_stitched') }}
    where {{ ccm_fcr_excluded_reason('initiation_method', 'customer_id') }} is null

),

segments as (

    select
        contact_id,
        chain_id
    from {{ ref('int_contacts_chained') }}

),

linked_chains as (

    select
        chains.chain_id,
        segments.chain_id as linked_chain_id
    from chains
    inner join segments
        on chains.related_contact_id = segments.contact_id

),

switching_pairs as (

    select
        follow_up.chain_id,
        follow_up.customer_id,
        follow_up.first_channel as channel,
        follow_up.started_at,
        earlier.chain_id as earlier_chain_id
    from chains as follow_up
    inner join chains as earlier
        on
            follow_up.customer_id = earlier.customer_id
            and follow_up.chain_id <> earlier.chain_id
            and follow_up.started_at > earlier.started_at
            and follow_up.started_at
            <= {{ dbt.dateadd('hour', var('fcr_window_hours'), 'earlier.ended_at') }}
            and follow_up.first_channel <> earlier.last_channel
            {%- if var('fcr_match_reason') %}
                and follow_up.contact_reason = earlier.contact_reason
            {%- endif %}

),

pairs_linked as (

    select
        switching_pairs.chain_id,
        switching_pairs.customer_id,
        switching_pairs.channel,
        switching_pairs.started_at,
        case
            when linked_chains.linked_chain_id = switching_pairs.earlier_chain_id then 1
            else 0
        end as is_linked_to_earlier
    from switching_pairs
    left join linked_chains
        on switching_pairs.chain_id = linked_chains.chain_id

),

follow_ups as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        max(is_linked_to_earlier) = 1 as carries_context
    from pairs_linked
    group by chain_id, customer_id, channel, started_at

),

follow_ups_dated as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        {{ ccm_reporting_date('started_at') }} as reporting_date,
        carries_context
    from follow_ups

)

select * from follow_ups_dated
