{#- Spread (max - min) across channels of CSAT and of FCR on the same day. A spread needs two
    channels with a value; with fewer it is unknown (null), not 0. -#}
with

channel_csat as (

    select
        reporting_date,
        channel,
        csat
    from {{ ref('fct_satisfaction_daily') }}
    where csat is not null

),

channel_fcr as (

    select
        reporting_date,
        channel,
        {{ ccm_safe_divide('fcr_resolved', 'fcr_eligible') }} as fcr_rate
    from {{ ref('int_fcr_channel_days_aggregated') }}
    where fcr_eligible > 0

),

csat_days as (

    select
        reporting_date,
        count(*) as channels_with_csat,
        min(csat) as csat_min,
        max(csat) as csat_max
    from channel_csat
    group by reporting_date

),

fcr_days as (

    select
        reporting_date,
        count(*) as channels_with_fcr,
        min(fcr_rate) as fcr_min,
        max(fcr_rate) as fcr_max
    from channel_fcr
    group by reporting_date

),

report_days as (

    select reporting_date from csat_days
    union
    select reporting_date from fcr_days

),

final as (

    select
        report_days.reporting_date,
        coalesce(csat_days.channels_with_csat, 0) as channels_with_csat,
        csat_days.csat_min,
        csat_days.csat_max,
        case
            when csat_days.channels_with_csat >= 2 then csat_days.csat_max - csat_days.csat_min
        end as csat_spread,
        coalesce(fcr_days.channels_with_fcr, 0) as channels_with_fcr,
        fcr_days.fcr_min,
        fcr_days.fcr_max,
        case
            when fcr_days.channels_with_fcr >= 2 then fcr_days.fcr_max - fcr_days.fcr_min
        end as fcr_spread
    from report_days
    left join csat_days
        on report_days.reporting_date = csat_days.reporting_date
    left join fcr_days
        on report_days.reporting_date = fcr_days.reporting_date

)

select * from final
