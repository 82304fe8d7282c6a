with

follow_ups as (

    select
        reporting_date,
        channel,
        carries_context
    from {{ ref('int_contact_chains_follow_ups_linked') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        count(*) as channel_switch_follow_ups,
        count(case when carries_context then 1 end) as context_carrying_follow_ups
    from follow_ups
    group by reporting_date, channel

),

final as (

    select
        reporting_date,
        channel,
        context_carrying_follow_ups,
        channel_switch_follow_ups,
        {{ ccm_safe_divide('context_carrying_follow_ups', 'channel_switch_follow_ups') }}
            as channel_integration_rate
    from channel_days

)

select * from final
