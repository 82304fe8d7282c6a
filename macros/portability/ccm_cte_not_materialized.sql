{#- Written between a CTE's `as` and its body: the CTE is computed where each reader reads
    it, not stored once. DuckDB stores a CTE read more than once; for a plain read of a table,
    storing every row and column costs more than scanning the table again. -#}
{% macro ccm_cte_not_materialized() -%}
    {{ return(adapter.dispatch('ccm_cte_not_materialized', 'ccmetrics')()) }}
{%- endmacro %}

{% macro default__ccm_cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{#- Spark has no such hint. -#}
{% macro spark__ccm_cte_not_materialized() -%}
{%- endmacro %}
