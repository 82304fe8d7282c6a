{#- Recommendations per reporting day, channel and the kind of interaction they were offered
    in (int_recommendations_channeled: '(none)' when the offer names neither). Revenue is
    summed over accepted recommendations only. -#}
with

recommendations_placed as (

    select
        reporting_date,
        channel,
        offered_in,
        accepted,
        accepted_revenue
    from {{ ref('int_recommendations_channeled') }}

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
