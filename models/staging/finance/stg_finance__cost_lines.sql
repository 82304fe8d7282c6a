with

source as (

    select * from {{ source('finance', 'cost_lines') }}

),

latest_versions as (

    {{ ccm_latest_versions('source', 'cost_line_id', ['_loaded_at', '_source_row']) }}

),

renamed as (

    select
        cast(cost_line_id as string) as cost_line_id,
        cast(cost_date as date) as cost_date,
        cast(category as string) as category,
        cast(channel as string) as channel,
        cast(amount as double) as amount
    from latest_versions

)

select * from renamed
