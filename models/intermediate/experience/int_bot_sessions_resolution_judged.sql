{#- One row per bot session with its resolution judged on the default FCR window. A session
    that did not hand off is an interaction of its own and takes is_resolved_default from
    int_customer_interactions_fcr_flagged, so bot resolution and FCR share one repeat rule. A
    session that handed off is a failure whatever happens next, but it is judged on the same
    window so that right-censoring removes failures and successes near the end of the data
    alike (otherwise the last hours would look worse than they are). For the same reason a
    session whose customer was not identified is not judged at all, handoffs included: with
    no customer, a repeat cannot be looked for. -#}
with

bot_sessions as (

    select
        bot_session_id,
        customer_id,
        customer_id is not null as is_customer_identified,
        channel,
        intent,
        started_at,
        ended_at,
        outcome,
        generative_ai
    from {{ ref('stg_bot__sessions') }}

),

interaction_flags as (

    select
        interaction_id,
        is_window_complete_default,
        is_resolved_default
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    where interaction_type = 'bot_session'

),

-- the same end of data as int_customer_interactions_fcr_flagged
data_ends as (

    {{ ccm_data_ends() }}

),

data_end as (

    select max(end_of_data_at) as end_of_data_at
    from data_ends

),

sessions_flagged as (

    select
        bot_sessions.bot_session_id,
        bot_sessions.customer_id,
        bot_sessions.is_customer_identified,
        bot_sessions.channel,
        bot_sessions.intent,
        bot_sessions.started_at,
        bot_sessions.ended_at,
        bot_sessions.outcome,
        bot_sessions.generative_ai,
        coalesce(
            interaction_flags.is_window_complete_default,
            {{ dbt.dateadd('hour', var('fcr_window_hours'), 'bot_sessions.ended_at') }}
            <= data_end.end_of_data_at
        ) as is_window_complete,
        interaction_flags.is_resolved_default
    from bot_sessions
    cross join data_end
    left join interaction_flags
        on bot_sessions.bot_session_id = interaction_flags.interaction_id

),

sessions_judged as (

    select
        bot_session_id,
        customer_id,
        is_customer_identified,
        channel,
        intent,
        started_at,
        ended_at,
        {{ ccm_reporting_date('started_at') }} as reporting_date,
        outcome,
        generative_ai,
        outcome = 'handoff' as is_handoff,
        is_window_complete,
        case
            when not is_window_complete or not is_customer_identified then null
            when outcome = 'handoff' then false
            else coalesce(is_resolved_default, false)
        end as is_bot_resolution,
        case
            when not is_window_complete or not is_customer_identified then null
            when outcome = 'resolved' then coalesce(is_resolved_default, false)
            else false
        end as is_confirmed_bot_resolution
    from sessions_flagged

)

select * from sessions_judged
