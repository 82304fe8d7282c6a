{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='kb_event_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'reporting_date'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'reporting_date', 'kb_event_id', 'select kb_event_id from ' ~ ref('stg_kb__events'),
            fcr_window=false
        ) }}"
    )
}}

{#- One row per knowledge-base look-up with its reporting day and the channel of the contact
    or bot session it served (ccm_event_channel); one that names neither, or whose contact or
    session never arrived, is kept under channel '(none)' so that no look-up is lost.
    Incremental by look-up: a run re-processes the look-ups of the reporting days from the
    cutoff on (ccm_incremental_cutoff: the changed days of every source, from a day before the
    earliest). A look-up is made during the contact or bot session it names, so a contact or
    session that changed, arrived late or vanished changed a day from which its look-ups are
    re-processed; the day before covers a reporting day that starts before its UTC midnight
    and the clocks of two systems apart. -#}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('reporting_date', fcr_window=false) -%}
{%- endif %}

with

kb_events as (

    select
        kb_event_id,
        occurred_at,
        actor_type,
        contact_id,
        bot_session_id,
        article_id,
        article_used
    from {{ ref('stg_kb__events') }}
    {% if is_incremental() %}
        where {{ ccm_reporting_date('occurred_at') }} >= cast({{ cutoff }} as date)
    {% endif %}

),

lookups_channeled as (

    select
        kb_events.kb_event_id,
        {{ ccm_reporting_date('kb_events.occurred_at') }} as reporting_date,
        kb_events.actor_type,
        {{ ccm_event_channel(unmatched='(none)') }} as channel,
        kb_events.article_id is not null as is_article_returned,
        -- an article can only be used when one was returned, whatever the flag says
        kb_events.article_id is not null and kb_events.article_used as is_hit
    from kb_events
    {{ ccm_join_event_interactions('kb_events') }}

)

select * from lookups_channeled
