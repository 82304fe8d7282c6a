{#- `0 as <measure>,` for every measure of `measures` not in `kept`: an event relation that
    feeds some of the additive measures fills the others with 0, so that every event relation
    has the same columns and they can be unioned. Each rendered column ends with a comma. -#}
{% macro ccm_zero_measures(measures, kept) -%}
    {%- for measure in measures if measure not in kept %}
        0 as {{ measure }},
    {%- endfor %}
{%- endmacro %}
