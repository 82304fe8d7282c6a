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

{#- A select of every row of `cte` (a landing staging model's read of `source_relation`) with
    the ccm_hash_pii of each column of `columns` as <column>_hash. Each distinct value is hashed
    once and joined back: a customer calls many times from one number, and at 10 M contacts the
    9 M phone numbers and e-mail addresses hold 2.7 M distinct values. The values are read from
    the source again, not from `cte`: DuckDB materializes a CTE read more than once, and
    writing every column of 10 M contacts cost more than the hashes saved. A staging model
    joins the hashes before choosing the latest version: joined after it, the window's result
    was spilled to disk to build the joins. An incremental run (ccm_staging_is_scoped)
    re-stages a day's keys: it hashes each row in place, reading the filter once, since the
    lookup's two more reads of it cost about a second at 10 M contacts and its few rows save
    nothing. -#}
{% macro ccm_pii_hashes_joined(cte, source_relation, columns) -%}
    {%- if ccm_staging_is_scoped() %}
    select
        {{ cte }}.*,
        {%- for column in columns %}
        {{ ccm_hash_pii(cte ~ '.' ~ column) }} as {{ column }}_hash{{ "," if not loop.last }}
        {%- endfor %}
    from {{ cte }}
    {%- else %}
    select
        {{ cte }}.*,
        {%- for column in columns %}
        {{ column }}_hashes.pii_hash as {{ column }}_hash{{ "," if not loop.last }}
        {%- endfor %}
    from {{ cte }}
    {%- for column in columns %}
    left join (
        select
            distinct_values.pii_value,
            {{ ccm_hash_pii('distinct_values.pii_value') }} as pii_hash
        from (
            select distinct {{ column }} as pii_value
            from {{ source_relation }}
        ) as distinct_values
    ) as {{ column }}_hashes
        on {{ cte }}.{{ column }} = {{ column }}_hashes.pii_value
    {%- endfor %}
    {%- endif %}
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
