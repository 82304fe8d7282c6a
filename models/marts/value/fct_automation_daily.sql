{#- Automation coverage counts interactions (a contact chain, or a bot session that did not
    hand off) touched by AI: every bot session, a chain a bot handed off into, and a chain
    with at least one AI-assisted segment. automation_rate multiplies coverage by the bot
    resolution rate of the same day and channel, so it is the share of interactions AI both
    touched and (on the bot's part) resolved; it is null whenever either factor is unknown. -#}
with

interactions as (

    select
        interaction_id,
        interaction_type,
        channel,
        started_at
    from {{ ref('int_customer_interactions_unioned') }}

),

chains as (

    select
        chain_id,
        bot_session_id
    from {{ ref('int_contact_chains_stitched') }}

),

assisted_chains as (

    select distinct chain_id
    from {{ ref('int_contacts_chained') }}
    where ai_assisted

),

interactions_touched as (

    select
        {{ ccm_reporting_date('interactions.started_at') }} as reporting_date,
        interactions.channel,
        case
            when interactions.interaction_type = 'bot_session' then 1
            when chains.bot_session_id is not null then 1
            when assisted_chains.chain_id is not null then 1
            else 0
        end as is_ai_touched
    from interactions
    left join chains
        on
            interactions.interaction_type = 'contact_chain'
            and interactions.interaction_id = chains.chain_id
    left join assisted_chains
        on
            interactions.interaction_type = 'contact_chain'
            and interactions.interaction_id = assisted_chains.chain_id

),

channel_days as (

    select
        reporting_date,
        channel,
        count(*) as interactions,
        count(case when is_ai_touched = 1 then 1 end) as ai_touched_interactions
    from interactions_touched
    group by reporting_date, channel

),

bot_days as (

    select
        reporting_date,
        channel,
        bot_resolutions,
        bot_resolution_eligible,
        bot_resolution_rate
    from {{ ref('fct_bot_daily') }}

),

final as (

    select
        channel_days.reporting_date,
        channel_days.channel,
        channel_days.ai_touched_interactions,
        channel_days.interactions,
        {{ ccm_safe_divide('channel_days.ai_touched_interactions', 'channel_days.interactions') }}
            as automation_coverage,
        coalesce(bot_days.bot_resolutions, 0) as bot_resolutions,
        coalesce(bot_days.bot_resolution_eligible, 0) as bot_resolution_eligible,
        bot_days.bot_resolution_rate,
        {{ ccm_safe_divide('channel_days.ai_touched_interactions', 'channel_days.interactions') }}
        * bot_days.bot_resolution_rate as automation_rate
    from channel_days
    left join bot_days
        on
            channel_days.reporting_date = bot_days.reporting_date
            and channel_days.channel = bot_days.channel

)

select * from final
