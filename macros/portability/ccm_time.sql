{#- Time helpers shared by every model. Landing timestamps are UTC; reports are cut in the
    center's own time zone (var reporting_timezone) so that "Monday" means the center's Monday. -#}

{#- Seconds between two timestamps as a double. dbt.datediff counts crossed second
    boundaries, which is off by up to a second for fractional timestamps; waits are compared
    against 5 s and 20 s thresholds, so the exact difference matters. -#}
{% macro ccm_seconds_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('ccm_seconds_between', 'ccmetrics')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__ccm_seconds_between(start_ts, end_ts) -%}
    (cast({{ end_ts }} as double) - cast({{ start_ts }} as double))
{%- endmacro %}

{#- Whole microseconds first: epoch() gives doubles near 1.8e9 s whose difference is off by up
    to 2.4e-7 s (a 1.07 s wait came out as 1.0699999332). -#}
{% macro duckdb__ccm_seconds_between(start_ts, end_ts) -%}
    ((epoch_us({{ end_ts }}) - epoch_us({{ start_ts }})) / 1000000.0)
{%- endmacro %}

{#- Spark: the same whole microseconds (a timestamp cast to double has DuckDB's epoch() error). -#}
{% macro spark__ccm_seconds_between(start_ts, end_ts) -%}
    (cast(unix_micros({{ end_ts }}) - unix_micros({{ start_ts }}) as double) / 1000000)
{%- endmacro %}

{#- A UTC timestamp as wall-clock time in the reporting time zone. -#}
{% macro ccm_to_reporting_tz(ts) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        {{ ts }}
    {%- else -%}
        {{ return(adapter.dispatch('ccm_to_reporting_tz', 'ccmetrics')(ts, var('reporting_timezone'))) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__ccm_to_reporting_tz(ts, timezone) -%}
    from_utc_timestamp({{ ts }}, '{{ timezone }}')
{%- endmacro %}

{% macro duckdb__ccm_to_reporting_tz(ts, timezone) -%}
    cast(timezone('{{ timezone }}', timezone('UTC', {{ ts }})) as timestamp)
{%- endmacro %}

{#- The reporting day a UTC timestamp falls on. -#}
{% macro ccm_reporting_date(ts) -%}
    cast({{ ccm_to_reporting_tz(ts) }} as date)
{%- endmacro %}

{#- Start of the var('interval_minutes') interval (15 or 30) a UTC timestamp falls in, in
    reporting wall-clock time. -#}
{% macro ccm_interval_start(ts) -%}
    {%- set local_ts = ccm_to_reporting_tz(ts) -%}
    {{ dbt.dateadd(
        'minute',
        'cast(floor(extract(minute from ' ~ local_ts ~ ') / ' ~ var('interval_minutes') ~ ') * '
            ~ var('interval_minutes') ~ ' as integer)',
        dbt.date_trunc('hour', local_ts)
    ) }}
{%- endmacro %}
