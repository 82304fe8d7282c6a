{#- The center-wide response rate is re-aggregated from the channel counts, never averaged
    over the channel rates, so that a quiet channel weighs as little as it should. -#}
with

channel_days as (

    select
        reporting_date,
        channel,
        inbound_contacts,
        responded_contacts,
        responded_within_target
    from {{ ref('fct_response_daily') }}

),

center_days as (

    select
        reporting_date,
        count(*) as channels_with_contacts,
        cast(sum(inbound_contacts) as bigint) as inbound_contacts,
        cast(sum(responded_contacts) as bigint) as responded_contacts,
        cast(sum(responded_within_target) as bigint) as responded_within_target
    from channel_days
    group by reporting_date

),

final as (

    select
        reporting_date,
        channels_with_contacts,
        inbound_contacts,
        responded_contacts,
        {{ ccm_safe_divide('responded_contacts', 'inbound_contacts') }}
            as omnichannel_response_rate,
        responded_within_target,
        {{ ccm_safe_divide('responded_within_target', 'inbound_contacts') }}
            as response_within_target_rate
    from center_days

)

select * from final
