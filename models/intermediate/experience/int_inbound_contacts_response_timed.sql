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

with

segments as (

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
    {% if is_incremental() %}
        where chain_id in ({{ ccm_chains_recomputed() }})
    {% endif %}

),

chain_starts as (

    select
        chain_id,
        customer_id,
        channel,
        initiation_method,
        started_at
    from segments
    where is_chain_start

),

chain_responses as (

    select
        chain_id,
        min(first_response_at) as first_response_at,
        count(
            case
                when
                    (channel <> 'ivr' and coalesce(disposition, '') <> 'ivr_abandoned')
                    or queued_at is not null
                    or connected_at is not null
                    then 1
            end
        ) as segments_beyond_ivr
    from segments
    group by chain_id

),

inbound_chains as (

    select
        chain_starts.chain_id,
        chain_starts.customer_id,
        chain_starts.channel,
        chain_starts.started_at,
        chain_responses.first_response_at
    from chain_starts
    inner join chain_responses
        on chain_starts.chain_id = chain_responses.chain_id
    where
        chain_starts.initiation_method in ('inbound', 'bot_handoff')
        and chain_responses.segments_beyond_ivr > 0

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
