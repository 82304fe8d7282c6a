{#- AHT of AI-assisted vs unassisted agent-handled segments within one reporting date, channel
    and contact reason, so that the comparison is never between an easy reason and a hard one.
    Handle metrics count for the day handling ended. The delta is null when either side has
    no handled segment: there is nothing to compare against. -#}
with

handled_segments as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        channel,
        contact_reason,
        ai_assisted,
        handle_seconds
    from {{ ref('int_contacts_chained') }}
    where connected_at is not null

),

cells as (

    select
        reporting_date,
        channel,
        contact_reason,
        count(case when ai_assisted then 1 end) as assisted_handled,
        coalesce(sum(case when ai_assisted then handle_seconds end), 0)
            as assisted_handle_seconds,
        count(case when not ai_assisted then 1 end) as unassisted_handled,
        coalesce(sum(case when not ai_assisted then handle_seconds end), 0)
            as unassisted_handle_seconds
    from handled_segments
    group by reporting_date, channel, contact_reason

),

cells_aht as (

    select
        reporting_date,
        channel,
        contact_reason,
        assisted_handled,
        assisted_handle_seconds,
        {{ ccm_safe_divide('assisted_handle_seconds', 'assisted_handled') }}
            as assisted_aht_seconds,
        unassisted_handled,
        unassisted_handle_seconds,
        {{ ccm_safe_divide('unassisted_handle_seconds', 'unassisted_handled') }}
            as unassisted_aht_seconds
    from cells

),

final as (

    select
        reporting_date,
        channel,
        contact_reason,
        assisted_handled,
        assisted_handle_seconds,
        assisted_aht_seconds,
        unassisted_handled,
        unassisted_handle_seconds,
        unassisted_aht_seconds,
        assisted_aht_seconds - unassisted_aht_seconds as aht_delta_seconds
    from cells_aht

)

select * from final
