{#- Bot intents and handoffs: which intents does the bot fail to finish, and what happens
    after?

    How to use: dbt compile --select bot_intents_handoff and run the compiled SQL. One row
    per intent: sessions, outcomes (resolved, handoff, dropped), the handoff rate and the
    bot resolution rate on the default FCR window (resolved without a repeat, censored
    sessions out of the denominator; as in METRICS.md a session without handoff and without
    repeat is a resolution, dropped or not). Intents with many sessions and a high handoff
    rate are the first candidates for new bot content; many resolved outcomes with a low
    resolution rate mean customers come back after the bot "resolved" them. -#}
with

bot_sessions as (

    select
        bot_session_id,
        intent,
        outcome
    from {{ ref('stg_bot__sessions') }}

),

bot_interactions as (

    select
        interaction_id as bot_session_id,
        is_resolved_default
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    where interaction_type = 'bot_session'

),

sessions_judged as (

    select
        bot_sessions.intent,
        bot_sessions.outcome,
        {#- A handoff is never a resolution and has no FCR flags of its own (it is part of the
            chain it handed off into); other sessions still inside their window are left out. -#}
        case
            when bot_sessions.outcome = 'handoff' then 0
            when bot_interactions.is_resolved_default is null then null
            when bot_interactions.is_resolved_default then 1
            else 0
        end as is_bot_resolution
    from bot_sessions
    left join bot_interactions
        on bot_sessions.bot_session_id = bot_interactions.bot_session_id

),

intents as (

    select
        intent,
        count(*) as sessions,
        sum(case when outcome = 'resolved' then 1 else 0 end) as resolved_outcomes,
        sum(case when outcome = 'handoff' then 1 else 0 end) as handoffs,
        sum(case when outcome = 'dropped' then 1 else 0 end) as dropped,
        sum(is_bot_resolution) as bot_resolutions,
        count(is_bot_resolution) as resolution_eligible_sessions
    from sessions_judged
    group by intent

)

select
    intent,
    sessions,
    resolved_outcomes,
    handoffs,
    dropped,
    {{ ccm_safe_divide('handoffs', 'sessions') }} as handoff_rate,
    bot_resolutions,
    resolution_eligible_sessions,
    {{ ccm_safe_divide('bot_resolutions', 'resolution_eligible_sessions') }} as bot_resolution_rate
from intents
order by handoffs desc, sessions desc, intent asc
