{#- One row per recommendation offered, with its reporting day, the channel of the contact or
    bot session it was offered in ('(none)' when it names neither, or that one never arrived)
    and the revenue it brought: only an accepted offer has revenue, a revenue on a declined
    offer would be a data error, not a sale. -#}
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

recommendations_channeled as (

    select
        recommendations.recommendation_id,
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

)

select * from recommendations_channeled
