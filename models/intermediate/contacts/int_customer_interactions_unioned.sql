{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='interaction_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'ended_at'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'ended_at',
            'interaction_id',
            'select chain_id from ' ~ ref('int_contact_chains_stitched')
            ~ ' union all select bot_session_id from ' ~ ref('stg_bot__sessions')
            ~ \" where outcome != 'handoff'\",
            fcr_window=false
        ) }}"
    )
}}

{# Incremental runs re-process what ended in the lookback, now or when last built (a chain
    that lost its last segment to a re-delivery can end earlier than it did). #}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('started_at', fcr_window=false) -%}
{%- endif %}

with

chains as (

    select
        chain_id,
        initiation_method,
        customer_id,
        contact_reason,
        first_channel,
        started_at,
        ended_at,
        is_handled,
        bot_session_id
    from {{ ref('int_contact_chains_stitched') }}
    {% if is_incremental() %}
        where
            ended_at >= {{ cutoff }}
            or chain_id in (
                select interaction_id from {{ this }}
                where ended_at >= {{ cutoff }}
            )
    {% endif %}

),

bot_sessions as (

    select
        bot_session_id,
        customer_id,
        intent,
        channel,
        started_at,
        ended_at,
        outcome
    from {{ ref('stg_bot__sessions') }}
    {% if is_incremental() %}
        where
            ended_at >= {{ cutoff }}
            or bot_session_id in (
                select interaction_id from {{ this }}
                where ended_at >= {{ cutoff }}
            )
    {% endif %}

),

{# The customer came back when the bot conversation began, so a chain a bot handed off into
    starts with that conversation. #}
handoff_starts as (

    select
        bot_session_id,
        started_at
    from {{ ref('stg_bot__sessions') }}
    where outcome = 'handoff'

),

chain_interactions as (

    select
        chains.chain_id as interaction_id,
        'contact_chain' as interaction_type,
        chains.customer_id,
        chains.contact_reason,
        chains.first_channel as channel,
        case
            when handoff_starts.started_at < chains.started_at then handoff_starts.started_at
            else chains.started_at
        end as started_at,
        chains.ended_at,
        chains.is_handled,
        cast(null as string) as bot_outcome,
        {{ ccm_fcr_excluded_reason('chains.initiation_method', 'chains.customer_id') }}
            as fcr_excluded_reason
    from chains
    left join handoff_starts
        on chains.bot_session_id = handoff_starts.bot_session_id

),

{# A handed-off conversation is part of the chain it handed off into, not an interaction of
    its own. #}
bot_interactions as (

    select
        bot_session_id as interaction_id,
        'bot_session' as interaction_type,
        customer_id,
        intent as contact_reason,
        channel,
        started_at,
        ended_at,
        false as is_handled,
        outcome as bot_outcome,
        {{ ccm_fcr_excluded_reason('cast(null as string)', 'customer_id') }} as fcr_excluded_reason
    from bot_sessions
    where outcome != 'handoff'

),

unioned as (

    select
        interaction_id,
        interaction_type,
        customer_id,
        contact_reason,
        channel,
        started_at,
        ended_at,
        is_handled,
        bot_outcome,
        fcr_excluded_reason
    from chain_interactions

    union all

    select
        interaction_id,
        interaction_type,
        customer_id,
        contact_reason,
        channel,
        started_at,
        ended_at,
        is_handled,
        bot_outcome,
        fcr_excluded_reason
    from bot_interactions

)

select * from unioned
