{#- A rate whose denominator is empty is unknown, not 0 and not an error: every published rate
    divides through this macro so that all marts agree on that. The numerator is cast to double
    so that integer counts never truncate. Both arguments are SQL expressions. -#}
{% macro ccm_safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(({{ numerator }}) as double) / ({{ denominator }})
    end
{%- endmacro %}
