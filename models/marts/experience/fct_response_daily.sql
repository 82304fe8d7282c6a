with

inbound_contacts as (

    select
        reporting_date,
        channel,
        first_response_seconds,
        response_target_seconds,
        is_responded,
        is_responded_within_target
    from {{ ref('int_inbound_contacts_response_timed') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        max(response_target_seconds) as response_target_seconds,
        count(*) as inbound_contacts,
        count(case when is_responded then 1 end) as responded_contacts,
        count(case when is_responded_within_target then 1 end) as responded_within_target,
        sum(first_response_seconds) as first_response_seconds_sum,
        {{ ccm_median('first_response_seconds') }} as first_response_seconds_median
    from inbound_contacts
    group by reporting_date, channel

),

final as (

    select
        reporting_date,
        channel,
        inbound_contacts,
        responded_contacts,
        {{ ccm_safe_divide('responded_contacts', 'inbound_contacts') }} as response_rate,
        response_target_seconds,
        responded_within_target,
        {{ ccm_safe_divide('responded_within_target', 'inbound_contacts') }}
            as response_within_target_rate,
        first_response_seconds_sum,
        {{ ccm_safe_divide('first_response_seconds_sum', 'responded_contacts') }}
            as first_response_seconds_mean,
        first_response_seconds_median
    from channel_days

)

select * from final
