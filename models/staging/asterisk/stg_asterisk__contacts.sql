{{ config(
    enabled=('asterisk' in var('source_systems', ['landing'])),
    materialized=ccm_pii_staging_materialization(),
) }}

{#- The calls of the queue_log as canonical contact segments (the columns of stg_acd__contacts).
    A segment whose closing event is missing is left out (stg_asterisk__open_calls lists it).
    The queue_log has no IVR time, customer hold, after-contact work per call, wrap-up code or
    AI assistance: started_at is the queue entry, hold is not measured (null), the contact
    reason is the queue name (var asterisk_contact_reason), ai_assisted is false; acw_seconds
    is the agent's after-contact-work pause (a PAUSE whose reason var asterisk_pause_states maps
    to acw) that starts when the call ends, else null. docs/sources/asterisk.md. -#}

{%- set reason = var('asterisk_contact_reason', 'queue_name') -%}

{#- The number reduced to its digits (spaces, dashes, brackets, dots, slashes and + removed). -#}
{%- set digits = namespace(sql="trim(cast(phone as string))") -%}
{%- for character in [' ', '-', '(', ')', '.', '/', '+'] -%}
    {%- set digits.sql = "replace(" ~ digits.sql ~ ", '" ~ character ~ "', '')" -%}
{%- endfor -%}

with

segments as (

    select * from {{ ref('base_asterisk__call_segments') }}
    where closing_event is not null

),

crm_customers as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('crm', 'customers') }}

),

customers_latest as (

    {{ ccm_latest_versions(
        'crm_customers', 'customer_id', ['record_updated_at', '_loaded_at', '_source_row']
    ) }}

),

{# The CRM's phones reduced to their digits, like the caller numbers, so that "+1 555 0101"
    and "15550101" match. #}
customers as (

    select
        cast(customer_id as string) as customer_id,
        {{ ccm_hash_pii(digits.sql) }} as phone_hash
    from customers_latest
    where phone is not null

),

acw_pauses as (

    select * from {{ ref('stg_asterisk__agent_states') }}
    where state = 'acw'

),

{# A caller number identifies a customer when exactly one CRM customer has it; a number
    shared by several customers (a family line, a switchboard) identifies nobody. #}
customers_by_phone as (

    select
        phone_hash,
        min(customer_id) as customer_id,
        count(distinct customer_id) as customer_count
    from customers
    where phone_hash is not null
    group by phone_hash

),

segments_typed as (

    select
        segments.*,
        segments.closing_event in (
            'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        ) as is_answered,
        case
            when segments.closing_event in ('COMPLETEAGENT', 'COMPLETECALLER') then 'handled'
            when segments.closing_event in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')
                then 'transferred'
            when segments.closing_event = 'ABANDON' then 'abandoned'
            else 'flow_out'
        end as disposition
    from segments

),

segments_answered as (

    select
        segments_typed.*,
        case
            when not segments_typed.is_answered then null
            when segments_typed.connected_at is not null then segments_typed.connected_at
            when segments_typed.closing_talk_seconds is not null
                then {{ dbt.dateadd(
                    'second',
                    '-1 * cast(segments_typed.closing_talk_seconds as integer)',
                    'segments_typed.ended_at'
                ) }}
            else segments_typed.ended_at
        end as answered_at,
        case
            when segments_typed.is_answered and segments_typed.agent <> 'NONE'
                then segments_typed.agent
        end as answering_agent
    from segments_typed

),

contacts as (

    select
        cast(segments_answered.contact_id as string) as contact_id,
        cast(segments_answered.initial_contact_id as string) as initial_contact_id,
        cast(segments_answered.previous_contact_id as string) as previous_contact_id,
        cast(null as string) as related_contact_id,
        cast(
            case when segments_answered.segment_number = 1 then 'inbound' else 'transfer' end
            as string
        ) as initiation_method,
        cast('phone' as string) as channel,
        {{ ccm_customer_id(
            'case when customers_by_phone.customer_count = 1 '
            ~ 'then customers_by_phone.customer_id end'
        ) }} as customer_id,
        {{ ccm_customer_id(
            'case when customers_by_phone.customer_count = 1 '
            ~ 'then customers_by_phone.customer_id end'
        ) }} is not null as is_customer_identified,
        segments_answered.caller_phone_hash as customer_phone_hash,
        cast(null as string) as customer_email_hash,
        cast(segments_answered.queue_name as string) as queue_id,
        cast(
            {% if reason == 'queue_name' -%}
                segments_answered.queue_name
            {%- else -%}
                '{{ reason | replace("'", "''") }}'
            {%- endif %} as string
        ) as contact_reason,
        cast(segments_answered.answering_agent as string) as agent_id,
        cast(segments_answered.queued_at as timestamp) as started_at,
        cast(segments_answered.queued_at as timestamp) as queued_at,
        cast(segments_answered.answered_at as timestamp) as connected_at,
        cast(segments_answered.answered_at as timestamp) as first_response_at,
        cast(segments_answered.ended_at as timestamp) as ended_at,
        cast(
            case
                when segments_answered.is_answered
                    then coalesce(
                        segments_answered.closing_talk_seconds,
                        {{ ccm_seconds_between(
                            'segments_answered.answered_at', 'segments_answered.ended_at'
                        ) }}
                    )
            end as double
        ) as talk_seconds,
        cast(null as double) as hold_seconds,
        cast(
            {{ ccm_seconds_between('acw_pauses.started_at', 'acw_pauses.ended_at') }} as double
        ) as acw_seconds,
        cast(segments_answered.disposition as string) as disposition,
        false as ai_assisted,
        cast(segments_answered.ended_at as timestamp) as record_updated_at,
        cast(segments_answered.batch_date as date) as batch_date
    from segments_answered
    left join customers_by_phone
        on
            segments_answered.caller_number_hash = customers_by_phone.phone_hash
            and segments_answered.is_caller_identifiable
    left join acw_pauses
        on
            segments_answered.answering_agent = acw_pauses.agent_id
            and segments_answered.ended_at = acw_pauses.started_at

)

select * from contacts
