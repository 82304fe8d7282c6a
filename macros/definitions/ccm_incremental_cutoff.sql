{#- The first day an incremental run re-processes: var incremental_lookback_days (plus
    extra_days) before the latest day already in the model (optionally only over the rows
    matching `where`). Everything from that day on is recomputed and replaces what is there
    (delete+insert), so late rows and repeat contacts inside the lookback come out exactly as
    in a full refresh. Renders a scalar subquery returning a timestamp at midnight. -#}
{% macro ccm_incremental_cutoff(column_name, extra_days=0, where=none) -%}
    (
        select
            {{ dbt.dateadd(
                'day',
                -(var('incremental_lookback_days') | int + extra_days | int),
                'cast(cast(max(' ~ column_name ~ ') as date) as timestamp)'
            ) }}
        from {{ this }}
        {%- if where %}
            where {{ where }}
        {%- endif %}
    )
{%- endmacro %}
