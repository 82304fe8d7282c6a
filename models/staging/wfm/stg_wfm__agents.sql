with

source as (

    select * from {{ source('wfm', 'agents') }}

),

versions_ranked as (

    select
        *,
        row_number() over (
            partition by agent_id
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
        cast(agent_id as string) as agent_id,
        cast(team_id as string) as team_id,
        cast(home_queue_id as string) as home_queue_id,
        cast(hire_date as date) as hire_date,
        cast(leave_date as date) as leave_date,
        cast(hourly_cost as double) as hourly_cost,
        cast(record_updated_at as timestamp) as record_updated_at
    from latest_versions

)

select * from renamed
