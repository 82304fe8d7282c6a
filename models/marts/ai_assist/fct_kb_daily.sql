{#- A look-up counts for the day it was made and the channel of the contact or bot session it
    served; one that names neither is kept under channel '(none)' so that no look-up is lost
    from the denominator. -#}
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

lookups as (

    select
        {{ ccm_reporting_date('kb_events.occurred_at') }} as reporting_date,
        kb_events.actor_type,
        {{ ccm_event_channel(unmatched='(none)') }} as channel,
        kb_events.article_id is not null as is_article_returned,
        -- an article can only be used when one was returned, whatever the flag says
        kb_events.article_id is not null and kb_events.article_used as is_hit
    from kb_events
    {{ ccm_join_event_interactions('kb_events') }}

),

actor_channel_days as (

    select
        reporting_date,
        actor_type,
        channel,
        count(*) as lookups,
        count(case when is_article_returned then 1 end) as lookups_with_article,
        count(case when is_hit then 1 end) as kb_hits
    from lookups
    group by reporting_date, actor_type, channel

),

final as (

    select
        reporting_date,
        actor_type,
        channel,
        lookups,
        lookups_with_article,
        {{ ccm_safe_divide('lookups_with_article', 'lookups') }} as article_found_rate,
        kb_hits,
        {{ ccm_safe_divide('kb_hits', 'lookups') }} as kb_hit_rate
    from actor_channel_days

)

select * from final
