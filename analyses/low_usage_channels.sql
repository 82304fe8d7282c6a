{#- Low-usage channels: which channels carry so little of the volume that they deserve a
    review (consolidate, promote or retire)?

    How to use: dbt compile --select low_usage_channels and run the compiled SQL; change the
    threshold with --vars '{low_usage_channel_share: 0.10}'. One row per month and channel
    with its interactions (contact chains by first channel, and bot sessions that did not
    hand off), its share of the month and whether it is under var low_usage_channel_share.
    A channel flagged month after month is a candidate; one flagged once is noise. -#}
with

interactions as (

    select
        channel,
        cast({{ dbt.date_trunc('month', ccm_reporting_date('started_at')) }} as date)
            as reporting_month
    from {{ ref('int_customer_interactions_unioned') }}

),

channel_months as (

    select
        reporting_month,
        channel,
        count(*) as interactions
    from interactions
    group by reporting_month, channel

),

month_totals as (

    select
        reporting_month,
        sum(interactions) as month_interactions
    from channel_months
    group by reporting_month

),

channel_shares as (

    select
        channel_months.reporting_month,
        channel_months.channel,
        channel_months.interactions,
        month_totals.month_interactions,
        {{ ccm_safe_divide('channel_months.interactions', 'month_totals.month_interactions') }}
            as channel_share
    from channel_months
    inner join month_totals
        on channel_months.reporting_month = month_totals.reporting_month

)

select
    reporting_month,
    channel,
    interactions,
    month_interactions,
    channel_share,
    channel_share < {{ var('low_usage_channel_share') }} as is_low_usage
from channel_shares
order by reporting_month, channel_share
