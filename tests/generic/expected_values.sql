{#- Declared on an expected-value seed (seeds/expected/): every row of it that applies under
    the current vars is compared with the built model it names; one result row per expected
    value that is missing (no row with its key), duplicated (more than one), or off (more than
    1e-9 relative, below an expected magnitude of 1: absolute). `models` lists the models the
    seed names, so that dbt builds them first; `answered_when` maps each var the hand-worked
    values depend on to the values they are worked out for: under any other value the test is
    disabled. docs/testing.md describes the seed's columns. -#}
{% test expected_values(model, models, answered_when={}) %}
{{ config(enabled=target.name == 'ci' and ccm_expected_vars_answered(answered_when)) }}
{%- set relations = {} -%}
{%- for model_name in models -%}
    {%- do relations.update({model_name: ref(model_name)}) -%}
{%- endfor -%}
{%- set checks = {} -%}
{%- if execute -%}
    {%- set table = run_query(
        'select model_name, row_key, column_name, expected_value, when_vars from ' ~ model
    ) -%}
    {%- set checks = ccm_expected_rows_applying(table) -%}
{%- endif -%}
{#- the model columns each key columns tuple is read for, and how each is compared -#}
{%- set reads = {} -%}
{%- for check, row in checks.items() -%}
    {%- if check[0] not in relations -%}
        {{ exceptions.raise_compiler_error(
            "expected values: " ~ model ~ " names model " ~ check[0]
            ~ ", which is not in the test's models " ~ models | join(', ')
        ) }}
    {%- endif -%}
    {%- set group = (check[0], ccm_expected_key_columns(check[1]) | join(';')) -%}
    {%- do reads.setdefault(group, {}).setdefault(check[2], []).append(
        ccm_expected_kind(row['expected_value'])
    ) -%}
{%- endfor %}

with

expected as (

    {% for check, row in checks.items() -%}
        {%- set kind = ccm_expected_kind(row['expected_value']) -%}
        select
            '{{ check[0] }}' as model_name,
            '{{ check[1] | replace("'", "''") }}' as row_key,
            '{{ check[2] }}' as column_name,
            '{{ row["expected_value"] | replace("'", "''") }}' as expected_value,
            '{{ kind }}' as value_kind,
            {% if kind == 'number' -%}
                {{ ccm_expected_number_sql(row['expected_value']) }}
            {%- else -%}
                cast(null as double)
            {%- endif %} as expected_number
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as model_name,
            cast(null as {{ dbt.type_string() }}) as row_key,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as {{ dbt.type_string() }}) as expected_value,
            cast(null as {{ dbt.type_string() }}) as value_kind,
            cast(null as double) as expected_number
        where 1 = 0
    {%- endfor %}

),

actual as (

    {% for group, columns in reads.items() -%}
        {%- set key_columns = group[1].split(';') if group[1] else [] -%}
        {%- set outer_loop = loop -%}
        {%- for column_name, kinds in columns.items() -%}
            {%- set aggregate = modules.re.fullmatch(
                'count\\(\\*\\)|(count|sum|min|max)\\((distinct )?\\w+\\)', column_name
            ) %}
            select
                '{{ group[0] }}' as model_name,
                {{ ccm_expected_key_sql(key_columns) }} as row_key,
                '{{ column_name }}' as column_name,
                {% if aggregate -%}
                    1 as matching_rows,
                    lower(cast({{ column_name }} as {{ dbt.type_string() }})) as actual_value,
                    {% if 'number' in kinds -%}
                        cast({{ column_name }} as double)
                    {%- else -%}
                        cast(null as double)
                    {%- endif %} as actual_number
                {%- else -%}
                    count(*) as matching_rows,
                    lower(max(cast({{ column_name }} as {{ dbt.type_string() }}))) as actual_value,
                    {% if 'number' in kinds -%}
                        max(cast({{ column_name }} as double))
                    {%- else -%}
                        cast(null as double)
                    {%- endif %} as actual_number
                {%- endif %}
            from {{ relations[group[0]] }}
            group by {{ ccm_expected_key_sql(key_columns) }}
            {% if not (outer_loop.last and loop.last) %}union all{% endif %}
        {%- endfor %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as model_name,
            cast(null as {{ dbt.type_string() }}) as row_key,
            cast(null as {{ dbt.type_string() }}) as column_name,
            0 as matching_rows,
            cast(null as {{ dbt.type_string() }}) as actual_value,
            cast(null as double) as actual_number
        where 1 = 0
    {%- endfor %}

),

compared as (

    select
        expected.model_name,
        expected.row_key,
        expected.column_name,
        expected.expected_value,
        actual.actual_value,
        case
            when actual.matching_rows is null and expected.column_name like 'count(%'
                then expected.expected_number != 0
            when actual.matching_rows is null then true
            when actual.matching_rows > 1 then true
            when expected.value_kind = 'null' then actual.actual_value is not null
            when expected.value_kind = 'not null' then actual.actual_value is null
            when expected.value_kind = 'number'
                then
                    actual.actual_number is null
                    or abs(actual.actual_number - expected.expected_number)
                    > 1e-9 * greatest(abs(expected.expected_number), 1.0)
            else coalesce(actual.actual_value != lower(expected.expected_value), true)
        end as is_failure,
        case
            when actual.matching_rows is null then 'no row'
            when actual.matching_rows > 1
                then {{ dbt.concat([
                    'cast(actual.matching_rows as ' ~ dbt.type_string() ~ ')', "' rows'"
                ]) }}
            else coalesce(actual.actual_value, 'null')
        end as actual_shown
    from expected
    left join actual
        on
            expected.model_name = actual.model_name
            and expected.row_key = actual.row_key
            and expected.column_name = actual.column_name

)

select
    model_name,
    row_key,
    column_name,
    expected_value,
    actual_value,
    {{ dbt.concat([
        'model_name', "' ['", 'row_key', "'] '", 'column_name', "': expected '''",
        'expected_value', "''', got '''", 'actual_shown', "''''"
    ]) }} as failure
from compared
where is_failure

{% endtest %}
