{{ config(materialized=ccm_staging_materialization(hashes_pii=true), unique_key='customer_id') }}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('crm', 'customers') }}
    {{ ccm_staging_changed_keys(source('crm', 'customers'), 'customer_id') }}

),

source_hashed as {{ ccm_cte_not_materialized() }} (

    {{ ccm_pii_hashes_joined(
        'source', source('crm', 'customers'), ['email', 'phone']
    ) }}

),

latest_versions as (

    {{ ccm_latest_versions(
        'source_hashed', 'customer_id', ['record_updated_at', '_loaded_at', '_source_row'],
        versions_from='source'
    ) }}

),

renamed as (

    select
        cast(customer_id as string) as customer_id,
        cast(segment as string) as segment,
        cast(email_hash as string) as email_hash,
        cast(phone_hash as string) as phone_hash,
        cast(created_at as timestamp) as created_at,
        cast(churned_at as timestamp) as churned_at,
        cast(record_updated_at as timestamp) as record_updated_at,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
