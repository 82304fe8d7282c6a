{#- Which systems delivered the canonical records of each reporting day: the landing contract
    and the native formats enabled by var source_systems (docs/sources.md). Contacts count on
    the day they started, agent states and bot sessions on the day they began, in the
    reporting time zone. -#}
{%- set canonical_models = [
    ('contacts', 'stg_acd__contacts'),
    ('agent_states', 'stg_acd__agent_states'),
    ('bot_sessions', 'stg_bot__sessions'),
] -%}
with

records_by_system as (

    {% for source_name, model in canonical_models -%}
        select
            '{{ source_name }}' as source_name,
            source_system,
            {{ ccm_reporting_date('started_at') }} as reporting_date
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        cast(reporting_date as date) as reporting_date,
        cast(source_name as string) as source_name,
        cast(source_system as string) as source_system,
        cast(count(*) as bigint) as row_count
    from records_by_system
    group by reporting_date, source_name, source_system

)

select
    reporting_date,
    source_name,
    source_system,
    row_count
from final
