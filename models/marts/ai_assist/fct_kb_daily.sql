{#- Knowledge-base look-ups per reporting day, actor and channel (int_kb_lookups_channeled:
    a look-up that names no contact or bot session counts under channel '(none)', so that no
    look-up is lost from the denominator). -#}
with

lookups as (

    select
        reporting_date,
        actor_type,
        channel,
        is_article_returned,
        is_hit
    from {{ ref('int_kb_lookups_channeled') }}

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
