{%- set measures = ccm_queue_additive_measures() -%}

with

intervals as (

    select
        interval_start,
        reporting_date,
        channel,
        queue_id,
        {{ measures | join(',\n        ') }}
    from {{ ref('int_queue_intervals_aggregated') }}

),

final as (

    select
        interval_start,
        reporting_date,
        channel,
        queue_id,
        {{ ccm_queue_metric_columns() }}
    from intervals

)

select * from final
