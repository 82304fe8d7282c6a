{#- One row per knowledge-base look-up with its reporting day and the channel of the contact
    or bot session it served (ccm_event_channel); one that names neither, or whose contact or
    session never arrived, is kept under channel '(none)' so that no look-up is lost. -#}
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
