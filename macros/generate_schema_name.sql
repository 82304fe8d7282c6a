{#- A custom schema is used as it is (raw, staging, marts) instead of being prefixed with the
    target schema, so that raw tables loaded by `ccmetrics load` and the ci fixtures land in
    the same place and BI tools see stable schema names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
