{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'started_at'},
        pre_hook="{{ ccm_incremental_clear_chains(
            ccm_follow_up_chains_recomputed(
                ref('int_contact_chains_stitched'), ccm_chains_recomputed_start()
            )
        ) }}",
        post_hook="{{ ccm_incremental_remove_vanished(
            'started_at', 'chain_id', 'select chain_id from ' ~ ref('int_contact_chains_stitched')
        ) }}"
    )
}}

{#- One row per follow-up contact chain that switched channel: the same customer came back
    (on the same contact reason when var fcr_match_reason, exactly as for FCR repeats) after an
    earlier chain started and no later than var fcr_window_hours after it ended, on a channel
    other than the one the earlier chain ended on. The follow-up carries context when its
    related_contact_id points to any segment of such an earlier chain. Bot sessions are not
    earlier interactions here: a contact has no field that could reference a session that did
    not hand off, so counting them would only measure the data model. As for FCR, only the
    customer's own identified chains take part (ccm_fcr_excluded_reason): an outbound chain
    is neither an earlier contact nor a follow-up, and an unidentified caller cannot be
    matched.
    Incremental by chain: a run re-computes the chains whose standing may have changed
    (ccm_follow_up_chains_recomputed: the chains re-computed upstream and every later chain of
    their customers), deleting their rows first, and meets them with the earlier chains of the
    same customers that ended no more than the window before the earliest of them (started no
    earlier than ccm_chains_recomputed_start); a chain that lost every segment is removed. -#}
{%- set chain_columns = [
    'chain_id',
    'customer_id',
    'contact_reason',
    'first_channel',
    'last_channel',
    'started_at',
    'ended_at',
    'related_contact_id'
] -%}
{%- set is_identified = ccm_fcr_excluded_reason('initiation_method', 'customer_id') ~ ' is null' -%}
{%- set recomputed_start = ccm_chains_recomputed_start() if is_incremental() else none %}

with

follow_up_chains as (

    select
        {{ chain_columns | join(',\n        ') }}
    from {{ ref('int_contact_chains_stitched') }}
    where
        {{ is_identified }}
    {% if is_incremental() %}
            and started_at >= {{ recomputed_start }}
            and chain_id in (
                {{ ccm_follow_up_chains_recomputed(
                    ref('int_contact_chains_stitched'), recomputed_start
                ) }}
            )
        {% endif %}

),

{# Read from int_contact_chains_stitched, not from follow_up_chains: on a full build both hold
    every chain, and a second reader would make DuckDB store them all to scan them twice. An
    earlier chain counts only if it ended no more than the window before its follow-up started,
    hence the bound on ended_at. #}
earlier_chains as (

    select
        {{ chain_columns | join(',\n        ') }}
    from {{ ref('int_contact_chains_stitched') }}
    where
        {{ is_identified }}
    {% if is_incremental() %}
            and ended_at >= {{ dbt.dateadd(
                'hour', '-(' ~ var('fcr_window_hours') ~ ')', recomputed_start
            ) }}
            and customer_id in (select follow_up_chains.customer_id from follow_up_chains)
        {% endif %}

),

{# Only the segments a follow-up points to are looked up. On a full build that is most of
    them, and a second reader of follow_up_chains would make DuckDB store every chain. #}
segments as (

    select
        contact_id,
        chain_id
    from {{ ref('int_contacts_chained') }}
    {%- if is_incremental() %}
    where contact_id in (select follow_up_chains.related_contact_id from follow_up_chains)
    {%- endif %}

),

switching_pairs as (

    select
        follow_up.chain_id,
        follow_up.customer_id,
        follow_up.first_channel as channel,
        follow_up.started_at,
        follow_up.related_contact_id,
        earlier.chain_id as earlier_chain_id
    from follow_up_chains as follow_up
    inner join earlier_chains as earlier
        on
            follow_up.customer_id = earlier.customer_id
            and follow_up.chain_id <> earlier.chain_id
            and follow_up.started_at > earlier.started_at
            and follow_up.started_at
            <= {{ dbt.dateadd('hour', var('fcr_window_hours'), 'earlier.ended_at') }}
            and follow_up.first_channel <> earlier.last_channel
            {%- if var('fcr_match_reason') %}
                and follow_up.contact_reason = earlier.contact_reason
            {%- endif %}

),

pairs_linked as (

    select
        switching_pairs.chain_id,
        switching_pairs.customer_id,
        switching_pairs.channel,
        switching_pairs.started_at,
        case
            when segments.chain_id = switching_pairs.earlier_chain_id then 1
            else 0
        end as is_linked_to_earlier
    from switching_pairs
    left join segments
        on switching_pairs.related_contact_id = segments.contact_id

),

follow_ups as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        max(is_linked_to_earlier) = 1 as carries_context
    from pairs_linked
    group by chain_id, customer_id, channel, started_at

),

follow_ups_dated as (

    select
        chain_id,
        customer_id,
        channel,
        started_at,
        {{ ccm_reporting_date('started_at') }} as reporting_date,
        carries_context
    from follow_ups

)

select * from follow_ups_dated
