{#- The integers 0 .. 10^digits - 1 as column `n`, built from a cross join of digits so that it
    runs on every engine without generate_series or list functions. Used as a spine (e.g. the
    intervals a long agent state spans). -#}
{% macro ccm_integers(digits=6) -%}
    select
        {% for position in range(digits) -%}
            digits_{{ position }}.digit * {{ 10 ** position }}{{ " +" if not loop.last }}
        {% endfor -%}
        as n
    {% for position in range(digits) -%}
        {{ "from" if loop.first else "cross join" }} (
            {% for digit in range(10) -%}
                select {{ digit }} as digit{{ " union all" if not loop.last }}
            {% endfor -%}
        ) as digits_{{ position }}
    {% endfor %}
{%- endmacro %}
