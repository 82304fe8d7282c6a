{#- Weeks (METRICS.md has none; centers do): every weekly grain starts its weeks on the day
    named by var week_start (default monday; any English day name, any case), so that a center
    whose week runs Sunday to Saturday sees its own weeks in every mart.
    The week is computed from the days elapsed since a known Monday (1900-01-01) with dbt's
    cross-database datediff and dateadd, not with date_trunc('week'): engines disagree on the
    week that truncates to (Monday on DuckDB and Spark, Sunday on BigQuery, a session setting
    on Snowflake). The double modulo keeps the offset in 0..6 for dates before the reference
    too, whatever sign an engine gives the remainder of a negative number. -#}

{#- Position of var week_start in the week, Monday = 0 .. Sunday = 6; a value that is not a
    day name stops the compilation with a message naming the var. -#}
{% macro ccm_week_start_day_index() -%}
    {%- set days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] -%}
    {%- set week_start = var('week_start') | string | trim | lower -%}
    {%- if week_start not in days -%}
        {{ exceptions.raise_compiler_error(
            "var week_start must be an English day name (monday, tuesday, ..., sunday), got '"
            ~ var('week_start') ~ "'"
        ) }}
    {%- endif -%}
    {{ return(days.index(week_start)) }}
{%- endmacro %}

{#- The first day (a date) of the week that date_expression (a date) falls in. -#}
{% macro ccm_week_start(date_expression) -%}
    {%- set day = '(' ~ date_expression ~ ')' -%}
    {%- set days_since_monday = dbt.datediff("cast('1900-01-01' as date)", day, 'day') -%}
    {%- set days_into_week = (
        '((' ~ days_since_monday ~ ' - ' ~ ccm_week_start_day_index() ~ ') % 7 + 7) % 7'
    ) -%}
    cast({{ dbt.dateadd('day', '-(' ~ days_into_week ~ ')', day) }} as date)
{%- endmacro %}
