with

source as (

    select * from {{ source('ai', 'ai_recommendations') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by recommendation_id
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
