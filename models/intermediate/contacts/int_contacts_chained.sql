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
{%- set chain_id = 'coalesce(initial_contact_id, contact_id)' %}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('started_at', fcr_window=false) -%}
    {%- set in_scope =
        'and ' ~ chain_id ~ ' in (select chains_in_scope.chain_id from chains_in_scope)' -%}
{%- else -%}
    {%- set in_scope = '' -%}
{%- endif %}

with

{% if is_incremental() %}
chains_in_scope as (

    select {{ chain_id }} as chain_id
    from {{ ref('stg_acd__contacts') }}
    where started_at >= {{ cutoff }}

    union

    select chain_id
    from {{ this }}
    where started_at >= {{ cutoff }}

),
{% endif %}

{#- Most chains are one contact (97 % of the chains of 10 M generated contacts, 94 % of the
    contacts): it is segment 1 of 1, and only the contacts of longer chains are numbered by a
    window (at 10 M contacts the model took 10-11 s so, 14-16 s numbering every contact). Each
    part reads staging itself: a CTE read twice would make DuckDB store every contact with all
    its columns to scan it twice. -#}
longer_chains as (

    select {{ chain_id }} as chain_id
    from {{ ref('stg_acd__contacts') }}
    where true {{ in_scope }}
    group by {{ chain_id }}
    having count(*) > 1

),

single_segments as (

    select
        {% for column in contact_columns -%}
            {{ column }},
        {% endfor -%}
        {{ chain_id }} as chain_id,
        1 as segment_number,
        1 as chain_segment_count
    from {{ ref('stg_acd__contacts') }}
    where {{ chain_id }} not in (select longer_chains.chain_id from longer_chains) {{ in_scope }}

),

segments_of_longer_chains as (

    select
        {% for column in contact_columns -%}
            {{ column }},
        {% endfor -%}
        {{ chain_id }} as chain_id,
        row_number() over (
            partition by {{ chain_id }}
            order by started_at, contact_id
        ) as segment_number,
        count(*) over (partition by {{ chain_id }}) as chain_segment_count
    from {{ ref('stg_acd__contacts') }}
    where {{ chain_id }} in (select longer_chains.chain_id from longer_chains)

),

segments_ordered as (

    select
        {% for column in contact_columns -%}
            {{ column }},
        {% endfor -%}
        chain_id,
        segment_number,
        chain_segment_count
    from single_segments

    union all

    select
        {% for column in contact_columns -%}
            {{ column }},
        {% endfor -%}
        chain_id,
        segment_number,
        chain_segment_count
    from segments_of_longer_chains

),

bot_handoffs as (

    select
        handoff_contact_id,
        min(bot_session_id) as bot_session_id
    from {{ ref('stg_bot__sessions') }}
    where outcome = 'handoff' and handoff_contact_id is not null
    group by handoff_contact_id

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
