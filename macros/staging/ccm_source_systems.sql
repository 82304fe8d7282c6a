{#- The systems that can deliver each canonical staging entity: `landing` is the landing
    contract (`<landing>/contacts/`, ...), the others are native formats staged by
    models/staging/<system>/ into the canonical columns. -#}
{% macro ccm_systems_delivering() -%}
    {{- return({
        'contacts': ['landing', 'asterisk', 'connect'],
        'agent_states': ['landing', 'asterisk'],
        'bot_sessions': ['landing', 'rasa'],
    }) -}}
{%- endmacro %}

{#- The enabled systems (var source_systems: a list, or a YAML list as text) that deliver
    `entity`, in the var's order. An unknown system name stops the build: a typo must not
    silently drop a center's contacts. -#}
{% macro ccm_enabled_systems(entity) -%}
    {%- set delivering = ccm_systems_delivering() -%}
    {%- set known = [] -%}
    {%- for systems in delivering.values() -%}
        {%- for system in systems if system not in known -%}
            {%- do known.append(system) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set configured = var('source_systems') -%}
    {#- A list written as text (an environment variable, sqlfluff's context) is read as YAML. -#}
    {%- if configured is string -%}
        {%- set configured = fromyaml(configured) -%}
    {%- endif -%}
    {%- if configured is string or configured is mapping or configured is not iterable -%}
        {{- exceptions.raise_compiler_error(
            "var source_systems must be a list of systems (" ~ known | join(', ')
            ~ "), got " ~ configured
        ) -}}
    {%- endif -%}
    {%- for system in configured -%}
        {%- if system not in known -%}
            {{- exceptions.raise_compiler_error(
                "var source_systems: unknown system '" ~ system ~ "'; known systems: "
                ~ known | join(', ')
            ) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set enabled = [] -%}
    {%- for system in configured -%}
        {%- if system in delivering[entity] and system not in enabled -%}
            {%- do enabled.append(system) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(enabled) -}}
{%- endmacro %}

{#- The canonical rows of `entity`: the landing contract's (the CTE `landing_cte`, kept only
    when `landing` is enabled) and those of every enabled native system (its staging model
    stg_<system>__<entity>), with the same `columns` and a column source_system naming the
    system each row came from. The `landing_dates` among the columns (a landing file's day, such
    as batch_date) are null in a native system's rows. -#}
{% macro ccm_union_systems(entity, landing_cte, columns, landing_dates=[]) -%}
    {%- set enabled = ccm_enabled_systems(entity) -%}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        'landing' as source_system
    from {{ landing_cte }}
    {%- if 'landing' not in enabled %}
    where 1 = 0
    {%- endif %}
    {%- for system in enabled if system != 'landing' %}
    union all
    select
        {%- for column in columns %}
        {%- if column in landing_dates %}
        cast(null as date) as {{ column }},
        {%- else %}
        {{ column }},
        {%- endif %}
        {%- endfor %}
        '{{ system }}' as source_system
    from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
    {%- endfor %}
{%- endmacro %}
