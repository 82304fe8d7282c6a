{#- True when a source has rows. Only contacts are required: a center may deliver no agents,
    schedules, agent states or cost lines (the loader then leaves their raw tables empty). A
    metric that needs such a source is null ("not available") instead of a 0 that would read
    as a measured value (0 % occupancy, a labor cost of 0). Renders a boolean SQL expression;
    `relation` is a ref() or source(). -#}
{% macro ccm_is_delivered(relation) -%}
    ((select count(*) from {{ relation }}) > 0)
{%- endmacro %}
