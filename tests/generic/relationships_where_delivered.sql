{#- dbt's relationships test, applied only once the referenced source has been delivered (has
    rows): master data is optional, so a center that sends contacts but no customers or agents
    file must still build, while a delivered file must hold every id the contacts use. Null
    ids (an unidentified caller, an unanswered contact) are not references. -#}
{% test relationships_where_delivered(model, column_name, to, field) %}

with

children as (

    select {{ column_name }} as reference_id
    from {{ model }}
    where {{ column_name }} is not null

),

parents as (

    select {{ field }} as reference_id
    from {{ to }}

),

orphans as (

    select children.reference_id
    from children
    left join parents
        on children.reference_id = parents.reference_id
    where parents.reference_id is null

)

select orphans.reference_id
from orphans
where {{ ccm_is_delivered(to) }}

{% endtest %}
