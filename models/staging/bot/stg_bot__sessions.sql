{{ config(materialized=ccm_staging_materialization('bot_sessions'), unique_key='bot_session_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('bot', 'bot_sessions') }}
    {{ ccm_staging_changed_keys(source('bot', 'bot_sessions'), 'bot_session_id') }}

),

latest_versions as (

    {{ ccm_latest_versions(
        'source', 'bot_session_id', ['record_updated_at', '_loaded_at', '_source_row']
    ) }}

),

landing_renamed as (

    select
        cast(bot_session_id as string) as bot_session_id,
        {{ ccm_customer_id('customer_id') }} as customer_id,
        {{ ccm_customer_id('customer_id') }} is not null as is_customer_identified,
        cast(channel as string) as channel,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at,
        cast(intent as string) as intent,
        cast(turns as bigint) as turns,
        cast(outcome as string) as outcome,
        cast(handoff_contact_id as string) as handoff_contact_id,
        cast(kb_lookups as bigint) as kb_lookups,
        cast(generative_ai as boolean) as generative_ai,
        cast(record_updated_at as timestamp) as record_updated_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

),

unioned as (

    {{ ccm_union_systems('bot_sessions', 'landing_renamed', [
        'bot_session_id',
        'customer_id',
        'is_customer_identified',
        'channel',
        'started_at',
        'ended_at',
        'intent',
        'turns',
        'outcome',
        'handoff_contact_id',
        'kb_lookups',
        'generative_ai',
        'record_updated_at',
        'batch_date',
    ], landing_dates=['batch_date']) }}

)

select * from unioned
