{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='reporting_date',
        on_schema_change='fail',
        pre_hook="{{ ccm_incremental_clear_days(
            'reporting_date', extra_days=ccm_fcr_longest_window_days() + 1, where='offered > 0'
        ) }}"
    )
}}

{# Additive queue measures per reporting interval x channel x queue, each attributed to the
    period of its own event (METRICS.md): queue counts to when the contact entered the queue
    (or, routed directly to an agent, was connected), handle counts to when handling ended,
    FCR to when the handled chain ended, labor to when the agent was logged in. Both
    efficiency marts sum these rows, so they always agree. Labor is null, not 0, when the
    agent states (paid time) or the agents file (hourly cost) were never delivered.

    Incremental runs recompute whole reporting days: the lookback, plus the longest FCR
    window (a chain's FCR flags change until its window is complete), plus one day for the
    shift between UTC and the reporting day. #}

{%- set longest_window_days = ccm_fcr_longest_window_days() -%}
{%- set fcr_windows = ccm_fcr_windows() -%}
{%- set interval_minutes = var('interval_minutes') | int -%}
{%- set interval_seconds = interval_minutes * 60 -%}
{%- set measures = ccm_queue_additive_measures() -%}
{%- set queue_measures = measures[:8] -%}
{%- set handle_measures = ['handled_contacts', 'handle_seconds'] -%}
{%- set labor_measures = ['paid_seconds', 'labor_cost'] -%}
{%- set fcr_measures = ['fcr_excluded_unidentified', 'fcr_excluded_outbound'] -%}
{%- for suffix, hours in fcr_windows -%}
    {%- do fcr_measures.extend(['fcr_resolved_' ~ suffix, 'fcr_eligible_' ~ suffix]) -%}
{%- endfor -%}

{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff(
        'reporting_date', extra_days=longest_window_days + 1, where='offered > 0'
    ) -%}
    {%- set source_cutoff = dbt.dateadd('day', -1, cutoff) -%}
{%- endif %}

with

segments as (

    select
        chain_id,
        segment_number,
        channel,
        coalesce(queue_id, '(none)') as queue_id,
        initiation_method,
        {{ ccm_is_offered('initiation_method', 'queued_at', 'connected_at') }} as is_offered,
        {{ ccm_offered_at('queued_at', 'connected_at') }} as offered_at,
        queued_at,
        connected_at,
        ended_at,
        disposition,
        queue_wait_seconds,
        handle_seconds
    from {{ ref('int_contacts_chained') }}

),

queue_events as (

    select
        {{ ccm_interval_start('segments.offered_at') }} as interval_start,
        segments.channel,
        segments.queue_id,
        {% for measure in measures if measure not in queue_measures -%}
            0 as {{ measure }},
        {% endfor -%}
        {{ ccm_queue_outcomes('segments') }}
    from segments
    where
        segments.is_offered
    {% if is_incremental() %}
            and segments.offered_at >= {{ source_cutoff }}
        {% endif %}

),

handle_events as (

    select
        {{ ccm_interval_start('ended_at') }} as interval_start,
        channel,
        queue_id,
        {% for measure in measures if measure not in handle_measures -%}
            0 as {{ measure }},
        {% endfor -%}
        1 as handled_contacts,
        handle_seconds
    from segments
    where
        connected_at is not null
    {% if is_incremental() %}
            and ended_at >= {{ source_cutoff }}
        {% endif %}

),

chain_first_queues as (

    select
        chain_id,
        queue_id,
        row_number() over (partition by chain_id order by segment_number) as queue_order
    from segments
    where is_offered

),

handled_chains as (

    select
        interactions.interaction_id as chain_id,
        {% for suffix, hours in fcr_windows -%}
            interactions.is_window_complete_{{ suffix }},
            interactions.is_resolved_{{ suffix }},
        {% endfor -%}
        interactions.fcr_excluded_reason,
        interactions.channel,
        interactions.ended_at
    from {{ ref('int_customer_interactions_fcr_flagged') }} as interactions
    where
        interactions.interaction_type = 'contact_chain'
        and interactions.is_handled
    {% if is_incremental() %}
            and interactions.ended_at >= {{ source_cutoff }}
        {% endif %}

),

fcr_events as (

    select
        {{ ccm_interval_start('handled_chains.ended_at') }} as interval_start,
        {% for measure in measures if measure not in fcr_measures -%}
            0 as {{ measure }},
        {% endfor -%}
        {#- is_resolved_<w> is null for a censored window and for a chain left out of FCR
            (fcr_excluded_reason), so neither is eligible. -#}
        {% for suffix, hours in fcr_windows -%}
            case
                when handled_chains.is_resolved_{{ suffix }} then 1 else 0
            end as fcr_resolved_{{ suffix }},
            case
                when handled_chains.is_resolved_{{ suffix }} is not null then 1 else 0
            end as fcr_eligible_{{ suffix }},
        {% endfor -%}
        case
            when handled_chains.fcr_excluded_reason = 'unidentified' then 1 else 0
        end as fcr_excluded_unidentified,
        case
            when handled_chains.fcr_excluded_reason = 'outbound' then 1 else 0
        end as fcr_excluded_outbound,
        handled_chains.channel,
        coalesce(chain_first_queues.queue_id, '(none)') as queue_id
    from handled_chains
    left join chain_first_queues
        on
            handled_chains.chain_id = chain_first_queues.chain_id
            and chain_first_queues.queue_order = 1

),

{# Labor is attributed to the agent's home queue on the channel that queue serves, taken as
    the channel most of its offered contacts came on. An agent missing from the agents file
    (or a center that sends none) still has paid time, on queue and channel '(none)', but no
    labor cost. #}
queue_channel_volumes as (

    select
        queue_id,
        channel,
        count(*) as offered_contacts
    from segments
    where is_offered
    group by queue_id, channel

),

queue_channels_ranked as (

    select
        queue_id,
        channel,
        row_number() over (
            partition by queue_id
            order by offered_contacts desc, channel asc
        ) as volume_rank
    from queue_channel_volumes

),

agents as (

    select
        agents.agent_id,
        agents.hourly_cost,
        agents.home_queue_id as queue_id,
        coalesce(queue_channels_ranked.channel, '(none)') as channel
    from {{ ref('stg_wfm__agents') }} as agents
    left join queue_channels_ranked
        on
            agents.home_queue_id = queue_channels_ranked.queue_id
            and queue_channels_ranked.volume_rank = 1

),

agent_states as (

    select
        agent_id,
        started_at,
        ended_at
    from {{ ref('stg_acd__agent_states') }}
    where
        ended_at > started_at
    {% if is_incremental() %}
            and ended_at >= {{ source_cutoff }}
        {% endif %}

),

{# Each state is cut at the UTC interval boundaries it crosses: it meets only the buckets it
    touches (ccm_bucket_starts), not a spine of the whole history on two inequalities.
    interval_minutes divides an hour and reporting time zones are whole or half hours off
    UTC, so the UTC buckets line up with reporting intervals. #}
state_buckets as (

    select
        agent_id,
        started_at,
        ended_at,
        {{ ccm_bucket_starts(
            dbt.dateadd(
                'minute',
                'cast(floor(extract(minute from started_at) / ' ~ interval_minutes ~ ') * '
                    ~ interval_minutes ~ ' as integer)',
                dbt.date_trunc('hour', 'started_at')
            ),
            'ended_at',
            interval_minutes
        ) }} as interval_start_utc
    from agent_states

),

state_pieces as (

    select
        agent_id,
        interval_start_utc,
        {{ ccm_seconds_between(
            'greatest(started_at, interval_start_utc)',
            'least(ended_at, '
            ~ dbt.dateadd('second', interval_seconds, 'interval_start_utc') ~ ')'
        ) }} as paid_seconds
    from state_buckets

),

labor_events as (

    select
        {{ ccm_interval_start('state_pieces.interval_start_utc') }} as interval_start,
        coalesce(agents.channel, '(none)') as channel,
        coalesce(agents.queue_id, '(none)') as queue_id,
        {% for measure in measures if measure not in labor_measures -%}
            0 as {{ measure }},
        {% endfor -%}
        state_pieces.paid_seconds,
        state_pieces.paid_seconds * agents.hourly_cost / 3600 as labor_cost
    from state_pieces
    left join agents
        on state_pieces.agent_id = agents.agent_id

),

events as (

    {% for events_cte in ['queue_events', 'handle_events', 'fcr_events', 'labor_events'] -%}
        select
            interval_start,
            channel,
            queue_id,
            {{ measures | join(',\n            ') }}
        from {{ events_cte }}
        {{ "union all" if not loop.last }}
    {% endfor %}

),

aggregated as (

    select
        interval_start,
        cast(interval_start as date) as reporting_date,
        channel,
        queue_id,
        {{ ccm_sum_columns(measures) }}
    from events
    group by interval_start, channel, queue_id

),

labor_sources as (

    select
        {{ ccm_is_delivered(ref('stg_acd__agent_states')) }} as has_agent_states,
        {{ ccm_is_delivered(ref('stg_wfm__agents')) }} as has_agents

),

labor_checked as (

    select
        aggregated.interval_start,
        aggregated.reporting_date,
        aggregated.channel,
        aggregated.queue_id,
        {% for measure in measures if measure not in labor_measures -%}
            aggregated.{{ measure }},
        {% endfor -%}
        case when labor_sources.has_agent_states then aggregated.paid_seconds end
            as paid_seconds,
        case
            when labor_sources.has_agent_states and labor_sources.has_agents
                then aggregated.labor_cost
        end as labor_cost
    from aggregated
    cross join labor_sources

)

select * from labor_checked
{% if is_incremental() %}
    where reporting_date >= cast({{ cutoff }} as date)
{% endif %}
