{{ config(enabled=('rasa' in var('source_systems', ['landing']))) }}

{#- One row per distinct Rasa event (a repeated event, same sender and content hash, kept
    once), without the bookkeeping action action_session_start, with the values the session
    rules read from slots and metadata (keys and slot names from vars). -#}

{%- set session_key = var('rasa_session_id_metadata_key', 'conversation_id') -%}
{%- set customer_key = var('rasa_customer_id_metadata_key', 'customer_id') -%}
{%- set handoff_key = var('rasa_handoff_contact_metadata_key', 'handoff_contact_id') -%}
{%- set generative_key = var('rasa_generative_metadata_key', 'rephrase') -%}
{%- set session_after = "'/" ~ session_key ~ ":'" -%}
{%- set customer_after = "'/" ~ customer_key ~ ":'" -%}
{%- set handoff_after = "'/" ~ handoff_key ~ ":'" -%}
{%- set generative_after = "'/" ~ generative_key ~ ":'" -%}
{#- metadata_pairs is m/key:value/key:value/: a key's value is the text after '/key:' up to
    the next '/'. An empty rasa_session_id_metadata_key: no conversation ids (every session id
    is then derived from its sender and start). -#}
{%- if session_key -%}
    {%- set session_value = "nullif(" ~ dbt.split_part(
        dbt.split_part('metadata_pairs', session_after, 2), "'/'", 1
    ) ~ ", '')" -%}
{%- else -%}
    {%- set session_value = "cast(null as string)" -%}
{%- endif -%}

with

source as (

    select * from {{ source('rasa', 'events') }}

),

deliveries_ranked as (

    select
        *,
        row_number() over (
            partition by sender_id, content_hash
            order by _loaded_at desc, _source_file asc, _source_row asc
        ) as delivery_rank
    from source

),

distinct_events as (

    select * from deliveries_ranked
    where
        delivery_rank = 1
        and not (
            event_type = 'action'
            and coalesce(action_name, '') = 'action_session_start'
        )

),

events_read as (

    select
        event_id,
        sender_id,
        event_type,
        cast(event_at as timestamp) as event_at,
        case when event_type = 'session_started' then 0 else 1 end as type_rank,
        intent_name,
        action_name,
        slot_name,
        slot_value,
        input_channel,
        {{ session_value }} as metadata_session_id,
        nullif(
            {{ dbt.split_part(dbt.split_part('metadata_pairs', customer_after, 2), "'/'", 1) }},
            ''
        ) as metadata_customer_id,
        nullif(
            {{ dbt.split_part(dbt.split_part('metadata_pairs', handoff_after, 2), "'/'", 1) }},
            ''
        ) as metadata_handoff_contact_id,
        nullif(
            {{ dbt.split_part(dbt.split_part('metadata_pairs', generative_after, 2), "'/'", 1) }},
            ''
        ) as metadata_generative_flag
    from distinct_events

),

events_flagged as (

    select
        *,
        coalesce(lower(metadata_generative_flag) = 'true', false) as is_generative_flagged
    from events_read

)

select * from events_flagged
