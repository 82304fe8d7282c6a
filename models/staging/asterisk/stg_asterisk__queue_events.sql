{{ config(
    enabled=('asterisk' in var('source_systems', ['landing'])),
    materialized=ccm_pii_staging_materialization(),
) }}

{#- One row per distinct queue_log line, typed: a line repeated after a restart or a log
    rotation (same content, so the same line_key), in one file or across files, is kept once.
    The caller number is hashed here and never leaves staging. -#}

{#- The number reduced to its digits (spaces, dashes, brackets, dots, slashes and + removed). -#}
{%- set digits = namespace(sql="trim(cast(caller_phone as string))") -%}
{%- for character in [' ', '-', '(', ')', '.', '/', '+'] -%}
    {%- set digits.sql = "replace(" ~ digits.sql ~ ", '" ~ character ~ "', '')" -%}
{%- endfor -%}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('asterisk', 'queue_log') }}
    where line_status = 'ok'

),

distinct_lines as (

    {{ ccm_latest_versions('source', 'line_key', ['_loaded_at', '_source_file', '_source_row']) }}

),

typed as (

    select
        cast(line_key as string) as line_key,
        cast(event_at as timestamp) as event_at,
        cast(callid as string) as callid,
        cast(queue_name as string) as queue_name,
        cast(agent as string) as agent,
        upper(cast(event as string)) as event_name,
        cast(data1 as string) as data1,
        cast(data_fields as integer) as data_fields,
        {{ ccm_hash_pii('caller_phone') }} as caller_phone_hash,
        {#- The number's digits only: matched with the CRM's phones written the same way. -#}
        {{ ccm_hash_pii(digits.sql) }} as caller_number_hash,
        cast(caller_label as string) as caller_label,
        {#- An empty caller id, or one of var unknown_customer_ids ('0', 'anonymous', ...),
            identifies nobody, like an unknown customer id in the landing contract. -#}
        {{ ccm_customer_id('coalesce(caller_phone, caller_label)') }} is not null
            as is_caller_identifiable,
        cast(wait_seconds as double) as wait_seconds,
        cast(talk_seconds as double) as talk_seconds,
        cast(_batch_date as date) as batch_date,
        cast(_source_file as string) as source_file,
        cast(_source_row as integer) as source_row
    from distinct_lines

)

select * from typed
