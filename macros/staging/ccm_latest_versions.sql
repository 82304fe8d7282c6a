{#- A source can deliver the same record more than once (a re-sent day, a corrected record):
    staging keeps one row per key, the latest version. order_by lists the columns that say which
    version is later, most significant first, all descending: a source that versions its records
    puts record_updated_at first; the load's own _loaded_at then _source_row break the ties, so
    the choice never depends on the order rows are read in. -#}
{% macro ccm_latest_versions(relation, key, order_by) -%}
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
    ) as versions_ranked
    where version_rank = 1
{%- endmacro %}
