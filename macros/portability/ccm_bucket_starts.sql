{#- Expands a span into its time buckets: a select-list expression that yields one row per
    bucket start, from first_bucket_start (the start of the bucket the span begins in, computed
    by the caller) bucket_minutes apart, keeping only starts before end_ts. A state or a
    schedule then meets only the buckets it touches, instead of being joined to a whole spine
    on two inequalities, which engines plan as a range join whose cost grows with rows x
    length of history. A span that ends before its first bucket yields no row. -#}
{% macro ccm_bucket_starts(first_bucket_start, end_ts, bucket_minutes) -%}
    {{ return(adapter.dispatch('ccm_bucket_starts', 'ccmetrics')(
        first_bucket_start, end_ts, bucket_minutes
    )) }}
{%- endmacro %}

{#- Spark: sequence() includes its end and fails when the start lies after it, hence the
    guard and the filter on the end. -#}
{% macro default__ccm_bucket_starts(first_bucket_start, end_ts, bucket_minutes) -%}
    explode(
        case
            when {{ first_bucket_start }} < {{ end_ts }}
                then filter(
                    sequence(
                        {{ first_bucket_start }},
                        {{ end_ts }},
                        interval {{ bucket_minutes | int }} minutes
                    ),
                    bucket_start -> bucket_start < {{ end_ts }}
                )
            else array()
        end
    )
{%- endmacro %}

{#- DuckDB: range() excludes its end and is empty when the start is not before it. -#}
{% macro duckdb__ccm_bucket_starts(first_bucket_start, end_ts, bucket_minutes) -%}
    unnest(range(
        {{ first_bucket_start }},
        {{ end_ts }},
        to_minutes({{ bucket_minutes | int }})
    ))
{%- endmacro %}
