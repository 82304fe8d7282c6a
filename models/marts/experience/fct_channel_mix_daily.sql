{#- Channel share and self-service share both count interactions: a contact chain (a transfer
    or callback chain is one contact) or a bot session that did not hand off (one that did is
    part of the chain it handed off into), so shares of a day add up to 1. -#}
with

interactions as (

    select
        interaction_id,
        interaction_type,
        channel,
        started_at,
        is_handled,
        bot_outcome
    from {{ ref('int_customer_interactions_unioned') }}

),

chain_ends as (

    select
        chain_id,
        disposition
    from {{ ref('int_contacts_chained') }}
    where is_chain_end

),

interactions_classified as (

    select
        {{ ccm_reporting_date('interactions.started_at') }} as reporting_date,
        interactions.channel,
        case
            when interactions.interaction_type = 'bot_session'
                then interactions.bot_outcome = 'resolved'
            else coalesce(
                chain_ends.disposition = 'self_served' and not interactions.is_handled, false
            )
        end as is_self_served
    from interactions
    left join chain_ends
        on
            interactions.interaction_type = 'contact_chain'
            and interactions.interaction_id = chain_ends.chain_id

),

channel_days as (

    select
        reporting_date,
        channel,
        count(*) as interactions,
        count(case when is_self_served then 1 end) as self_served_interactions
    from interactions_classified
    group by reporting_date, channel

),

day_totals as (

    select
        reporting_date,
        cast(sum(interactions) as bigint) as day_interactions
    from channel_days
    group by reporting_date

),

final as (

    select
        channel_days.reporting_date,
        channel_days.channel,
        channel_days.interactions,
        day_totals.day_interactions,
        {{ ccm_safe_divide('channel_days.interactions', 'day_totals.day_interactions') }}
            as channel_share,
        cast({{ var('low_usage_channel_share') }} as double) as low_usage_threshold,
        {{ ccm_safe_divide('channel_days.interactions', 'day_totals.day_interactions') }}
        < {{ var('low_usage_channel_share') }} as is_low_usage,
        channel_days.self_served_interactions,
        {{ ccm_safe_divide('channel_days.self_served_interactions', 'channel_days.interactions') }}
            as self_service_rate
    from channel_days
    inner join day_totals
        on channel_days.reporting_date = day_totals.reporting_date

)

select * from final
