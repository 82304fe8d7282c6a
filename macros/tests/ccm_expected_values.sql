{#- Hand-worked expected values (seeds/expected/*.csv) against the built marts: the helpers of
    the generic test expected_values (tests/generic/expected_values.sql). docs/testing.md
    describes the seed format. -#}

{#- A var value or a value written in a seed or a test's answered_when, in one comparable
    form: booleans as true / false, numbers as floats (24 and 24.0 are the same window),
    mappings as sorted JSON, anything else trimmed and lower-cased (week_start Saturday). -#}
{% macro ccm_expected_normalize(value) -%}
    {%- if value is boolean -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {{ return((value | float) | string) }}
    {%- elif value is mapping -%}
        {{ return(tojson(value, sort_keys=true)) }}
    {%- endif -%}
    {%- set text = value | string | trim | lower -%}
    {%- if modules.re.fullmatch('[-+]?[0-9]+(\\.[0-9]*)?', text) -%}
        {{ return((text | float) | string) }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{#- Whether the current value of var `name` satisfies `operator` (=, >= or <=) against one of
    `accepted` (a list of values in any form ccm_expected_normalize takes). -#}
{% macro ccm_expected_var_accepts(name, operator, accepted) -%}
    {%- set current = var(name) -%}
    {%- set normalized = ccm_expected_normalize(current) -%}
    {%- for option in accepted -%}
        {%- if operator == '=' and normalized == ccm_expected_normalize(option) -%}
            {{ return(true) }}
        {%- elif operator == '>=' and (current | float) >= (option | float) -%}
            {{ return(true) }}
        {%- elif operator == '<=' and (current | float) <= (option | float) -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{#- Whether the current vars are among those a set of expected values has answers for: every
    var named in `answered_when` (a mapping var -> list of accepted values) has one of them. -#}
{% macro ccm_expected_vars_answered(answered_when) -%}
    {%- for name, accepted in (answered_when or {}).items() -%}
        {%- set options = accepted if accepted is iterable and accepted is not string
            and accepted is not mapping else [accepted] -%}
        {%- if not ccm_expected_var_accepts(name, '=', options) -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}

{#- The conditions of an expected row (`when_vars`: `var=value;var=value|value;var>=value`,
    empty for none): none if one does not hold, otherwise how many there are. -#}
{% macro ccm_expected_conditions_met(when_vars) -%}
    {%- set conditions = [] -%}
    {%- for condition in (when_vars or '').split(';') if condition | trim -%}
        {%- set parsed = modules.re.fullmatch('\\s*([a-z_]+)\\s*(>=|<=|=)(.*)', condition) -%}
        {%- if not parsed -%}
            {{ exceptions.raise_compiler_error(
                "expected values: cannot read the condition '" ~ condition ~ "' of when_vars '"
                ~ when_vars ~ "' (var=value, var=value|value, var>=value or var<=value)"
            ) }}
        {%- endif -%}
        {%- if not ccm_expected_var_accepts(
            parsed.group(1), parsed.group(2), parsed.group(3).split('|')
        ) -%}
            {{ return(none) }}
        {%- endif -%}
        {%- do conditions.append(condition) -%}
    {%- endfor -%}
    {{ return(conditions | length) }}
{%- endmacro %}

{#- The expected rows that apply under the current vars, one per (model, row_key,
    column_name): of the rows whose conditions all hold, the one with the most conditions; two
    such rows with as many conditions are an error in the seed. `table` is the seed as read by
    run_query (columns model_name, row_key, column_name, expected_value, when_vars). -#}
{% macro ccm_expected_rows_applying(table) -%}
    {%- set chosen = {} -%}
    {%- set specificity = {} -%}
    {%- for row in table.rows -%}
        {%- set met = ccm_expected_conditions_met(row['when_vars']) -%}
        {%- if met is not none -%}
            {%- set check = (row['model_name'], row['row_key'] or '', row['column_name']) -%}
            {%- if check in specificity and specificity[check] == met -%}
                {{ exceptions.raise_compiler_error(
                    "expected values: two rows of " ~ check | join(' / ')
                    ~ " apply with as many conditions (" ~ chosen[check]['when_vars'] ~ " and "
                    ~ row['when_vars'] ~ ")"
                ) }}
            {%- endif -%}
            {%- if check not in specificity or specificity[check] < met -%}
                {%- do specificity.update({check: met}) -%}
                {%- do chosen.update({check: row}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(chosen) }}
{%- endmacro %}

{#- How an expected value is compared: 'null' (the actual must be null), 'not null' (it must
    not be), 'number' (a decimal or a rational p/q, within 1e-9 relative), or 'text' (true,
    false and any other text, compared as the actual cast to text, lower-cased). -#}
{% macro ccm_expected_kind(expected_value) -%}
    {%- set text = (expected_value or '') | string | trim | lower -%}
    {%- if text in ('', 'null') -%}
        {{ return('null') }}
    {%- elif text == 'not null' -%}
        {{ return('not null') }}
    {%- elif modules.re.fullmatch(
        '[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?(/[0-9]+(\\.[0-9]*)?)?', text
    ) -%}
        {{ return('number') }}
    {%- endif -%}
    {{ return('text') }}
{%- endmacro %}

{#- The SQL double of a number or rational written in a seed. -#}
{% macro ccm_expected_number_sql(expected_value) -%}
    {%- set parts = (expected_value | string | trim).split('/') -%}
    {%- set numerator = 'cast(' ~ parts[0] ~ ' as ' ~ 'double' ~ ')' -%}
    {%- if parts | length == 1 -%}
        {{ return(numerator) }}
    {%- endif -%}
    {{ return(numerator ~ ' / cast(' ~ parts[1] ~ ' as ' ~ 'double' ~ ')') }}
{%- endmacro %}

{#- The key columns of a row_key (`column=value;column=value`, empty for the whole model). -#}
{% macro ccm_expected_key_columns(row_key) -%}
    {%- set columns = [] -%}
    {%- for part in (row_key or '').split(';') if part | trim -%}
        {%- do columns.append(part.split('=', 1)[0] | trim) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The SQL that builds a row_key from a model's key columns, as the seeds write it: values
    cast to text, (null) for a null. -#}
{% macro ccm_expected_key_sql(key_columns) -%}
    {%- if not key_columns -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in key_columns -%}
        {%- do parts.append("'" ~ (';' if not loop.first else '') ~ column ~ "='") -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '(null)')"
        ) -%}
    {%- endfor -%}
    {{ return(dbt.concat(parts)) }}
{%- endmacro %}
