{#- A source can deliver the same record more than once (a re-sent day, a corrected record):
    staging keeps one row per key, the latest version. order_by lists the columns that say which
    version is later, most significant first, all descending: a source that versions its records
    puts record_updated_at first; the load's own _loaded_at then _source_row break the ties, so
    the choice never depends on the order rows are read in.
    A full build takes the one row of each key delivered once (98 % of the contact ids of 10 M
    generated contacts) as it is and ranks only the keys with several versions: ranking every
    row sorted all their columns, most of staging's time at that size. It reads `relation`
    three times, so a model defines it with ccm_cte_not_materialized; `versions_from`, when
    given, is a narrower relation with the same rows' keys (the raw read before PII is hashed)
    to count versions in. An incremental run ranks the few rows of the changed keys, reading
    their filter once. Keys are never null: the quality guard rejects a row without one. -#}
{% macro ccm_latest_versions(relation, key, order_by, versions_from=none) -%}
    {#- is_incremental() fails in the unit tests of a table model (a native system's
        staging): they have no `this`. -#}
    {%- if config.get('materialized') == 'incremental' and is_incremental() -%}
        {{ ccm_versions_ranked(relation, key, order_by, 'true') }}
    {%- else -%}
    {%- set keys_with_versions = ccm_keys_with_versions(versions_from or relation, key) -%}
    select
        *,
        1 as version_rank
    from {{ relation }}
    where {{ key }} not in ({{ keys_with_versions }})

    union all

    {{ ccm_versions_ranked(relation, key, order_by, key ~ ' in (' ~ keys_with_versions ~ ')') }}
    {%- endif -%}
{%- endmacro %}

{#- A select of the latest version of each key of `relation` whose rows meet `condition`. -#}
{% macro ccm_versions_ranked(relation, key, order_by, condition) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}
                order by
                    {%- for column in order_by %}
                    {{ column }} desc{{ "," if not loop.last }}
                    {%- endfor %}
            ) as version_rank
        from {{ relation }}
        where {{ condition }}
    ) as versions_ranked
    where version_rank = 1
{%- endmacro %}

{#- A select of the keys that `relation` holds more than one row of. -#}
{% macro ccm_keys_with_versions(relation, key) -%}
    select {{ key }}
    from {{ relation }}
    group by {{ key }}
    having count(*) > 1
{%- endmacro %}
