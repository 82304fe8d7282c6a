{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='reporting_date',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'reporting_date'},
        pre_hook="{{ ccm_incremental_clear_days(
            'reporting_date',
            extra_days=ccm_fcr_longest_window_days() + 1,
            where='offered > 0',
            also_from=ccm_queue_days_changed_from()
        ) }}"
    )
}}

{# Additive queue measures per reporting interval x channel x queue, each attributed to the
    period of its own event (METRICS.md): queue counts to when the contact entered the queue
    (or, routed directly to an agent, was connected), handle counts to when handling ended,
    FCR to when the handled chain ended, labor to when the agent was logged in. Both
    efficiency marts sum these rows, so they always agree. Labor is null, not 0, when the
    agent states (paid time) or the agents file (hourly cost) were never delivered.

    The events come classified from int_queue_segments_classified (queue and handle),
    int_queue_chains_fcr_attributed (FCR) and int_queue_agent_states_cut with
    int_queue_agents_assigned (labor); this model files them under their interval and sums.

    Incremental runs recompute whole reporting days from the cutoff (ccm_incremental_cutoff):
    the changed days' cutoff, which reaches the longest FCR window back (a chain's FCR flags
    change until its window is complete) and a day for the shift between UTC and the reporting
    day, or without the load log the lookback plus that window and day; a day before the chains
    re-computed and the interactions judged again upstream moves it back. Each event is
    filtered on its own UTC time from a day earlier; the engine applies these filters beneath
    the views, below the unnest that cuts the agent states, so an incremental run cuts the
    agent states of those days only. #}

{%- set measures = ccm_queue_additive_measures() -%}
{%- set queue_measures = measures[:8] -%}
{%- set handle_measures = ['handled_contacts', 'handle_seconds'] -%}
{%- set labor_measures = ['paid_seconds', 'labor_cost'] -%}
{%- set fcr_measures = measures
    | reject('in', queue_measures + handle_measures + labor_measures) | list -%}

{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff(
        'reporting_date',
        extra_days=ccm_fcr_longest_window_days() + 1,
        where='offered > 0',
        also_from=ccm_queue_days_changed_from()
    ) -%}
    {%- set source_cutoff = dbt.dateadd('day', -1, cutoff) -%}
{%- endif %}

with

queue_events as (

    select
        {{ ccm_interval_start('offered_at') }} as interval_start,
        channel,
        queue_id,
        {{ ccm_zero_measures(measures, queue_measures) }}
        {{ queue_measures | join(',\n        ') }}
    from {{ ref('int_queue_segments_classified') }}
    where
        offered = 1
    {% if is_incremental() %}
            and offered_at >= {{ source_cutoff }}
        {% endif %}

),

handle_events as (

    select
        {{ ccm_interval_start('ended_at') }} as interval_start,
        channel,
        queue_id,
        {{ ccm_zero_measures(measures, handle_measures) }}
        1 as handled_contacts,
        handle_seconds
    from {{ ref('int_queue_segments_classified') }}
    where
        is_handled
    {% if is_incremental() %}
            and ended_at >= {{ source_cutoff }}
        {% endif %}

),

fcr_events as (

    select
        {{ ccm_interval_start('ended_at') }} as interval_start,
        channel,
        queue_id,
        {{ ccm_zero_measures(measures, fcr_measures) }}
        {{ fcr_measures | join(',\n        ') }}
    from {{ ref('int_queue_chains_fcr_attributed') }}
    {% if is_incremental() %}
        where ended_at >= {{ source_cutoff }}
    {% endif %}

),

{# An agent missing from the agents file (or a center that sends none) still has paid time,
    on queue and channel '(none)', but no labor cost. #}
labor_events as (

    select
        {{ ccm_interval_start('states_cut.interval_start_utc') }} as interval_start,
        coalesce(agents.channel, '(none)') as channel,
        coalesce(agents.queue_id, '(none)') as queue_id,
        {{ ccm_zero_measures(measures, labor_measures) }}
        states_cut.paid_seconds,
        states_cut.paid_seconds * agents.hourly_cost / 3600 as labor_cost
    from {{ ref('int_queue_agent_states_cut') }} as states_cut
    left join {{ ref('int_queue_agents_assigned') }} as agents
        on states_cut.agent_id = agents.agent_id
    {% if is_incremental() %}
        where states_cut.state_ended_at >= {{ source_cutoff }}
    {% endif %}

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

{# int_queue_agents_assigned has one row per agent of the agents file, so it is empty exactly
    when that file was never delivered. #}
labor_sources as (

    select
        {{ ccm_is_delivered(ref('stg_acd__agent_states')) }} as has_agent_states,
        {{ ccm_is_delivered(ref('int_queue_agents_assigned')) }} as has_agents

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
