with

source as (

    select * from {{ source('ai', 'ai_recommendations') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'recommendation_id', ['_loaded_at', '_source_row']) }}

),

renamed as (

    select
        cast(recommendation_id as string) as recommendation_id,
        cast(contact_id as string) as contact_id,
        cast(bot_session_id as string) as bot_session_id,
        cast(customer_id as string) as customer_id,
        cast(offered_at as timestamp) as offered_at,
        cast(product_code as string) as product_code,
        cast(accepted as boolean) as accepted,
        cast(revenue as double) as revenue
    from latest_versions

)

select * from renamed
