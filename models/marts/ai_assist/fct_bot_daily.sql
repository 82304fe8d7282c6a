{#- Bot metrics count for the day and channel the session started on. Bot resolution needs
    the window to be over and the customer to be known (to look for a repeat): censored and
    unidentified sessions are counted apart and left out of its numerator and denominator. -#}
with

bot_sessions as (

    select
        reporting_date,
        channel,
        outcome,
        is_handoff,
        is_window_complete,
        is_customer_identified,
        is_bot_resolution,
        is_confirmed_bot_resolution
    from {{ ref('int_bot_sessions_resolution_judged') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        count(*) as bot_sessions,
        count(case when is_handoff then 1 end) as bot_handoffs,
        count(case when outcome = 'dropped' then 1 end) as bot_dropped_sessions,
        count(case when not is_window_complete then 1 end) as bot_censored_sessions,
        count(case when not is_customer_identified then 1 end) as bot_unidentified_sessions,
        count(is_bot_resolution) as bot_resolution_eligible,
        count(case when is_bot_resolution then 1 end) as bot_resolutions,
        count(case when is_confirmed_bot_resolution then 1 end) as bot_confirmed_resolutions
    from bot_sessions
    group by reporting_date, channel

),

final as (

    select
        reporting_date,
        channel,
        bot_sessions,
        bot_handoffs,
        {{ ccm_safe_divide('bot_handoffs', 'bot_sessions') }} as bot_handoff_rate,
        bot_dropped_sessions,
        bot_censored_sessions,
        bot_unidentified_sessions,
        bot_resolutions,
        bot_resolution_eligible,
        {{ ccm_safe_divide('bot_resolutions', 'bot_resolution_eligible') }}
            as bot_resolution_rate,
        bot_confirmed_resolutions,
        {{ ccm_safe_divide('bot_confirmed_resolutions', 'bot_resolution_eligible') }}
            as bot_confirmed_resolution_rate
    from channel_days

)

select * from final
