{{ config(
    enabled=('connect' in var('source_systems', ['landing'])),
    materialized=ccm_pii_staging_materialization(),
) }}

{#- Amazon Connect contact trace records staged into the canonical contact columns of
    stg_acd__contacts (docs/sources/connect.md). Channel and initiation method go through
    the maps of vars connect_channels and connect_initiation_methods: a value mapped to none
    (TASK, MONITOR by default) is not a customer contact and is left out; a value the map
    does not know stays null, and the not_null tests stop the build. -#}
{%- set channels = var('connect_channels', {
    'VOICE': 'phone', 'CHAT': 'chat', 'EMAIL': 'email', 'TASK': none,
}) -%}
{%- set initiation_methods = var('connect_initiation_methods', {
    'INBOUND': 'inbound', 'API': 'inbound', 'WEBRTC_API': 'inbound',
    'OUTBOUND': 'outbound', 'EXTERNAL_OUTBOUND': 'outbound', 'AGENT_REPLY': 'outbound',
    'FLOW': 'outbound', 'TRANSFER': 'transfer', 'QUEUE_TRANSFER': 'transfer',
    'DISCONNECT': 'transfer', 'CALLBACK': 'callback', 'MONITOR': none,
}) -%}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('connect', 'ctr') }}

),

latest_versions as (

    {{ ccm_latest_versions(
        'source', 'contact_id', ['last_update_timestamp', '_loaded_at', '_source_row']
    ) }}

),

customer_contacts as (

    select *
    from latest_versions
    where
        channel not in (
            '-'
            {%- for code, mapped in channels.items() if mapped is none %}, '{{ code }}'{% endfor %}
        )
        and initiation_method not in (
            {%- for code, mapped in initiation_methods.items() if mapped is none %}
                '{{ code }}',
            {%- endfor %}
            '-'
        )

),

mapped as (

    select
        *,
        case channel
            {%- for code, mapped in channels.items() if mapped is not none %}
                when '{{ code }}' then '{{ mapped }}'
            {%- endfor %}
        end as mapped_channel,
        case initiation_method
            {%- for code, mapped in initiation_methods.items() if mapped is not none %}
                when '{{ code }}' then '{{ mapped }}'
            {%- endfor %}
        end as mapped_initiation_method,
        coalesce(lower(trim(attribute_bot_handoff)) = 'true', false) as is_bot_handoff
    from customer_contacts

),

renamed as (

    select
        cast(contact_id as string) as contact_id,
        cast(nullif(initial_contact_id, contact_id) as string) as initial_contact_id,
        cast(previous_contact_id as string) as previous_contact_id,
        cast(related_contact_id as string) as related_contact_id,
        cast(
            case
                when is_bot_handoff and mapped_initiation_method = 'inbound' then 'bot_handoff'
                else mapped_initiation_method
            end as string
        ) as initiation_method,
        cast(
            case
                -- A call that never reached a queue or an agent stayed in the IVR.
                when
                    mapped_channel = 'phone'
                    and queue_name is null
                    and queue_enqueue_timestamp is null
                    and agent_username is null
                    and agent_connected_to_agent_timestamp is null
                    then 'ivr'
                else mapped_channel
            end as string
        ) as channel,
        {{ ccm_customer_id('attribute_customer_id') }} as customer_id,
        {{ ccm_customer_id('attribute_customer_id') }} is not null as is_customer_identified,
        {{ ccm_hash_pii('customer_phone') }} as customer_phone_hash,
        {{ ccm_hash_pii('customer_email') }} as customer_email_hash,
        cast(queue_name as string) as queue_id,
        cast(
            coalesce(
                attribute_contact_reason, '{{ var("connect_unknown_contact_reason", "unknown") }}'
            ) as string
        ) as contact_reason,
        cast(agent_username as string) as agent_id,
        cast(initiation_timestamp as timestamp) as started_at,
        cast(queue_enqueue_timestamp as timestamp) as queued_at,
        cast(agent_connected_to_agent_timestamp as timestamp) as connected_at,
        cast(
            coalesce(chat_agent_first_response_timestamp, agent_connected_to_agent_timestamp)
            as timestamp
        ) as first_response_at,
        cast(disconnect_timestamp as timestamp) as ended_at,
        cast(agent_interaction_duration as double) as talk_seconds,
        cast(agent_customer_hold_duration as double) as hold_seconds,
        cast(agent_after_contact_work_duration as double) as acw_seconds,
        cast(
            case
                when
                    agent_connected_to_agent_timestamp is not null
                    and next_contact_id is not null
                    then 'transferred'
                when
                    agent_connected_to_agent_timestamp is not null
                    and disconnect_reason = 'TELECOM_PROBLEM'
                    then 'disconnected'
                when agent_connected_to_agent_timestamp is not null then 'handled'
                when
                    queue_enqueue_timestamp is not null
                    and disconnect_reason = 'CUSTOMER_DISCONNECT'
                    then 'abandoned'
                when queue_enqueue_timestamp is not null then 'flow_out'
                when disconnect_reason = 'CUSTOMER_DISCONNECT' then 'ivr_abandoned'
                else 'self_served'
            end as string
        ) as disposition,
        coalesce(lower(trim(attribute_ai_assisted)) = 'true', false) as ai_assisted,
        cast(last_update_timestamp as timestamp) as record_updated_at,
        cast(_batch_date as date) as batch_date
    from mapped

)

select * from renamed
