{#- Every additive column of the daily mart equals the sum of the interval mart over the
    reporting day, row for row (a missing row on either side fails too). -#}
{%- set measures = ccm_queue_additive_measures() -%}

with

daily as (

    select
        reporting_date,
        channel,
        queue_id,
        {{ measures | join(',\n        ') }}
    from {{ ref('fct_queue_daily') }}

),

intervals_summed as (

    select
        reporting_date,
        channel,
        queue_id,
        {{ ccm_sum_columns(measures) }}
    from {{ ref('fct_queue_intervals') }}
    group by reporting_date, channel, queue_id

),

differences as (

    select
        coalesce(daily.reporting_date, intervals_summed.reporting_date) as reporting_date,
        coalesce(daily.channel, intervals_summed.channel) as channel,
        coalesce(daily.queue_id, intervals_summed.queue_id) as queue_id
    from daily
    full outer join intervals_summed
        on
            daily.reporting_date = intervals_summed.reporting_date
            and daily.channel = intervals_summed.channel
            and daily.queue_id = intervals_summed.queue_id
    where
        daily.reporting_date is null
        or intervals_summed.reporting_date is null
        {% for measure in measures -%}
            or abs(daily.{{ measure }} - intervals_summed.{{ measure }}) > 1e-6
        {% endfor %}

)

select * from differences
