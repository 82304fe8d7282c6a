{#- Median of a numeric column, interpolated between the two middle values when the count is
    even (DuckDB quantile_cont and Spark percentile agree on that). Every engine spells it
    differently, and a median of response times is far more telling than their mean. -#}
{% macro ccm_median(column_name) -%}
    {{ return(adapter.dispatch('ccm_median', 'ccmetrics')(column_name)) }}
{%- endmacro %}

{% macro default__ccm_median(column_name) -%}
    percentile({{ column_name }}, 0.5)
{%- endmacro %}

{% macro duckdb__ccm_median(column_name) -%}
    quantile_cont({{ column_name }}, 0.5)
{%- endmacro %}
