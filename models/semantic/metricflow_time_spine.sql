{#- MetricFlow joins every metric to this calendar to fill gaps and to roll days up to weeks,
    months and quarters. dbt.date_spine is dispatched per adapter, so the same model builds on
    DuckDB and Spark. The range covers the demo data and any center history from 2020 on. -#}
with

calendar_days as (

    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('2020-01-01' as date)",
        end_date="cast('2031-01-01' as date)"
    ) }}

)

select cast(date_day as date) as date_day
from calendar_days
