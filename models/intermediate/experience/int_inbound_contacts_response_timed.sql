{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'started_at'},
        pre_hook="{{ ccm_incremental_clear_chains() }}",
        post_hook="{{ ccm_incremental_remove_vanished(
            'started_at', 'chain_id', 'select chain_id from ' ~ ref('int_contacts_chained')
        ) }}"
    )
}}

{#- One row per customer-initiated contact chain that asked for a person. A chain is one
    contact to the customer, so a transfer or a callback does not restart the clock: the first
    response is the first human response anywhere in the chain. Calls that never left the IVR
    menu, or hung up in it (ivr_abandoned), did not ask for a person and are not inbound
    contacts here.
    Incremental by chain: a run re-computes the chains int_contacts_chained re-computed
    (ccm_chains_recomputed); a chain that lost every segment is removed. -#}
{%- set response_targets = var('response_targets') -%}

{#- A segment beyond the IVR: one that left the IVR menu or asked for a person. -#}
{%- set beyond_ivr -%}
    (channel <> 'ivr' and coalesce(disposition, '') <> 'ivr_abandoned')
    or queued_at is not null
    or connected_at is not null
{%- endset -%}
{#- Every segment of a re-computed chain starts no earlier than ccm_chains_recomputed_start: a
    bound the engine skips older blocks by. -#}
{%- if is_incremental() -%}
    {%- set in_scope = 'and started_at >= ' ~ ccm_chains_recomputed_start()
        ~ ' and chain_id in (select chains_in_scope.chain_id from chains_in_scope)' -%}
{%- else -%}
    {%- set in_scope = '' -%}
{%- endif %}

with

{% if is_incremental() %}
chains_in_scope as (

    {{ ccm_chains_recomputed() }}

),
{% endif %}

{#- Most chains are one segment (97 % of the chains of 10 M generated contacts): that segment
    is its chain's start and response, and only the longer chains are grouped. Each part reads
    int_contacts_chained itself: a CTE read twice would make DuckDB store every segment. -#}
single_segment_chains as (

    select
        chain_id,
        customer_id,
        channel,
        initiation_method,
        started_at,
        first_response_at,
        case when {{ beyond_ivr }} then 1 else 0 end as segments_beyond_ivr
    from {{ ref('int_contacts_chained') }}
    where is_chain_start and is_chain_end {{ in_scope }}

),

segments_of_longer_chains as (

    select
        chain_id,
        customer_id,
        channel,
        initiation_method,
        started_at,
        queued_at,
        connected_at,
        first_response_at,
        disposition,
        is_chain_start
    from {{ ref('int_contacts_chained') }}
    where not (is_chain_start and is_chain_end) {{ in_scope }}

),

longer_chain_starts as (

    select
        chain_id,
        customer_id,
        channel,
        initiation_method,
        started_at
    from segments_of_longer_chains
    where is_chain_start

),

longer_chain_responses as (

    select
        chain_id,
        min(first_response_at) as first_response_at,
        count(case when {{ beyond_ivr }} then 1 end) as segments_beyond_ivr
    from segments_of_longer_chains
    group by chain_id

),

chains as (

    select
        chain_id,
        customer_id,
        channel,
        initiation_method,
        started_at,
        first_response_at,
        segments_beyond_ivr
    from single_segment_chains

    union all

    select
        longer_chain_starts.chain_id,
        longer_chain_starts.customer_id,
        longer_chain_starts.channel,
        longer_chain_starts.initiation_method,
        longer_chain_starts.started_at,
        longer_chain_responses.first_response_at,
        longer_chain_responses.segments_beyond_ivr
    from longer_chain_starts
    inner join longer_chain_responses
        on longer_chain_starts.chain_id = longer_chain_responses.chain_id

),

inbound_chains as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        first_response_at
    from chains
    where
        initiation_method in ('inbound', 'bot_handoff')
        and segments_beyond_ivr > 0

),

responses_timed as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        {{ ccm_reporting_date('started_at') }} as reporting_date,
        first_response_at,
        case
            when first_response_at is not null
                then {{ ccm_seconds_between('started_at', 'first_response_at') }}
        end as first_response_seconds,
        case channel
            {%- for channel_name, target_seconds in response_targets.items() %}
                when '{{ channel_name }}' then cast({{ target_seconds }} as double)
            {%- endfor %}
        end as response_target_seconds
    from inbound_chains

),

responses_judged as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        reporting_date,
        first_response_at,
        first_response_seconds,
        response_target_seconds,
        first_response_at is not null as is_responded,
        -- an unanswered contact, or one on a channel without a target, did not meet a target
        coalesce(first_response_seconds <= response_target_seconds, false)
            as is_responded_within_target
    from responses_timed

)

select * from responses_judged
