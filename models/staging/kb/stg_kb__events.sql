with

source as (

    select * from {{ source('kb', 'kb_events') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by kb_event_id
            order by _loaded_at desc, _source_row desc
        ) as version_rank
    from source

),

latest_versions as (

    select * from versions_ranked
    where version_rank = 1

),

renamed as (

    select
        cast(kb_event_id as string) as kb_event_id,
        cast(occurred_at as timestamp) as occurred_at,
        cast(actor_type as string) as actor_type,
        cast(agent_id as string) as agent_id,
        cast(contact_id as string) as contact_id,
        cast(bot_session_id as string) as bot_session_id,
        cast(article_id as string) as article_id,
        cast(article_used as boolean) as article_used
    from latest_versions

)

select * from renamed
