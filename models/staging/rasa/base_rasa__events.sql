{{ config(enabled=('rasa' in var('source_systems', ['landing']))) }}

{#- One row per distinct Rasa event (a repeated event, same sender and content hash, kept
    once), without the bookkeeping action action_session_start, with the values the session
    rules read from slots and metadata (keys and slot names from vars). -#}

{%- set metadata_keys = {
    'metadata_session_id': var('rasa_session_id_metadata_key', 'conversation_id'),
    'metadata_customer_id': var('rasa_customer_id_metadata_key', 'customer_id'),
    'metadata_handoff_contact_id': var(
        'rasa_handoff_contact_metadata_key', 'handoff_contact_id'
    ),
    'metadata_generative_flag': var('rasa_generative_metadata_key', 'rephrase'),
} -%}

with

source as (

    select * from {{ source('rasa', 'events') }}

),

deliveries_ranked as (

    select
        *,
        row_number() over (
            partition by sender_id, content_hash
            order by _loaded_at desc, _source_file, _source_row
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
        {%- for column, key in metadata_keys.items() %}
        nullif(
            {{ dbt.split_part(
                dbt.split_part('metadata_pairs', "'/" ~ key ~ ":'", 2), "'/'", 1
            ) }},
            ''
        ) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from distinct_events

),

events_flagged as (

    select
        *,
        coalesce(lower(metadata_generative_flag) = 'true', false) as is_generative_flagged
    from events_read

)

select * from events_flagged
