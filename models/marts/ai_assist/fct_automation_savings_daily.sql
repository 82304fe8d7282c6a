{#- Agent time a bot resolution saved is valued at the agent AHT of the same contact reason on
    the same reporting day, over every channel agents worked: the bot answered the question an
    agent would otherwise have handled that day, whatever channel the customer would have
    picked. A day without an agent-handled contact of that reason has no AHT to value the
    resolution with, so its saving is unknown (null) rather than 0. -#}
with

bot_sessions as (

    select
        reporting_date,
        channel,
        intent,
        is_bot_resolution
    from {{ ref('int_bot_sessions_resolution_judged') }}

),

handled_segments as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        contact_reason,
        handle_seconds
    from {{ ref('int_contacts_chained') }}
    where connected_at is not null

),

reason_days_aht as (

    select
        reporting_date,
        contact_reason,
        count(*) as agent_handled_contacts,
        sum(handle_seconds) as agent_handle_seconds
    from handled_segments
    group by reporting_date, contact_reason

),

bot_intent_days as (

    select
        reporting_date,
        channel,
        intent,
        count(*) as bot_sessions,
        count(case when is_bot_resolution then 1 end) as bot_resolutions
    from bot_sessions
    group by reporting_date, channel, intent

),

final as (

    select
        bot_intent_days.reporting_date,
        bot_intent_days.channel,
        bot_intent_days.intent,
        bot_intent_days.bot_sessions,
        bot_intent_days.bot_resolutions,
        coalesce(reason_days_aht.agent_handled_contacts, 0) as agent_handled_contacts,
        coalesce(reason_days_aht.agent_handle_seconds, 0) as agent_handle_seconds,
        {{ ccm_safe_divide(
            'reason_days_aht.agent_handle_seconds', 'reason_days_aht.agent_handled_contacts'
        ) }} as agent_aht_seconds,
        bot_intent_days.bot_resolutions
        * {{ ccm_safe_divide(
            'reason_days_aht.agent_handle_seconds', 'reason_days_aht.agent_handled_contacts'
        ) }} as handle_seconds_saved
    from bot_intent_days
    left join reason_days_aht
        on
            bot_intent_days.reporting_date = reason_days_aht.reporting_date
            and bot_intent_days.intent = reason_days_aht.contact_reason

)

select * from final
