{#- A recommendation counts for the day it was offered and the channel of the contact or bot
    session it was offered in ('(none)' when it names neither). Revenue is summed over accepted
    recommendations only; a revenue on a declined offer would be a data error, not a sale. -#}
with

recommendations as (

    select
        recommendation_id,
        contact_id,
        bot_session_id,
        offered_at,
        accepted,
        revenue
    from {{ ref('stg_ai__recommendations') }}

),

recommendations_placed as (

    select
        {{ ccm_reporting_date('recommendations.offered_at') }} as reporting_date,
        {{ ccm_event_channel(unmatched='(none)') }} as channel,
        case
            when recommendations.contact_id is not null then 'contact'
            when recommendations.bot_session_id is not null then 'bot_session'
            else '(none)'
        end as offered_in,
        recommendations.accepted,
        case when recommendations.accepted then coalesce(recommendations.revenue, 0) end
            as accepted_revenue
    from recommendations
    {{ ccm_join_event_interactions('recommendations') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        offered_in,
        count(*) as recommendations_offered,
        count(case when accepted then 1 end) as recommendations_accepted,
        coalesce(sum(accepted_revenue), 0) as revenue
    from recommendations_placed
    group by reporting_date, channel, offered_in

),

final as (

    select
        reporting_date,
        channel,
        offered_in,
        recommendations_accepted,
        recommendations_offered,
        {{ ccm_safe_divide('recommendations_accepted', 'recommendations_offered') }}
            as recommendation_conversion_rate,
        cast(revenue as double) as revenue,
        {{ ccm_safe_divide('revenue', 'recommendations_offered') }}
            as revenue_per_recommendation,
        {{ ccm_safe_divide('revenue', 'recommendations_accepted') }}
            as revenue_per_conversion
    from channel_days

)

select * from final
