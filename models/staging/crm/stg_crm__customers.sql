with

source as (

    select * from {{ source('crm', 'customers') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by record_updated_at desc, _loaded_at desc, _source_row desc
        ) as version_rank
    from source

),

latest_versions as (

    select * from versions_ranked
    where version_rank = 1

),

renamed as (

    select
        cast(customer_id as string) as customer_id,
        cast(segment as string) as segment,
        {{ ccm_hash_pii('email') }} as email_hash,
        {{ ccm_hash_pii('phone') }} as phone_hash,
        cast(created_at as timestamp) as created_at,
        cast(churned_at as timestamp) as churned_at,
        cast(record_updated_at as timestamp) as record_updated_at
    from latest_versions

)

select * from renamed
