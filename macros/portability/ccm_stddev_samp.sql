{#- Sample standard deviation that gives the same double whatever order the rows arrive in.
    A streaming standard deviation depends on the input order in its last bits, and DuckDB
    hands rows over in no fixed order (preserve_insertion_order is off, threads combine
    partial states), so control limits drawn from it changed from run to run. DuckDB sorts
    an aggregate's input when asked; Spark's stddev_samp takes no ordering. -#}
{% macro ccm_stddev_samp(column_name) -%}
    {{ return(adapter.dispatch('ccm_stddev_samp', 'ccmetrics')(column_name)) }}
{%- endmacro %}

{% macro default__ccm_stddev_samp(column_name) -%}
    stddev_samp({{ column_name }})
{%- endmacro %}

{% macro duckdb__ccm_stddev_samp(column_name) -%}
    stddev_samp({{ column_name }} order by {{ column_name }})
{%- endmacro %}
