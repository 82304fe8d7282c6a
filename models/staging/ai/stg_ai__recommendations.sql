{{
    config(
        materialized=ccm_staging_materialization(),
        unique_key='recommendation_id'
    )
}}

with

source as {{ ccm_cte_not_materialized() }} (

    select * from {{ source('ai', 'ai_recommendations') }}
    {{ ccm_staging_changed_keys(source('ai', 'ai_recommendations'), 'recommendation_id') }}

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
        cast(revenue as double) as revenue,
        cast(_batch_date as date) as batch_date
    from latest_versions

)

select * from renamed
