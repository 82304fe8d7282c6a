{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'reporting_date'},
        pre_hook="{{ ccm_incremental_clear_days(
            'reporting_date',
            also_from=[
                ccm_chains_recomputed_from(),
                ccm_interactions_rejudged_from('started_at', 'bot_session')
            ]
        ) }}"
    )
}}

{#- Automation coverage counts interactions (a contact chain, or a bot session that did not
    hand off) touched by AI: every bot session, a chain a bot handed off into, and a chain
    with at least one AI-assisted segment. automation_rate multiplies coverage by the bot
    resolution rate of the same day and channel, so it is the share of interactions AI both
    touched and (on the bot's part) resolved; it is null whenever either factor is unknown.
    Incremental by day, appended after the pre-hook empties the days from the cutoff on. The
    cutoff keeps the longest FCR window before a changed day, as a bot session's resolution is
    judged on the repeat window (int_bot_sessions_resolution_judged); a chain re-computed
    upstream (a callback weeks later) moves it back to the chain's start, and a bot session
    judged again upstream (a later end of the data completed or reopened its window) to the
    session's start. A chain starts no
    earlier than its interaction (a bot session before it) and its segments no earlier than the
    chain, so every input is read from a day before the cutoff in UTC. -#}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff(
        'reporting_date',
        also_from=[
            ccm_chains_recomputed_from(),
            ccm_interactions_rejudged_from('started_at', 'bot_session')
        ]
    ) -%}
    {%- set utc_from = dbt.dateadd('day', -1, cutoff) -%}
{%- endif %}
with

interactions as (

    select
        interaction_id,
        interaction_type,
        channel,
        started_at
    from {{ ref('int_customer_interactions_unioned') }}
    {% if is_incremental() %}
        where started_at >= {{ utc_from }}
    {% endif %}

),

chains as (

    select
        chain_id,
        bot_session_id
    from {{ ref('int_contact_chains_stitched') }}
    {% if is_incremental() %}
        where started_at >= {{ utc_from }}
    {% endif %}

),

assisted_chains as (

    select distinct chain_id
    from {{ ref('int_contacts_chained') }}
    where
        ai_assisted
    {% if is_incremental() %}
            and started_at >= {{ utc_from }}
    {% endif %}

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
    {% if is_incremental() %}
        where channel_days.reporting_date >= cast({{ cutoff }} as date)
    {% endif %}

)

select * from final
