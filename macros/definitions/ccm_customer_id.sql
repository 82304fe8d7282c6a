{#- The customer of a contact or bot session, or null when the caller was not identified. Real
    call logs write unidentified callers as a sentinel (often '0'); read as an id, it becomes
    one customer with thousands of contacts who seems to call back all day, and FCR collapses.
    A null or blank id, or one of var unknown_customer_ids (compared trimmed and lower-cased),
    is "not identified"; any other value is kept as delivered. -#}
{% macro ccm_customer_id(column) -%}
    {%- set sentinels = [''] -%}
    {%- for value in var('unknown_customer_ids', []) -%}
        {%- do sentinels.append(value | string | trim | lower | replace("'", "''")) -%}
    {%- endfor -%}
    case
        when lower(trim(cast({{ column }} as string))) in (
            '{{ sentinels | unique | join("', '") }}'
        ) then null
        else cast({{ column }} as string)
    end
{%- endmacro %}
