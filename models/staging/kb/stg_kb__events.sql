{{ config(materialized=ccm_staging_materialization(), unique_key='kb_event_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('kb', 'kb_events') }}
    {{ ccm_staging_changed_keys(source('kb', 'kb_events'), 'kb_event_id') }}

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
        cast(article_used as boolean) as article_used,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
