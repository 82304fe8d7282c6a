{#- The primary key of a mart is often a combination (date, channel, queue); dbt's built-in
    unique test takes one column and the project installs no packages from the dbt hub. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

key_counts as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

)

select * from key_counts
where row_count > 1

{% endtest %}
