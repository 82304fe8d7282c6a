{{ config(enabled=('rasa' in var('source_systems', ['landing']))) }}

{#- Rasa tracker events assembled into the canonical bot sessions (stg_bot__sessions' columns,
    without source_system). A session of a sender starts at a session_started event, at the
    sender's first event, or after a gap of more than var rasa_session_gap_seconds without
    events (trackers of Rasa versions without sessions); it holds the sender's events up to the
    next start. docs/sources/rasa.md gives every rule. -#}

{%- set gap_seconds = var('rasa_session_gap_seconds', 3600) -%}
{%- set customer_slot = var('rasa_customer_id_slot', 'customer_id') -%}
{%- set handoff_slot = var('rasa_handoff_contact_slot', 'handoff_contact_id') -%}
{%- set kb_actions = var(
    'rasa_kb_actions', ['action_query_knowledge_base', 'action_trigger_search']
) -%}
{%- set handoff_actions = var(
    'rasa_handoff_actions', ['action_human_handoff', 'action_handoff']
) -%}
{%- set fallback_actions = var(
    'rasa_fallback_actions', ['action_default_fallback', 'action_two_stage_fallback']
) -%}
{%- set skipped_intents = var('rasa_skipped_intents', [
    'greet', 'goodbye', 'affirm', 'deny', 'thankyou', 'nlu_fallback', 'out_of_scope'
]) -%}
{%- set unknown_intent = var('rasa_unknown_intent', 'unknown') -%}
{%- set channel_map = var('rasa_channel_map', {
    'socketio': 'chat', 'rest': 'chat', 'callback': 'chat', 'webexteams': 'chat',
    'telegram': 'messaging', 'twilio': 'messaging', 'slack': 'messaging',
    'botframework': 'messaging', 'mattermost': 'messaging', 'rocketchat': 'messaging',
    'hangouts': 'messaging', 'facebook': 'social', 'instagram': 'social',
    'twilio_voice': 'phone', 'audiocodes': 'phone', 'genesys': 'phone'
}) -%}
{%- set default_channel = var('rasa_default_channel', 'chat') -%}

{%- set kb_list = "('" ~ kb_actions | join("', '") ~ "')" -%}
{%- set handoff_list = "('" ~ handoff_actions | join("', '") ~ "')" -%}
{%- set fallback_list = "('" ~ fallback_actions | join("', '") ~ "')" -%}
{%- set skipped_list = "('" ~ skipped_intents | join("', '") ~ "')" -%}

with

events as (

    select * from {{ ref('base_rasa__events') }}

),

events_with_previous as (

    select
        *,
        lag(event_at) over (
            partition by sender_id order by event_at, type_rank, event_id
        ) as previous_event_at
    from events

),

events_flagged as (

    select
        *,
        case
            when event_type = 'session_started' then 1
            when previous_event_at is null then 1
            when {{ ccm_seconds_between('previous_event_at', 'event_at') }} > {{ gap_seconds }}
                then 1
            else 0
        end as is_session_start
    from events_with_previous

),

events_sessioned as (

    select
        *,
        sum(is_session_start) over (
            partition by sender_id order by event_at, type_rank, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from events_flagged

),

events_classified as (

    select
        *,
        case
            when
                event_type = 'user' and intent_name is not null
                and intent_name not in {{ skipped_list }}
                then 1
            else 0
        end as is_intent_event,
        case
            when event_type = 'action' and action_name != 'action_listen' then 1 else 0
        end as is_bot_action,
        case when slot_value is null then 0 else 1 end as is_slot_value_set
    from events_sessioned

),

events_ranked as (

    select
        *,
        row_number() over (
            partition by sender_id, session_number, is_intent_event
            order by event_at, event_id
        ) as intent_rank,
        row_number() over (
            partition by sender_id, session_number, event_type
            order by event_at, event_id
        ) as type_rank_in_session,
        row_number() over (
            partition by sender_id, session_number, is_bot_action
            order by event_at desc, event_id desc
        ) as action_rank_from_end,
        row_number() over (
            partition by sender_id, session_number, event_type, slot_name, is_slot_value_set
            order by event_at desc, event_id desc
        ) as slot_rank_from_end
    from events_classified

),

sessions_aggregated as (

    select
        sender_id,
        session_number,
        min(event_at) as started_at,
        max(case when is_bot_action = 1 or event_type != 'action' then event_at end) as ended_at,
        max(event_at) as last_event_at,
        sum(case when event_type = 'user' then 1 else 0 end) as turns,
        sum(
            case when is_bot_action = 1 and action_name in {{ kb_list }} then 1 else 0 end
        ) as kb_lookups,
        max(
            case when is_bot_action = 1 and action_name in {{ handoff_list }} then 1 else 0 end
        ) as has_handoff,
        max(
            case
                when
                    is_bot_action = 1 and action_rank_from_end = 1
                    and action_name in {{ fallback_list }}
                    then 1
                else 0
            end
        ) as ends_in_fallback,
        max(
            case when event_type = 'bot' and is_generative_flagged then 1 else 0 end
        ) as has_generated_reply,
        max(case when is_intent_event = 1 and intent_rank = 1 then intent_name end) as intent,
        max(
            case when event_type = 'user' and type_rank_in_session = 1 then input_channel end
        ) as input_channel,
        max(
            case
                when event_type = 'session_started' and type_rank_in_session = 1
                    then metadata_session_id
            end
        ) as started_session_id,
        max(metadata_session_id) as any_session_id,
        max(
            case
                when
                    event_type = 'slot' and slot_name = '{{ customer_slot }}'
                    and slot_rank_from_end = 1
                    then slot_value
            end
        ) as slot_customer_id,
        max(metadata_customer_id) as metadata_customer_id,
        max(
            case
                when
                    event_type = 'slot' and slot_name = '{{ handoff_slot }}'
                    and slot_rank_from_end = 1
                    then slot_value
            end
        ) as slot_handoff_contact_id,
        max(metadata_handoff_contact_id) as metadata_handoff_contact_id
    from events_ranked
    group by sender_id, session_number

),

sessions_outcome as (

    select
        *,
        case
            when has_handoff = 1 then 'handoff'
            when ends_in_fallback = 1 then 'dropped'
            else 'resolved'
        end as outcome,
        coalesce(started_session_id, any_session_id) as delivered_session_id,
        coalesce(slot_customer_id, metadata_customer_id) as delivered_customer_id
    from sessions_aggregated
    where turns > 0

),

sessions_renamed as (

    select
        cast(
            coalesce(
                delivered_session_id,
                {{ dbt.concat([
                    "'rasa-'",
                    dbt.hash(dbt.concat(['sender_id', "'|'", 'cast(started_at as string)']))
                ]) }}
            ) as string
        ) as bot_session_id,
        {{ ccm_customer_id('delivered_customer_id') }} as customer_id,
        {{ ccm_customer_id('delivered_customer_id') }} is not null as is_customer_identified,
        cast(
            case
                {%- for rasa_channel, channel in channel_map.items() %}
                    when input_channel = '{{ rasa_channel }}' then '{{ channel }}'
                {%- endfor %}
                else '{{ default_channel }}'
            end as string
        ) as channel,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at,
        cast(coalesce(intent, '{{ unknown_intent }}') as string) as intent,
        cast(turns as bigint) as turns,
        cast(outcome as string) as outcome,
        cast(
            case
                when outcome = 'handoff'
                    then coalesce(slot_handoff_contact_id, metadata_handoff_contact_id)
            end as string
        ) as handoff_contact_id,
        cast(kb_lookups as bigint) as kb_lookups,
        cast(has_generated_reply = 1 as boolean) as generative_ai,
        cast(last_event_at as timestamp) as record_updated_at
    from sessions_outcome

)

select * from sessions_renamed
