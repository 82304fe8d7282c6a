-- The FCR component of the CXI must be the generation-1 FCR: the same handled chains,
-- attributed to the same day and channel. fct_queue_daily splits them further by queue, so
-- its sums per day and channel must equal the CXI counts (days and channels without an
-- FCR-eligible chain have no FCR component in the CXI).
with

queue_fcr as (

    select
        reporting_date,
        channel,
        sum(fcr_resolved_default) as fcr_resolved,
        sum(fcr_eligible_default) as fcr_eligible
    from {{ ref('fct_queue_daily') }}
    group by reporting_date, channel

),

queue_fcr_present as (

    select
        reporting_date,
        channel,
        fcr_resolved,
        fcr_eligible
    from queue_fcr
    where fcr_eligible > 0

),

cxi_fcr_present as (

    select
        reporting_date,
        channel,
        fcr_numerator,
        fcr_denominator
    from {{ ref('fct_cxi_daily') }}
    where fcr_denominator > 0

),

mismatches as (

    select
        coalesce(queue_fcr_present.reporting_date, cxi_fcr_present.reporting_date)
            as reporting_date,
        coalesce(queue_fcr_present.channel, cxi_fcr_present.channel) as channel,
        queue_fcr_present.fcr_resolved,
        queue_fcr_present.fcr_eligible,
        cxi_fcr_present.fcr_numerator,
        cxi_fcr_present.fcr_denominator
    from queue_fcr_present
    full outer join cxi_fcr_present
        on
            queue_fcr_present.reporting_date = cxi_fcr_present.reporting_date
            and queue_fcr_present.channel = cxi_fcr_present.channel
    where
        queue_fcr_present.reporting_date is null
        or cxi_fcr_present.reporting_date is null
        or queue_fcr_present.fcr_resolved <> cxi_fcr_present.fcr_numerator
        or queue_fcr_present.fcr_eligible <> cxi_fcr_present.fcr_denominator

)

select * from mismatches
