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

{%- set chain_columns = [
    'chain_id',
    'initiation_method',
    'customer_id',
    'contact_reason',
    'first_channel',
    'last_channel',
    'started_at',
    'ended_at',
    'segment_count',
    'is_handled',
    'last_agent_id',
    'handle_seconds',
    'related_contact_id',
    'bot_session_id'
] -%}

{#- Most chains are one segment (97 % of the chains of 10 M generated contacts): such a
    segment is its chain as it is, and only the longer chains are grouped (at 10 M contacts the
    model took 4.3 s so, 15.7 s grouping every segment). Each part reads int_contacts_chained
    itself: a CTE read twice would make DuckDB store every segment to scan it twice. -#}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('started_at', fcr_window=false) -%}
    {%- set in_scope = 'and chain_id in (select chains_in_scope.chain_id from chains_in_scope)' -%}
{%- else -%}
    {%- set in_scope = '' -%}
{%- endif %}

with

{% if is_incremental() %}
{# Upstream re-processes whole chains with a segment in the lookback, now or when last built;
    this picks the same chains (a chain ends after each of its segments starts). #}
chains_in_scope as (

    select chain_id
    from {{ ref('int_contacts_chained') }}
    where started_at >= {{ cutoff }}

    union

    select chain_id
    from {{ this }}
    where ended_at >= {{ cutoff }}

),
{% endif %}

single_segment_chains as (

    select
        chain_id,
        initiation_method,
        customer_id,
        contact_reason,
        channel as first_channel,
        channel as last_channel,
        started_at,
        ended_at,
        1 as segment_count,
        connected_at is not null as is_handled,
        case when connected_at is not null then agent_id end as last_agent_id,
        handle_seconds,
        related_contact_id,
        bot_session_id
    from {{ ref('int_contacts_chained') }}
    where is_chain_start and is_chain_end {{ in_scope }}

),

segments_of_longer_chains as (

    select
        chain_id,
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
    where not (is_chain_start and is_chain_end) {{ in_scope }}

),

longer_chain_starts as (

    select
        chain_id,
        initiation_method,
        customer_id,
        contact_reason,
        channel as first_channel,
        started_at,
        related_contact_id
    from segments_of_longer_chains
    where is_chain_start

),

{# A chain "ends" when its last segment ends; segments can overlap (a consult transfer), so
    the latest end is taken rather than the end of the last-started segment. #}
longer_chain_totals as (

    select
        chain_id,
        max(ended_at) as ended_at,
        count(*) as segment_count,
        sum(case when connected_at is not null then 1 else 0 end) > 0 as is_handled,
        sum(handle_seconds) as handle_seconds,
        min(bot_session_id) as bot_session_id
    from segments_of_longer_chains
    group by chain_id

),

longer_chain_ends as (

    select
        chain_id,
        channel as last_channel
    from segments_of_longer_chains
    where is_chain_end

),

longer_chain_connected_segments as (

    select
        chain_id,
        agent_id,
        row_number() over (
            partition by chain_id
            order by segment_number desc
        ) as recency_rank
    from segments_of_longer_chains
    where connected_at is not null

),

longer_chain_last_agents as (

    select
        chain_id,
        agent_id as last_agent_id
    from longer_chain_connected_segments
    where recency_rank = 1

),

longer_chains as (

    select
        longer_chain_starts.chain_id,
        longer_chain_starts.initiation_method,
        longer_chain_starts.customer_id,
        longer_chain_starts.contact_reason,
        longer_chain_starts.first_channel,
        longer_chain_ends.last_channel,
        longer_chain_starts.started_at,
        longer_chain_totals.ended_at,
        longer_chain_totals.segment_count,
        longer_chain_totals.is_handled,
        longer_chain_last_agents.last_agent_id,
        longer_chain_totals.handle_seconds,
        longer_chain_starts.related_contact_id,
        longer_chain_totals.bot_session_id
    from longer_chain_starts
    inner join longer_chain_totals
        on longer_chain_starts.chain_id = longer_chain_totals.chain_id
    inner join longer_chain_ends
        on longer_chain_starts.chain_id = longer_chain_ends.chain_id
    left join longer_chain_last_agents
        on longer_chain_starts.chain_id = longer_chain_last_agents.chain_id

),

stitched as (

    select
        {{ chain_columns | join(',\n        ') }}
    from single_segment_chains

    union all

    select
        {{ chain_columns | join(',\n        ') }}
    from longer_chains

)

select * from stitched
