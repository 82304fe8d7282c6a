{#- How the models that re-process only changed days are materialized. DuckDB: incremental,
    delete+insert on their key, with the hooks of ccm_incremental_cutoff.sql. Spark: a table
    rebuilt on every run. Spark's own tables (Parquet, no Delta) accept neither DELETE nor MERGE,
    so neither the delete+insert nor the hooks that remove vanished rows can run there, and the
    Delta Lake jars are fetched from Maven when a session starts, which the local target may not
    do. A cluster with Delta can switch to merge (docs/engines.md). -#}
{% macro ccm_incremental_materialization() -%}
    {{ return(adapter.dispatch('ccm_incremental_materialization', 'ccmetrics')()) }}
{%- endmacro %}

{% macro default__ccm_incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__ccm_incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
