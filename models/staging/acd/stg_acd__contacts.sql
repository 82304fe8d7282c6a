{{
    config(
        materialized=ccm_staging_materialization('contacts', hashes_pii=true),
        unique_key='contact_id'
    )
}}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('acd', 'contacts') }}
    {{ ccm_staging_changed_keys(source('acd', 'contacts'), 'contact_id') }}

),

source_hashed as {{ ccm_cte_not_materialized() }} (

    {{ ccm_pii_hashes_joined(
        'source', source('acd', 'contacts'), ['customer_phone', 'customer_email']
    ) }}

),

latest_versions as (

    {{ ccm_latest_versions(
        'source_hashed', 'contact_id', ['record_updated_at', '_loaded_at', '_source_row'],
        versions_from='source'
    ) }}

),

landing_renamed as (

    select
        cast(contact_id as string) as contact_id,
        cast(initial_contact_id as string) as initial_contact_id,
        cast(previous_contact_id as string) as previous_contact_id,
        cast(related_contact_id as string) as related_contact_id,
        cast(initiation_method as string) as initiation_method,
        cast(channel as string) as channel,
        {{ ccm_customer_id('customer_id') }} as customer_id,
        {{ ccm_customer_id('customer_id') }} is not null as is_customer_identified,
        cast(customer_phone_hash as string) as customer_phone_hash,
        cast(customer_email_hash as string) as customer_email_hash,
        cast(queue_id as string) as queue_id,
        cast(contact_reason as string) as contact_reason,
        cast(agent_id as string) as agent_id,
        cast(started_at as timestamp) as started_at,
        cast(queued_at as timestamp) as queued_at,
        cast(connected_at as timestamp) as connected_at,
        cast(first_response_at as timestamp) as first_response_at,
        cast(ended_at as timestamp) as ended_at,
        cast(talk_seconds as double) as talk_seconds,
        cast(hold_seconds as double) as hold_seconds,
        cast(acw_seconds as double) as acw_seconds,
        cast(disposition as string) as disposition,
        cast(ai_assisted as boolean) as ai_assisted,
        cast(record_updated_at as timestamp) as record_updated_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

),

unioned as (

    {{ ccm_union_systems('contacts', 'landing_renamed', [
        'contact_id',
        'initial_contact_id',
        'previous_contact_id',
        'related_contact_id',
        'initiation_method',
        'channel',
        'customer_id',
        'is_customer_identified',
        'customer_phone_hash',
        'customer_email_hash',
        'queue_id',
        'contact_reason',
        'agent_id',
        'started_at',
        'queued_at',
        'connected_at',
        'first_response_at',
        'ended_at',
        'talk_seconds',
        'hold_seconds',
        'acw_seconds',
        'disposition',
        'ai_assisted',
        'record_updated_at',
        'batch_date',
    ]) }}

)

select * from unioned
