{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='contact_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'started_at'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'started_at', 'contact_id', 'select contact_id from ' ~ ref('stg_acd__contacts'),
            fcr_window=false
        ) }}"
    )
}}

{%- set contact_columns = [
    'contact_id',
    'initial_contact_id',
    'previous_contact_id',
    'related_contact_id',
    'initiation_method',
    'channel',
    'customer_id',
    'queue_id',
    'contact_reason',
    'agent_id',
    'started_at',
    'queued_at',
    'connected_at',
    'first_response_at',
    'ended_at',
    'talk_seconds',
    'hold_seconds',
    'acw_seconds',
    'disposition',
    'ai_assisted',
    'record_updated_at'
] -%}

{# A whole chain is re-processed when any of its segments falls in the lookback, as it is now
    or as it was last built, so that segment_number and is_chain_end of its older segments stay
    right when a transfer or callback arrives later or a re-delivery removes or moves one. #}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('started_at', fcr_window=false) -%}
{%- endif %}
{%- set chain_id = 'coalesce(initial_contact_id, contact_id)' %}

with

contacts as (

    select
        {% for column in contact_columns -%}
            {{ column }},
        {% endfor -%}
        {{ chain_id }} as chain_id
    from {{ ref('stg_acd__contacts') }}

),

{# Read from staging, not from the contacts above: a second reader would make DuckDB store
    every contact with all its columns (spilling gigabytes at 10 M contacts) to scan it twice. #}
chains_in_scope as (

    select distinct {{ chain_id }} as chain_id
    from {{ ref('stg_acd__contacts') }}
    {% if is_incremental() %}
        where started_at >= {{ cutoff }}

        union

        select chain_id
        from {{ this }}
        where started_at >= {{ cutoff }}
    {% endif %}

),

contacts_in_scope as (

    select
        {% for column in contact_columns -%}
            contacts.{{ column }},
        {% endfor -%}
        contacts.chain_id
    from contacts
    inner join chains_in_scope
        on contacts.chain_id = chains_in_scope.chain_id

),

bot_handoffs as (

    select
        handoff_contact_id,
        min(bot_session_id) as bot_session_id
    from {{ ref('stg_bot__sessions') }}
    where outcome = 'handoff' and handoff_contact_id is not null
    group by handoff_contact_id

),

segments_ordered as (

    select
        {% for column in contact_columns -%}
            contacts_in_scope.{{ column }},
        {% endfor -%}
        contacts_in_scope.chain_id,
        row_number() over (
            partition by contacts_in_scope.chain_id
            order by contacts_in_scope.started_at, contacts_in_scope.contact_id
        ) as segment_number,
        count(*) over (partition by contacts_in_scope.chain_id) as chain_segment_count
    from contacts_in_scope

),

chained as (

    select
        {% for column in contact_columns -%}
            segments_ordered.{{ column }},
        {% endfor -%}
        segments_ordered.chain_id,
        segments_ordered.segment_number,
        segments_ordered.segment_number = 1 as is_chain_start,
        segments_ordered.segment_number = segments_ordered.chain_segment_count as is_chain_end,
        case
            when segments_ordered.connected_at is not null
                then
                    coalesce(segments_ordered.talk_seconds, 0)
                    + coalesce(segments_ordered.hold_seconds, 0)
                    + coalesce(segments_ordered.acw_seconds, 0)
            else 0
        end as handle_seconds,
        {#- A contact an agent connected to without queueing was routed directly: it waited 0 s
            (ccm_is_offered counts it as offered). -#}
        case
            when segments_ordered.queued_at is not null
                then {{ ccm_seconds_between(
                    'segments_ordered.queued_at',
                    'coalesce(segments_ordered.connected_at, segments_ordered.ended_at)'
                ) }}
            when segments_ordered.connected_at is not null then cast(0 as double)
        end as queue_wait_seconds,
        bot_handoffs.bot_session_id,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as processed_invocation_id
    from segments_ordered
    left join bot_handoffs
        on segments_ordered.contact_id = bot_handoffs.handoff_contact_id

)

select * from chained
