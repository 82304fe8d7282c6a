{#- CSAT is top-2-box (METRICS.md): a rating of 4 or 5 on the 1-5 scale is satisfied. Null
    when the response has no rating. -#}
{% macro ccm_is_csat_satisfied(csat_score) -%}
    ({{ csat_score }} >= 4)
{%- endmacro %}
