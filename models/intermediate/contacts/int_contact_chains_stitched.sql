{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='chain_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'ended_at'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'ended_at', 'chain_id', 'select chain_id from ' ~ ref('int_contacts_chained'),
            fcr_window=false
        ) }}"
    )
}}

{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('started_at', fcr_window=false) -%}
{%- endif %}

with

segments as (

    select
        chain_id,
        contact_id,
        segment_number,
        is_chain_start,
        is_chain_end,
        initiation_method,
        customer_id,
        contact_reason,
        channel,
        related_contact_id,
        agent_id,
        started_at,
        connected_at,
        ended_at,
        handle_seconds,
        bot_session_id
    from {{ ref('int_contacts_chained') }}

),

{# Upstream re-processes whole chains with a segment in the lookback, now or when last built;
    this picks the same chains (a chain ends after each of its segments starts). Read from
    int_contacts_chained, not from the segments above: a second reader would make DuckDB store
    every segment to scan it twice. #}
chains_in_scope as (

    select distinct chain_id
    from {{ ref('int_contacts_chained') }}
    {% if is_incremental() %}
        where started_at >= {{ cutoff }}

        union

        select chain_id
        from {{ this }}
        where ended_at >= {{ cutoff }}
    {% endif %}

),

segments_in_scope as (

    select
        segments.chain_id,
        segments.contact_id,
        segments.segment_number,
        segments.is_chain_start,
        segments.is_chain_end,
        segments.initiation_method,
        segments.customer_id,
        segments.contact_reason,
        segments.channel,
        segments.related_contact_id,
        segments.agent_id,
        segments.started_at,
        segments.connected_at,
        segments.ended_at,
        segments.handle_seconds,
        segments.bot_session_id
    from segments
    inner join chains_in_scope
        on segments.chain_id = chains_in_scope.chain_id

),

chain_starts as (

    select
        chain_id,
        initiation_method,
        customer_id,
        contact_reason,
        channel as first_channel,
        started_at,
        related_contact_id
    from segments_in_scope
    where is_chain_start

),

{# A chain "ends" when its last segment ends; segments can overlap (a consult transfer), so
    the latest end is taken rather than the end of the last-started segment. #}
chain_totals as (

    select
        chain_id,
        max(ended_at) as ended_at,
        count(*) as segment_count,
        sum(case when connected_at is not null then 1 else 0 end) > 0 as is_handled,
        sum(handle_seconds) as handle_seconds,
        min(bot_session_id) as bot_session_id
    from segments_in_scope
    group by chain_id

),

chain_ends as (

    select
        chain_id,
        channel as last_channel
    from segments_in_scope
    where is_chain_end

),

last_connected_segments as (

    select
        chain_id,
        agent_id,
        row_number() over (
            partition by chain_id
            order by segment_number desc
        ) as recency_rank
    from segments_in_scope
    where connected_at is not null

),

last_agents as (

    select
        chain_id,
        agent_id as last_agent_id
    from last_connected_segments
    where recency_rank = 1

),

stitched as (

    select
        chain_starts.chain_id,
        chain_starts.initiation_method,
        chain_starts.customer_id,
        chain_starts.contact_reason,
        chain_starts.first_channel,
        chain_ends.last_channel,
        chain_starts.started_at,
        chain_totals.ended_at,
        chain_totals.segment_count,
        chain_totals.is_handled,
        last_agents.last_agent_id,
        chain_totals.handle_seconds,
        chain_starts.related_contact_id,
        chain_totals.bot_session_id
    from chain_starts
    inner join chain_totals
        on chain_starts.chain_id = chain_totals.chain_id
    inner join chain_ends
        on chain_starts.chain_id = chain_ends.chain_id
    left join last_agents
        on chain_starts.chain_id = last_agents.chain_id

)

select * from stitched
