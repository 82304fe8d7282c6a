with

source as (

    select * from {{ source('kb', 'kb_events') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'kb_event_id', ['_loaded_at', '_source_row']) }}

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
