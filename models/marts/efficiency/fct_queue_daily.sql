{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='reporting_date',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'reporting_date'},
        pre_hook="{{ ccm_incremental_clear_days(
            'reporting_date',
            extra_days=ccm_fcr_longest_window_days() + 1,
            where='offered > 0',
            also_from=ccm_queue_days_changed_from()
        ) }}"
    )
}}

{# Re-processes the same whole days as int_queue_intervals_aggregated (the same cutoff), so
    incremental and full-refresh results are identical. #}
{%- set longest_window_days = ccm_fcr_longest_window_days() -%}
{%- set measures = ccm_queue_additive_measures() -%}

with

intervals as (

    select
        reporting_date,
        channel,
        queue_id,
        {{ measures | join(',\n        ') }}
    from {{ ref('int_queue_intervals_aggregated') }}
    {% if is_incremental() %}
        where reporting_date >= cast({{ ccm_incremental_cutoff(
            'reporting_date',
            extra_days=longest_window_days + 1,
            where='offered > 0',
            also_from=ccm_queue_days_changed_from()
        ) }} as date)
    {% endif %}

),

days as (

    select
        reporting_date,
        channel,
        queue_id,
        {{ ccm_sum_columns(measures) }}
    from intervals
    group by reporting_date, channel, queue_id

),

final as (

    select
        reporting_date,
        channel,
        queue_id,
        {{ ccm_queue_metric_columns() }}
    from days

)

select * from final
