{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'event_date'},
        pre_hook="{{ ccm_incremental_clear_days(
            'event_date',
            extra_days=ccm_fcr_longest_window_days() + 1,
            also_from=[
                ccm_csat_events_changed_from(),
                ccm_chains_recomputed_from(),
                ccm_interactions_rejudged_from(),
                ccm_agents_changed_from()
            ]
        ) }}"
    )
}}

{#- The sums behind the drill-down: each key metric's observations summed per reporting day,
    team, agent, contact reason and channel, the finest grain the drill-down reads, so that
    every level sums the same rows. The observations are (with the day each belongs to):
    - fcr_rate: a handled contact chain whose default window is complete (day it ended;
      agent = last agent connected; channel = the channel of its last segment);
    - service_level: an offered contact segment (ccm_is_offered), counted by var
      sl_abandon_treatment through the generation-1 macros (day it queued, or was connected
      when routed directly; team = the team whose home queue it is,
      the first by team_id if several; no agent, as an unanswered contact has none);
    - aht: a handled segment (day handling ended), with its square for the X-bar limits;
    - csat: a rating 1-5 (day of the rated contact or bot session; bot: reason = intent);
    - cost_per_resolution: agent labor (paid hours x hourly cost) per agent-day as the
      numerator, and each resolved handled chain of the agent as the denominator. Platform,
      telephony and other costs have no team or agent, so the drill-down compares the
      attributable part; fct_cost_daily carries the full center metric. The labor of an
      agent-day is split over the channels the agent handled that day by handle time
      (int_agent_days_handling_split, as cost allocation splits it), and a resolution has its chain's last channel, so that
      the drill-down can expect a chat agent's cost of the center's chat resolutions; an
      agent-day without handling keeps its labor whole without a channel.
    Every other event has the channel of its contact (csat: of the rated contact or bot
    session).
    Summed, not one row per observation: the drill-down only ever sums them, and at 10 M
    contacts the 35.7 M observation rows (2.3 M sums) cost more to write, test and read again
    than to sum: this model, its tests and fct_metric_drilldown took 26 and 18 s summed
    against 45 and 33 s, in two rounds on one warehouse.
    A csat row keeps the bit_xor of its ratings' checksums (ccm_checksum of survey id and
    satisfied flag), from which ccm_csat_events_changed_from tells which days' ratings changed.
    Incremental by day, appended: the pre-hook empties every day from the cutoff on and the run
    produces only those days (a delete+insert on event_date would look up each of the millions
    of rows' days again). A run re-computes every day from
    the same cutoff as fct_queue_daily, or from the earliest day of a csat event
    that arrived, moved, vanished or changed sides since (a late survey belongs to its old
    contact's day). Each
    row names the invocation that computed it, from which fct_metric_drilldown re-processes. -#}
{%- set member_columns = [
    'metric_name', 'event_date', 'team_id', 'agent_id', 'contact_reason', 'channel'
] -%}
{%- set event_columns = member_columns + [
    'numerator', 'denominator', 'squared_numerator', 'ratings_checksum'
] -%}
{%- set utc_from = none -%}
{%- if is_incremental() -%}
    {%- set reprocess_from = ccm_incremental_cutoff(
        'event_date',
        extra_days=ccm_fcr_longest_window_days() + 1,
        also_from=[
            ccm_csat_events_changed_from(),
            ccm_chains_recomputed_from(),
            ccm_interactions_rejudged_from(),
            ccm_agents_changed_from()
        ]
    ) -%}
    {#- a reporting day starts up to a day before or after its UTC midnight -#}
    {%- set utc_from = dbt.dateadd('day', -1, reprocess_from) -%}
{%- endif -%}
{%- set event_ctes = [
    'fcr_events', 'service_level_events', 'aht_events', 'csat_events', 'labor_events',
    'resolution_events'
] -%}
with

agents as (

    select
        agent_id,
        team_id,
        home_queue_id,
        hourly_cost
    from {{ ref('stg_wfm__agents') }}

),

queue_teams as (

    select
        home_queue_id as queue_id,
        min(team_id) as team_id
    from agents
    group by home_queue_id

),

chains as (

    select
        interactions.interaction_id as chain_id,
        interactions.ended_at,
        interactions.contact_reason,
        interactions.is_resolved_default,
        chains_stitched.last_agent_id,
        chains_stitched.last_channel
    from {{ ref('int_customer_interactions_fcr_flagged') }} as interactions
    inner join {{ ref('int_contact_chains_stitched') }} as chains_stitched
        on interactions.interaction_id = chains_stitched.chain_id
    where
        interactions.interaction_type = 'contact_chain'
        and interactions.is_handled
    {% if is_incremental() %}
            and interactions.ended_at >= {{ utc_from }}
            {# the same chain end, stated for the stitched chains too so that their scan
                reads the re-processed days only #}
            and chains_stitched.ended_at >= {{ utc_from }}
    {% endif %}

),

segments as (

    select
        contact_id,
        queue_id,
        agent_id,
        contact_reason,
        channel,
        initiation_method,
        queued_at,
        connected_at,
        ended_at,
        disposition,
        queue_wait_seconds,
        handle_seconds
    from {{ ref('int_contacts_chained') }}
    {% if is_incremental() %}
        {#- a segment is offered before it ends -#}
        where ended_at >= {{ utc_from }} or ended_at is null
    {% endif %}

),

offered_segments as (

    select
        segments.contact_id,
        segments.queue_id,
        segments.contact_reason,
        segments.channel,
        {{ ccm_offered_at('segments.queued_at', 'segments.connected_at') }} as offered_at,
        {{ ccm_queue_outcomes('segments') }}
    from segments
    where
        {{ ccm_is_offered(
            'segments.initiation_method', 'segments.queued_at', 'segments.connected_at'
        ) }}

),

agent_channel_shares as (

    select
        agent_id,
        reporting_date,
        channel,
        handling_share
    from {{ ref('int_agent_days_handling_split') }}
    {% if is_incremental() %}
        where reporting_date >= cast({{ reprocess_from }} as date)
    {% endif %}

),

{# A rating of a contact that arrived belongs to the reporting day the contact started, so
    on an incremental run the rated contacts started no earlier than utc_from: the contacts are
    joined from there on (every contact otherwise). #}
ratings as (

    select
        surveys.survey_id,
        surveys.reporting_date,
        contacts.agent_id,
        coalesce(contacts.contact_reason, bot_sessions.intent) as contact_reason,
        {{ ccm_event_channel() }} as channel,
        case when {{ ccm_is_csat_satisfied('surveys.csat_score') }} then 1 else 0 end
            as is_satisfied,
        {{ ccm_csat_rating_checksum('surveys.survey_id', 'surveys.csat_score') }}
            as ratings_checksum
    from {{ ref('int_survey_responses_attributed') }} as surveys
    {{ ccm_join_event_interactions('surveys', contacts_started_from=utc_from) }}
    where
        surveys.csat_score between 1 and 5
    {% if is_incremental() %}
            and surveys.reporting_date >= cast({{ reprocess_from }} as date)
    {% endif %}

),

fcr_events as (

    select
        'fcr_rate' as metric_name,
        {{ ccm_reporting_date('chains.ended_at') }} as event_date,
        agents.team_id,
        chains.last_agent_id as agent_id,
        chains.contact_reason,
        chains.last_channel as channel,
        cast(case when chains.is_resolved_default then 1 else 0 end as double) as numerator,
        cast(1 as double) as denominator,
        cast(0 as double) as squared_numerator,
        cast(null as bigint) as ratings_checksum
    from chains
    left join agents
        on chains.last_agent_id = agents.agent_id
    where chains.is_resolved_default is not null

),

service_level_events as (

    select
        'service_level' as metric_name,
        {{ ccm_reporting_date('offered_segments.offered_at') }} as event_date,
        queue_teams.team_id,
        cast(null as string) as agent_id,
        offered_segments.contact_reason,
        offered_segments.channel,
        cast({{ ccm_sl_numerator(
            'offered_segments.answered_within_threshold',
            'offered_segments.abandoned_within_threshold'
        ) }} as double) as numerator,
        cast({{ ccm_sl_denominator(
            'offered_segments.offered',
            'offered_segments.answered',
            'offered_segments.abandoned',
            'offered_segments.abandoned_within_threshold',
            'offered_segments.short_abandoned'
        ) }} as double) as denominator,
        cast(0 as double) as squared_numerator,
        cast(null as bigint) as ratings_checksum
    from offered_segments
    left join queue_teams
        on offered_segments.queue_id = queue_teams.queue_id

),

aht_events as (

    select
        'aht' as metric_name,
        {{ ccm_reporting_date('segments.ended_at') }} as event_date,
        agents.team_id,
        segments.agent_id,
        segments.contact_reason,
        segments.channel,
        segments.handle_seconds as numerator,
        cast(1 as double) as denominator,
        segments.handle_seconds * segments.handle_seconds as squared_numerator,
        cast(null as bigint) as ratings_checksum
    from segments
    left join agents
        on segments.agent_id = agents.agent_id
    where segments.connected_at is not null and segments.agent_id is not null

),

csat_events as (

    select
        'csat' as metric_name,
        ratings.reporting_date as event_date,
        agents.team_id,
        ratings.agent_id,
        ratings.contact_reason,
        ratings.channel,
        cast(ratings.is_satisfied as double) as numerator,
        cast(1 as double) as denominator,
        cast(0 as double) as squared_numerator,
        ratings.ratings_checksum
    from ratings
    left join agents
        on ratings.agent_id = agents.agent_id

),

labor_events as (

    select
        'cost_per_resolution' as metric_name,
        agent_days.reporting_date as event_date,
        agents.team_id,
        agent_days.agent_id,
        cast(null as string) as contact_reason,
        agent_channel_shares.channel,
        agent_days.paid_seconds / 3600.0 * agents.hourly_cost
        * coalesce(agent_channel_shares.handling_share, 1) as numerator,
        cast(0 as double) as denominator,
        cast(0 as double) as squared_numerator,
        cast(null as bigint) as ratings_checksum
    from {{ ref('int_agent_days_timed') }} as agent_days
    inner join agents
        on agent_days.agent_id = agents.agent_id
    left join agent_channel_shares
        on
            agent_days.agent_id = agent_channel_shares.agent_id
            and agent_days.reporting_date = agent_channel_shares.reporting_date
    {% if is_incremental() %}
        where agent_days.reporting_date >= cast({{ reprocess_from }} as date)
    {% endif %}

),

resolution_events as (

    select
        'cost_per_resolution' as metric_name,
        {{ ccm_reporting_date('chains.ended_at') }} as event_date,
        agents.team_id,
        chains.last_agent_id as agent_id,
        cast(null as string) as contact_reason,
        chains.last_channel as channel,
        cast(0 as double) as numerator,
        cast(1 as double) as denominator,
        cast(0 as double) as squared_numerator,
        cast(null as bigint) as ratings_checksum
    from chains
    left join agents
        on chains.last_agent_id = agents.agent_id
    where chains.is_resolved_default

),

events_unioned as (

    {% for events in event_ctes -%}
        select {{ event_columns | join(', ') }} from {{ events }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

events_summed as (

    select
        {{ member_columns | join(',\n        ') }},
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(squared_numerator) as squared_numerator,
        bit_xor(ratings_checksum) as ratings_checksum,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as processed_invocation_id
    from events_unioned
    {% if is_incremental() %}
        where event_date >= cast({{ reprocess_from }} as date)
    {% endif %}
    group by {{ member_columns | join(', ') }}

)

select * from events_summed
