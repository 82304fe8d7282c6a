{#- A published rate must be its numerator over its denominator, lie in [0, 1], have a
    numerator no larger than its denominator, and be null exactly when the denominator is
    zero or null (an empty denominator is unknown, not 0). -#}
{% test rate_of(model, column_name, numerator, denominator) %}

with

violations as (

    select
        {{ column_name }} as rate,
        {{ numerator }} as numerator,
        {{ denominator }} as denominator
    from {{ model }}
    where
        ({{ column_name }} is not null and ({{ column_name }} < 0 or {{ column_name }} > 1))
        or {{ numerator }} > {{ denominator }}
        or {{ numerator }} < 0
        or (coalesce({{ denominator }}, 0) = 0 and {{ column_name }} is not null)
        or ({{ denominator }} > 0 and {{ column_name }} is null)
        or (
            {{ denominator }} > 0
            and abs({{ column_name }} - {{ numerator }} * 1.0 / {{ denominator }}) > 1e-9
        )

)

select * from violations

{% endtest %}
