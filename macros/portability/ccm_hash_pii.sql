{#- Replaces a customer identifier (phone number, e-mail address) with a keyed hash (hex
    HMAC-SHA-256 of the value trimmed and lower-cased) so that contacts can still be matched
    per person while the raw value never reaches a mart. Only the function call is rendered:
    the key is read at run time by the function (python/ccmetrics/pii_key.py, registered on
    every dbt connection by the plugin in profiles/profiles.yml), so it never appears in
    compiled SQL, dbt's artefacts and logs, or the view definitions in the warehouse. Another
    engine needs the same function registered under the same name (docs/security.md). -#}
{% macro ccm_hash_pii(column_name) -%}
    {{ return(adapter.dispatch('ccm_hash_pii', 'ccmetrics')(column_name)) }}
{%- endmacro %}

{% macro default__ccm_hash_pii(column_name) -%}
    ccm_pii_hash({{ column_name }})
{%- endmacro %}

{#- How a staging model that calls ccm_hash_pii is materialized. DuckDB: a view, like all
    staging. Spark: a table, because the local session registers ccm_pii_hash as a temporary
    function (ccmetrics.spark_session) and Spark refuses a stored view that calls one; a
    table is computed once, with the key in the session only. -#}
{% macro ccm_pii_staging_materialization() -%}
    {{ return(adapter.dispatch('ccm_pii_staging_materialization', 'ccmetrics')()) }}
{%- endmacro %}

{% macro default__ccm_pii_staging_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__ccm_pii_staging_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
