{#- One row per documented parameter (every var of dbt_project.yml) with the value this build
    used and the project's default, both as JSON text, so that a reader of the marts can tell
    which definitions produced them (an FCR window of 24 h instead of 2 h, another time zone).
    Values are compared as values (2 and 2.0 are the same window), not as text. One more row,
    fcr_windows, holds the fixed FCR windows every queue mart publishes besides the default
    one (macro ccm_fcr_windows: column suffix -> hours), so that readers label fcr_rate_7d
    from the build rather than from a constant of their own. -#}
{%- set defaults = ccm_documented_vars() -%}
{%- set fixed_windows = {} -%}
{%- for suffix, hours in ccm_fcr_windows() if suffix != 'default' -%}
    {%- do fixed_windows.update({suffix: hours}) -%}
{%- endfor -%}
with

parameters as (

    {% for name in defaults | sort -%}
        {%- set value = var(name) -%}
        select
            '{{ name }}' as parameter_name,
            '{{ tojson(value, sort_keys=true) | replace("'", "''") }}' as parameter_value,
            '{{ tojson(defaults[name], sort_keys=true) | replace("'", "''") }}' as default_value,
            {{ 'true' if value == defaults[name] else 'false' }} as is_default
        union all
    {% endfor %}
    select
        'fcr_windows' as parameter_name,
        '{{ tojson(fixed_windows, sort_keys=true) }}' as parameter_value,
        '{{ tojson(fixed_windows, sort_keys=true) }}' as default_value,
        true as is_default

),

final as (

    select
        cast(parameter_name as string) as parameter_name,
        cast(parameter_value as string) as parameter_value,
        cast(default_value as string) as default_value,
        cast(is_default as boolean) as is_default
    from parameters

)

select * from final
