with

source as (

    select * from {{ source('finance', 'cost_lines') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by cost_line_id
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
        cast(cost_line_id as string) as cost_line_id,
        cast(cost_date as date) as cost_date,
        cast(category as string) as category,
        cast(channel as string) as channel,
        cast(amount as double) as amount
    from latest_versions

)

select * from renamed
